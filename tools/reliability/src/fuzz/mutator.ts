/**
 * Mutation operators of the fuzzer: the classic byte-level ones (bit flips, interesting values,
 * arithmetic, insert/delete/duplicate ranges, crossover) plus structure-aware ones that find the
 * BER/DER headers in an input (a lenient walk) and rewrite a length or a tag — the lying lengths,
 * truncations and huge declared sizes that parsers of card data must survive.
 *
 * @example
 * ```ts
 * const mutator = new Mutator(new FuzzRandom('seed'), 4096);
 * const child = mutator.mutate(parent, corpus);
 * ```
 */
import type { FuzzRandom } from './random.js';
import { HOSTILE_STRINGS, mutateTree, parseTree, serializeTree } from './tlv-tree.js';

/** Byte values that sit on parser boundaries (length forms, tags, sign bits). */
const INTERESTING_8 = [
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x10, 0x1f, 0x20, 0x30, 0x31, 0x3f, 0x40, 0x61, 0x62, 0x63, 0x67, 0x69,
  0x6a, 0x6c, 0x7e, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x88, 0x90, 0xa0, 0xa3, 0xc0, 0xfe, 0xff,
] as const;
/** 16-bit boundaries (short/extended APDU lengths, frame lengths). */
const INTERESTING_16 = [
  0x0000, 0x0001, 0x007f, 0x0080, 0x00ff, 0x0100, 0x0101, 0x7fff, 0x8000, 0xfffe, 0xffff,
] as const;
/** 32-bit boundaries (4-octet BER lengths, sequence numbers). */
const INTERESTING_32 = [
  0x00000000, 0x0000ffff, 0x00010000, 0x00ffffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
] as const;
/** Tags worth swapping in (X.680 universal tags, context tags, the high-tag escape). */
const INTERESTING_TAGS = [
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0a, 0x0c, 0x13, 0x16, 0x17, 0x18, 0x1e, 0x1f, 0x30, 0x31, 0x5f,
  0x7f, 0x80, 0x81, 0xa0, 0xa3, 0xbf, 0xdf, 0xff,
] as const;
/** Length encodings that lie (huge, indefinite, non-minimal, reserved). */
const LYING_LENGTHS: readonly (readonly number[])[] = [
  [0x80],
  [0xff],
  [0x84, 0xff, 0xff, 0xff, 0xff],
  [0x84, 0x7f, 0xff, 0xff, 0xff],
  [0x84, 0x00, 0x00, 0x00, 0x05],
  [0x83, 0xff, 0xff, 0xff],
  [0x82, 0xff, 0xff],
  [0x82, 0x00, 0x05],
  [0x81, 0x05],
  [0x81, 0xff],
  [0x85, 0x01, 0x00, 0x00, 0x00, 0x00],
  [0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
];

/** One TLV header found by the lenient walk. */
interface HeaderPosition {
  readonly tagStart: number;
  readonly lengthStart: number;
  readonly lengthEnd: number;
  readonly valueEnd: number;
}

/** Largest number of headers the walk collects (keeps mutation O(1)-ish on large inputs). */
const MAX_HEADERS = 512;

/**
 * Walks `bytes` as BER (any tag form, lengths up to 4 octets), descending into anything whose
 * length fits, and collects header positions. Never throws; stops at the first impossible header.
 */
export function findHeaders(bytes: Uint8Array): HeaderPosition[] {
  const found: HeaderPosition[] = [];
  const stack: Array<[number, number]> = [[0, bytes.length]];
  while (stack.length > 0 && found.length < MAX_HEADERS) {
    const [start, end] = stack.pop()!;
    let offset = start;
    while (offset < end && found.length < MAX_HEADERS) {
      const tagStart = offset;
      const first = bytes[offset++]!;
      if ((first & 0x1f) === 0x1f) {
        let count = 0;
        while (offset < end && (bytes[offset]! & 0x80) !== 0 && count < 3) {
          offset++;
          count++;
        }
        offset++;
      }
      if (offset >= end) break;
      const lengthStart = offset;
      const lengthByte = bytes[offset++]!;
      let length = lengthByte;
      if (lengthByte >= 0x80) {
        const count = lengthByte & 0x7f;
        if (count === 0 || count > 4 || offset + count > end) break;
        length = 0;
        for (let index = 0; index < count; index++) length = length * 256 + bytes[offset++]!;
      }
      const lengthEnd = offset;
      const valueEnd = lengthEnd + length;
      if (valueEnd > end) break;
      found.push({ tagStart, lengthStart, lengthEnd, valueEnd });
      if ((first & 0x20) !== 0 && length > 0) stack.push([lengthEnd, valueEnd]);
      offset = valueEnd;
    }
  }
  return found;
}

function replaceRange(bytes: Uint8Array, start: number, end: number, insert: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(bytes.length - (end - start) + insert.length);
  out.set(bytes.subarray(0, start), 0);
  out.set(insert, start);
  out.set(bytes.subarray(end), start + insert.length);
  return out;
}

function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  const octets: number[] = [];
  let rest = length;
  while (rest > 0) {
    octets.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  }
  return [0x80 | octets.length, ...octets];
}

export type MutationName =
  | 'flip-bit'
  | 'random-byte'
  | 'interesting-8'
  | 'interesting-16'
  | 'interesting-32'
  | 'arithmetic'
  | 'delete-range'
  | 'insert-range'
  | 'duplicate-range'
  | 'truncate'
  | 'append'
  | 'splice'
  | 'tlv-length'
  | 'tlv-length-off-by-one'
  | 'tlv-tag'
  | 'tlv-duplicate'
  | 'tlv-drop'
  | 'tree'
  | 'dictionary';

const MUTATIONS: readonly MutationName[] = [
  'flip-bit',
  'random-byte',
  'interesting-8',
  'interesting-16',
  'interesting-32',
  'arithmetic',
  'delete-range',
  'insert-range',
  'duplicate-range',
  'truncate',
  'append',
  'splice',
  'tlv-length',
  'tlv-length',
  'tlv-length-off-by-one',
  'tlv-tag',
  'tlv-duplicate',
  'tlv-drop',
  'tree',
  'tree',
  'tree',
  'tree',
  'dictionary',
];

const encoder = new TextEncoder();

export class Mutator {
  readonly #random: FuzzRandom;
  readonly #maxLength: number;

  constructor(random: FuzzRandom, maxLength: number) {
    this.#random = random;
    this.#maxLength = maxLength;
  }

  /** Applies 1–8 stacked mutations (AFL's "havoc" stage) to a copy of `parent`. */
  mutate(parent: Uint8Array, corpus: readonly Uint8Array[]): Uint8Array {
    const random = this.#random;
    let bytes: Uint8Array = parent.slice();
    const rounds = 1 << random.below(4);
    for (let round = 0; round < rounds; round++) {
      bytes = this.apply(random.pick(MUTATIONS), bytes, corpus);
      if (bytes.length > this.#maxLength) bytes = bytes.subarray(0, this.#maxLength);
    }
    return bytes;
  }

  /** Applies one named mutation (returns a new array or `bytes` itself when not applicable). */
  apply(name: MutationName, bytes: Uint8Array, corpus: readonly Uint8Array[]): Uint8Array {
    const random = this.#random;
    const length = bytes.length;
    switch (name) {
      case 'flip-bit': {
        if (length === 0) return bytes;
        const out = bytes.slice();
        out[random.below(length)]! ^= 1 << random.below(8);
        return out;
      }
      case 'random-byte': {
        if (length === 0) return Uint8Array.of(random.below(256));
        const out = bytes.slice();
        out[random.below(length)] = random.below(256);
        return out;
      }
      case 'interesting-8': {
        if (length === 0) return Uint8Array.of(random.pick(INTERESTING_8));
        const out = bytes.slice();
        out[random.below(length)] = random.pick(INTERESTING_8);
        return out;
      }
      case 'interesting-16': {
        if (length < 2) return bytes;
        const out = bytes.slice();
        const at = random.below(length - 1);
        const value = random.pick(INTERESTING_16);
        const bigEndian = random.chance(0.75);
        out[at] = bigEndian ? value >>> 8 : value & 0xff;
        out[at + 1] = bigEndian ? value & 0xff : value >>> 8;
        return out;
      }
      case 'interesting-32': {
        if (length < 4) return bytes;
        const out = bytes.slice();
        const at = random.below(length - 3);
        const value = random.pick(INTERESTING_32);
        for (let index = 0; index < 4; index++) out[at + index] = (value >>> (24 - 8 * index)) & 0xff;
        return out;
      }
      case 'arithmetic': {
        if (length === 0) return bytes;
        const out = bytes.slice();
        const at = random.below(length);
        const delta = random.between(1, 35) * (random.chance(0.5) ? 1 : -1);
        out[at] = (out[at]! + delta) & 0xff;
        return out;
      }
      case 'delete-range': {
        if (length === 0) return bytes;
        const start = random.below(length);
        const count = Math.min(length - start, 1 + random.below(Math.min(64, length)));
        return replaceRange(bytes, start, start + count, []);
      }
      case 'insert-range': {
        const at = random.below(length + 1);
        const count = 1 + random.below(16);
        const insert = random.chance(0.5)
          ? random.bytes(count)
          : new Uint8Array(count).fill(random.pick(INTERESTING_8));
        return replaceRange(bytes, at, at, insert);
      }
      case 'duplicate-range': {
        if (length === 0) return bytes;
        const start = random.below(length);
        const count = Math.min(length - start, 1 + random.below(Math.min(256, length)));
        const at = random.below(length + 1);
        return replaceRange(bytes, at, at, bytes.slice(start, start + count));
      }
      case 'truncate':
        return length === 0 ? bytes : bytes.subarray(0, random.below(length));
      case 'append': {
        const count = 1 + random.below(32);
        const out = new Uint8Array(length + count);
        out.set(bytes);
        out.set(random.chance(0.5) ? random.bytes(count) : new Uint8Array(count).fill(0xff), length);
        return out;
      }
      case 'splice': {
        if (corpus.length === 0) return bytes;
        const other = random.pick(corpus);
        if (other.length === 0) return bytes;
        const cut = random.below(length + 1);
        const from = random.below(other.length);
        const out = new Uint8Array(cut + other.length - from);
        out.set(bytes.subarray(0, cut));
        out.set(other.subarray(from), cut);
        return out;
      }
      case 'tlv-length':
      case 'tlv-length-off-by-one': {
        const headers = findHeaders(bytes);
        if (headers.length === 0) return this.apply('interesting-8', bytes, corpus);
        const header = random.pick(headers);
        let replacement: readonly number[];
        if (name === 'tlv-length') replacement = random.pick(LYING_LENGTHS);
        else {
          const declared = header.valueEnd - header.lengthEnd;
          const lied = Math.max(0, declared + random.pick([-2, -1, 1, 2, 0x80, 0x100, 0x10000]));
          replacement = encodeLength(lied);
        }
        return replaceRange(bytes, header.lengthStart, header.lengthEnd, replacement);
      }
      case 'tlv-tag': {
        const headers = findHeaders(bytes);
        if (headers.length === 0) return this.apply('interesting-8', bytes, corpus);
        const header = random.pick(headers);
        return replaceRange(bytes, header.tagStart, header.tagStart + 1, [random.pick(INTERESTING_TAGS)]);
      }
      case 'tlv-duplicate': {
        const headers = findHeaders(bytes);
        if (headers.length === 0) return bytes;
        const header = random.pick(headers);
        const element = bytes.slice(header.tagStart, header.valueEnd);
        return replaceRange(bytes, header.valueEnd, header.valueEnd, element);
      }
      case 'tree': {
        const tree = parseTree(bytes);
        if (tree === undefined) return this.apply('tlv-length', bytes, corpus);
        const donor = corpus.length > 0 ? parseTree(random.pick(corpus)) : undefined;
        const rounds = 1 + random.below(3);
        for (let round = 0; round < rounds; round++)
          mutateTree(tree, random, donor === undefined ? [] : [donor]);
        return serializeTree(tree);
      }
      case 'dictionary': {
        const token = encoder.encode(random.pick(HOSTILE_STRINGS));
        const at = random.below(length + 1);
        return random.chance(0.5)
          ? replaceRange(bytes, at, Math.min(length, at + token.length), token)
          : replaceRange(bytes, at, at, token);
      }
      case 'tlv-drop': {
        const headers = findHeaders(bytes);
        if (headers.length === 0) return bytes;
        const header = random.pick(headers);
        return replaceRange(bytes, header.tagStart, header.valueEnd, []);
      }
    }
  }
}
