/**
 * CombinedTransportProvider with PC/SC through the real pcscd + vpcd (machine-wide pcscd lock),
 * next to the simulated BLE world: one list and one watch() over a wired and a Bluetooth reader,
 * connect routed to pcsc, and pcscd stopping mid-watch reported for pcsc only.
 */
import { encodeCommand } from '@kakunin/core/iso7816';
import { AID } from '@kakunin/core/jpki';
import { CombinedTransportProvider, type ProviderWarning, type ReaderEvent } from '@kakunin/core/transport';
import { createVirtualCard, defaultKeyCacheDirectory, TestKeyStore } from '@kakunin/simulator';
import { usePcscd, VirtualCardHost } from '@kakunin/tools-pcscd';
import { createSimulatedBleEnvironment } from '@kakunin/transport-ble/testing';
import { createPcscProvider } from '@kakunin/transport-pcsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const pcscd = usePcscd();
const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
/** SELECT the JPKI applet by AID (jpki-card.md §2). */
/** SELECT by DF name of the JPKI AP, no FCI (ISO 7816-4 §11.2.2: 00 A4 04 0C). */
const SELECT_JPKI = encodeCommand({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: AID.JPKI });
let host: VirtualCardHost;

beforeAll(async () => {
  host = await VirtualCardHost.start({ profile: 'plastic', slot: 0 });
  await host.insert();
}, 120_000);

afterAll(async () => {
  await host?.close();
});

describe('CombinedTransportProvider over PC/SC (pcscd + vpcd) and BLE', () => {
  it('lists and watches the vpcd readers and the Bluetooth reader together; connect goes to pcsc', async () => {
    const warnings: ProviderWarning[] = [];
    await using combined = new CombinedTransportProvider({
      providers: [
        createPcscProvider(),
        createSimulatedBleEnvironment({
          readers: [{ serial: 'MIX001', card: createVirtualCard('plastic', { keyStore }) }],
        }),
      ],
      onWarning: (warning) => warnings.push(warning),
    });
    const readers = await combined.listReaders();
    const wired = readers.find((reader) => reader.id === `pcsc:${host.readerName}`);
    expect(wired?.kind).toBe('pcsc');
    expect(wired?.cardPresent).toBe(true);
    expect(readers.some((reader) => reader.kind === 'ble' && reader.cardPresent)).toBe(true);
    expect(warnings).toEqual([]);

    {
      await using transport = await combined.connect(`pcsc:${host.readerName}`);
      expect(transport.kind).toBe('pcsc');
      expect([...(await transport.transmit(SELECT_JPKI)).slice(-2)]).toEqual([0x90, 0x00]);
    }

    const controller = new AbortController();
    const events: ReaderEvent[] = [];
    const stream = combined.watch({ signal: controller.signal })[Symbol.asyncIterator]();
    const until = async (done: () => boolean): Promise<void> => {
      while (!done()) {
        const next = await stream.next();
        if (next.done === true) throw new Error('watch ended early');
        events.push(next.value);
      }
    };
    const inserted = (prefix: string) =>
      events.some((e) => e.type === 'card-insert' && e.readerId.startsWith(prefix));
    await until(() => inserted('pcsc:') && inserted('ble:'));
    await host.remove();
    await until(() =>
      events.some((e) => e.type === 'card-remove' && e.readerId === `pcsc:${host.readerName}`),
    );
    // pcscd goes away: pcsc reports, the BLE reader is still listed.
    await pcscd().stopService();
    try {
      const survey = await combined.survey();
      expect(survey.readers.map((reader) => reader.kind)).toEqual(['ble']);
      expect(survey.warnings.map((w) => [w.provider, w.error.code])).toEqual([
        ['pcsc', 'SERVICE_UNAVAILABLE'],
      ]);
    } finally {
      await pcscd().startService();
    }
    controller.abort();
    expect((await stream.next()).done).toBe(true);
  });
});
