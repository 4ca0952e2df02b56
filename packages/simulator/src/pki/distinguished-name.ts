/**
 * X.501 Names for the test PKI (RFC 5280 §4.1.2.4): one attribute per RDN, in the given order;
 * PrintableString where the value allows it (country, romaji), UTF8String otherwise (Japanese).
 *
 * @example
 * ```ts
 * encodeName([['C', 'JP'], ['O', 'kakunin Test JPKI']]);
 * ```
 */
import { derOid, derPrintableString, derSequence, derSet, derUtf8String } from '@kakunin/core/der';
import { X509_OID } from './jpki-oids.js';

export type NameAttribute = 'C' | 'O' | 'OU' | 'CN' | 'L';
/**
 * A Name as (attribute, value) pairs, most significant first.
 *
 * @example
 * ```ts
 * const name: NameParts = [['C', 'JP'], ['CN', 'opaque']];
 * ```
 */
export type NameParts = readonly (readonly [NameAttribute, string])[];

const ATTRIBUTE_OID: Readonly<Record<NameAttribute, string>> = {
  C: X509_OID.COUNTRY,
  O: X509_OID.ORGANIZATION,
  OU: X509_OID.ORGANIZATIONAL_UNIT,
  CN: X509_OID.COMMON_NAME,
  L: X509_OID.LOCALITY,
};
/** PrintableString alphabet (X.680 §41.4). */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/**
 * DER of the Name.
 *
 * @example
 * ```ts
 * encodeName([['C', 'JP'], ['CN', 'test']]);
 * ```
 */
export function encodeName(parts: NameParts): Uint8Array {
  return derSequence(
    ...parts.map(([attribute, value]) =>
      derSet(
        derSequence(
          derOid(ATTRIBUTE_OID[attribute]),
          PRINTABLE.test(value) ? derPrintableString(value) : derUtf8String(value),
        ),
      ),
    ),
  );
}

/**
 * RFC 4514-style text, most significant first as written (for messages and the README).
 *
 * @example
 * ```ts
 * formatName([['C', 'JP'], ['O', 'kakunin Test JPKI']]); // 'C=JP, O=kakunin Test JPKI'
 * ```
 */
export function formatName(parts: NameParts): string {
  return parts.map(([attribute, value]) => `${attribute}=${value}`).join(', ');
}
