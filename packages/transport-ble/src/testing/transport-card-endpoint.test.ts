/**
 * TransportCardEndpoint: a card reached through another provider (here the simulator's in-process
 * provider; PC/SC + vpcd in apps/cli/src/card-links-pcscd.test.ts) held by the simulated
 * ACR1255U-J1, driven by real noble code and the reader's framing. Tests may import the simulator.
 */
import { MyNumberCard } from '@kakunin/core/jpki';
import {
  createVirtualCard,
  defaultKeyCacheDirectory,
  SimulatorProvider,
  TestKeyStore,
} from '@kakunin/simulator';
import { injectCardFaults } from '@kakunin/simulator/faults';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSimulatedBleEnvironment } from './simulated-environment.js';
import { TransportCardEndpoint } from './transport-card-endpoint.js';

const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

function front(far: SimulatorProvider, timeoutMs?: number) {
  const endpoint = new TransportCardEndpoint({
    provider: far,
    readerId: far.readerId,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  const world = createSimulatedBleEnvironment({ readers: [{ serial: 'FRONT1', card: endpoint }] });
  cleanups.push(
    () => far.close(),
    () => endpoint.close(),
    () => world.close(),
  );
  return { endpoint, world };
}

describe('TransportCardEndpoint behind the simulated ACR1255U-J1', () => {
  it('runs the PIN-mode check; every APDU reaches the far card once; close unpowers it', async () => {
    const card = createVirtualCard('plastic', { keyStore });
    const far = new SimulatorProvider({ card });
    const { endpoint, world } = front(far);
    const transport = await world.connect('ACR1255U-J1-FRONT1', { share: 'exclusive' });
    expect([...transport.atr]).toEqual([...card.atr]);
    expect([...endpoint.atr]).toEqual([...card.atr]);
    const myna = MyNumberCard.open(transport);
    const result = await myna.check({ pin: '1234', challenge: new Uint8Array(32).fill(3) });
    expect(result.signature.length).toBe(256);
    expect(world.readers[0]!.apduInstructions.length).toBe(result.apduCount);
    await myna.close();
    // The BLE close powered the card off: the far connection ended, so the verified PIN is gone.
    const again = MyNumberCard.open(await world.connect('ACR1255U-J1-FRONT1'));
    await expect(again.sign('auth', new Uint8Array(32))).rejects.toMatchObject({
      code: 'SECURITY_STATUS_NOT_SATISFIED',
    });
    await again.close();
  });

  it('a card pulled from the far reader mid-read is CARD_REMOVED on the BLE side, and the reader is empty', async () => {
    const card = injectCardFaults(createVirtualCard('plastic', { keyStore }), [
      { type: 'remove', afterCommands: 3 },
    ]);
    const far = new SimulatorProvider({ card });
    const { world } = front(far);
    const myna = MyNumberCard.open(await world.connect('ACR1255U-J1-FRONT1'));
    await expect(myna.readCertificate('auth')).rejects.toMatchObject({ code: 'CARD_REMOVED' });
    await myna.close();
    expect(world.readers[0]!.card).toBeUndefined();
    expect((await world.listReaders())[0]!.cardPresent).toBe(false);
  });

  it('a far card that does not answer within timeoutMs is the reader timeout (CARD_UNRESPONSIVE), not a hang', async () => {
    const card = injectCardFaults(createVirtualCard('plastic', { keyStore }), [
      { type: 'delay', ms: 5000, match: { ins: 0xa4 } },
    ]);
    const far = new SimulatorProvider({ card });
    const { world } = front(far, 200);
    const transport = await world.connect('ACR1255U-J1-FRONT1');
    const select = Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x02, 0x3f, 0x00);
    await expect(transport.transmit(select)).rejects.toMatchObject({ code: 'CARD_UNRESPONSIVE' });
    await transport.close();
  });

  it('a cold reset through the reader powers the far card down and up: the verified PIN is gone', async () => {
    const card = createVirtualCard('plastic', { keyStore });
    const { world } = front(new SimulatorProvider({ card }));
    const transport = await world.connect('ACR1255U-J1-FRONT1');
    const myna = MyNumberCard.open(transport);
    await myna.check({ pin: '1234', challenge: new Uint8Array(32) });
    expect([...(await transport.reset!('cold'))]).toEqual([...card.atr]);
    // A session that knows nothing of the reset selects the AP again; the key still needs the PIN.
    const fresh = MyNumberCard.open(transport);
    await expect(fresh.sign('auth', new Uint8Array(32))).rejects.toMatchObject({
      code: 'SECURITY_STATUS_NOT_SATISFIED',
    });
    await fresh.close();
    await myna.close();
  });

  it('close() aborts a command the far card sits on: the host gets an answer at once', async () => {
    const card = injectCardFaults(createVirtualCard('plastic', { keyStore }), [
      { type: 'delay', ms: 60_000, match: { ins: 0xa4 } },
    ]);
    const { endpoint, world } = front(new SimulatorProvider({ card }));
    const transport = await world.connect('ACR1255U-J1-FRONT1');
    const pending = transport.transmit(Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x02, 0x3f, 0x00));
    const outcome = pending.catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await endpoint.close();
    // Settles long before the 60 s the card would take (and the BLE host's own transmit timeout).
    expect(await outcome).toMatchObject({ code: 'CARD_UNRESPONSIVE' });
    await transport.close();
  });

  it('follows the far card: absent at first, present once it is put on the far reader', async () => {
    const far = new SimulatorProvider();
    const { world } = front(far);
    world.readers[0]!.removeCard();
    expect((await world.listReaders())[0]!.cardPresent).toBe(false);
    far.insert(createVirtualCard('plastic', { keyStore }));
    await vi.waitFor(async () => expect((await world.listReaders())[0]!.cardPresent).toBe(true), {
      timeout: 5000,
    });
    const myna = MyNumberCard.open(await world.connect('ACR1255U-J1-FRONT1'));
    expect((await myna.pinStatus('auth')).triesLeft).toBe(3);
    await myna.close();
  });

  it('refuses a bad provider or reader id with a typed error', () => {
    expect(() => new TransportCardEndpoint({ provider: {} as never, readerId: 'x' })).toThrow(TypeError);
    expect(() => new TransportCardEndpoint({ provider: new SimulatorProvider(), readerId: '' })).toThrow(
      TypeError,
    );
    expect(
      () => new TransportCardEndpoint({ provider: new SimulatorProvider(), readerId: 'x', timeoutMs: 0 }),
    ).toThrow(RangeError);
  });
});
