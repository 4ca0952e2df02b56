/**
 * `@kakunin/core/der`: a strict, bounded, zero-copy DER reader and a small DER writer
 * (ITU-T X.690).
 *
 * @example
 * ```ts
 * import { DerCursor, TAG_SEQUENCE, TAG_INTEGER, derSequence, derInteger } from '@kakunin/core/der';
 * const bytes = derSequence(derInteger(42));
 * const cursor = new DerCursor(bytes);
 * cursor.read(TAG_SEQUENCE).enter();
 * cursor.read(TAG_INTEGER).smallInteger(); // 42
 * ```
 */
export {
  DEFAULT_MAX_DEPTH,
  DerCursor,
  type DerCursorOptions,
  type DerHeader,
  MAX_DEPTH_LIMIT,
  readDerHeader,
} from './der-cursor.js';
export { DerErrorCode, type DerErrorReason, derError } from './der-error.js';
export { checkOid, decodeOid } from './der-oid.js';
export {
  type BitStringView,
  bitStringBit,
  checkBitString,
  checkInteger,
  decodeBitString,
  decodeBoolean,
  decodeInteger,
  decodeNull,
  decodeSmallInteger,
  decodeUnsignedInteger,
} from './der-primitives.js';
export { checkString, decodeString, STRING_TAGS } from './der-string.js';
export {
  TAG_BIT_STRING,
  TAG_BMP_STRING,
  TAG_BOOLEAN,
  TAG_CLASS_CONTEXT,
  TAG_CLASS_MASK,
  TAG_CONSTRUCTED,
  TAG_ENUMERATED,
  TAG_GENERALIZED_TIME,
  TAG_IA5_STRING,
  TAG_INTEGER,
  TAG_NULL,
  TAG_NUMBER_MASK,
  TAG_NUMERIC_STRING,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_PRINTABLE_STRING,
  TAG_SEQUENCE,
  TAG_SET,
  TAG_TELETEX_STRING,
  TAG_UNIVERSAL_STRING,
  TAG_UTC_TIME,
  TAG_UTF8_STRING,
  TAG_VISIBLE_STRING,
} from './der-tags.js';
export { checkTime, decodeTime } from './der-time.js';
export { DEFAULT_MAX_ELEMENTS, type DerValidateOptions, validateDer } from './der-validate.js';
export {
  derBitString,
  derBoolean,
  derContextExplicit,
  derContextImplicit,
  derGeneralizedTime,
  derIA5String,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derPrintableString,
  derSequence,
  derSet,
  derTlv,
  derUtcTime,
  derUtf8String,
} from './der-writer.js';
