/**
 * Noise CipherState and SymmetricState for the `25519_ChaChaPoly_SHA256` suite (Noise Protocol
 * Framework rev 34 §5.1, §5.2, §12): ChaCha20-Poly1305 (RFC 8439) with the Noise nonce encoding
 * (32 zero bits ‖ 64-bit little-endian counter), SHA-256, HMAC-SHA256 HKDF (Noise §4.3).
 *
 * @example
 * ```ts
 * const state = new SymmetricState('Noise_NKpsk0_25519_ChaChaPoly_SHA256');
 * state.mixHash(new TextEncoder().encode('prologue'));
 * ```
 */
import { concatBytes } from '@kakunin/core/transport';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { AEAD_TAG_LENGTH } from '../protocol/protocol-constants.js';

/** SHA-256 output length (Noise §12.5 HASHLEN). */
const HASH_LENGTH = 32;
/** ChaCha20-Poly1305 nonce length (RFC 8439 §2.8). */
const NONCE_LENGTH = 12;
/** Offset of the 64-bit counter inside the 96-bit nonce (Noise §12.4: 4 zero bytes first). */
const NONCE_COUNTER_OFFSET = 4;
/** Noise reserves nonce 2^64 − 1 (§5.1); we stop far earlier at 2^53 − 1 (exact JS integers). */
const MAX_NONCE = Number.MAX_SAFE_INTEGER;

/** Builds the 12-byte ChaCha20-Poly1305 nonce for counter `n` (Noise §12.4).
 *
 * @example
 * ```ts
 * bytesToHex(noiseNonce(1)); // '000000000100000000000000'
 * ```
 */
export function noiseNonce(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`nonce: ${n} is not a 0..2^53-1 integer`);
  const nonce = new Uint8Array(NONCE_LENGTH);
  const view = new DataView(nonce.buffer);
  view.setUint32(NONCE_COUNTER_OFFSET, n % 0x1_0000_0000, true);
  view.setUint32(NONCE_COUNTER_OFFSET + 4, Math.floor(n / 0x1_0000_0000), true);
  return nonce;
}

/** ENCRYPT(k, n, ad, plaintext) of Noise §12.4.
 *
 * @example
 * ```ts
 * const sealed = sealWithNonce(key, 0, header, plaintext);
 * ```
 */
export function sealWithNonce(key: Uint8Array, n: number, ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return chacha20poly1305(key, noiseNonce(n), ad).encrypt(plaintext);
}

/** DECRYPT(k, n, ad, ciphertext) of Noise §12.4; returns undefined when authentication fails.
 *
 * @example
 * ```ts
 * const plaintext = openWithNonce(key, 0, header, sealed);
 * ```
 */
export function openWithNonce(
  key: Uint8Array,
  n: number,
  ad: Uint8Array,
  ciphertext: Uint8Array,
): Uint8Array | undefined {
  if (ciphertext.length < AEAD_TAG_LENGTH) return undefined;
  try {
    return chacha20poly1305(key, noiseNonce(n), ad).decrypt(ciphertext);
  } catch {
    return undefined;
  }
}

/** HKDF of Noise §4.3 (HMAC-SHA256 based, 2 or 3 outputs).
 *
 * @example
 * ```ts
 * const [chainingKey, key] = noiseHkdf(chainingKey0, sharedSecret, 2);
 * ```
 */
export function noiseHkdf(
  chainingKey: Uint8Array,
  inputKeyMaterial: Uint8Array,
  outputs: 2 | 3,
): Uint8Array[] {
  const tempKey = hmac(sha256, chainingKey, inputKeyMaterial);
  const output1 = hmac(sha256, tempKey, Uint8Array.of(0x01));
  const output2 = hmac(sha256, tempKey, concatBytes(output1, Uint8Array.of(0x02)));
  if (outputs === 2) {
    tempKey.fill(0);
    return [output1, output2];
  }
  const output3 = hmac(sha256, tempKey, concatBytes(output2, Uint8Array.of(0x03)));
  tempKey.fill(0);
  return [output1, output2, output3];
}

/** Noise CipherState (§5.1): a key and an implicit counter nonce.
 *
 * @example
 * ```ts
 * const cipher = new CipherState(key);
 * const ciphertext = cipher.encryptWithAd(new Uint8Array(0), plaintext);
 * ```
 */
export class CipherState {
  #key: Uint8Array | undefined;
  #nonce = 0;

  constructor(key?: Uint8Array) {
    if (key !== undefined) this.initializeKey(key);
  }

  initializeKey(key: Uint8Array): void {
    if (key.length !== HASH_LENGTH) throw new RangeError('CipherState: key must be 32 bytes');
    this.#key = key.slice();
    this.#nonce = 0;
  }

  get hasKey(): boolean {
    return this.#key !== undefined;
  }

  /** The raw key, for the transport phase which uses explicit sequence numbers as nonces. */
  get key(): Uint8Array {
    if (this.#key === undefined) throw new Error('CipherState: no key');
    return this.#key;
  }

  encryptWithAd(ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    if (this.#key === undefined) return plaintext.slice();
    if (this.#nonce >= MAX_NONCE) throw new RangeError('CipherState: nonce exhausted');
    const ciphertext = sealWithNonce(this.#key, this.#nonce, ad, plaintext);
    this.#nonce += 1;
    return ciphertext;
  }

  /** Returns undefined when authentication fails (the nonce is not advanced then). */
  decryptWithAd(ad: Uint8Array, ciphertext: Uint8Array): Uint8Array | undefined {
    if (this.#key === undefined) return ciphertext.slice();
    if (this.#nonce >= MAX_NONCE) return undefined;
    const plaintext = openWithNonce(this.#key, this.#nonce, ad, ciphertext);
    if (plaintext !== undefined) this.#nonce += 1;
    return plaintext;
  }

  /** Overwrites the key. */
  destroy(): void {
    this.#key?.fill(0);
    this.#key = undefined;
  }
}

/** Noise SymmetricState (§5.2).
 *
 * @example
 * ```ts
 * const state = new SymmetricState('Noise_NN_25519_ChaChaPoly_SHA256');
 * ```
 */
export class SymmetricState {
  readonly cipher = new CipherState();
  #chainingKey: Uint8Array;
  #hash: Uint8Array;

  constructor(protocolName: string) {
    const name = new TextEncoder().encode(protocolName);
    if (name.length <= HASH_LENGTH) {
      this.#hash = new Uint8Array(HASH_LENGTH);
      this.#hash.set(name);
    } else {
      this.#hash = sha256(name);
    }
    this.#chainingKey = this.#hash.slice();
  }

  /** The handshake hash `h`. */
  get handshakeHash(): Uint8Array {
    return this.#hash.slice();
  }

  mixKey(inputKeyMaterial: Uint8Array): void {
    const [chainingKey, tempKey] = noiseHkdf(this.#chainingKey, inputKeyMaterial, 2) as [
      Uint8Array,
      Uint8Array,
    ];
    this.#chainingKey.fill(0);
    this.#chainingKey = chainingKey;
    this.cipher.initializeKey(tempKey);
    tempKey.fill(0);
  }

  mixHash(data: Uint8Array): void {
    const input = concatBytes(this.#hash, data);
    this.#hash = sha256(input);
  }

  mixKeyAndHash(inputKeyMaterial: Uint8Array): void {
    const [chainingKey, tempHash, tempKey] = noiseHkdf(this.#chainingKey, inputKeyMaterial, 3) as [
      Uint8Array,
      Uint8Array,
      Uint8Array,
    ];
    this.#chainingKey.fill(0);
    this.#chainingKey = chainingKey;
    this.mixHash(tempHash);
    this.cipher.initializeKey(tempKey);
    tempKey.fill(0);
  }

  encryptAndHash(plaintext: Uint8Array): Uint8Array {
    const ciphertext = this.cipher.encryptWithAd(this.#hash, plaintext);
    this.mixHash(ciphertext);
    return ciphertext;
  }

  decryptAndHash(ciphertext: Uint8Array): Uint8Array | undefined {
    const plaintext = this.cipher.decryptWithAd(this.#hash, ciphertext);
    if (plaintext !== undefined) this.mixHash(ciphertext);
    return plaintext;
  }

  /** Split (§5.2): initiator→responder and responder→initiator cipher states. */
  split(): [CipherState, CipherState] {
    const [key1, key2] = noiseHkdf(this.#chainingKey, new Uint8Array(0), 2) as [Uint8Array, Uint8Array];
    const states: [CipherState, CipherState] = [new CipherState(key1), new CipherState(key2)];
    key1.fill(0);
    key2.fill(0);
    this.#chainingKey.fill(0);
    this.cipher.destroy();
    return states;
  }
}
