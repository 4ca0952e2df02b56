import { describe, expect, it } from 'vitest';
import { AID, JPKI_EF } from '../card/card-identifiers.js';
import { VirtualMyNumberCard } from '../card/virtual-my-number-card.js';
import { profile, readBinary, selectAid, selectEf, verify } from '../test-support/fixtures.js';
import { SimulatorProvider } from '../transport/simulator-provider.js';
import { FaultInjector } from './fault-injector.js';
import type { FaultRule } from './fault-rule.js';
import { injectCardFaults } from './faulty-card-endpoint.js';
import { injectTransportFaults } from './faulty-transport.js';

const newCard = () => new VirtualMyNumberCard(profile().image);
const sw = (response: Uint8Array) => (response[response.length - 2]! << 8) | response[response.length - 1]!;

/** Opens a transport with the plan applied either at the card or around the transport. */
async function open(level: 'endpoint' | 'transport', rules: FaultRule[]) {
  const card = newCard();
  if (level === 'endpoint') {
    const faulty = injectCardFaults(card, rules);
    const provider = new SimulatorProvider({ card: faulty });
    return {
      card,
      provider,
      transport: await provider.connect(provider.readerId),
      events: () => faulty.events,
    };
  }
  const provider = new SimulatorProvider({ card });
  const faulty = injectTransportFaults(await provider.connect(provider.readerId), rules);
  return { card, provider, transport: faulty, events: () => faulty.events };
}

describe.each(['endpoint', 'transport'] as const)('fault injection at the %s level', (level) => {
  it('remove after APDU n: n answers, then CARD_REMOVED and closed = card-removed', async () => {
    const { transport, provider, events } = await open(level, [{ type: 'remove', afterCommands: 2 }]);
    expect(sw(await transport.transmit(selectAid(AID.JPKI)))).toBe(0x9000);
    expect(sw(await transport.transmit(selectEf(JPKI_EF.TOKEN_INFO)))).toBe(0x9000);
    await expect(transport.transmit(readBinary(0, 32))).rejects.toMatchObject({ code: 'CARD_REMOVED' });
    expect((await transport.closed).reason).toBe('card-removed');
    expect(events()).toEqual([{ index: 2, type: 'remove', ins: 0xb0 }]);
    if (level === 'endpoint') expect((await provider.listReaders())[0]!.cardPresent).toBe(false);
  });

  it('remove mid-command: the answer is lost; with processed: true the card did act on it', async () => {
    const lost = await open(level, [{ type: 'remove', match: { ins: 0x20 } }]);
    await lost.transport.transmit(selectAid(AID.JPKI));
    await expect(lost.transport.transmit(verify('0000', 0x98))).rejects.toMatchObject({
      code: 'CARD_REMOVED',
    });
    expect(lost.card.pinStatus('jpki', JPKI_EF.AUTH_PIN)?.triesLeft).toBe(3);
    const processed = await open(level, [{ type: 'remove', match: { ins: 0x20 }, processed: true }]);
    await processed.transport.transmit(selectAid(AID.JPKI));
    await expect(processed.transport.transmit(verify('0000', 0x98))).rejects.toMatchObject({
      code: 'CARD_REMOVED',
    });
    expect(processed.card.pinStatus('jpki', JPKI_EF.AUTH_PIN)?.triesLeft).toBe(2);
  });

  it('drop the connection: LINK_LOST and closed = link-lost', async () => {
    const { transport } = await open(level, [{ type: 'drop', match: { index: 1 } }]);
    await transport.transmit(selectAid(AID.JPKI));
    await expect(transport.transmit(selectAid(AID.JPKI))).rejects.toMatchObject({ code: 'LINK_LOST' });
    expect((await transport.closed).reason).toBe('link-lost');
  });

  it('answer SW x to command y without asking the card', async () => {
    const { transport, card } = await open(level, [
      { type: 'status', match: { ins: 0x20 }, sw: 0x6984, times: 1 },
    ]);
    await transport.transmit(selectAid(AID.JPKI));
    expect(sw(await transport.transmit(verify('1234', 0x98)))).toBe(0x6984);
    expect(card.pinStatus('jpki', JPKI_EF.AUTH_PIN)?.verified).toBe(false);
    expect(sw(await transport.transmit(verify('1234', 0x98)))).toBe(0x9000);
  });

  it('delay: answers arrive late; an AbortSignal still ends the wait (transport level)', async () => {
    const { transport } = await open(level, [{ type: 'delay', ms: 40, match: { ins: 0xa4 } }]);
    const started = performance.now();
    expect(sw(await transport.transmit(selectAid(AID.JPKI)))).toBe(0x9000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    if (level === 'transport') {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 5);
      await expect(
        transport.transmit(selectAid(AID.JPKI), { signal: controller.signal }),
      ).rejects.toMatchObject({
        code: 'ABORTED',
      });
    }
  });

  it('corrupt: flip, truncate and garbage change the bytes the caller sees', async () => {
    const { transport } = await open(level, [
      { type: 'corrupt', mode: 'flip', match: { index: 1 }, byteIndex: 0 },
      { type: 'corrupt', mode: 'truncate', match: { index: 2 }, bytes: 3 },
      { type: 'corrupt', mode: 'garbage', match: { index: 3 } },
    ]);
    await transport.transmit(selectAid(AID.JPKI));
    const flipped = await transport.transmit(selectAid(AID.JPKI));
    expect([...flipped]).toEqual([0x6f, 0x00]); // 90 00 with its first byte XOR FF
    const truncated = await transport.transmit(selectAid(AID.JPKI)).catch((error) => error);
    // 90 00 minus 3 bytes is shorter than a status word: BaseTransport reports PROTOCOL.
    expect(truncated).toMatchObject({ code: 'PROTOCOL' });
    const garbage = await transport.transmit(selectAid(AID.JPKI));
    expect(garbage.length).toBe(2);
  });
});

describe('FaultInjector', () => {
  it('flips the chosen byte of a token-info read (negative index counts from the end)', async () => {
    const card = newCard();
    card.powerOn();
    const injector = new FaultInjector([{ type: 'corrupt', mode: 'flip', byteIndex: -1 }]);
    const response = await injector.run(selectAid(AID.JPKI), (bytes) => card.process(bytes));
    expect([...response]).toEqual([0x90, 0xff]);
  });

  it('validates plans', () => {
    expect(() => new FaultInjector([{ type: 'remove' }])).toThrow(TypeError);
    expect(() => new FaultInjector([{ type: 'remove', afterCommands: -1 }])).toThrow(RangeError);
    expect(() => new FaultInjector([{ type: 'delay', ms: -5 }])).toThrow(RangeError);
    expect(() => new FaultInjector([{ type: 'status', match: {}, sw: 0x10000 }])).toThrow(RangeError);
    expect(() => new FaultInjector([{ type: 'explode' } as unknown as FaultRule])).toThrow(TypeError);
  });

  it('restore() puts a removed card back (endpoint level)', async () => {
    const faulty = injectCardFaults(newCard(), [{ type: 'remove', afterCommands: 0 }]);
    const provider = new SimulatorProvider({ card: faulty });
    const transport = await provider.connect(provider.readerId);
    await expect(transport.transmit(selectAid(AID.JPKI))).rejects.toMatchObject({ code: 'CARD_REMOVED' });
    faulty.restore();
    provider.insert(faulty);
    const again = await provider.connect(provider.readerId);
    expect(sw(await again.transmit(selectAid(AID.JPKI)))).toBe(0x9000);
  });
});
