/**
 * The card's RSA operations (jpki-card.md §10): PKCS#1 v1.5 type-1 padding of caller-supplied
 * bytes (RFC 8017 §9.2 steps 3–5, done by `privateEncrypt` with RSA_PKCS1_PADDING), DigestInfo
 * wrapping of SHA-256 hashes (RFC 8017 §9.2 note 1) and RSASSA-PSS encoding (RFC 8017 §9.1.1)
 * with SHA-256, MGF1-SHA-256 and a 32-byte salt.
 *
 * @example
 * ```ts
 * const signature = signPkcs1(privateKey, sha256DigestInfo(hash));
 * ```
 */
import { constants, createHash, type KeyObject, privateEncrypt } from 'node:crypto';

/**
 * DER prefix of a SHA-256 DigestInfo (jpki-card.md §10; RFC 8017 §9.2 note 1).
 *
 * @example
 * ```ts
 * SHA256_DIGEST_INFO_PREFIX.length; // 19
 * ```
 */
export const SHA256_DIGEST_INFO_PREFIX = Uint8Array.of(
  0x30,
  0x31,
  0x30,
  0x0d,
  0x06,
  0x09,
  0x60,
  0x86,
  0x48,
  0x01,
  0x65,
  0x03,
  0x04,
  0x02,
  0x01,
  0x05,
  0x00,
  0x04,
  0x20,
);
/** SHA-256 output length. */
export const SHA256_LENGTH = 32;
/** RSA-2048 modulus length in bytes. */
export const RSA_2048_BYTES = 256;
/** PKCS#1 v1.5 needs 11 bytes of padding (RFC 8017 §9.2 step 3): at most k − 11 input bytes. */
export const PKCS1_MAX_INPUT = RSA_2048_BYTES - 11;
/** PSS trailer field (RFC 8017 §9.1.1 step 12). */
const PSS_TRAILER = 0xbc;

function view(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * SHA-256 of `data`.
 *
 * @example
 * ```ts
 * sha256(new TextEncoder().encode('abc'));
 * ```
 */
export function sha256(...data: readonly Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of data) hash.update(part);
  return view(hash.digest());
}

/**
 * DigestInfo { sha256, OCTET STRING hash } for a 32-byte hash.
 *
 * @example
 * ```ts
 * sha256DigestInfo(sha256(message)); // 51 bytes: the input of 80 2A 00 80
 * ```
 */
export function sha256DigestInfo(hash: Uint8Array): Uint8Array {
  const out = new Uint8Array(SHA256_DIGEST_INFO_PREFIX.length + hash.length);
  out.set(SHA256_DIGEST_INFO_PREFIX, 0);
  out.set(hash, SHA256_DIGEST_INFO_PREFIX.length);
  return out;
}

/** Pads `input` with PKCS#1 v1.5 type 1 and applies the private key. */
export function signPkcs1(privateKey: KeyObject, input: Uint8Array): Uint8Array {
  return view(privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, input));
}

/** MGF1 with SHA-256 (RFC 8017 §B.2.1). */
function mgf1(seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const counter = new Uint8Array(4);
  for (let offset = 0, index = 0; offset < length; index++, offset += SHA256_LENGTH) {
    new DataView(counter.buffer).setUint32(0, index);
    const block = sha256(seed, counter);
    out.set(block.subarray(0, Math.min(SHA256_LENGTH, length - offset)), offset);
  }
  return out;
}

/**
 * RSASSA-PSS over a SHA-256 hash: EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with a salt of 32 bytes,
 * then the raw private-key operation.
 */
export function signPss(privateKey: KeyObject, hash: Uint8Array, salt: Uint8Array): Uint8Array {
  const modulusBits = privateKey.asymmetricKeyDetails?.modulusLength ?? RSA_2048_BYTES * 8;
  const emBits = modulusBits - 1;
  const emLength = Math.ceil(emBits / 8);
  const mPrime = new Uint8Array(8 + hash.length + salt.length);
  mPrime.set(hash, 8);
  mPrime.set(salt, 8 + hash.length);
  const h = sha256(mPrime);
  const dbLength = emLength - SHA256_LENGTH - 1;
  const db = new Uint8Array(dbLength);
  db[dbLength - salt.length - 1] = 0x01;
  db.set(salt, dbLength - salt.length);
  const mask = mgf1(h, dbLength);
  for (let index = 0; index < dbLength; index++) db[index]! ^= mask[index]!;
  db[0]! &= 0xff >> (8 * emLength - emBits);
  const encoded = new Uint8Array(modulusBits / 8);
  const start = encoded.length - emLength;
  encoded.set(db, start);
  encoded.set(h, start + dbLength);
  encoded[encoded.length - 1] = PSS_TRAILER;
  return view(privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, encoded));
}
