/**
 * Universal-class DER identifier octets (ITU-T X.680 §8.4 Table 1, encoded per X.690 §8.1.2) and
 * class/constructed bits.
 *
 * @example
 * ```ts
 * import { TAG_SEQUENCE } from '@kakunin/core/der';
 * if (reader.tag === TAG_SEQUENCE) reader.enter();
 * ```
 */

/** BOOLEAN (X.680 §8.4, universal 1). */
export const TAG_BOOLEAN = 0x01;
/** INTEGER (universal 2). */
export const TAG_INTEGER = 0x02;
/** BIT STRING (universal 3), primitive only in DER (X.690 §10.2). */
export const TAG_BIT_STRING = 0x03;
/** OCTET STRING (universal 4), primitive only in DER. */
export const TAG_OCTET_STRING = 0x04;
/** NULL (universal 5). */
export const TAG_NULL = 0x05;
/** OBJECT IDENTIFIER (universal 6). */
export const TAG_OID = 0x06;
/** ENUMERATED (universal 10). */
export const TAG_ENUMERATED = 0x0a;
/** UTF8String (universal 12). */
export const TAG_UTF8_STRING = 0x0c;
/** SEQUENCE / SEQUENCE OF (universal 16, constructed → 0x30). */
export const TAG_SEQUENCE = 0x30;
/** SET / SET OF (universal 17, constructed → 0x31). */
export const TAG_SET = 0x31;
/** NumericString (universal 18). */
export const TAG_NUMERIC_STRING = 0x12;
/** PrintableString (universal 19). */
export const TAG_PRINTABLE_STRING = 0x13;
/** TeletexString / T61String (universal 20). */
export const TAG_TELETEX_STRING = 0x14;
/** IA5String (universal 22). */
export const TAG_IA5_STRING = 0x16;
/** UTCTime (universal 23). */
export const TAG_UTC_TIME = 0x17;
/** GeneralizedTime (universal 24). */
export const TAG_GENERALIZED_TIME = 0x18;
/** VisibleString (universal 26). */
export const TAG_VISIBLE_STRING = 0x1a;
/** UniversalString (universal 28, UCS-4). */
export const TAG_UNIVERSAL_STRING = 0x1c;
/** BMPString (universal 30, UCS-2). */
export const TAG_BMP_STRING = 0x1e;

/** Context-specific class bits (X.690 §8.1.2.2, bits 8–7 = 10). */
export const TAG_CLASS_CONTEXT = 0x80;
/** Constructed bit (X.690 §8.1.2.5, bit 6). */
export const TAG_CONSTRUCTED = 0x20;
/** Class bits mask (bits 8–7). */
export const TAG_CLASS_MASK = 0xc0;
/** Tag-number mask of a low-tag-number identifier (bits 5–1). */
export const TAG_NUMBER_MASK = 0x1f;
