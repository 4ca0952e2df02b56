/**
 * DigestInfo (PKCS#1 v2.2 §9.2 / RFC 8017) built with @noble/hashes: the input the card's
 * COMPUTE DIGITAL SIGNATURE expects with P1 = 00 (jpki-card.md §10).
 *
 * @example
 * ```ts
 * const digestInfo = buildDigestInfo(sha256Of(message)); // 51 bytes: 3031300D…0420‖hash
 * ```
 */

import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { assertBytes } from '../transport/assert-bytes.js';

export type HashAlgorithm = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** DER prefixes of DigestInfo (RFC 8017 §9.2 note 1). */
const DIGEST_INFO_PREFIX: Readonly<Record<HashAlgorithm, Uint8Array>> = {
  sha1: Uint8Array.from([
    0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14,
  ]),
  sha256: Uint8Array.from([
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00,
    0x04, 0x20,
  ]),
  sha384: Uint8Array.from([
    0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00,
    0x04, 0x30,
  ]),
  sha512: Uint8Array.from([
    0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00,
    0x04, 0x40,
  ]),
};

const DIGEST_LENGTH: Readonly<Record<HashAlgorithm, number>> = {
  sha1: 20,
  sha256: 32,
  sha384: 48,
  sha512: 64,
};

/** Hashes a message. */
export function hash(algorithm: HashAlgorithm, message: Uint8Array): Uint8Array {
  assertBytes(message, 'message');
  switch (algorithm) {
    case 'sha1':
      return sha1(message);
    case 'sha256':
      return sha256(message);
    case 'sha384':
      return sha384(message);
    case 'sha512':
      return sha512(message);
    default:
      throw new RangeError(`unsupported hash algorithm ${String(algorithm)}`);
  }
}

/** DigestInfo ‖ digest for an already computed digest. */
export function buildDigestInfo(digest: Uint8Array, algorithm: HashAlgorithm = 'sha256'): Uint8Array {
  assertBytes(digest, 'digest');
  const prefix = DIGEST_INFO_PREFIX[algorithm];
  if (prefix === undefined) throw new RangeError(`unsupported hash algorithm ${String(algorithm)}`);
  if (digest.length !== DIGEST_LENGTH[algorithm])
    throw new RangeError(
      `digest must be ${DIGEST_LENGTH[algorithm]} bytes for ${algorithm}, got ${digest.length}`,
    );
  const out = new Uint8Array(prefix.length + digest.length);
  out.set(prefix, 0);
  out.set(digest, prefix.length);
  return out;
}
