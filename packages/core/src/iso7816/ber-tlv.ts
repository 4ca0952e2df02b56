/**
 * BER-TLV reader over Uint8Array views (ISO 7816-4 §5.2, ISO 8825-1 §8.1). Multi-byte tags
 * (`FF 20`, `DF 22`, `5F 4E`, `7F 21`), definite lengths of up to 4 length bytes, `00`/`FF`
 * filler tolerated where the card uses it (jpki-card.md §11), and truncated or lying lengths
 * rejected with offset-bearing CardErrors. The cursor allocates nothing per element.
 *
 * @example
 * ```ts
 * const cursor = new TlvCursor(file, 0, file.length, { filler: true });
 * while (cursor.next()) {
 *   if (cursor.tag === 0xdf22) name = decoder.decode(cursor.value());
 * }
 * ```
 */
import { assertBytes } from '../transport/assert-bytes.js';
import { CardError } from '../transport/card-error.js';

/** Largest tag we accept: 4 bytes (first byte plus 3 subsequent). */
const MAX_TAG_BYTES = 4;
/** Largest length field: 0x84 + 4 bytes. */
const MAX_LENGTH_BYTES = 4;
/** Low 5 bits all set in the first tag byte → subsequent tag bytes follow (ISO 8825-1 §8.1.2.4). */
const TAG_NUMBER_MASK = 0x1f;
/** Bit 8 of a subsequent tag byte → another byte follows. */
const TAG_MORE = 0x80;
/** Bit 6 of the first tag byte → constructed. */
const TAG_CONSTRUCTED = 0x20;
/** Length byte 0x80 → indefinite form (not allowed here). */
const LENGTH_INDEFINITE = 0x80;

export type TlvErrorReason =
  | 'truncated-tag'
  | 'tag-too-long'
  | 'truncated-length'
  | 'indefinite-length'
  | 'length-too-long'
  | 'value-exceeds-data';

function tlvError(reason: TlvErrorReason, offset: number, extra = ''): CardError {
  const code =
    reason === 'truncated-tag' || reason === 'truncated-length' || reason === 'value-exceeds-data'
      ? 'TLV_TRUNCATED'
      : 'TLV_MALFORMED';
  return new CardError(code, `BER-TLV ${reason} at offset ${offset}${extra}`, {
    details: { reason, offset },
  });
}

export interface TlvCursorOptions {
  /** Skip `00` bytes between objects and stop at a tail of `00`/`FF` filler. */
  readonly filler?: boolean;
}

/**
 * A forward-only cursor over consecutive TLV objects in `bytes[start, end)`.
 * After `next()` returns true, `tag`, `tagOffset`, `valueStart`, `valueEnd` and `constructed`
 * describe the current object.
 */
export class TlvCursor {
  readonly bytes: Uint8Array;
  readonly end: number;
  readonly filler: boolean;
  /** Offset of the next object's tag. */
  position: number;
  tag = 0;
  tagOffset = 0;
  headerLength = 0;
  valueStart = 0;
  valueEnd = 0;
  constructed = false;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length, options: TlvCursorOptions = {}) {
    assertBytes(bytes, 'bytes');
    if (!Number.isInteger(start) || start < 0 || start > bytes.length)
      throw new RangeError(`start must be 0..${bytes.length}`);
    if (!Number.isInteger(end) || end < start || end > bytes.length)
      throw new RangeError(`end must be ${start}..${bytes.length}`);
    this.bytes = bytes;
    this.position = start;
    this.end = end;
    this.filler = options.filler === true;
  }

  /** Length of the current value. */
  get length(): number {
    return this.valueEnd - this.valueStart;
  }

  /** Zero-copy view of the current value. */
  value(): Uint8Array {
    return this.bytes.subarray(this.valueStart, this.valueEnd);
  }

  /** A cursor over the current (constructed) object's children. */
  children(options: TlvCursorOptions = { filler: this.filler }): TlvCursor {
    return new TlvCursor(this.bytes, this.valueStart, this.valueEnd, options);
  }

  /** Advances to the next object; false at the end (or at trailing filler). */
  next(): boolean {
    const bytes = this.bytes;
    let offset = this.position;
    if (this.filler) {
      while (offset < this.end && bytes[offset] === 0x00) offset++;
      if (offset < this.end && bytes[offset] === 0xff && isFillerTail(bytes, offset, this.end))
        offset = this.end;
    }
    if (offset >= this.end) {
      this.position = this.end;
      return false;
    }
    const length = this.readHeaderAt(offset);
    if (length > this.end - this.valueStart) {
      throw tlvError(
        'value-exceeds-data',
        this.tagOffset,
        `: length ${length}, ${this.end - this.valueStart} available`,
      );
    }
    this.valueEnd = this.valueStart + length;
    this.position = this.valueEnd;
    return true;
  }

  /**
   * Decodes the tag and length at `offset` into this cursor (tag, tagOffset, constructed,
   * headerLength, valueStart) and returns the declared value length without checking that the
   * value is present.
   */
  readHeaderAt(offset: number): number {
    const bytes = this.bytes;
    this.tagOffset = offset;
    if (offset >= this.end) throw tlvError('truncated-tag', offset);
    const first = bytes[offset++]!;
    let tag = first;
    if ((first & TAG_NUMBER_MASK) === TAG_NUMBER_MASK) {
      let count = 1;
      for (;;) {
        if (offset >= this.end) throw tlvError('truncated-tag', this.tagOffset);
        if (++count > MAX_TAG_BYTES) throw tlvError('tag-too-long', this.tagOffset);
        const next = bytes[offset++]!;
        tag = tag * 256 + next;
        if ((next & TAG_MORE) === 0) break;
      }
    }
    if (offset >= this.end) throw tlvError('truncated-length', offset);
    const lengthOffset = offset;
    const lengthByte = bytes[offset++]!;
    let length: number;
    if (lengthByte < 0x80) {
      length = lengthByte;
    } else if (lengthByte === LENGTH_INDEFINITE) {
      throw tlvError('indefinite-length', lengthOffset);
    } else {
      const count = lengthByte & 0x7f;
      if (count > MAX_LENGTH_BYTES) throw tlvError('length-too-long', lengthOffset);
      if (offset + count > this.end) throw tlvError('truncated-length', lengthOffset);
      length = 0;
      for (let index = 0; index < count; index++) length = length * 256 + bytes[offset++]!;
    }
    this.tag = tag;
    this.constructed = (first & TAG_CONSTRUCTED) !== 0;
    this.headerLength = offset - this.tagOffset;
    this.valueStart = offset;
    return length;
  }
}

function isFillerTail(bytes: Uint8Array, from: number, end: number): boolean {
  for (let index = from; index < end; index++) {
    const byte = bytes[index]!;
    if (byte !== 0xff && byte !== 0x00) return false;
  }
  return true;
}

export interface TlvHeader {
  readonly tag: number;
  readonly constructed: boolean;
  /** Tag + length bytes. */
  readonly headerLength: number;
  readonly length: number;
  /** headerLength + length: how many bytes the whole object takes. */
  readonly totalLength: number;
}

/**
 * Parses only the header of the object at `offset`; the value may lie beyond `bytes` (used to size
 * a READ BINARY from the first few bytes of a file). Throws TLV_TRUNCATED when the header itself
 * is incomplete.
 *
 * @example
 * ```ts
 * parseTlvHeader(new Uint8Array([0x30, 0x82, 0x05, 0x10])).totalLength; // 1300
 * ```
 */
export function parseTlvHeader(bytes: Uint8Array, offset = 0): TlvHeader {
  assertBytes(bytes, 'bytes');
  if (!Number.isInteger(offset) || offset < 0 || offset > bytes.length)
    throw new RangeError(`offset must be 0..${bytes.length}`);
  const cursor = new TlvCursor(bytes, offset, bytes.length);
  const length = cursor.readHeaderAt(offset);
  const headerLength = cursor.headerLength;
  return {
    tag: cursor.tag,
    constructed: cursor.constructed,
    headerLength,
    length,
    totalLength: headerLength + length,
  };
}

/**
 * Finds the first object with `tag` among the consecutive objects of `bytes[start, end)` (not
 * recursive) and returns a view of its value, or undefined.
 *
 * @example
 * ```ts
 * const name = findTlv(basicFour, 0xdf22);
 * ```
 */
export function findTlv(
  bytes: Uint8Array,
  tag: number,
  start = 0,
  end = bytes.length,
  options: TlvCursorOptions = { filler: true },
): Uint8Array | undefined {
  const cursor = new TlvCursor(bytes, start, end, options);
  while (cursor.next()) if (cursor.tag === tag) return cursor.value();
  return undefined;
}

/** Number of bytes needed to read the BER header of any object we accept (tag 4 + length 5). */
export const MAX_TLV_HEADER_LENGTH = MAX_TAG_BYTES + 1 + MAX_LENGTH_BYTES;
