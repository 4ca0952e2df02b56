/**
 * OBJECT IDENTIFIER decoding (ITU-T X.690 §8.19): base-128 sub-identifiers, minimal (no leading
 * 0x80 octet), the last octet without the continuation bit.
 *
 * @example
 * ```ts
 * decodeOid(Uint8Array.of(0x55, 0x04, 0x03), 0, 3); // "2.5.4.3"
 * ```
 */
import { derError } from './der-error.js';

/** Continuation bit of a sub-identifier octet (X.690 §8.19.2). */
const CONTINUATION = 0x80;
/** First octet of 2.5 (joint-iso-itu-t ds): 40 × 2 + 5 (X.690 §8.19.4). */
const JOINT_ISO_ITU_T_DS = 0x55;
/** 2.5.4: X.520 attribute types. */
const ARC_ATTRIBUTE_TYPE = 0x04;
/** 2.5.29: certificate extensions (RFC 5280 §4.2). */
const ARC_CERTIFICATE_EXTENSION = 0x1d;
/** Switch to bigint arithmetic above this (keeps numbers exact). */
const SAFE_SHIFT_LIMIT = 2 ** 45;

/**
 * Validates OBJECT IDENTIFIER content without building a string.
 *
 * @example
 * ```ts
 * checkOid(bytes, valueStart, valueEnd);
 * ```
 */
export function checkOid(bytes: Uint8Array, start: number, end: number): void {
  if (end <= start) throw derError('invalid-oid', start, 'empty OBJECT IDENTIFIER');
  if ((bytes[end - 1]! & CONTINUATION) !== 0)
    throw derError('invalid-oid', start, 'truncated sub-identifier');
  let subidentifierStart = true;
  for (let index = start; index < end; index++) {
    const byte = bytes[index]!;
    if (subidentifierStart && byte === CONTINUATION)
      throw derError('invalid-oid', index, 'non-minimal sub-identifier');
    subidentifierStart = (byte & CONTINUATION) === 0;
  }
}

/**
 * OBJECT IDENTIFIER content in dotted-decimal form.
 *
 * @example
 * ```ts
 * decodeOid(bytes, valueStart, valueEnd); // "1.2.840.113549.1.1.11"
 * ```
 */
export function decodeOid(bytes: Uint8Array, start: number, end: number): string {
  // Fast path for the X.500 attribute types (2.5.4.x) and certificate extensions (2.5.29.x).
  if (end - start === 3 && bytes[start] === JOINT_ISO_ITU_T_DS) {
    const arc = bytes[start + 1];
    const last = bytes[start + 2]!;
    if (last < CONTINUATION) {
      if (arc === ARC_ATTRIBUTE_TYPE) return `2.5.4.${last}`;
      if (arc === ARC_CERTIFICATE_EXTENSION) return `2.5.29.${last}`;
    }
  }
  checkOid(bytes, start, end);
  let out = '';
  let value = 0;
  let big: bigint | undefined;
  let first = true;
  for (let index = start; index < end; index++) {
    const byte = bytes[index]!;
    if (big !== undefined) big = (big << 7n) | BigInt(byte & 0x7f);
    else if (value >= SAFE_SHIFT_LIMIT) big = (BigInt(value) << 7n) | BigInt(byte & 0x7f);
    else value = value * 128 + (byte & 0x7f);
    if ((byte & CONTINUATION) !== 0) continue;
    if (first) {
      // First sub-identifier packs two arcs: 40 * X + Y with X ∈ {0, 1, 2} (X.690 §8.19.4).
      if (big !== undefined) out = `2.${big - 80n}`;
      else if (value < 40) out = `0.${value}`;
      else if (value < 80) out = `1.${value - 40}`;
      else out = `2.${value - 80}`;
      first = false;
    } else {
      out += `.${big === undefined ? value : big}`;
    }
    value = 0;
    big = undefined;
  }
  return out;
}
