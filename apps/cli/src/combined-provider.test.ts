/**
 * CombinedTransportProvider (@kakunin/core/transport) over real providers together: the in-process
 * simulator, the simulated BLE world (real noble code over injected bindings, one reader with a card
 * and one adapter switched off) and the phone bridge over a real loopback WebSocket with the
 * reference relay. One provider failing must not stop the others.
 */
import {
  CombinedTransportProvider,
  type ProviderWarning,
  type ReaderEvent,
  type TransportProvider,
} from '@kakunin/core/transport';
import { SimulatorProvider } from '@kakunin/simulator';
import { createSimulatedBleEnvironment } from '@kakunin/transport-ble/testing';
import { NfcBridgeProvider } from '@kakunin/transport-nfc-bridge';
import { BridgeRelay } from '@kakunin/transport-nfc-bridge/relay';
import { afterEach, describe, expect, it } from 'vitest';
import { testCard } from './test-support.js';

/** SELECT the JPKI applet by AID (jpki-card.md §2: D3 92 F0 00 26 01 00 00 00 01). */
const SELECT_JPKI = Uint8Array.from([
  0x00, 0xa4, 0x04, 0x0c, 0x0a, 0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01,
]);

interface World {
  readonly combined: CombinedTransportProvider;
  readonly sim: SimulatorProvider;
  readonly phoneCard: SimulatorProvider;
  readonly bridge: NfcBridgeProvider;
  readonly relay: BridgeRelay;
  readonly warnings: ProviderWarning[];
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function world(): Promise<World> {
  const sim = new SimulatorProvider({ card: testCard('plastic') });
  const ble = createSimulatedBleEnvironment({
    readers: [{ serial: 'ANY001', card: testCard('plastic') }],
  });
  // Bluetooth switched off on the second adapter: reported, the others carry on.
  const bleOff = createSimulatedBleEnvironment({
    readers: [{ serial: 'OFF001' }],
    adapter: { state: 'poweredOff' },
  });
  const bridge = await NfcBridgeProvider.listen({ host: '127.0.0.1' });
  const phoneCard = new SimulatorProvider({ card: testCard('android') });
  const offer = bridge.createPairing();
  const relay = await BridgeRelay.connect(offer.url, { provider: phoneCard });
  await offer.paired;
  const warnings: ProviderWarning[] = [];
  const providers: TransportProvider[] = [sim, ble, bleOff, bridge];
  const combined = new CombinedTransportProvider({ providers, onWarning: (w) => warnings.push(w) });
  cleanups.push(async () => {
    await relay.close();
    await combined.close();
    await phoneCard.close();
  });
  return { combined, sim, phoneCard, bridge, relay, warnings };
}

/** Collects watch events until `done` says so (bounded by the test timeout). */
async function collect(
  iterable: AsyncIterable<ReaderEvent>,
  done: (events: ReaderEvent[]) => boolean,
): Promise<ReaderEvent[]> {
  const events: ReaderEvent[] = [];
  for await (const event of iterable) {
    events.push(event);
    if (done(events)) break;
  }
  return events;
}

const has = (events: ReaderEvent[], type: ReaderEvent['type'], prefix: string): boolean =>
  events.some(
    (e) =>
      e.type === type &&
      (e.type === 'reader-add'
        ? e.reader.id.startsWith(prefix)
        : e.type === 'error'
          ? e.error.details.provider === prefix.slice(0, -1)
          : e.readerId.startsWith(prefix)),
  );

describe('CombinedTransportProvider over the simulator, BLE and the bridge', () => {
  it('lists every reader with a provider-prefixed id and its kind; a switched-off adapter is a typed warning', async () => {
    const { combined, warnings } = await world();
    expect(combined.providerKeys).toEqual(['sim', 'ble', 'ble-2', 'bridge']);
    const readers = await combined.listReaders();
    const byKind = Object.fromEntries(readers.map((r) => [r.provider, r]));
    expect(Object.keys(byKind).sort()).toEqual(['ble', 'bridge', 'sim']);
    expect(byKind.sim?.id).toBe('sim:kakunin Simulator 00');
    expect(byKind.sim?.cardPresent).toBe(true);
    expect(byKind.ble?.id.startsWith('ble:')).toBe(true);
    expect(byKind.ble?.kind).toBe('ble');
    expect(byKind.bridge?.kind).toBe('bridge');
    for (const reader of readers) expect(reader.id).toBe(`${reader.provider}:${reader.childId}`);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.provider).toBe('ble-2');
    expect(warnings[0]?.operation).toBe('listReaders');
    expect(warnings[0]?.error.code).toBe('BLUETOOTH_OFF');
    expect(warnings[0]?.error.details.provider).toBe('ble-2');
  });

  it('routes connect to the owning provider: the same SELECT answers 90 00 over all three links', async () => {
    const { combined } = await world();
    const readers = await combined.listReaders();
    for (const reader of readers) {
      await using transport = await combined.connect(reader.id, { waitForCard: true, timeoutMs: 10_000 });
      expect(transport.kind).toBe(reader.kind === 'sim' ? 'sim' : reader.kind);
      const response = await transport.transmit(SELECT_JPKI);
      expect([...response.slice(-2)]).toEqual([0x90, 0x00]);
    }
    // An unprefixed id is looked up: unique → routed; unknown → READER_NOT_FOUND.
    await using bySimName = await combined.connect('kakunin Simulator 00');
    expect(bySimName.kind).toBe('sim');
    await expect(combined.connect('nope:reader')).rejects.toMatchObject({ code: 'READER_NOT_FOUND' });
    await expect(combined.connect('No Such Reader')).rejects.toMatchObject({ code: 'READER_NOT_FOUND' });
  });

  it('one watch() shows the readers and cards of every transport, the failing adapter as an error event, then live changes', async () => {
    const { combined, sim, phoneCard } = await world();
    const controller = new AbortController();
    const stream = combined.watch({ signal: controller.signal })[Symbol.asyncIterator]();
    const events: ReaderEvent[] = [];
    const until = async (done: () => boolean): Promise<void> => {
      while (!done()) {
        const next = await stream.next();
        if (next.done === true)
          throw new Error(`watch ended early after ${JSON.stringify(events.map((e) => e.type))}`);
        events.push(next.value);
      }
    };
    await until(
      () =>
        has(events, 'card-insert', 'sim:') &&
        has(events, 'card-insert', 'ble:') &&
        has(events, 'card-insert', 'bridge:') &&
        has(events, 'error', 'ble-2:'),
    );
    expect(has(events, 'reader-add', 'sim:')).toBe(true);
    expect(has(events, 'reader-add', 'ble:')).toBe(true);
    expect(has(events, 'reader-add', 'bridge:')).toBe(true);
    const failure = events.find((e) => e.type === 'error');
    expect(failure?.type === 'error' && failure.error.code).toBe('BLUETOOTH_OFF');
    // Live: the simulator's card leaves, the phone's card leaves; both arrive prefixed.
    sim.remove();
    phoneCard.remove();
    await until(() => has(events, 'card-remove', 'sim:') && has(events, 'card-remove', 'bridge:'));
    controller.abort();
    expect((await stream.next()).done).toBe(true);
  });

  it('close() ends open watches and closes every child provider; afterwards calls fail with CLOSED', async () => {
    const { combined, sim, bridge } = await world();
    const watching = collect(combined.watch(), () => false);
    await combined.listReaders();
    await combined.close();
    await watching; // ended, not hung
    await expect(sim.listReaders()).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(bridge.listReaders()).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(combined.listReaders()).rejects.toMatchObject({ code: 'CLOSED' });
    expect(() => combined.watch()).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    await combined.close(); // idempotent
  });

  it('every provider failing is SERVICE_UNAVAILABLE naming them; survey() returns the warnings instead', async () => {
    const off = (serial: string) =>
      createSimulatedBleEnvironment({ readers: [{ serial }], adapter: { state: 'poweredOff' } });
    await using combined = new CombinedTransportProvider({ providers: [off('A'), off('B')] });
    await expect(combined.listReaders()).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      details: { providers: 'ble,ble-2' },
    });
    const survey = await combined.survey();
    expect(survey.readers).toEqual([]);
    expect(survey.warnings.map((w) => w.error.code)).toEqual(['BLUETOOTH_OFF', 'BLUETOOTH_OFF']);
    expect(await combined.isSupported()).toBe(true); // an adapter exists, switched off
  });

  it('a provider slower than listTimeoutMs is a TIMEOUT warning; the others are listed at once', async () => {
    const warnings: ProviderWarning[] = [];
    // A BLE scan of 5 s against a 200 ms budget per provider.
    const slow = createSimulatedBleEnvironment({
      readers: [{ serial: 'SLOW01' }],
      provider: { scanTimeoutMs: 5000 },
    });
    const sim = new SimulatorProvider({ card: testCard('plastic') });
    await using combined = new CombinedTransportProvider({
      providers: [sim, slow],
      listTimeoutMs: 200,
      onWarning: (warning) => warnings.push(warning),
    });
    const readers = await combined.listReaders();
    expect(readers.map((reader) => reader.provider)).toEqual(['sim']);
    expect(warnings.map((w) => [w.provider, w.operation, w.error.code])).toEqual([
      ['ble', 'listReaders', 'TIMEOUT'],
    ]);
  });

  it('an aborted signal releases listReaders and connect with ABORTED', async () => {
    const { combined } = await world();
    const aborted = AbortSignal.abort();
    await expect(combined.listReaders({ signal: aborted })).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(combined.connect('sim:kakunin Simulator 00', { signal: aborted })).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });
});
