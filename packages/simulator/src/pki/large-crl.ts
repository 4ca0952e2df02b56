/**
 * Large synthetic CRLs for benchmarks and memory budgets (certificates.md §6.4: 100k–1M entries):
 * every entry has the same shape (8-byte serial, UTCTime, reasonCode), so the total size is known
 * before the first byte is produced and the CRL can be streamed chunk by chunk. The TBS is hashed
 * while it streams; the signature comes last. ~41 bytes per entry.
 *
 * @example
 * ```ts
 * const crl = largeCrl({ issuer: pki.authCa, entries: 1_000_000, thisUpdate, nextUpdate });
 * for (const chunk of crl.chunks()) stream.write(chunk); // crl.byteLength bytes in all
 * ```
 */

import { createHash } from 'node:crypto';
import { derInteger } from '@kakunin/core/der';
import { concatBytes } from '@kakunin/core/transport';
import { sha256DigestInfo, signPkcs1 } from '../card/rsa-signature.js';
import { berLength } from '../encoding/ber-tlv-writer.js';
import { encodeTime, sha256WithRsaAlgorithm } from './certificate-builder.js';
import { type CrlReason, crlExtensions, encodeCrlEntry } from './crl-builder.js';
import { SeededRandom } from './seeded-random.js';
import type { CertificateAuthority } from './test-pki.js';

/** SEQUENCE and BIT STRING tags (X.690 §8.9, §8.6). */
const TAG_SEQUENCE = 0x30;
const TAG_BIT_STRING = 0x03;
/** Serial numbers are 8 bytes: a fixed first byte 0x5A (positive, minimal) + 2 seed bytes + 5 index bytes. */
const SERIAL_LENGTH = 8;
const SERIAL_FIRST_BYTE = 0x5a;
/** Largest index that fits the 5 index bytes. */
const MAX_ENTRIES = 2 ** 40;
const REASONS: readonly CrlReason[] = [
  'keyCompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
];

/**
 * What goes into a large CRL.
 *
 * @example
 * ```ts
 * largeCrl({ issuer: pki.authCa, entries: 1_000_000, thisUpdate, nextUpdate, chunkEntries: 50_000 });
 * ```
 */
export interface LargeCrlOptions {
  readonly issuer: CertificateAuthority;
  readonly entries: number;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  /** Revocation date of every entry (default: thisUpdate). */
  readonly revokedAt?: Date;
  /** Entries per chunk (default 10 000). */
  readonly chunkEntries?: number;
  readonly crlNumber?: bigint | number;
}

/**
 * A streamed large CRL.
 *
 * @example
 * ```ts
 * const crl: LargeCrl = largeCrl({ issuer, entries: 100_000, thisUpdate, nextUpdate });
 * ```
 */
export interface LargeCrl {
  /** Exact size of the DER CRL. */
  readonly byteLength: number;
  readonly entryCount: number;
  /** Serial number of entry `index` (so tests can look up a known revoked serial). */
  serialNumber(index: number): Uint8Array;
  /** The DER bytes in order; may be iterated more than once. */
  chunks(): Iterable<Uint8Array>;
  /** All bytes in one array (convenience for ≤ 100k entries). */
  toBytes(): Uint8Array;
}

function header(tag: number, length: number): Uint8Array {
  return Uint8Array.of(tag, ...berLength(length));
}

/**
 * A streaming large CRL.
 *
 * @example
 * ```ts
 * largeCrl({ issuer, entries: 100_000, thisUpdate, nextUpdate }).byteLength; // ≈ 4.1 MB
 * ```
 */
export function largeCrl(options: LargeCrlOptions): LargeCrl {
  const { issuer, entries } = options;
  if (!Number.isInteger(entries) || entries < 1 || entries > MAX_ENTRIES) {
    throw new RangeError(`options.entries must be 1..2^40, got ${entries}`);
  }
  const chunkEntries = options.chunkEntries ?? 10_000;
  if (!Number.isInteger(chunkEntries) || chunkEntries < 1)
    throw new RangeError('options.chunkEntries must be ≥ 1');
  const revokedAt = options.revokedAt ?? options.thisUpdate;
  const seedBytes = new SeededRandom(issuer.seed, 'large-crl').bytes(2);
  const serialNumber = (index: number): Uint8Array => {
    const serial = new Uint8Array(SERIAL_LENGTH);
    serial[0] = SERIAL_FIRST_BYTE;
    serial.set(seedBytes, 1);
    let rest = index;
    for (let position = SERIAL_LENGTH - 1; position >= 3; position--) {
      serial[position] = rest % 256;
      rest = Math.floor(rest / 256);
    }
    return serial;
  };
  // Every entry has the same size; a template is patched per entry.
  const templates = REASONS.map((reason) =>
    encodeCrlEntry({ serialNumber: serialNumber(0), revokedAt, reason }),
  );
  const entryLength = templates[0]!.length;
  /** Offset of the serial's content inside an entry: 30 LL 02 08. */
  const serialOffset = 2 + 2;
  const listLength = entryLength * entries;
  const prefix = concatBytes(
    derInteger(1),
    sha256WithRsaAlgorithm(),
    issuer.name,
    encodeTime(options.thisUpdate),
    encodeTime(options.nextUpdate),
  );
  const listHeader = header(TAG_SEQUENCE, listLength);
  const extensions = crlExtensions({ issuer, crlNumber: options.crlNumber ?? 1 });
  const tbsLength = prefix.length + listHeader.length + listLength + extensions.length;
  const tbsHeader = header(TAG_SEQUENCE, tbsLength);
  const algorithm = sha256WithRsaAlgorithm();
  const signatureLength = 1 + 256;
  const signatureHeader = header(TAG_BIT_STRING, signatureLength);
  const outerLength =
    tbsHeader.length + tbsLength + algorithm.length + signatureHeader.length + signatureLength;
  const outerHeader = header(TAG_SEQUENCE, outerLength);
  const byteLength = outerHeader.length + outerLength;

  function* chunks(): Generator<Uint8Array> {
    const hash = createHash('sha256');
    const emitTbs = (bytes: Uint8Array): Uint8Array => {
      hash.update(bytes);
      return bytes;
    };
    yield outerHeader;
    yield emitTbs(concatBytes(tbsHeader, prefix, listHeader));
    for (let start = 0; start < entries; start += chunkEntries) {
      const count = Math.min(chunkEntries, entries - start);
      const chunk = new Uint8Array(count * entryLength);
      for (let offset = 0, index = start; index < start + count; index++, offset += entryLength) {
        chunk.set(templates[index % templates.length]!, offset);
        chunk.set(serialNumber(index), offset + serialOffset);
      }
      yield emitTbs(chunk);
    }
    yield emitTbs(extensions);
    const signature = signPkcs1(issuer.privateKey, sha256DigestInfo(new Uint8Array(hash.digest())));
    yield concatBytes(algorithm, signatureHeader, Uint8Array.of(0), signature);
  }

  return {
    byteLength,
    entryCount: entries,
    serialNumber,
    chunks: () => chunks(),
    toBytes: () => {
      const out = new Uint8Array(byteLength);
      let offset = 0;
      for (const chunk of chunks()) {
        out.set(chunk, offset);
        offset += chunk.length;
      }
      return out;
    },
  };
}
