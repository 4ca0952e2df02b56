/**
 * Discovery through the real pcscd + vpcd: listReaders, watch() replay and live events, a
 * stopped and restarted service, and no readers at all.
 */
import { bytesToHex, CardError } from '@kakunin/core/transport';
import { ATR_CONTACT } from '@kakunin/simulator';
import { SELECT_JPKI_AP } from '@kakunin/tools-conformance';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { usePcscd } from '../../../tools/pcscd/src/index.js';
import { createPcscProvider, type PcscProvider } from './index.js';
import { describeEvent, EventReader } from './test-support/event-reader.js';
import { type VirtualReader, virtualReader } from './test-support/virtual-reader.js';

const pcscd = usePcscd();
const SLOT0 = 'Virtual PCD 00 00';
const SLOT1 = 'Virtual PCD 00 01';

let reader: VirtualReader;
let provider: PcscProvider;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  reader = await virtualReader();
  expect(reader.readerName).toBe(SLOT0);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await provider?.close();
  await reader.remove();
});

afterAll(async () => {
  await reader?.close();
});

describe('listReaders', () => {
  it('lists both vpcd slots with card presence and the ATR', async () => {
    provider = createPcscProvider();
    expect(await provider.isSupported()).toBe(true);
    const empty = await provider.listReaders();
    expect(empty.map((info) => info.id)).toEqual([SLOT0, SLOT1]);
    expect(empty.every((info) => !info.cardPresent && info.atr === undefined)).toBe(true);

    await reader.insert();
    const listed = await provider.listReaders();
    const slot0 = listed.find((info) => info.id === SLOT0);
    expect(slot0).toMatchObject({ id: SLOT0, label: SLOT0, cardPresent: true });
    expect(bytesToHex(slot0!.atr!)).toBe(bytesToHex(ATR_CONTACT));
    expect(listed.find((info) => info.id === SLOT1)?.cardPresent).toBe(false);
  });

  it('rejects an aborted call and a closed provider', async () => {
    provider = createPcscProvider();
    const controller = new AbortController();
    controller.abort();
    await expect(provider.listReaders({ signal: controller.signal })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    await provider.close();
    await expect(provider.listReaders()).rejects.toMatchObject({ code: 'CLOSED' });
    expect(() => provider.watch()).toThrow(CardError);
  });
});

describe('watch', () => {
  it('replays the current state first, then reports insertions and removals with the ATR', async () => {
    await reader.insert();
    provider = createPcscProvider();
    const events = new EventReader((signal) => provider.watch({ signal }));
    cleanups.push(() => events.stop());
    const replayed = await events.next((event) => event.type === 'reader-add' && event.reader.id === SLOT1);
    await events.next((event) => event.type === 'card-insert' && event.readerId === SLOT0);
    const replay = events.events.slice(0, 3).map(describeEvent);
    expect(replay).toEqual([`reader-add:${SLOT0}:card`, `card-insert:${SLOT0}`, `reader-add:${SLOT1}:empty`]);
    expect(replayed.index).toBe(2);

    const before = events.events.length;
    await reader.remove();
    await events.next((event) => event.type === 'card-remove' && event.readerId === SLOT0, {
      from: before,
      what: 'card-remove',
    });
    const mark = events.events.length;
    await reader.insert();
    const { event } = await events.next((candidate) => candidate.type === 'card-insert', { from: mark });
    expect(event.type === 'card-insert' && bytesToHex(event.atr)).toBe(bytesToHex(ATR_CONTACT));
    // Nothing spurious: exactly one remove and one insert after the replay.
    expect(events.events.slice(before).map(describeEvent)).toEqual([
      `card-remove:${SLOT0}`,
      `card-insert:${SLOT0}`,
    ]);
  });

  it('waits without spinning: an idle watch uses almost no CPU', async () => {
    provider = createPcscProvider();
    const events = new EventReader((signal) => provider.watch({ signal }));
    cleanups.push(() => events.stop());
    await events.next((event) => event.type === 'reader-add' && event.reader.id === SLOT1);
    const before = process.cpuUsage();
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const used = process.cpuUsage(before);
    const cpuMs = (used.user + used.system) / 1000;
    // A monitor that re-polled in a loop would burn a large share of these 2 s.
    expect(cpuMs).toBeLessThan((Date.now() - started) * 0.1);
  });

  it('ends when the signal aborts and when the provider closes', async () => {
    provider = createPcscProvider();
    const controller = new AbortController();
    const first = new EventReader(() => provider.watch({ signal: controller.signal }));
    await first.next((event) => event.type === 'reader-add');
    controller.abort();
    await expect(first.done).resolves.toBeUndefined();
    const second = new EventReader(() => provider.watch());
    await second.next((event) => event.type === 'reader-add');
    await provider.close();
    await expect(second.done).resolves.toBeUndefined();
  });

  it('survives pcscd stopping and coming back: SERVICE_UNAVAILABLE, then the readers again', async () => {
    // A card that re-inserts itself when pcscd comes back (as `kakunin sim` does).
    const sim = await virtualReader({ slot: 1, reconnectIntervalMs: 200 });
    cleanups.push(() => sim.close());
    await sim.insert();

    provider = createPcscProvider({ serviceRetryMs: 200 });
    const transport = await provider.connect(SLOT1);
    const events = new EventReader((signal) => provider.watch({ signal }));
    cleanups.push(() => events.stop());
    await events.next((event) => event.type === 'card-insert' && event.readerId === SLOT1);

    const before = events.events.length;
    await pcscd().stopService();
    const { event } = await events.next((candidate) => candidate.type === 'error', { from: before });
    expect(event.type === 'error' && event.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(event.type === 'error' && event.error.remedy).toBe('pcsc.service');
    await events.next((candidate) => candidate.type === 'reader-remove' && candidate.readerId === SLOT1, {
      from: before,
    });
    // An open connection ends with the service, and says why.
    const closed = await transport.closed;
    expect(closed.reason).toBe('error');
    expect(closed.error?.code).toBe('SERVICE_UNAVAILABLE');
    await expect(transport.transmit(Uint8Array.of(0x00, 0xa4, 0x00, 0x00))).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
    await expect(provider.listReaders()).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      remedy: 'pcsc.service',
    });
    await expect(provider.connect(SLOT1)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });

    const down = events.events.length;
    await pcscd().startService();
    await events.next((candidate) => candidate.type === 'reader-add' && candidate.reader.id === SLOT0, {
      from: down,
    });
    await events.next((candidate) => candidate.type === 'card-insert' && candidate.readerId === SLOT1, {
      from: down,
      timeoutMs: 15_000,
      what: 'card-insert after the restart',
    });
    const again = await provider.connect(SLOT1);
    const response = await again.transmit(SELECT_JPKI_AP);
    expect(bytesToHex(response)).toBe('9000');
    await again.close();
  });
});
