/**
 * `@kakunin/core/der`: a strict, bounded, zero-copy DER reader and a small DER writer
 * (ITU-T X.690).
 *
 * @example
 * ```ts
 * import { derSequence, derInteger, derOid, derNull } from '@kakunin/core/der';
 * const algorithm = derSequence(derOid('1.2.840.113549.1.1.11'), derNull());
 * ```
 */
export * from './der-tags.js';
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
