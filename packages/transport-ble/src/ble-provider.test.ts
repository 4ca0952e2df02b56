/**
 * The BLE transport end to end: real noble code (abandonware `with-bindings`) over the simulated
 * adapter, talking to simulated ACR1255U-J1 readers that speak the real framing and crypto.
 */
import { type CardError, hexToBytes, type ReaderEvent } from '@kakunin/core/transport';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acr1255Driver,
  CUSTOM_KEY_LINK_SECURITY,
  DEFAULT_KEY_LINK_SECURITY,
} from './acr1255/acr1255-driver.js';
import { BLE_ESCAPE_CONTROL_CODE } from './ble-transport.js';
import type { BleWarning } from './driver.js';
import { ScriptedCard } from './testing/scripted-card.js';
import {
  createSimulatedBleEnvironment,
  type SimulatedBleEnvironmentOptions,
} from './testing/simulated-environment.js';

const SELECT_JPKI_AP = hexToBytes('00A4040C0AD392F000260100000001');
/** READ BINARY with Le = 00 → 256 bytes + SW: a 258-byte answer, 14 notifications. */
const READ_BINARY_256 = Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x00);
const FIRMWARE_VERSION = Uint8Array.of(0xe0, 0x00, 0x00, 0x18, 0x00);
const CUSTOM_KEY = new TextEncoder().encode('clinic-key-0001!');

const worlds: Array<{ close(): Promise<void> }> = [];
function world(options: SimulatedBleEnvironmentOptions = {}) {
  const created = createSimulatedBleEnvironment(options);
  worlds.push(created);
  return created;
}
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((created) => created.close()));
});

async function failure(promise: Promise<unknown>): Promise<CardError> {
  try {
    await promise;
  } catch (error) {
    return error as CardError;
  }
  throw new Error('expected a rejection');
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('connecting and exchanging APDUs', () => {
  it.each(['v2', 'legacy'] as const)('works with the %s GATT generation', async (generation) => {
    const { provider, readers } = world({
      readers: [{ serial: '000001', generation, card: new ScriptedCard() }],
    });
    const [info] = await provider.listReaders();
    expect(info).toMatchObject({ cardPresent: true });
    expect(info!.label).toContain('ACR1255U-J1-000001');
    expect(info!.label).toContain(generation);
    await using transport = await provider.connect(info!.id);
    expect(transport.kind).toBe('ble');
    expect([...transport.atr.subarray(0, 4)]).toEqual([0x3b, 0x88, 0x80, 0x01]);
    expect([...(await transport.transmit(SELECT_JPKI_AP))]).toEqual([0x90, 0x00]);
    expect(readers[0]!.authenticated).toBe(true);
  });

  it('cuts writes into 20-byte pieces and reassembles a 258-byte answer from notifications', async () => {
    const { provider, readers } = world({ readers: [{ card: new ScriptedCard() }] });
    await using transport = await provider.connect('ACR1255U-J1-000001');
    const response = await transport.transmit(READ_BINARY_256);
    expect(response.length).toBe(258);
    expect([...response.subarray(256)]).toEqual([0x90, 0x00]);
    // The longest short APDU (261 bytes) goes out in FIDOk-style 256-byte chunks, 20 bytes a write.
    const longest = new Uint8Array(261);
    longest.set([0x80, 0x2a, 0x00, 0x80, 0xff]);
    const signed = await transport.transmit(longest);
    expect(signed.length).toBe(258);
    const sizes = readers[0]!.writeSizes;
    expect(Math.max(...sizes)).toBe(20);
    expect(sizes.filter((size) => size === 20).length).toBeGreaterThanOrEqual(13 + 1);
    // READ BINARY: one 6Fh message; the 261-byte APDU: two (256 + 5 bytes).
    expect(readers[0]!.messageTypes.filter((type) => type === 0x6f)).toHaveLength(3);
  });

  it('reports honest capabilities and the link security of the default key, with a warning', async () => {
    const warnings: BleWarning[] = [];
    const { provider } = world({
      readers: [{ card: new ScriptedCard() }],
      provider: { onWarning: (w) => warnings.push(w) },
    });
    await using transport = await provider.connect('ACR1255U-J1-000001');
    expect(transport.capabilities).toEqual({
      extendedLength: false,
      maxCommandLength: 261,
      maxResponseLength: 258,
      interface: 'contactless',
      linkSecurity: DEFAULT_KEY_LINK_SECURITY,
    });
    expect(warnings.map((warning) => warning.code)).toContain('default-master-key');
  });

  it('authenticates with a custom master key on both sides, without the warning', async () => {
    const warnings: BleWarning[] = [];
    const { provider } = world({
      readers: [{ card: new ScriptedCard(), masterKey: CUSTOM_KEY }],
      provider: { masterKey: CUSTOM_KEY, onWarning: (w) => warnings.push(w) },
    });
    await using transport = await provider.connect('ACR1255U-J1-000001');
    expect(transport.capabilities.linkSecurity).toBe(CUSTOM_KEY_LINK_SECURITY);
    expect(await transport.transmit(SELECT_JPKI_AP)).toHaveLength(2);
    expect(warnings).toEqual([]);
  });

  it('never sends an APDU nobody asked for (listing, probing, connecting, closing)', async () => {
    const { provider, readers } = world({ readers: [{ card: new ScriptedCard() }] });
    await provider.listReaders();
    const transport = await provider.connect('ACR1255U-J1-000001');
    await transport.transmit(SELECT_JPKI_AP);
    await transport.close();
    expect(readers[0]!.apduInstructions).toEqual([0xa4]);
  });

  it('powers the card off when the transport closes (PIN state cleared)', async () => {
    const { provider, readers } = world({ readers: [{ card: new ScriptedCard() }] });
    const transport = await provider.connect('ACR1255U-J1-000001');
    expect(readers[0]!.cardPowered).toBe(true);
    await transport.close();
    expect(readers[0]!.cardPowered).toBe(false);
    // The reader link stays up for the next connection; the provider closes it.
    const again = await provider.connect('ACR1255U-J1-000001');
    expect(await again.transmit(SELECT_JPKI_AP)).toHaveLength(2);
    await provider.close();
    expect(readers[0]!.connected).toBe(false);
  });

  it('refuses a second connection to the same reader with SHARING_VIOLATION', async () => {
    const { provider } = world({ readers: [{ card: new ScriptedCard() }] });
    await using first = await provider.connect('ACR1255U-J1-000001');
    const error = await failure(provider.connect('ACR1255U-J1-000001'));
    expect(error).toMatchObject({ code: 'SHARING_VIOLATION', remedy: 'reader.in-use' });
    expect(await first.transmit(SELECT_JPKI_AP)).toHaveLength(2);
  });
});

describe('two readers in range', () => {
  it('lists both and talks to the one that was named, by name or by address', async () => {
    const cardOne = new ScriptedCard();
    const { provider, readers } = world({
      readers: [
        { serial: '000001', card: cardOne },
        { serial: '000002', generation: 'legacy' },
      ],
    });
    const list = await provider.listReaders();
    expect(list.map((reader) => [reader.label.split(' ')[0], reader.cardPresent]).sort()).toEqual([
      ['ACR1255U-J1-000001', true],
      ['ACR1255U-J1-000002', false],
    ]);
    const error = await failure(provider.connect('ACR1255U-J1-000002'));
    expect(error).toMatchObject({ code: 'CARD_ABSENT', remedy: 'card.absent' });
    const cardTwo = new ScriptedCard();
    readers[1]!.insertCard(cardTwo);
    await using second = await provider.connect(readers[1]!.address.toUpperCase());
    await second.transmit(SELECT_JPKI_AP);
    expect(cardTwo.processed).toBe(1);
    expect(cardOne.processed).toBe(0);
  });
});

describe('FAQ situations (Q1 A1-2, Q2 A2-1) as CardErrors with remedies', () => {
  it('Bluetooth off → BLUETOOTH_OFF / ble.bluetooth-off', async () => {
    const { provider } = world({
      adapter: { state: 'poweredOff' },
      provider: { diagnoseRadio: async () => 'unknown' },
    });
    expect(await failure(provider.listReaders())).toMatchObject({
      code: 'BLUETOOTH_OFF',
      remedy: 'ble.bluetooth-off',
    });
    expect(await provider.isSupported()).toBe(true);
  });

  it('airplane mode → BLUETOOTH_OFF / ble.airplane-mode', async () => {
    const { provider } = world({
      adapter: { state: 'poweredOff' },
      provider: { diagnoseRadio: async () => 'airplane-mode' },
    });
    expect(await failure(provider.connect('x'))).toMatchObject({
      code: 'BLUETOOTH_OFF',
      remedy: 'ble.airplane-mode',
    });
  });

  it('permission denied → BLUETOOTH_UNAUTHORIZED / ble.permission', async () => {
    const { provider } = world({ adapter: { state: 'unauthorized' } });
    expect(await failure(provider.listReaders())).toMatchObject({
      code: 'BLUETOOTH_UNAUTHORIZED',
      remedy: 'ble.permission',
    });
  });

  it('no adapter, or an adapter that never becomes ready → SERVICE_UNAVAILABLE, not a hang', async () => {
    const none = world({ adapter: { state: 'unsupported' } }).provider;
    expect(await failure(none.listReaders())).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(await none.isSupported()).toBe(false);
    const stuck = world({ adapter: { state: 'unknown' }, provider: { adapterTimeoutMs: 100 } }).provider;
    expect(await failure(stuck.listReaders())).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      remedy: 'ble.permission',
    });
  });

  it('reader not found → READER_NOT_FOUND / ble.reader-not-found', async () => {
    const { provider } = world({ readers: [] });
    expect(await provider.listReaders()).toEqual([]);
    expect(await failure(provider.connect('ACR1255U-J1-000009'))).toMatchObject({
      code: 'READER_NOT_FOUND',
      remedy: 'ble.reader-not-found',
    });
  });

  it('reader switched to USB mode → READER_NOT_FOUND / reader.mode-mismatch', async () => {
    const { provider, readers } = world({
      readers: [{ mode: 'usb' }],
      provider: { findWiredReaders: async () => ['ACS ACR1255U-J1 PICC Reader 00 00'] },
    });
    expect(readers[0]!.advertising).toBe(false);
    expect(await failure(provider.connect('ACR1255U-J1-000001'))).toMatchObject({
      code: 'READER_NOT_FOUND',
      remedy: 'reader.mode-mismatch',
    });
  });

  it('wrong master key → READER_AUTH_FAILED / reader.auth-key (either side holding another key)', async () => {
    const hostWrong = world({ readers: [{ card: new ScriptedCard() }], provider: { masterKey: CUSTOM_KEY } });
    expect(await failure(hostWrong.provider.connect('ACR1255U-J1-000001'))).toMatchObject({
      code: 'READER_AUTH_FAILED',
      remedy: 'reader.auth-key',
    });
    expect(hostWrong.readers[0]!.failedAuthentications).toBe(1);
    expect(hostWrong.readers[0]!.apduInstructions).toEqual([]);
    const readerWrong = world({ readers: [{ card: new ScriptedCard(), masterKey: CUSTOM_KEY }] });
    expect(await failure(readerWrong.provider.connect('ACR1255U-J1-000001'))).toMatchObject({
      code: 'READER_AUTH_FAILED',
      remedy: 'reader.auth-key',
    });
  });

  it('a reader that sleeps drops the transport with READER_ASLEEP, and reconnects once woken', async () => {
    const { provider, readers } = world({ readers: [{ card: new ScriptedCard(), sleepAfterMs: 300 }] });
    const transport = await provider.connect('ACR1255U-J1-000001');
    await transport.transmit(SELECT_JPKI_AP);
    const closed = await transport.closed;
    expect(closed.reason).toBe('link-lost');
    expect(closed.error).toMatchObject({ code: 'READER_ASLEEP', remedy: 'reader.asleep' });
    expect(await failure(transport.transmit(SELECT_JPKI_AP))).toMatchObject({ code: 'READER_ASLEEP' });
    expect(await failure(provider.connect('ACR1255U-J1-000001'))).toMatchObject({
      code: 'READER_ASLEEP',
      remedy: 'reader.asleep',
    });
    readers[0]!.wake();
    await using again = await provider.connect('ACR1255U-J1-000001');
    expect(await again.transmit(SELECT_JPKI_AP)).toHaveLength(2);
  });

  it('the sleep escape (E0 00 00 48 04 = never) keeps the reader awake', async () => {
    const { provider, readers } = world({ readers: [{ card: new ScriptedCard(), sleepAfterMs: 250 }] });
    await using transport = await provider.connect('ACR1255U-J1-000001');
    expect([...(await transport.escape(Uint8Array.of(0xe0, 0x00, 0x00, 0x48, 0x04)))]).toEqual([
      0xe1, 0x00, 0x00, 0x48, 0x04,
    ]);
    await delay(400);
    expect(readers[0]!.asleep).toBe(false);
    expect(await transport.transmit(SELECT_JPKI_AP)).toHaveLength(2);
  });
});

describe('link faults never hang', () => {
  it('a bad frame checksum fails that command with PROTOCOL; the next one works', async () => {
    const { provider, readers } = world({ readers: [{ card: new ScriptedCard() }] });
    await using transport = await provider.connect('ACR1255U-J1-000001');
    readers[0]!.injectFault('frame-checksum');
    expect(await failure(transport.transmit(SELECT_JPKI_AP))).toMatchObject({
      code: 'PROTOCOL',
      remedy: 'ble.link-lost',
    });
    readers[0]!.injectFault('message-checksum');
    expect(await failure(transport.transmit(SELECT_JPKI_AP))).toMatchObject({ code: 'PROTOCOL' });
    expect(await transport.transmit(SELECT_JPKI_AP)).toHaveLength(2);
  });

  it('a disconnect in the middle of a response frame → LINK_LOST; a new connection works', async () => {
    const { provider, readers } = world({ readers: [{ card: new ScriptedCard() }] });
    const transport = await provider.connect('ACR1255U-J1-000001');
    readers[0]!.injectFault('disconnect-mid-response');
    expect(await failure(transport.transmit(READ_BINARY_256))).toMatchObject({
      code: 'LINK_LOST',
      remedy: 'ble.link-lost',
    });
    expect((await transport.closed).reason).toBe('link-lost');
    await using again = await provider.connect('ACR1255U-J1-000001');
    expect((await again.transmit(READ_BINARY_256)).length).toBe(258);
  });

  it('the link dropping while a command waits for the card → LINK_LOST promptly', async () => {
    const { provider, readers } = world({ readers: [{ card: new ScriptedCard() }] });
    await using transport = await provider.connect('ACR1255U-J1-000001');
    readers[0]!.injectFault('stall');
    const pending = transport.transmit(SELECT_JPKI_AP);
    await delay(50);
    readers[0]!.dropLink();
    expect(await failure(pending)).toMatchObject({ code: 'LINK_LOST' });
  });

  it('slow notifications still reassemble; a transmit timeout releases the caller and the late answer is drained', async () => {
    const { provider, readers } = world({
      readers: [{ card: new ScriptedCard(), notificationDelayMs: 15 }],
      provider: { transmitTimeoutMs: 100 },
    });
    const transport = await provider.connect('ACR1255U-J1-000001');
    expect(await transport.transmit(SELECT_JPKI_AP)).toHaveLength(2);
    const started = Date.now();
    // 14 notifications × 15 ms ≈ 200 ms > 100 ms limit.
    expect(await failure(transport.transmit(READ_BINARY_256))).toMatchObject({ code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(1000);
    // The next command waits for the late 258-byte answer to drain, then gets its own answer.
    readers[0]!.notificationDelayMs = 0;
    expect([...(await transport.transmit(SELECT_JPKI_AP))]).toEqual([0x90, 0x00]);
    await transport.close();
  });

  it('a reader that stops answering ends the session with TIMEOUT instead of hanging', async () => {
    const { provider, readers } = world({
      readers: [{ card: new ScriptedCard() }],
      provider: { drivers: [acr1255Driver({ responseTimeoutMs: 300 })] },
    });
    const transport = await provider.connect('ACR1255U-J1-000001');
    readers[0]!.injectFault('drop-response');
    expect(await failure(transport.transmit(SELECT_JPKI_AP))).toMatchObject({
      code: 'TIMEOUT',
      remedy: 'reader.asleep',
    });
    expect((await transport.closed).reason).toBe('link-lost');
    await using again = await provider.connect('ACR1255U-J1-000001');
    expect(await again.transmit(SELECT_JPKI_AP)).toHaveLength(2);
  });

  it('aborting a command the reader never answers releases the caller at once', async () => {
    const { provider, readers } = world({
      readers: [{ card: new ScriptedCard() }],
      provider: { drivers: [acr1255Driver({ responseTimeoutMs: 300 })] },
    });
    const transport = await provider.connect('ACR1255U-J1-000001');
    readers[0]!.injectFault('drop-response');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    expect(await failure(transport.transmit(SELECT_JPKI_AP, { signal: controller.signal }))).toMatchObject({
      code: 'ABORTED',
    });
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('card presence', () => {
  it('waitForCard resolves when a card is put on the reader', async () => {
    const { provider, readers } = world({ readers: [{}] });
    setTimeout(() => readers[0]!.insertCard(new ScriptedCard()), 100);
    await using transport = await provider.connect('ACR1255U-J1-000001', {
      waitForCard: true,
      timeoutMs: 3000,
    });
    expect(await transport.transmit(SELECT_JPKI_AP)).toHaveLength(2);
  });

  it('waitForCard honours timeoutMs', async () => {
    const { provider } = world({ readers: [{}] });
    expect(
      await failure(provider.connect('ACR1255U-J1-000001', { waitForCard: true, timeoutMs: 200 })),
    ).toMatchObject({
      code: 'TIMEOUT',
    });
  });

  it('watch() replays, then reports card insert/remove and a sleeping/waking reader', async () => {
    const { provider, readers } = world({ readers: [{ card: new ScriptedCard() }] });
    const controller = new AbortController();
    const events: ReaderEvent[] = [];
    const done = (async () => {
      for await (const event of provider.watch({ signal: controller.signal })) events.push(event);
    })();
    const waitFor = async (predicate: () => boolean): Promise<void> => {
      for (let i = 0; i < 100 && !predicate(); i += 1) await delay(20);
      expect(predicate()).toBe(true);
    };
    await waitFor(() => events.some((event) => event.type === 'card-insert'));
    readers[0]!.removeCard();
    await waitFor(() => events.some((event) => event.type === 'card-remove'));
    readers[0]!.insertCard(new ScriptedCard());
    await waitFor(() => events.filter((event) => event.type === 'card-insert').length === 2);
    readers[0]!.sleep();
    await waitFor(() => events.some((event) => event.type === 'reader-remove'));
    readers[0]!.wake();
    await waitFor(() => events.filter((event) => event.type === 'reader-add').length === 2);
    controller.abort();
    await done;
    expect(events[0]).toMatchObject({ type: 'reader-add' });
    const insert = events.find((event) => event.type === 'card-insert');
    expect(insert).toMatchObject({ readerId: readers[0]!.id });
    expect(readers[0]!.apduInstructions).toEqual([]);
  });
});

describe('escape commands and resets', () => {
  it('escape() and control(SCARD_CTL_CODE(3500)) reach the reader; other codes are NOT_SUPPORTED', async () => {
    const { provider } = world({ readers: [{ card: new ScriptedCard() }] });
    await using transport = await provider.connect('ACR1255U-J1-000001');
    const answer = await transport.escape(FIRMWARE_VERSION);
    expect(new TextDecoder().decode(answer.subarray(5))).toContain('ACR1255U-J1');
    expect([...(await transport.control(BLE_ESCAPE_CONTROL_CODE, FIRMWARE_VERSION))]).toEqual([...answer]);
    expect(await failure(transport.control(0x313520, FIRMWARE_VERSION))).toMatchObject({
      code: 'NOT_SUPPORTED',
    });
    expect(await failure(transport.escape(Uint8Array.of(0xe0, 0x00, 0x00, 0x45, 0x00)))).toMatchObject({
      code: 'NOT_SUPPORTED',
    });
    await expect(transport.escape('x' as unknown as Uint8Array)).rejects.toThrow(TypeError);
  });

  it('cold reset re-powers the card; warm reset is NOT_SUPPORTED', async () => {
    const { provider } = world({ readers: [{ card: new ScriptedCard() }] });
    await using transport = await provider.connect('ACR1255U-J1-000001');
    const atr = await transport.reset('cold');
    expect(atr.length).toBeGreaterThan(2);
    expect(await failure(transport.reset('warm'))).toMatchObject({ code: 'NOT_SUPPORTED' });
  });
});
