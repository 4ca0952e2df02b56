/**
 * RSA public-key operations for checking card signatures: SPKI extraction from a certificate and
 * PKCS#1 v1.5 verification over a DigestInfo (RFC 8017 §8.2.2, EMSA-PKCS1-v1_5 §9.2). Pure
 * computation with bigint: works for a caller-supplied digest, which WebCrypto cannot.
 *
 * @example
 * ```ts
 * const key = rsaPublicKeyFromCertificate(certificateDer);
 * rsaVerifyDigestInfo(key, signature, buildDigestInfo(digest)); // true / false
 * ```
 */

import { assertBytes } from '../transport/assert-bytes.js';
import { CardError } from '../transport/card-error.js';
import { bytesToHex } from '../transport/hex.js';
import { parseCertificate } from '../x509/certificate.js';

export interface RsaPublicKey {
  readonly modulus: bigint;
  readonly exponent: bigint;
  /** Modulus length in bytes. */
  readonly size: number;
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  // Through hex: linear time (a shift per byte is quadratic on the 32 KB a hostile card can send).
  return bytes.length === 0 ? 0n : BigInt(`0x${bytesToHex(bytes)}`);
}

/**
 * The RSA public key of a certificate, from `@kakunin/core/x509`'s SubjectPublicKeyInfo parser.
 * Throws the x509 layer's typed errors for malformed certificates and a CardError for non-RSA keys.
 */
export function rsaPublicKeyFromCertificate(certificate: Uint8Array): RsaPublicKey {
  assertBytes(certificate, 'certificate');
  const rsa = parseCertificate(certificate).publicKeyInfo.rsa;
  if (rsa === undefined) {
    throw new CardError('CERT_MALFORMED', 'certificate: the subject key is not RSA', {
      remedy: 'cert.invalid',
    });
  }
  return { modulus: bytesToBigInt(rsa.modulus), exponent: rsa.exponent, size: rsa.modulus.length };
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if ((e & 1n) === 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/**
 * Largest public exponent accepted: FIPS 186-4 §B.3.1 bounds e below 2^256 (JPKI uses 65537).
 * A card or certificate with a huge exponent would otherwise cost seconds of blocking modPow
 * (fuzzing finding: a 16 KB exponent took 1.8 s).
 */
const MAX_EXPONENT_BITS = 256n;

/** EMSA-PKCS1-v1_5 block type 1 markers (RFC 8017 §9.2 step 5). */
const PADDING_BLOCK_TYPE = 0x01;
const PADDING_FILL = 0xff;

/**
 * Verifies an RSASSA-PKCS1-v1_5 signature whose encoded message is `00 01 FF…FF 00 ‖ digestInfo`.
 * Constant structure check; returns false on any mismatch.
 */
export function rsaVerifyDigestInfo(
  key: RsaPublicKey,
  signature: Uint8Array,
  digestInfo: Uint8Array,
): boolean {
  if (!(signature instanceof Uint8Array) || !(digestInfo instanceof Uint8Array))
    throw new TypeError('signature and digestInfo must be Uint8Arrays');
  if (signature.length !== key.size) return false;
  if (key.exponent < 3n || key.exponent >> MAX_EXPONENT_BITS !== 0n) return false;
  const s = bytesToBigInt(signature);
  if (s >= key.modulus) return false;
  let m = modPow(s, key.exponent, key.modulus);
  const encoded = new Uint8Array(key.size);
  for (let index = key.size - 1; index >= 0; index--) {
    encoded[index] = Number(m & 0xffn);
    m >>= 8n;
  }
  const separator = key.size - digestInfo.length - 1;
  if (separator < 10) return false;
  let ok = encoded[0] === 0 && encoded[1] === PADDING_BLOCK_TYPE && encoded[separator] === 0;
  for (let index = 2; index < separator; index++) ok = ok && encoded[index] === PADDING_FILL;
  for (let index = 0; index < digestInfo.length; index++)
    ok = ok && encoded[separator + 1 + index] === digestInfo[index];
  return ok;
}
