/**
 * Lying lengths: small inputs that *declare* huge sizes (4-octet BER lengths, extended APDU
 * lengths, 0xFFFF frame lengths, a revoked-certificates list claiming gigabytes) must be rejected
 * with a typed error *before* anything of that size is allocated. Each parse is measured with V8's
 * external-memory (ArrayBuffer) and used-heap counters.
 */
import { getHeapStatistics } from 'node:v8';
import {
  DerCursor,
  derBitString,
  derInteger,
  derNull,
  derOid,
  derSequence,
  derTlv,
  derUtcTime,
  validateDer,
} from '@kakunin/core/der';
import { decodeCommand, parseTlvHeader, TlvCursor } from '@kakunin/core/iso7816';
import { MyNumberCard } from '@kakunin/core/jpki';
import { CardError } from '@kakunin/core/transport';
import { parseCertificate, parseCrl } from '@kakunin/core/x509';
import { decodeMessage as decodeBridgeMessage, decodeFrame } from '@kakunin/transport-nfc-bridge/protocol';
import { describe, expect, it } from 'vitest';
import { FrameReassembler } from '../../../../packages/transport-ble/src/acr1255/frame.js';
import { decodeMessage as decodeAcrMessage } from '../../../../packages/transport-ble/src/acr1255/message.js';
import { encodeFlowInput } from './targets/card-session-target.js';
import { cardSessionTarget } from './targets/index.js';

/** What one small parse may allocate (buffers of the declared size would be megabytes). */
const LIMIT = 256 * 1024;

function allocatedBy(parse: () => unknown): { allocated: number; error: unknown } {
  const before = getHeapStatistics();
  let error: unknown;
  try {
    parse();
  } catch (caught) {
    error = caught;
  }
  const after = getHeapStatistics();
  return {
    allocated:
      Math.max(0, after.external_memory - before.external_memory) +
      Math.max(0, after.used_heap_size - before.used_heap_size - 8 * 1024 * 1024),
    error,
  };
}

const FOUR_GIB = [0x84, 0xff, 0xff, 0xff, 0xff];
const SIXTEEN_MIB = [0x84, 0x01, 0x00, 0x00, 0x00];

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A CRL whose version, algorithm, issuer and thisUpdate are fine and whose revoked list claims 16 MiB. */
function lyingCrl(): Uint8Array {
  const algorithm = derSequence(derOid(SHA256_WITH_RSA), derNull());
  const tbs = derTlv(
    0x30,
    concat(
      derInteger(1),
      algorithm,
      derSequence(),
      derUtcTime(new Date('2026-01-01T00:00:00Z')),
      Uint8Array.of(0x30, ...SIXTEEN_MIB, 0x30, 0x00),
    ),
  );
  return derTlv(0x30, concat(tbs, algorithm, derBitString(new Uint8Array(8))));
}

const cases: Array<[string, () => unknown, string]> = [
  [
    'DER SEQUENCE of 4 GiB',
    () => validateDer(Uint8Array.of(0x30, ...FOUR_GIB, 0x02, 0x01, 0x00)),
    'DER_TRUNCATED',
  ],
  [
    'DER cursor, 16 MiB INTEGER',
    () => new DerCursor(Uint8Array.of(0x02, ...SIXTEEN_MIB, 1)).next(),
    'DER_TRUNCATED',
  ],
  [
    'certificate declaring 4 GiB',
    () => parseCertificate(Uint8Array.of(0x30, ...FOUR_GIB, 0x30, 0x00)),
    'DER_TRUNCATED',
  ],
  ['CRL whose revoked list claims 16 MiB', () => parseCrl(lyingCrl()), 'DER_TRUNCATED'],
  [
    'BER-TLV object of 4 GiB',
    () => new TlvCursor(Uint8Array.of(0xff, 0x20, ...FOUR_GIB, 0x00)).next(),
    'TLV_TRUNCATED',
  ],
  [
    'extended APDU with Lc 65535 and 3 bytes',
    () => decodeCommand(Uint8Array.of(0, 0xd6, 0, 0, 0, 0xff, 0xff, 1, 2, 3)),
    'APDU_MALFORMED',
  ],
  [
    'BLE inner message declaring 65535 bytes',
    () => decodeAcrMessage(Uint8Array.of(0x80, 0xff, 0xff, 0, 1, 0, 0)),
    'PROTOCOL',
  ],
  ['bridge frame over the size cap', () => decodeFrame(new Uint8Array(80_000)), 'PROTOCOL'],
  [
    'bridge control message over 4 KiB',
    () => decodeBridgeMessage(Uint8Array.of(0x22, ...new Uint8Array(5000).fill(0x20))),
    'PROTOCOL',
  ],
];

describe('huge declared lengths are rejected before allocation', () => {
  it.each(cases)('%s', (_name, parse, code) => {
    const { allocated, error } = allocatedBy(parse);
    expect(CardError.isInstance(error), String(error)).toBe(true);
    expect((error as CardError).code.startsWith(code)).toBe(true);
    expect(allocated).toBeLessThan(LIMIT);
  });

  it('a BER header declaring 16 MiB only sizes the read (nothing allocated; the file reader then refuses it)', () => {
    const { allocated, error } = allocatedBy(() => {
      expect(parseTlvHeader(Uint8Array.of(0x30, ...SIXTEEN_MIB)).totalLength).toBe(16_777_222);
    });
    expect(error).toBeUndefined();
    expect(allocated).toBeLessThan(LIMIT);
  });

  it('the BLE reassembler holds at most one frame however much garbage arrives', () => {
    const reassembler = new FrameReassembler();
    // A start byte declaring 65 535 bytes, then 4 MiB of bytes that never complete a frame.
    reassembler.push(Uint8Array.of(0x05, 0xff, 0xff));
    const chunk = new Uint8Array(20).fill(0x41);
    let peak = 0;
    for (let index = 0; index < 200_000; index++) {
      reassembler.push(chunk);
      peak = Math.max(peak, reassembler.pending);
    }
    expect(peak).toBeLessThanOrEqual(0xffff + 5 + 20);
  });

  it('a card whose certificate header claims 16 MiB is refused without reading or allocating it', async () => {
    // SELECT ok, then the first READ BINARY chunk declares a 16 MiB certificate.
    const header = Uint8Array.of(0x30, ...SIXTEEN_MIB, 0x90, 0x00);
    const input = encodeFlowInput('read-auth-certificate', false, [Uint8Array.of(0x90, 0x00), header]);
    const before = getHeapStatistics().external_memory;
    const signature = await cardSessionTarget.execute(input);
    expect(signature).toContain('FILE_MALFORMED');
    expect(getHeapStatistics().external_memory - before).toBeLessThan(LIMIT);
    // The same through the public API with a real session, for the error's remedy.
    const card = MyNumberCard.open({
      kind: 'fake',
      atr: Uint8Array.of(0x3b, 0x00),
      capabilities: {
        extendedLength: false,
        maxCommandLength: 261,
        maxResponseLength: 258,
        interface: 'contact',
      },
      closed: new Promise(() => undefined),
      transmit: (() => {
        const answers = [Uint8Array.of(0x90, 0x00), header];
        return async () => answers.shift() ?? Uint8Array.of(0x6f, 0x00);
      })(),
      close: async () => undefined,
      [Symbol.asyncDispose]: async () => undefined,
    });
    await expect(card.readCertificate('auth')).rejects.toMatchObject({
      code: 'FILE_MALFORMED',
      remedy: 'card.damaged',
    });
  });
});
