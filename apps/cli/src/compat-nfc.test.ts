/**
 * `@kakunin/core/compat`'s nfc-pcsc-shaped NFC over real kakunin providers: the in-process
 * simulator and the simulated BLE world (real noble code over injected bindings). Code written the
 * nfc-pcsc way — `nfc.on('reader')`, `reader.aid`, `reader.on('card' | 'card.off' | 'end')`,
 * `reader.transmit(data, max)` — runs unchanged against both.
 */
import { type CompatCard, type CompatReader, NFC, TAG_ISO_14443_4 } from '@kakunin/core/compat';
import type { TransportProvider } from '@kakunin/core/transport';
import { SimulatorProvider } from '@kakunin/simulator';
import { createSimulatedBleEnvironment } from '@kakunin/transport-ble/testing';
import { describe, expect, it } from 'vitest';
import { testCard } from './test-support.js';

/** The JPKI applet's AID (jpki-card.md §2). */
const JPKI_AID = 'D392F000260100000001';
/** SELECT EF 00 0A in the JPKI applet (the auth certificate, jpki-card.md), no response data. */
const SELECT_AUTH_CERT_EF = Uint8Array.of(0x00, 0xa4, 0x02, 0x0c, 0x02, 0x00, 0x0a);

interface Seen {
  readonly reader: CompatReader;
  readonly card: CompatCard;
  readonly selectSw: string;
}

/** The nfc-pcsc way: wait for the first card, select the applet by AID, send one APDU. */
function firstCard(nfc: NFC): Promise<Seen> {
  return new Promise((resolve, reject) => {
    nfc.on('error', reject);
    nfc.on('reader', (reader: CompatReader) => {
      reader.aid = JPKI_AID;
      reader.on('error', reject);
      reader.on('card', async (card: CompatCard) => {
        try {
          const response = await reader.transmit(SELECT_AUTH_CERT_EF, 2);
          resolve({ reader, card, selectSw: Buffer.from(response).toString('hex') });
        } catch (error) {
          reject(error);
        }
      });
    });
  });
}

const providers: Array<[string, () => TransportProvider & { remove?: () => void }]> = [
  ['simulator', () => new SimulatorProvider({ card: testCard('plastic') })],
  [
    'simulated BLE reader',
    () =>
      createSimulatedBleEnvironment({
        readers: [{ serial: 'NFC001', card: testCard('plastic') }],
      }),
  ],
];

describe.each(providers)('NFC (nfc-pcsc shape) over the %s', (_name, create) => {
  it('emits reader then card with the SELECT data; transmit answers; close ends every reader', async () => {
    const provider = create();
    const nfc = new NFC(provider);
    const seen = await firstCard(nfc);
    expect(seen.card.standard).toBe(TAG_ISO_14443_4);
    expect(seen.card.type).toBe(TAG_ISO_14443_4);
    expect(seen.card.atr.length).toBeGreaterThan(2);
    expect(seen.card.data).toBeInstanceOf(Uint8Array); // SELECT's response data (empty for JPKI)
    expect(seen.selectSw).toBe('9000');
    expect(nfc.readers[seen.reader.name]).toBe(seen.reader);
    expect(seen.reader.card).toBe(seen.card);
    let ended = 0;
    seen.reader.on('end', () => {
      ended += 1;
    });
    await nfc.close();
    expect(ended).toBe(1);
    await expect(provider.listReaders()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('a response longer than responseMaxLength is a typed error, as pcsclite refuses a short buffer', async () => {
    await using nfc = new NFC(create());
    const { reader } = await firstCard(nfc);
    await expect(reader.transmit(SELECT_AUTH_CERT_EF, 1)).rejects.toThrow(RangeError);
    // READ BINARY 4 bytes of the auth certificate EF: 6 bytes back, 5 is too few.
    const readBinary = Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x04);
    await reader.transmit(SELECT_AUTH_CERT_EF, 2);
    await expect(reader.transmit(readBinary, 5)).rejects.toMatchObject({ code: 'RESPONSE_TOO_LARGE' });
  });
});

describe('NFC over the simulator: card.off and a wrong AID', () => {
  it('removing the card emits card.off with the card that left and drops the connection', async () => {
    const provider = new SimulatorProvider({ card: testCard('plastic') });
    await using nfc = new NFC(provider);
    const { reader, card } = await firstCard(nfc);
    const off = new Promise<CompatCard>((resolve) => reader.on('card.off', resolve));
    provider.remove();
    expect(await off).toBe(card);
    expect(reader.card).toBeNull();
    await expect(reader.transmit(SELECT_AUTH_CERT_EF, 2)).rejects.toMatchObject({ code: 'CARD_ABSENT' });
  });

  it('an AID the card does not have is an error event with the status word, not a card', async () => {
    const provider = new SimulatorProvider({ card: testCard('plastic') });
    await using nfc = new NFC(provider);
    const error = await new Promise<{ code: string; details: { sw?: string } }>((resolve) => {
      nfc.on('reader', (reader: CompatReader) => {
        reader.aid = 'F222222222';
        reader.on('card', () => resolve({ code: 'unexpected card', details: {} }));
        reader.on('error', resolve);
      });
    });
    expect(error.code).toBe('FILE_NOT_FOUND');
    expect(error.details.sw).toBe('6A82');
  });
});
