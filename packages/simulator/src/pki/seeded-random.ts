/**
 * A deterministic byte stream from a seed: SHA-256 in counter mode over (seed, label, block),
 * in the spirit of the Hash_DRBG of NIST SP 800-90A §10.1.1 without reseeding. Test material
 * only — the same seed always gives the same keys, persons and certificates; never use it for
 * real secrets.
 *
 * @example
 * ```ts
 * const random = new SeededRandom('kakunin', 'auth-key');
 * random.bytes(16); // always the same 16 bytes for this seed and label
 * ```
 */
import { createHash } from 'node:crypto';

/** SHA-256 block size of the stream. */
const BLOCK = 32;

/**
 * A deterministic byte stream.
 *
 * @example
 * ```ts
 * new SeededRandom('seed', 'label').digits(4);
 * ```
 */
export class SeededRandom {
  readonly #prefix: string;
  #counter = 0;
  #buffer = new Uint8Array(0);
  #offset = 0;

  constructor(seed: string, label = '') {
    if (typeof seed !== 'string') throw new TypeError('seed must be a string');
    if (typeof label !== 'string') throw new TypeError('label must be a string');
    this.#prefix = `kakunin-simulator\u0000${seed}\u0000${label}\u0000`;
  }

  #refill(): void {
    const digest = createHash('sha256')
      .update(this.#prefix)
      .update(String(this.#counter++))
      .digest();
    this.#buffer = new Uint8Array(digest.buffer, digest.byteOffset, BLOCK);
    this.#offset = 0;
  }

  /** The next `length` bytes of the stream. */
  bytes(length: number): Uint8Array {
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`length must be ≥ 0, got ${length}`);
    const out = new Uint8Array(length);
    let written = 0;
    while (written < length) {
      if (this.#offset >= this.#buffer.length) this.#refill();
      const take = Math.min(length - written, this.#buffer.length - this.#offset);
      out.set(this.#buffer.subarray(this.#offset, this.#offset + take), written);
      this.#offset += take;
      written += take;
    }
    return out;
  }

  /** A uniform integer in [0, bound) (rejection sampling, no modulo bias). */
  integer(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > 0x1_0000_0000) {
      throw new RangeError(`bound must be 1..2^32, got ${bound}`);
    }
    const limit = Math.floor(0x1_0000_0000 / bound) * bound;
    for (;;) {
      const word = new DataView(this.bytes(4).buffer).getUint32(0);
      if (word < limit) return word % bound;
    }
  }

  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('items must not be empty');
    return items[this.integer(items.length)]!;
  }

  /** `count` decimal digits. */
  digits(count: number): string {
    let out = '';
    for (let index = 0; index < count; index++) out += String(this.integer(10));
    return out;
  }

  /** An unsigned big integer of exactly `bits` random bits (top bits may be zero). */
  bigint(bits: number): bigint {
    const bytes = this.bytes(Math.ceil(bits / 8));
    let value = 0n;
    for (const byte of bytes) value = (value << 8n) | BigInt(byte);
    const excess = BigInt(bytes.length * 8 - bits);
    return value >> excess;
  }
}
