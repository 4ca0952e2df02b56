/**
 * Strict decoders for DER primitive values (ITU-T X.690 §8.2 BOOLEAN, §8.3 INTEGER, §8.6 BIT
 * STRING, §8.8 NULL, with the DER restrictions of §11). Each takes the content range
 * `bytes[start, end)` and reports errors at `start`.
 *
 * @example
 * ```ts
 * const serial = decodeInteger(bytes, cursor.valueStart, cursor.valueEnd);
 * ```
 */
import { derError } from './der-error.js';

/** DER TRUE is all ones, FALSE all zeros (X.690 §11.1). */
const BOOLEAN_TRUE = 0xff;
const BOOLEAN_FALSE = 0x00;
/** Largest number of unused bits in a BIT STRING (X.690 §8.6.2.2). */
const MAX_UNUSED_BITS = 7;

/**
 * A BIT STRING: `bytes` is a view of the data octets (without the unused-bits octet).
 *
 * @example
 * ```ts
 * const { unusedBits, bytes } = decodeBitString(buffer, start, end);
 * ```
 */
export interface BitStringView {
  readonly unusedBits: number;
  readonly bytes: Uint8Array;
}

/**
 * Validates minimal two's complement INTEGER content (X.690 §8.3.2): non-empty, and the first
 * nine bits not all zeros or all ones.
 *
 * @example
 * ```ts
 * checkInteger(bytes, valueStart, valueEnd);
 * ```
 */
export function checkInteger(bytes: Uint8Array, start: number, end: number): void {
  if (end <= start) throw derError('invalid-integer', start, 'empty INTEGER');
  if (end - start > 1) {
    const first = bytes[start]!;
    const second = bytes[start + 1]!;
    if ((first === 0x00 && (second & 0x80) === 0) || (first === 0xff && (second & 0x80) !== 0))
      throw derError('invalid-integer', start, 'non-minimal INTEGER');
  }
}

/**
 * INTEGER content as a bigint.
 *
 * @example
 * ```ts
 * decodeInteger(Uint8Array.of(0xff, 0x7f), 0, 2); // -129n
 * ```
 */
export function decodeInteger(bytes: Uint8Array, start: number, end: number): bigint {
  checkInteger(bytes, start, end);
  let value = 0n;
  for (let index = start; index < end; index++) value = (value << 8n) | BigInt(bytes[index]!);
  if ((bytes[start]! & 0x80) !== 0) value -= 1n << BigInt((end - start) * 8);
  return value;
}

/**
 * INTEGER (or ENUMERATED) content as a number; rejects values outside ±(2^53 − 1).
 *
 * @example
 * ```ts
 * decodeSmallInteger(Uint8Array.of(0x02), 0, 1); // 2
 * ```
 */
export function decodeSmallInteger(bytes: Uint8Array, start: number, end: number): number {
  checkInteger(bytes, start, end);
  if (end - start > 7) throw derError('integer-too-large', start);
  const negative = (bytes[start]! & 0x80) !== 0;
  // For negatives, sum the complemented octets: value = −(complement + 1), exact in doubles.
  const flip = negative ? 0xff : 0;
  let magnitude = 0;
  for (let index = start; index < end; index++) magnitude = magnitude * 256 + (bytes[index]! ^ flip);
  if (negative) magnitude += 1;
  if (magnitude > Number.MAX_SAFE_INTEGER) throw derError('integer-too-large', start);
  return negative ? -magnitude : magnitude;
}

/**
 * Content of a non-negative INTEGER as its unsigned magnitude: the leading 00 sign octet, if
 * any, is dropped (a view, not a copy). Negative values throw.
 *
 * @example
 * ```ts
 * decodeUnsignedInteger(Uint8Array.of(0x00, 0x80), 0, 2); // Uint8Array [0x80]
 * ```
 */
export function decodeUnsignedInteger(bytes: Uint8Array, start: number, end: number): Uint8Array {
  checkInteger(bytes, start, end);
  if ((bytes[start]! & 0x80) !== 0) throw derError('invalid-integer', start, 'negative INTEGER');
  const from = bytes[start] === 0 && end - start > 1 ? start + 1 : start;
  return bytes.subarray(from, end);
}

/**
 * DER BOOLEAN content: exactly one octet, 00 or FF.
 *
 * @example
 * ```ts
 * decodeBoolean(Uint8Array.of(0xff), 0, 1); // true
 * ```
 */
export function decodeBoolean(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start !== 1) throw derError('invalid-boolean', start, 'BOOLEAN must be one octet');
  const value = bytes[start]!;
  if (value === BOOLEAN_TRUE) return true;
  if (value === BOOLEAN_FALSE) return false;
  throw derError('invalid-boolean', start, 'DER BOOLEAN must be 00 or FF');
}

/**
 * NULL content: empty.
 *
 * @example
 * ```ts
 * decodeNull(bytes, valueStart, valueEnd);
 * ```
 */
export function decodeNull(bytes: Uint8Array, start: number, end: number): void {
  if (end !== start)
    throw derError('invalid-null', start, `NULL with ${end - start} content octets (${bytes.length} total)`);
}

/**
 * Validates BIT STRING content: an unused-bits octet 0–7 (0 when empty) and, per DER, unused
 * bits set to zero (X.690 §11.2.1).
 *
 * @example
 * ```ts
 * checkBitString(bytes, valueStart, valueEnd);
 * ```
 */
export function checkBitString(bytes: Uint8Array, start: number, end: number): void {
  if (end <= start) throw derError('invalid-bit-string', start, 'missing unused-bits octet');
  const unused = bytes[start]!;
  if (unused > MAX_UNUSED_BITS) throw derError('invalid-bit-string', start, 'unused bits > 7');
  if (end - start === 1) {
    if (unused !== 0) throw derError('invalid-bit-string', start, 'unused bits in an empty BIT STRING');
    return;
  }
  if ((bytes[end - 1]! & ((1 << unused) - 1)) !== 0)
    throw derError('invalid-bit-string', start, 'unused bits are not zero');
}

/**
 * BIT STRING content as `{ unusedBits, bytes }` (bytes is a view).
 *
 * @example
 * ```ts
 * const key = decodeBitString(bytes, valueStart, valueEnd).bytes;
 * ```
 */
export function decodeBitString(bytes: Uint8Array, start: number, end: number): BitStringView {
  checkBitString(bytes, start, end);
  return { unusedBits: bytes[start]!, bytes: bytes.subarray(start + 1, end) };
}

/**
 * Bit `index` of a BIT STRING (bit 0 = most significant bit of the first octet, as in
 * NamedBitList types such as KeyUsage, X.680 §22).
 *
 * @example
 * ```ts
 * bitStringBit(keyUsage, 0); // digitalSignature
 * ```
 */
export function bitStringBit(bitString: BitStringView, index: number): boolean {
  const byte = index >> 3;
  if (byte >= bitString.bytes.length) return false;
  if (byte === bitString.bytes.length - 1 && (index & 7) >= 8 - bitString.unusedBits) return false;
  return (bitString.bytes[byte]! & (0x80 >> (index & 7))) !== 0;
}
