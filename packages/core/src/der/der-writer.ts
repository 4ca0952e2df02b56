/**
 * DER writer (ITU-T X.690 §8, §10, §11): builds distinguished-encoding TLVs from Uint8Array
 * children. Used to make test certificates, CRLs and DigestInfo structures; every function
 * returns a fresh `Uint8Array` holding one complete TLV.
 *
 * @example
 * ```ts
 * import { derSequence, derInteger, derOid, derNull } from '@kakunin/core/der';
 * const algorithm = derSequence(derOid('1.2.840.113549.1.1.11'), derNull());
 * const version = derInteger(2);
 * ```
 */
import { assertBytes } from '../transport/assert-bytes.js';
import { concatBytes } from '../transport/concat-bytes.js';
import {
  TAG_BIT_STRING,
  TAG_BOOLEAN,
  TAG_CLASS_CONTEXT,
  TAG_CONSTRUCTED,
  TAG_GENERALIZED_TIME,
  TAG_IA5_STRING,
  TAG_INTEGER,
  TAG_NULL,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_PRINTABLE_STRING,
  TAG_SEQUENCE,
  TAG_SET,
  TAG_UTC_TIME,
  TAG_UTF8_STRING,
} from './der-tags.js';

/** Largest tag number that fits in the low 5 bits of the identifier octet (X.690 §8.1.2.2). */
const LOW_TAG_NUMBER_MAX = 30;
/** Largest length encoded in the short form (X.690 §8.1.3.4). */
const SHORT_LENGTH_MAX = 0x7f;
/** First length octet of the long form: 0x80 | number of subsequent octets (X.690 §8.1.3.5). */
const LONG_LENGTH_FLAG = 0x80;
/** DER BOOLEAN TRUE is all ones (X.690 §11.1). */
const BOOLEAN_TRUE = 0xff;
/** PrintableString alphabet (X.680 §41.4, Table 10). */
const PRINTABLE_PATTERN = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
/** IA5String is 7-bit ASCII (X.680 §41.4). */
const IA5_PATTERN = /^[\x00-\x7f]*$/;

const textEncoder = /* @__PURE__ */ new TextEncoder();

function encodeLength(length: number): Uint8Array {
  if (length <= SHORT_LENGTH_MAX) return Uint8Array.of(length);
  let byteCount = 0;
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) byteCount++;
  const out = new Uint8Array(1 + byteCount);
  out[0] = LONG_LENGTH_FLAG | byteCount;
  let rest = length;
  for (let index = byteCount; index >= 1; index--) {
    out[index] = rest & 0xff;
    rest = Math.floor(rest / 256);
  }
  return out;
}

function encodeIdentifier(tag: number): Uint8Array {
  // `tag` is the full first identifier octet for low tag numbers (e.g. 0x30, 0xa0).
  if (tag <= 0xff) return Uint8Array.of(tag);
  // Larger values: big-endian multi-byte identifier as given (e.g. 0x9f20 → 9F 20).
  const bytes: number[] = [];
  for (let rest = tag; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Uint8Array.from(bytes);
}

/**
 * One TLV with `tag` as the identifier octet(s) (e.g. `0x30` SEQUENCE, `0xa0` [0] constructed;
 * values above 0xFF are written big-endian, e.g. `0x9f20`).
 *
 * @example
 * ```ts
 * derTlv(0x04, Uint8Array.of(1, 2)); // 04 02 01 02
 * ```
 */
export function derTlv(tag: number, value: Uint8Array): Uint8Array {
  if (!Number.isSafeInteger(tag) || tag < 0 || tag > 0xffffffff)
    throw new RangeError('derTlv: tag must be an integer in 0..0xFFFFFFFF');
  assertBytes(value, 'derTlv: value');
  const identifier = encodeIdentifier(tag);
  const length = encodeLength(value.length);
  const out = new Uint8Array(identifier.length + length.length + value.length);
  out.set(identifier, 0);
  out.set(length, identifier.length);
  out.set(value, identifier.length + length.length);
  return out;
}

/**
 * SEQUENCE of the given complete TLVs, in order.
 *
 * @example
 * ```ts
 * derSequence(derInteger(1), derNull()); // 30 05 02 01 01 05 00
 * ```
 */
export function derSequence(...children: Uint8Array[]): Uint8Array {
  for (let index = 0; index < children.length; index++)
    assertBytes(children[index], `derSequence: children[${index}]`);
  return derTlv(TAG_SEQUENCE, concatBytes(...children));
}

function compareBytes(left: Uint8Array, right: Uint8Array): number {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const difference = left[index]! - right[index]!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

/**
 * SET OF the given complete TLVs, sorted by their encodings as DER requires (X.690 §11.6).
 *
 * @example
 * ```ts
 * derSet(derInteger(2), derInteger(1)); // 31 06 02 01 01 02 01 02
 * ```
 */
export function derSet(...children: Uint8Array[]): Uint8Array {
  for (let index = 0; index < children.length; index++)
    assertBytes(children[index], `derSet: children[${index}]`);
  const sorted = [...children].sort(compareBytes);
  return derTlv(TAG_SET, concatBytes(...sorted));
}

/** Minimal two's complement content octets of a bigint (X.690 §8.3.2). */
function bigintToContent(value: bigint): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  // Emit low-order bytes until the remaining value is all sign bits and the top bit agrees.
  for (;;) {
    const byte = Number(rest & 0xffn);
    bytes.unshift(byte);
    rest >>= 8n;
    if ((rest === 0n && (byte & 0x80) === 0) || (rest === -1n && (byte & 0x80) !== 0)) break;
  }
  return Uint8Array.from(bytes);
}

/**
 * INTEGER in minimal two's complement. A `Uint8Array` is taken as an unsigned big-endian
 * magnitude (leading zeros stripped, a 00 added when the top bit is set) — handy for RSA moduli
 * and serial numbers.
 *
 * @example
 * ```ts
 * derInteger(128); // 02 02 00 80
 * derInteger(-1n); // 02 01 FF
 * ```
 */
export function derInteger(value: bigint | number | Uint8Array): Uint8Array {
  if (value instanceof Uint8Array) {
    let start = 0;
    while (start < value.length - 1 && value[start] === 0) start++;
    const magnitude = value.subarray(start);
    if (magnitude.length === 0) return derTlv(TAG_INTEGER, Uint8Array.of(0));
    if ((magnitude[0]! & 0x80) !== 0) {
      const content = new Uint8Array(magnitude.length + 1);
      content.set(magnitude, 1);
      return derTlv(TAG_INTEGER, content);
    }
    return derTlv(TAG_INTEGER, magnitude);
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError('derInteger: value must be a safe integer');
    return derTlv(TAG_INTEGER, bigintToContent(BigInt(value)));
  }
  if (typeof value !== 'bigint')
    throw new TypeError('derInteger: value must be a bigint, number or Uint8Array');
  return derTlv(TAG_INTEGER, bigintToContent(value));
}

function pushBase128(out: number[], value: bigint): void {
  const groups: number[] = [];
  let rest = value;
  do {
    groups.unshift(Number(rest & 0x7fn));
    rest >>= 7n;
  } while (rest > 0n);
  for (let index = 0; index < groups.length; index++)
    out.push(index < groups.length - 1 ? groups[index]! | 0x80 : groups[index]!);
}

/**
 * OBJECT IDENTIFIER from dotted decimal (X.690 §8.19).
 *
 * @example
 * ```ts
 * derOid('2.5.4.3'); // 06 03 55 04 03
 * ```
 */
export function derOid(dotted: string): Uint8Array {
  if (typeof dotted !== 'string') throw new TypeError('derOid: dotted must be a string');
  if (!/^[0-2](\.(0|[1-9][0-9]*))+$/.test(dotted))
    throw new RangeError(`derOid: not a dotted OID: ${dotted}`);
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  const first = arcs[0]!;
  const second = arcs[1]!;
  if (first < 2n && second > 39n) throw new RangeError('derOid: second arc must be < 40 under 0 and 1');
  const out: number[] = [];
  pushBase128(out, first * 40n + second);
  for (let index = 2; index < arcs.length; index++) pushBase128(out, arcs[index]!);
  return derTlv(TAG_OID, Uint8Array.from(out));
}

/**
 * NULL (`05 00`).
 *
 * @example
 * ```ts
 * derNull(); // 05 00
 * ```
 */
export function derNull(): Uint8Array {
  return Uint8Array.of(TAG_NULL, 0);
}

/**
 * OCTET STRING.
 *
 * @example
 * ```ts
 * derOctetString(Uint8Array.of(0xaa)); // 04 01 AA
 * ```
 */
export function derOctetString(bytes: Uint8Array): Uint8Array {
  assertBytes(bytes, 'derOctetString: bytes');
  return derTlv(TAG_OCTET_STRING, bytes);
}

/**
 * BIT STRING with `unusedBits` (0–7) unused trailing bits in the last byte. DER requires those
 * bits to be zero (X.690 §11.2.1); they are cleared here.
 *
 * @example
 * ```ts
 * derBitString(Uint8Array.of(0x80), 7); // 03 02 07 80
 * ```
 */
export function derBitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  assertBytes(bytes, 'derBitString: bytes');
  if (!Number.isInteger(unusedBits) || unusedBits < 0 || unusedBits > 7)
    throw new RangeError('derBitString: unusedBits must be 0..7');
  if (bytes.length === 0 && unusedBits !== 0)
    throw new RangeError('derBitString: unusedBits must be 0 for an empty string');
  const content = new Uint8Array(bytes.length + 1);
  content[0] = unusedBits;
  content.set(bytes, 1);
  if (bytes.length > 0) content[bytes.length] = content[bytes.length]! & ((0xff << unusedBits) & 0xff);
  return derTlv(TAG_BIT_STRING, content);
}

/**
 * UTF8String.
 *
 * @example
 * ```ts
 * derUtf8String('山田'); // 0C 06 E5 B1 B1 E7 94 B0
 * ```
 */
export function derUtf8String(s: string): Uint8Array {
  if (typeof s !== 'string') throw new TypeError('derUtf8String: s must be a string');
  return derTlv(TAG_UTF8_STRING, textEncoder.encode(s));
}

/**
 * PrintableString (A–Z a–z 0–9 space ' ( ) + , - . / : = ?).
 *
 * @example
 * ```ts
 * derPrintableString('JP'); // 13 02 4A 50
 * ```
 */
export function derPrintableString(s: string): Uint8Array {
  if (typeof s !== 'string') throw new TypeError('derPrintableString: s must be a string');
  if (!PRINTABLE_PATTERN.test(s))
    throw new RangeError('derPrintableString: s has characters outside PrintableString');
  return derTlv(TAG_PRINTABLE_STRING, textEncoder.encode(s));
}

/**
 * IA5String (7-bit ASCII).
 *
 * @example
 * ```ts
 * derIA5String('http://www.jpki.go.jp/cps.html');
 * ```
 */
export function derIA5String(s: string): Uint8Array {
  if (typeof s !== 'string') throw new TypeError('derIA5String: s must be a string');
  if (!IA5_PATTERN.test(s)) throw new RangeError('derIA5String: s has non-ASCII characters');
  return derTlv(TAG_IA5_STRING, textEncoder.encode(s));
}

function two(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

function assertDate(name: string, date: unknown): asserts date is Date {
  if (!(date instanceof Date)) throw new TypeError(`${name}: date must be a Date`);
  if (Number.isNaN(date.getTime())) throw new RangeError(`${name}: date is invalid`);
}

/**
 * UTCTime `YYMMDDHHMMSSZ` for years 1950–2049 (RFC 5280 §4.1.2.5.1). Milliseconds are dropped.
 *
 * @example
 * ```ts
 * derUtcTime(new Date('2033-07-15T14:59:59Z')); // 17 0D "330715145959Z"
 * ```
 */
export function derUtcTime(date: Date): Uint8Array {
  assertDate('derUtcTime', date);
  const year = date.getUTCFullYear();
  if (year < 1950 || year > 2049) throw new RangeError('derUtcTime: year must be 1950..2049');
  const text = two(year % 100) + monthToSecondZ(date);
  return derTlv(TAG_UTC_TIME, textEncoder.encode(text));
}

/** `MMDDHHMMSSZ` in UTC: what UTCTime and GeneralizedTime write after their year digits. */
function monthToSecondZ(date: Date): string {
  return (
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes()) +
    two(date.getUTCSeconds()) +
    'Z'
  );
}

/**
 * GeneralizedTime `YYYYMMDDHHMMSSZ` (RFC 5280 §4.1.2.5.2: no fractional seconds).
 *
 * @example
 * ```ts
 * derGeneralizedTime(new Date('2050-01-01T00:00:00Z')); // 18 0F "20500101000000Z"
 * ```
 */
export function derGeneralizedTime(date: Date): Uint8Array {
  assertDate('derGeneralizedTime', date);
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError('derGeneralizedTime: year must be 0..9999');
  const text = String(year).padStart(4, '0') + monthToSecondZ(date);
  return derTlv(TAG_GENERALIZED_TIME, textEncoder.encode(text));
}

/**
 * BOOLEAN (`01 01 FF` / `01 01 00`).
 *
 * @example
 * ```ts
 * derBoolean(true); // 01 01 FF
 * ```
 */
export function derBoolean(b: boolean): Uint8Array {
  if (typeof b !== 'boolean') throw new TypeError('derBoolean: b must be a boolean');
  return Uint8Array.of(TAG_BOOLEAN, 1, b ? BOOLEAN_TRUE : 0);
}

function contextIdentifier(name: string, tagNumber: number, constructed: boolean): number {
  if (!Number.isInteger(tagNumber) || tagNumber < 0 || tagNumber > LOW_TAG_NUMBER_MAX)
    throw new RangeError(`${name}: tagNumber must be 0..${LOW_TAG_NUMBER_MAX}`);
  return TAG_CLASS_CONTEXT | (constructed ? TAG_CONSTRUCTED : 0) | tagNumber;
}

/**
 * `[tagNumber] EXPLICIT` wrapper around one complete TLV (always constructed).
 *
 * @example
 * ```ts
 * derContextExplicit(0, derInteger(2)); // A0 03 02 01 02  (certificate version v3)
 * ```
 */
export function derContextExplicit(tagNumber: number, child: Uint8Array): Uint8Array {
  assertBytes(child, 'derContextExplicit: child');
  return derTlv(contextIdentifier('derContextExplicit', tagNumber, true), child);
}

/**
 * `[tagNumber] IMPLICIT` with the given content octets (primitive by default; pass
 * `constructed = true` when the replaced type is constructed, e.g. a SEQUENCE).
 *
 * @example
 * ```ts
 * derContextImplicit(2, new TextEncoder().encode('example.jp')); // 82 0A … (dNSName)
 * ```
 */
export function derContextImplicit(tagNumber: number, content: Uint8Array, constructed = false): Uint8Array {
  assertBytes(content, 'derContextImplicit: content');
  if (typeof constructed !== 'boolean')
    throw new TypeError('derContextImplicit: constructed must be a boolean');
  return derTlv(contextIdentifier('derContextImplicit', tagNumber, constructed), content);
}
