/**
 * A strict, bounded, zero-copy DER cursor (ITU-T X.690 §8.1, §10.1). It walks consecutive
 * TLVs in `bytes[start, end)`, enters and leaves constructed elements with a bounded depth
 * stack, and hands out `subarray` views — nothing is allocated per element.
 *
 * Rejected with offset-bearing CardErrors: truncated headers and values (`DER_TRUNCATED`),
 * indefinite lengths, non-minimal lengths, lengths above 4 octets, high tag numbers, the
 * end-of-contents tag, wrong tags, trailing bytes and excessive depth (`DER_MALFORMED`).
 *
 * @example
 * ```ts
 * const cursor = new DerCursor(certificate);
 * cursor.read(TAG_SEQUENCE).enter();          // Certificate
 * cursor.read(TAG_SEQUENCE);                  // tbsCertificate
 * const tbs = cursor.element();
 * ```
 */
import { assertBytes } from '../transport/assert-bytes.js';
import { derError } from './der-error.js';
import { decodeOid } from './der-oid.js';
import type { BitStringView } from './der-primitives.js';
import {
  decodeBitString,
  decodeBoolean,
  decodeInteger,
  decodeNull,
  decodeSmallInteger,
} from './der-primitives.js';
import { decodeString } from './der-string.js';
import { TAG_CONSTRUCTED, TAG_GENERALIZED_TIME, TAG_UTC_TIME } from './der-tags.js';
import { decodeTime } from './der-time.js';

/** Default nesting limit; X.509 structures nest about 10 deep. */
export const DEFAULT_MAX_DEPTH = 32;
/** Largest supported nesting limit. */
export const MAX_DEPTH_LIMIT = 256;
/** Low 5 bits all ones → high-tag-number form (X.690 §8.1.2.4); unused in X.509, rejected. */
const HIGH_TAG_NUMBER = 0x1f;
/** Largest short-form length (X.690 §8.1.3.4). */
const SHORT_LENGTH_MAX = 0x7f;
/** Length octet 0x80 → indefinite form, forbidden in DER (X.690 §10.1). */
const LENGTH_INDEFINITE = 0x80;
/** Length octet 0xFF is reserved (X.690 §8.1.3.5 c). */
const LENGTH_RESERVED = 0xff;
/** We accept up to 4 subsequent length octets (lengths up to 4 GiB − 1). */
const MAX_LENGTH_OCTETS = 4;

/** Where {@link readDerHeader} writes one element's header. */
export interface DerHeader {
  tag: number;
  start: number;
  valueStart: number;
  valueEnd: number;
}

/**
 * Reads the DER header at `offset` (which must be < `limit`) into `out` without allocating:
 * the same strict rules as {@link DerCursor.next}. For hand-written hot loops.
 *
 * @example
 * ```ts
 * const header = { tag: 0, start: 0, valueStart: 0, valueEnd: 0 };
 * readDerHeader(bytes, 0, bytes.length, header);
 * ```
 */
export function readDerHeader(bytes: Uint8Array, offset: number, limit: number, out: DerHeader): void {
  const tag = bytes[offset]!;
  if ((tag & HIGH_TAG_NUMBER) === HIGH_TAG_NUMBER) throw derError('high-tag-number', offset);
  if (tag === 0) throw derError('end-of-contents', offset);
  if (offset + 1 >= limit) throw derError('truncated-header', offset);
  const first = bytes[offset + 1]!;
  let length: number;
  let valueStart: number;
  if (first <= SHORT_LENGTH_MAX) {
    length = first;
    valueStart = offset + 2;
  } else {
    if (first === LENGTH_INDEFINITE) throw derError('indefinite-length', offset);
    if (first === LENGTH_RESERVED) throw derError('length-too-long', offset);
    const count = first & SHORT_LENGTH_MAX;
    if (count > MAX_LENGTH_OCTETS) throw derError('length-too-long', offset);
    if (offset + 2 + count > limit) throw derError('truncated-header', offset);
    if (bytes[offset + 2] === 0) throw derError('non-minimal-length', offset);
    length = 0;
    for (let index = 0; index < count; index++) length = length * 256 + bytes[offset + 2 + index]!;
    if (length <= SHORT_LENGTH_MAX) throw derError('non-minimal-length', offset);
    valueStart = offset + 2 + count;
  }
  const valueEnd = valueStart + length;
  if (valueEnd > limit)
    throw derError(
      'truncated-value',
      offset,
      `length ${length} exceeds the ${limit - valueStart} bytes left`,
    );
  out.tag = tag;
  out.start = offset;
  out.valueStart = valueStart;
  out.valueEnd = valueEnd;
}

/** Options of {@link DerCursor}. */
export interface DerCursorOptions {
  /** Nesting limit for {@link DerCursor.enter} (default 32, at most 256). */
  readonly maxDepth?: number;
}

/**
 * Forward-only strict DER cursor over `bytes[start, end)` (see the file comment).
 *
 * @example
 * ```ts
 * const cursor = new DerCursor(bytes);
 * cursor.read(TAG_SEQUENCE).enter();
 * while (cursor.next()) console.log(cursor.tag, cursor.length);
 * cursor.leave();
 * ```
 */
export class DerCursor implements DerHeader {
  /** The whole buffer; offsets in errors and fields are relative to it. */
  readonly bytes: Uint8Array;
  /** Identifier octet of the current element, or -1 before the first `next()`. */
  tag = -1;
  /** Offset of the current element's identifier octet. */
  start = 0;
  /** Offset of the current element's first content octet. */
  valueStart = 0;
  /** Offset just past the current element. */
  valueEnd = 0;
  /** Where the next `next()` reads. */
  position: number;
  /** End of the current scope (the top-level range or the entered element's value). */
  end: number;
  /** (position after the entered element, enclosing end) pairs; a plain array: cheap to create. */
  private readonly stack: number[] = [];
  private readonly maxDepth: number;
  private level = 0;

  constructor(bytes: Uint8Array, start = 0, end = bytes?.length ?? 0, options: DerCursorOptions = {}) {
    assertBytes(bytes, 'DerCursor: bytes');
    if (!Number.isInteger(start) || start < 0 || start > bytes.length)
      throw new RangeError('DerCursor: start is out of range');
    if (!Number.isInteger(end) || end < start || end > bytes.length)
      throw new RangeError('DerCursor: end is out of range');
    const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > MAX_DEPTH_LIMIT)
      throw new RangeError(`DerCursor: options.maxDepth must be 1..${MAX_DEPTH_LIMIT}`);
    this.bytes = bytes;
    this.position = start;
    this.end = end;
    this.maxDepth = maxDepth;
  }

  /** Current nesting level (0 at top level). */
  get depth(): number {
    return this.level;
  }

  /** True when the current scope has no more elements. */
  get atEnd(): boolean {
    return this.position >= this.end;
  }

  /** Whether the current element is constructed (X.690 §8.1.2.5). */
  get constructed(): boolean {
    return (this.tag & TAG_CONSTRUCTED) !== 0;
  }

  /** Content length of the current element. */
  get length(): number {
    return this.valueEnd - this.valueStart;
  }

  /** Identifier octet at the read position without consuming it; -1 at the end of the scope. */
  peekTag(): number {
    return this.position < this.end ? this.bytes[this.position]! : -1;
  }

  /**
   * Reads the next element's header. Returns false at the end of the scope.
   * Throws DER_TRUNCATED / DER_MALFORMED for a bad header or a value running past the scope.
   */
  next(): boolean {
    if (this.position >= this.end) return false;
    readDerHeader(this.bytes, this.position, this.end, this);
    this.position = this.valueEnd;
    return true;
  }

  /**
   * Reads the next element and requires identifier octet `expectedTag`.
   *
   * @example
   * ```ts
   * cursor.read(TAG_INTEGER);
   * ```
   */
  read(expectedTag: number, what = ''): this {
    const at = this.position;
    if (!this.next())
      throw derError(
        'unexpected-end',
        at,
        what === '' ? `expected tag 0x${hex(expectedTag)}` : `expected ${what}`,
      );
    if (this.tag !== expectedTag)
      throw derError(
        'unexpected-tag',
        this.start,
        `${what === '' ? '' : `${what}: `}expected tag 0x${hex(expectedTag)}, got 0x${hex(this.tag)}`,
      );
    return this;
  }

  /** Reads the next element if its identifier octet is `tag`; returns whether it did. */
  readOptional(tag: number): boolean {
    if (this.position >= this.end || this.bytes[this.position] !== tag) return false;
    this.next();
    return true;
  }

  /**
   * Descends into the current (constructed) element: the scope becomes its content.
   *
   * @example
   * ```ts
   * cursor.read(TAG_SEQUENCE).enter();
   * ```
   */
  enter(): this {
    if ((this.tag & TAG_CONSTRUCTED) === 0)
      throw derError('wrong-construction', this.start, 'not a constructed element');
    if (this.level >= this.maxDepth)
      throw derError('too-deep', this.start, `more than ${this.maxDepth} levels`);
    this.stack.push(this.valueEnd, this.end);
    this.level++;
    this.position = this.valueStart;
    this.end = this.valueEnd;
    return this;
  }

  /** Leaves the entered element; its content must have been read completely. */
  leave(): this {
    if (this.level === 0) throw new RangeError('DerCursor.leave: not inside an element');
    if (this.position !== this.end)
      throw derError('trailing-bytes', this.position, 'unread bytes inside an element');
    this.level--;
    this.end = this.stack.pop()!;
    this.position = this.stack.pop()!;
    return this;
  }

  /** Leaves the entered element, skipping whatever was not read. */
  skipToEnd(): this {
    this.position = this.end;
    return this.leave();
  }

  /** Requires the current scope to be fully consumed (no trailing bytes). */
  finish(): void {
    if (this.position !== this.end) throw derError('trailing-bytes', this.position);
  }

  /** Content octets of the current element (a view, not a copy). */
  value(): Uint8Array {
    return this.bytes.subarray(this.valueStart, this.valueEnd);
  }

  /** The whole current element, header included (a view). */
  element(): Uint8Array {
    return this.bytes.subarray(this.start, this.valueEnd);
  }

  /** Current element as INTEGER (minimal two's complement), as a bigint. */
  integer(): bigint {
    return decodeInteger(this.bytes, this.valueStart, this.valueEnd);
  }

  /** Current element as a small INTEGER/ENUMERATED (|value| ≤ 2^53 − 1). */
  smallInteger(): number {
    return decodeSmallInteger(this.bytes, this.valueStart, this.valueEnd);
  }

  /** Current element as OBJECT IDENTIFIER, in dotted form. */
  oid(): string {
    return decodeOid(this.bytes, this.valueStart, this.valueEnd);
  }

  /** Current element as DER BOOLEAN. */
  boolean(): boolean {
    return decodeBoolean(this.bytes, this.valueStart, this.valueEnd);
  }

  /** Current element as NULL. */
  null(): null {
    decodeNull(this.bytes, this.valueStart, this.valueEnd);
    return null;
  }

  /** Current element as UTCTime or GeneralizedTime, in milliseconds since the epoch. */
  time(): number {
    return decodeTime(this.tag, this.bytes, this.valueStart, this.valueEnd);
  }

  /**
   * Advances to the next element, which must be a UTCTime or GeneralizedTime (RFC 5280 Time), and
   * returns it in epoch milliseconds.
   */
  readTime(what: string): number {
    if (!this.next()) throw derError('unexpected-end', this.position, `expected ${what}`);
    if (this.tag !== TAG_UTC_TIME && this.tag !== TAG_GENERALIZED_TIME)
      throw derError('unexpected-tag', this.start, `${what} must be UTCTime or GeneralizedTime`);
    return this.time();
  }

  /** Current element as a character string (UTF8, Printable, IA5, BMP, …). */
  string(): string {
    return decodeString(this.tag, this.bytes, this.valueStart, this.valueEnd);
  }

  /** Current element as BIT STRING. */
  bitString(): BitStringView {
    return decodeBitString(this.bytes, this.valueStart, this.valueEnd);
  }
}

function hex(value: number): string {
  return value.toString(16).padStart(2, '0');
}
