/**
 * A small, fast, seeded pseudo-random generator (SFC32, seeded from a string through FNV-1a and
 * SplitMix32) so that every fuzz run is reproducible from its seed. Not for cryptography.
 *
 * @example
 * ```ts
 * const random = new FuzzRandom('apdu-command:0');
 * random.below(256); // 0..255
 * ```
 */

/** FNV-1a 32-bit offset basis and prime (http://www.isthe.com/chongo/tech/comp/fnv/). */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** SplitMix32 increment (golden ratio, 2^32 / φ). */
const GOLDEN = 0x9e3779b9;

function splitMix(state: number): [number, number] {
  const next = (state + GOLDEN) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

export class FuzzRandom {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: string) {
    if (typeof seed !== 'string') throw new TypeError('seed must be a string');
    let hash = FNV_OFFSET;
    for (let index = 0; index < seed.length; index++)
      hash = Math.imul(hash ^ seed.charCodeAt(index), FNV_PRIME);
    let state = hash | 0;
    const words: number[] = [];
    for (let index = 0; index < 4; index++) {
      const [next, word] = splitMix(state);
      state = next;
      words.push(word);
    }
    [this.#a, this.#b, this.#c, this.#d] = words as [number, number, number, number];
    for (let index = 0; index < 12; index++) this.next();
  }

  /** Next 32-bit unsigned value. */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform integer in [0, bound). */
  below(bound: number): number {
    if (!(bound >= 1)) throw new RangeError('bound must be ≥ 1');
    return Math.floor((this.next() / 0x1_0000_0000) * bound);
  }

  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() / 0x1_0000_0000 < p;
  }

  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T {
    if (list.length === 0) throw new RangeError('pick: empty list');
    return list[this.below(list.length)]!;
  }

  /** `length` random bytes. */
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let index = 0; index < length; index++) out[index] = this.next() & 0xff;
    return out;
  }
}
