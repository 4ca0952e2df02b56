/**
 * Whole-tree strict DER check: walks every element of one TLV (iteratively, bounded depth and
 * element count) and applies the DER content rules of the universal types it meets — minimal
 * INTEGER/ENUMERATED, 00/FF BOOLEAN, empty NULL, minimal OID, BIT STRING unused bits zero,
 * RFC 5280 time forms, valid character strings, primitive strings and constructed
 * SEQUENCE/SET (X.690 §10–11). The content of OCTET STRING and BIT STRING is not descended into.
 *
 * @example
 * ```ts
 * validateDer(certificateBytes, { maxElements: 4096 }); // throws DER_* on the first violation
 * ```
 */
import { assertBytes } from '../transport/assert-bytes.js';
import { DerCursor } from './der-cursor.js';
import { derError } from './der-error.js';
import { checkOid } from './der-oid.js';
import { checkBitString, checkInteger, decodeBoolean, decodeNull } from './der-primitives.js';
import { checkString, STRING_TAGS } from './der-string.js';
import {
  TAG_BIT_STRING,
  TAG_BOOLEAN,
  TAG_CLASS_MASK,
  TAG_CONSTRUCTED,
  TAG_ENUMERATED,
  TAG_GENERALIZED_TIME,
  TAG_INTEGER,
  TAG_NULL,
  TAG_NUMBER_MASK,
  TAG_OID,
  TAG_UTC_TIME,
} from './der-tags.js';
import { decodeTime } from './der-time.js';

/** Universal SEQUENCE tag number (X.680 §8.4). */
const SEQUENCE_NUMBER = 0x10;
/** Universal SET tag number. */
const SET_NUMBER = 0x11;

/** Limits of {@link validateDer}. */
export interface DerValidateOptions {
  /** Nesting limit (default 32). */
  readonly maxDepth?: number;
  /** Element-count limit (default 100,000). */
  readonly maxElements?: number;
}

/** Default element-count limit of {@link validateDer}. */
export const DEFAULT_MAX_ELEMENTS = 100_000;

/**
 * Checks that `bytes[start, end)` is exactly one strict-DER element; returns the number of
 * elements in the tree.
 *
 * @example
 * ```ts
 * const elements = validateDer(bytes);
 * ```
 */
export function validateDer(
  bytes: Uint8Array,
  options: DerValidateOptions = {},
  start = 0,
  end = bytes?.length ?? 0,
): number {
  assertBytes(bytes, 'validateDer: bytes');
  const maxElements = options.maxElements ?? DEFAULT_MAX_ELEMENTS;
  if (!Number.isInteger(maxElements) || maxElements < 1)
    throw new RangeError('validateDer: options.maxElements must be a positive integer');
  const cursor = new DerCursor(
    bytes,
    start,
    end,
    options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth },
  );
  if (!cursor.next()) throw derError('unexpected-end', start, 'empty input');
  cursor.finish();
  let count = 0;
  for (;;) {
    count++;
    if (count > maxElements)
      throw derError('too-many-elements', cursor.start, `more than ${maxElements} elements`);
    checkElement(cursor);
    if (cursor.constructed) cursor.enter();
    while (cursor.atEnd && cursor.depth > 0) cursor.leave();
    if (cursor.depth === 0) return count;
    cursor.next();
  }
}

function checkElement(cursor: DerCursor): void {
  const tag = cursor.tag;
  if ((tag & TAG_CLASS_MASK) !== 0) return;
  const bytes = cursor.bytes;
  const start = cursor.valueStart;
  const end = cursor.valueEnd;
  const number = tag & TAG_NUMBER_MASK;
  const constructed = (tag & TAG_CONSTRUCTED) !== 0;
  if (number === SEQUENCE_NUMBER || number === SET_NUMBER) {
    if (!constructed) throw derError('wrong-construction', cursor.start, 'SEQUENCE/SET must be constructed');
    return;
  }
  if (constructed)
    throw derError('wrong-construction', cursor.start, 'universal primitive type in constructed form');
  switch (tag) {
    case TAG_BOOLEAN:
      decodeBoolean(bytes, start, end);
      return;
    case TAG_INTEGER:
    case TAG_ENUMERATED:
      checkInteger(bytes, start, end);
      return;
    case TAG_BIT_STRING:
      checkBitString(bytes, start, end);
      return;
    case TAG_NULL:
      decodeNull(bytes, start, end);
      return;
    case TAG_OID:
      checkOid(bytes, start, end);
      return;
    case TAG_UTC_TIME:
    case TAG_GENERALIZED_TIME:
      decodeTime(tag, bytes, start, end);
      return;
    default:
      if (STRING_TAGS.has(tag)) checkString(tag, bytes, start, end);
  }
}
