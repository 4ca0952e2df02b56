import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../iso7816/trace.js';
import { ScriptedTransport } from '../test-support/scripted-transport.js';
import { CardError } from '../transport/card-error.js';
import { bytesToHex } from '../transport/hex.js';
import { buildDigestInfo } from './digest-info.js';
import { MyNumberCard } from './mynumber-card.js';

// A reader that mishandles a short Le = 00 (simulator README "Reader that mishandles Le = 00"):
// the card's data is dropped, its 90 00 passes. The SDK must notice, never re-send a PIN, never
// take the empty answer for an empty file or a signature, and ask ≤ 255 bytes from then on.
const SELECT_JPKI = '00A4040C0AD392F000260100000001';
const CERTIFICATE = `308201FC${'AB'.repeat(0x1fc)}`; // 512-byte certificate-shaped object
const SIGNATURE = 'CD'.repeat(256);
const challenge = new Uint8Array(32).fill(7);
const digestInfo = bytesToHex(buildDigestInfo(sha256(challenge))).toUpperCase();
const signShort = (le: string) => `802A009733${digestInfo}${le}`;
const extended = { extendedLength: true, maxCommandLength: 65_544, maxResponseLength: 65_538 };

function traced(transport: ScriptedTransport) {
  const events: TraceEvent[] = [];
  const card = MyNumberCard.open(transport, { trace: (event) => events.push(event) });
  return { card, events };
}

describe('a reader that mishandles Le = 00', () => {
  it('extended link: the signature is asked again with Le in the extended form; VERIFY went out once', async () => {
    const transport = new ScriptedTransport(
      [
        { expect: SELECT_JPKI, respond: '9000' },
        { expect: '00200098', respond: '63C3' },
        { expect: '002000980431323334', respond: '9000' },
        { expect: signShort('00'), respond: '9000' }, // the reader dropped the 256 bytes
        { expect: `802A00970000 33${digestInfo}0100`.replace(' ', ''), respond: `${SIGNATURE}9000` },
        { expect: '00B08A00000000', respond: `${CERTIFICATE}9000` },
      ],
      extended,
    );
    const { card, events } = traced(transport);
    const result = await card.check({ pin: '1234', challenge });
    expect(result.apduCount).toBe(6);
    expect(result.signature.length).toBe(256);
    expect(bytesToHex(result.certificate).toUpperCase()).toBe(CERTIFICATE);
    expect(card.linkFacts.leZeroMishandled).toBe(true);
    const verifies = events.filter((event) => event.type === 'apdu' && event.header.startsWith('0020'));
    expect(verifies.filter((event) => event.type === 'apdu' && event.dataLength > 0)).toHaveLength(1);
    expect(transport.remaining).toBe(0);
  });

  it('short link: an empty 90 00 to READ BINARY Le = 00 is not an empty file; every later Le ≤ 255', async () => {
    const transport = new ScriptedTransport([
      { expect: SELECT_JPKI, respond: '9000' },
      { expect: '00B08A0000', respond: '9000' }, // reader dropped the data
      { expect: '00B08A00FF', respond: `${CERTIFICATE.slice(0, 510)}9000` },
      { expect: '00B000FFFF', respond: `${CERTIFICATE.slice(510, 1020)}9000` },
      { expect: '00B001FE02', respond: `${CERTIFICATE.slice(1020)}9000` },
      // A second file on the same connection never asks Le = 00 again.
      { expect: '00B08B00FF', respond: `${CERTIFICATE.slice(0, 510)}9000` },
      { expect: '00B000FFFF', respond: `${CERTIFICATE.slice(510, 1020)}9000` },
      { expect: '00B001FE02', respond: `${CERTIFICATE.slice(1020)}9000` },
    ]);
    const card = MyNumberCard.open(transport);
    expect(bytesToHex(await card.readCertificate('auth')).toUpperCase()).toBe(CERTIFICATE);
    expect(card.linkFacts).toMatchObject({ leZeroMishandled: true, sfi: true });
    expect(card.linkFacts.responseCap).toBeUndefined();
    expect(bytesToHex(await card.readCertificate('authCA')).toUpperCase()).toBe(CERTIFICATE);
    expect(transport.remaining).toBe(0);
  });

  it('short link: a card that hands out the rest by 61 xx completes the signature through Le = FF + GET RESPONSE', async () => {
    const transport = new ScriptedTransport([
      { expect: SELECT_JPKI, respond: '9000' },
      { expect: '00200098', respond: '63C3' },
      { expect: '002000980431323334', respond: '9000' },
      { expect: signShort('00'), respond: '9000' },
      { expect: signShort('FF'), respond: `${SIGNATURE.slice(0, 510)}6101` },
      { expect: '00C0000001', respond: `${SIGNATURE.slice(510)}9000` },
      { expect: '00B08A00FF', respond: `${CERTIFICATE.slice(0, 510)}9000` },
      { expect: '00B000FFFF', respond: `${CERTIFICATE.slice(510, 1020)}9000` },
      { expect: '00B001FE02', respond: `${CERTIFICATE.slice(1020)}9000` },
    ]);
    const card = MyNumberCard.open(transport);
    const result = await card.check({ pin: '1234', challenge });
    expect(bytesToHex(result.signature).toUpperCase()).toBe(SIGNATURE);
    expect(result.apduCount).toBe(9);
    expect(transport.remaining).toBe(0);
  });

  it('short link: a card that refuses Le = FF (67 00) gives NOT_SUPPORTED with the reader remedy, never a short signature', async () => {
    const transport = new ScriptedTransport([
      { expect: SELECT_JPKI, respond: '9000' },
      { expect: '00200098', respond: '63C3' },
      { expect: '002000980431323334', respond: '9000' },
      { expect: signShort('00'), respond: '9000' },
      { expect: signShort('FF'), respond: '6700' },
    ]);
    const card = MyNumberCard.open(transport);
    const error = await card.check({ pin: '1234', challenge }).catch((caught: unknown) => caught);
    expect(CardError.isInstance(error, 'NOT_SUPPORTED')).toBe(true);
    expect((error as CardError).details).toMatchObject({ reason: 'short-le-00', sw: '6700', received: 0 });
    expect(transport.remaining).toBe(0);
  });

  it('short link: 255 bytes with 90 00 to Le = FF is NOT_SUPPORTED (reader remedy), not a 255-byte signature', async () => {
    const transport = new ScriptedTransport([
      { expect: SELECT_JPKI, respond: '9000' },
      { expect: '00200098', respond: '63C3' },
      { expect: '002000980431323334', respond: '9000' },
      { expect: signShort('00'), respond: '9000' },
      { expect: signShort('FF'), respond: `${SIGNATURE.slice(0, 510)}9000` },
    ]);
    const card = MyNumberCard.open(transport);
    const error = await card.check({ pin: '1234', challenge }).catch((caught: unknown) => caught);
    expect(CardError.isInstance(error, 'NOT_SUPPORTED')).toBe(true);
    expect((error as CardError).remedy).toBe('reader.unsupported');
    expect((error as CardError).details).toMatchObject({
      reason: 'short-le-00',
      expected: 256,
      received: 255,
    });
  });
});
