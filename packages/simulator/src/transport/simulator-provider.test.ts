import { CardError, type ReaderEvent } from '@kakunin/core/transport';
import { runTransportConformance } from '@kakunin/tools-conformance';
import { describe, expect, it } from 'vitest';
import { AID, JPKI_EF } from '../card/card-identifiers.js';
import { VirtualMyNumberCard } from '../card/virtual-my-number-card.js';
import type { VirtualCardEndpoint } from '../card-endpoint.js';
import { apdu, profile, readBinary, selectAid, selectEf, verify } from '../test-support/fixtures.js';
import { SimulatorProvider } from './simulator-provider.js';
import type { SimulatorTransport } from './simulator-transport.js';

/** A card wrapper whose next answer can be held back (for the conformance suite). */
class StallableCard implements VirtualCardEndpoint {
  stallNext = false;
  constructor(readonly inner: VirtualCardEndpoint) {}
  get atr() {
    return this.inner.atr;
  }
  powerOn() {
    return this.inner.powerOn();
  }
  powerOff() {
    this.inner.powerOff();
  }
  warmReset() {
    return this.inner.warmReset();
  }
  process(command: Uint8Array) {
    if (this.stallNext) {
      this.stallNext = false;
      return new Promise<Uint8Array>(() => undefined);
    }
    return this.inner.process(command);
  }
}

const newCard = (name: Parameters<typeof profile>[0] = 'plastic') =>
  new VirtualMyNumberCard(profile(name).image);
const sw = (response: Uint8Array) => (response[response.length - 2]! << 8) | response[response.length - 1]!;

describe('SimulatorProvider conformance', () => {
  const card = new StallableCard(newCard());
  const provider = new SimulatorProvider({ card });
  runTransportConformance('simulator (in-process)', {
    createTransport: () => provider.connect(provider.readerId),
    removeCard: async () => provider.remove(),
    restoreCard: async () => provider.insert(card),
    stallNextCommand: async () => {
      card.stallNext = true;
    },
  });
});

describe('SimulatorProvider', () => {
  it('lists readers and card presence; kind sim; isSupported', async () => {
    const provider = new SimulatorProvider({ readers: 2, card: newCard() });
    expect(provider.kind).toBe('sim');
    expect(await provider.isSupported()).toBe(true);
    const readers = await provider.listReaders();
    expect(readers.map((reader) => [reader.id, reader.cardPresent])).toEqual([
      ['kakunin Simulator 00', true],
      ['kakunin Simulator 01', false],
    ]);
    expect([...readers[0]!.atr!]).toEqual([0x3b, 0xe0, 0x00, 0xff, 0x81, 0x31, 0xfe, 0x45, 0x14]);
    await provider.close();
    await expect(provider.listReaders()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('watch replays the state, then reports insert and remove; ends on abort', async () => {
    const provider = new SimulatorProvider({ card: newCard() });
    const controller = new AbortController();
    const events: ReaderEvent['type'][] = [];
    const watching = (async () => {
      for await (const event of provider.watch({ signal: controller.signal })) {
        events.push(event.type);
        if (events.length === 4) controller.abort();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 5));
    provider.remove();
    provider.insert(newCard('android'));
    await watching;
    expect(events).toEqual(['reader-add', 'card-insert', 'card-remove', 'card-insert']);
  });

  it('connect: unknown reader, absent card, waitForCard with insert and with timeout', async () => {
    const provider = new SimulatorProvider();
    await expect(provider.connect('nope')).rejects.toMatchObject({ code: 'READER_NOT_FOUND' });
    await expect(provider.connect(provider.readerId)).rejects.toMatchObject({ code: 'CARD_ABSENT' });
    await expect(
      provider.connect(provider.readerId, { waitForCard: true, timeoutMs: 20 }),
    ).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    const waiting = provider.connect(provider.readerId, { waitForCard: true, timeoutMs: 2000 });
    setTimeout(() => provider.insert(newCard()), 10);
    const transport = await waiting;
    expect(sw(await transport.transmit(selectAid(AID.JPKI)))).toBe(0x9000);
    await provider.close();
    expect((transport as SimulatorTransport).isClosed).toBe(true);
  });

  it('share modes: exclusive keeps others out (SHARING_VIOLATION) until it closes', async () => {
    const provider = new SimulatorProvider({ card: newCard() });
    const exclusive = await provider.connect(provider.readerId, { share: 'exclusive' });
    await expect(provider.connect(provider.readerId)).rejects.toMatchObject({ code: 'SHARING_VIOLATION' });
    await exclusive.close();
    const shared = await provider.connect(provider.readerId);
    await provider.connect(provider.readerId);
    await expect(provider.connect(provider.readerId, { share: 'exclusive' })).rejects.toMatchObject({
      code: 'SHARING_VIOLATION',
    });
    await shared.close();
    await provider.close();
  });

  it('reset: cold forgets verified PINs, warm keeps them (jpki-card.md §8)', async () => {
    const card = newCard();
    const provider = new SimulatorProvider({ card });
    const transport = await provider.connect(provider.readerId);
    await transport.transmit(selectAid(AID.JPKI));
    expect(sw(await transport.transmit(verify('1234', 0x98)))).toBe(0x9000);
    expect([...(await transport.reset!('warm'))]).toEqual([...card.atr]);
    expect(card.pinStatus('jpki', JPKI_EF.AUTH_PIN)?.verified).toBe(true);
    await transport.reset!('cold');
    expect(card.pinStatus('jpki', JPKI_EF.AUTH_PIN)?.verified).toBe(false);
    await expect(transport.reset!('hot' as 'cold')).rejects.toThrow(TypeError);
    await provider.close();
  });

  it('close disposition unpower drops the security state; the default leave keeps it', async () => {
    const card = newCard();
    const leaving = new SimulatorProvider({ card });
    const first = await leaving.connect(leaving.readerId);
    await first.transmit(selectAid(AID.JPKI));
    await first.transmit(verify('1234', 0x98));
    await first.close();
    expect(card.pinStatus('jpki', JPKI_EF.AUTH_PIN)?.verified).toBe(true);
    const unpowering = new SimulatorProvider({ card: newCard(), closeDisposition: 'unpower' });
    const other = unpowering.cardIn() as VirtualMyNumberCard;
    const second = await unpowering.connect(unpowering.readerId);
    await second.transmit(selectAid(AID.JPKI));
    await second.transmit(verify('1234', 0x98));
    await second.close();
    expect(other.pinStatus('jpki', JPKI_EF.AUTH_PIN)?.verified).toBe(false);
    expect(other.powered).toBe(false);
  });

  it('removal: the next transmit fails with CARD_REMOVED, closed resolves card-removed, the card loses power', async () => {
    const card = newCard();
    const provider = new SimulatorProvider({ card });
    const transport = await provider.connect(provider.readerId);
    await transport.transmit(selectAid(AID.JPKI));
    await transport.transmit(verify('1234', 0x98));
    provider.remove();
    await expect(transport.transmit(selectAid(AID.JPKI))).rejects.toMatchObject({ code: 'CARD_REMOVED' });
    expect((await transport.closed).reason).toBe('card-removed');
    expect(card.powered).toBe(false);
    provider.insert(card);
    const again = await provider.connect(provider.readerId);
    await again.transmit(selectAid(AID.JPKI));
    expect(sw(await again.transmit(apdu(0x80, 0x2a, 0x00, 0x97, Uint8Array.of(1), 256)))).toBe(0x6982);
  });

  it('a link without extended length: capabilities say so and extended APDUs fail NOT_SUPPORTED', async () => {
    const provider = new SimulatorProvider({
      card: newCard(),
      extendedLength: false,
      interface: 'contactless',
    });
    const transport = await provider.connect(provider.readerId);
    expect(transport.capabilities).toMatchObject({
      extendedLength: false,
      maxCommandLength: 261,
      maxResponseLength: 258,
      interface: 'contactless',
    });
    await transport.transmit(selectAid(AID.JPKI));
    await transport.transmit(selectEf(JPKI_EF.AUTH_CERTIFICATE));
    await expect(transport.transmit(readBinary(0, 65536, true))).rejects.toMatchObject({
      code: 'NOT_SUPPORTED',
    });
    expect(sw(await transport.transmit(readBinary(0, 256)))).toBe(0x9000);
    await expect(transport.transmit(new Uint8Array(300))).rejects.toMatchObject({ code: 'COMMAND_TOO_LONG' });
    await provider.close();
  });

  it('insert validates its argument; errors are CardErrors', async () => {
    const provider = new SimulatorProvider();
    expect(() => provider.insert({} as VirtualCardEndpoint)).toThrow(TypeError);
    try {
      await provider.connect(provider.readerId);
    } catch (error) {
      expect(CardError.isInstance(error, 'CARD_ABSENT')).toBe(true);
    }
  });
});
