/**
 * Facts of the JPKI profile (certificates.md §2–3): the two root DNs (identical across the
 * 2015/2019/2023 generations), the per-purpose policy OIDs and key usages, and the SHA-256
 * fingerprints J-LIS publishes for the roots (for pinning a trust store). The roots
 * themselves are public documents that callers load and pass in; nothing is embedded.
 *
 * @example
 * ```ts
 * certificate.issuer.equals(new Name(jpkiRootName('auth'))); // issued under the auth family?
 * await identifyJpkiRoot(root, crypto.subtle); // { id: 'authca03', generation: 2023, … }
 * ```
 */
import { derOid, derPrintableString, derSequence, derSet, derUtf8String } from '../der/der-writer.js';
import { bytesToHex } from '../transport/hex.js';
import type { Certificate } from './certificate.js';
import { KEY_USAGE } from './extensions.js';
import { OID } from './oids.js';

export type JpkiPurpose = 'auth' | 'sign';

/** OU naming the purpose in the root DNs (certificates.md §2.1). */
export const JPKI_PURPOSE_UNIT: Readonly<Record<JpkiPurpose, string>> = {
  auth: 'JPKI for user authentication',
  sign: 'JPKI for digital signature',
};
/** Second OU of both root DNs (certificates.md §2.1). */
const JPKI_AGENCY_UNIT = 'Japan Agency for Local Authority Information Systems';
/** O of the production roots. */
const JPKI_ORGANIZATION = 'JPKI';

/** Policy OID per purpose (certificates.md §3). */
export const JPKI_POLICY: Readonly<Record<JpkiPurpose, string>> = {
  auth: OID.jpkiAuthPolicy,
  sign: OID.jpkiSignPolicy,
};

/** Exact keyUsage per purpose (certificates.md §3, §5 step 3). */
export const JPKI_KEY_USAGE: Readonly<Record<JpkiPurpose, number>> = {
  auth: KEY_USAGE.digitalSignature,
  sign: KEY_USAGE.digitalSignature | KEY_USAGE.nonRepudiation,
};

/** RSA modulus size of every JPKI key (certificates.md §2.1, §3). */
export const JPKI_RSA_BITS = 2048;
/** RSA public exponent of every JPKI key (certificates.md §2.1, §3). */
export const JPKI_RSA_EXPONENT = 65537n;
/** End-entity size cap of validation step 1 (certificates.md §5: "≤ ~4 KB"). */
export const JPKI_MAX_CERTIFICATE_SIZE = 4096;

/**
 * DER of the production root DN for `purpose`: C=JP (PrintableString), O=JPKI,
 * OU=<purpose unit>, OU=Japan Agency for Local Authority Information Systems (UTF8String),
 * byte-identical to the subject of every J-LIS root generation.
 *
 * @example
 * ```ts
 * new Name(jpkiRootName('sign')).toString();
 * // "C=JP, O=JPKI, OU=JPKI for digital signature, OU=Japan Agency for Local Authority Information Systems"
 * ```
 */
export function jpkiRootName(purpose: JpkiPurpose): Uint8Array {
  if (purpose !== 'auth' && purpose !== 'sign')
    throw new RangeError("jpkiRootName: purpose must be 'auth' or 'sign'");
  const attribute = (type: string, value: Uint8Array) => derSet(derSequence(derOid(type), value));
  return derSequence(
    attribute(OID.countryName, derPrintableString('JP')),
    attribute(OID.organizationName, derUtf8String(JPKI_ORGANIZATION)),
    attribute(OID.organizationalUnitName, derUtf8String(JPKI_PURPOSE_UNIT[purpose])),
    attribute(OID.organizationalUnitName, derUtf8String(JPKI_AGENCY_UNIT)),
  );
}

/** One published J-LIS root. */
export interface JpkiRootFact {
  readonly id: string;
  readonly purpose: JpkiPurpose;
  readonly generation: 2015 | 2019 | 2023;
  /** SHA-256 of the DER, upper-case hex without separators. */
  readonly sha256: string;
  readonly notAfter: string;
}

/**
 * Roots whose full fingerprints are published (certificates.md §2.1; the 2019 generation's
 * fingerprints are not fully known, so it is identified by callers' own pins).
 */
export const JPKI_ROOTS: readonly JpkiRootFact[] = [
  {
    id: 'authca01',
    purpose: 'auth',
    generation: 2015,
    sha256: '4DCFC4CA0AAF9FB2A3081B3F0C991C320B3ACC008667A341EEAEC5AF1D58CA7D',
    notAfter: '2025-10-19T14:59:59Z',
  },
  {
    id: 'signca01',
    purpose: 'sign',
    generation: 2015,
    sha256: '19645405A1FE14377434BD55957628AC4038557C542403A2243F21C706FC9355',
    notAfter: '2025-10-19T14:59:59Z',
  },
  {
    id: 'authca03',
    purpose: 'auth',
    generation: 2023,
    sha256: '64114F29620C24ED2631D46476A040E7EE740D956089C00B036A6A8118C322B5',
    notAfter: '2033-07-15T14:59:59Z',
  },
  {
    id: 'signca03',
    purpose: 'sign',
    generation: 2023,
    sha256: 'D227F6CDE11D35C5252178F106F843D24651944975413B539FA2FB68DBFA365F',
    notAfter: '2033-07-15T14:59:59Z',
  },
];

/**
 * The published J-LIS root `certificate` is, by SHA-256 fingerprint, or undefined.
 *
 * @example
 * ```ts
 * (await identifyJpkiRoot(root, globalThis.crypto.subtle))?.id; // "signca03"
 * ```
 */
export async function identifyJpkiRoot(
  certificate: Certificate,
  subtle?: SubtleCrypto,
): Promise<JpkiRootFact | undefined> {
  const crypto = subtle ?? globalThis.crypto?.subtle;
  if (crypto === undefined) throw new TypeError('identifyJpkiRoot: no SubtleCrypto available; pass one');
  const digest = new Uint8Array(await crypto.digest('SHA-256', certificate.der as Uint8Array<ArrayBuffer>));
  const hex = bytesToHex(digest).toUpperCase();
  return JPKI_ROOTS.find((root) => root.sha256 === hex);
}
