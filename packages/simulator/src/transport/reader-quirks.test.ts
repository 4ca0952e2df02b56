import { type ReaderEvent, TransportErrorCode } from '@kakunin/core/transport';
import { describe, expect, it } from 'vitest';
import { AID } from '../card/card-identifiers.js';
import { VirtualMyNumberCard } from '../card/virtual-my-number-card.js';
import { profile, readBinary, selectAid } from '../test-support/fixtures.js';
import { SimulatorProvider } from './simulator-provider.js';

describe('reader behaviours (ReaderQuirks), each off by default', () => {
  it('refusesExtended: SCardTransmit 0x80100016 on extended APDUs; the card never sees them', async () => {
    const card = new VirtualMyNumberCard(profile().image);
    const provider = new SimulatorProvider({ card, reader: { refusesExtended: true } });
    const transport = await provider.connect(provider.readerId);
    expect(transport.capabilities.extendedLength).toBe(true);
    await transport.transmit(selectAid(AID.JPKI));
    const before = card.commandCount;
    await expect(transport.transmit(readBinary(0, 1000, true))).rejects.toMatchObject({
      code: TransportErrorCode.IO,
      message: expect.stringContaining('0x80100016'),
    });
    expect(card.commandCount).toBe(before);
    // Short APDUs still pass, and the connection stays open.
    expect(Array.from(await transport.transmit(selectAid(AID.JPKI)))).toEqual([0x90, 0x00]);
    expect(card.commandCount).toBe(before + 1);
    await provider.close();
  });

  it('removalReportDelayMs: transmits fail at once, the removal event comes later', async () => {
    const provider = new SimulatorProvider({
      card: new VirtualMyNumberCard(profile().image),
      reader: { removalReportDelayMs: 100 },
    });
    const transport = await provider.connect(provider.readerId);
    const controller = new AbortController();
    const order: string[] = [];
    const watching = (async () => {
      for await (const event of provider.watch({ signal: controller.signal }) as AsyncIterable<ReaderEvent>) {
        if (event.type === 'card-remove') {
          order.push('event');
          controller.abort();
        }
      }
    })().catch(() => undefined);
    provider.remove();
    await transport.transmit(selectAid(AID.JPKI)).catch((error: { code: string }) => order.push(error.code));
    await watching;
    expect(order).toEqual([TransportErrorCode.CARD_REMOVED, 'event']);
    await provider.close();
  });
});
