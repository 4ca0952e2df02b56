/**
 * Builds and signs X.509 v2 CRLs (RFC 5280 §5) for the test hierarchies, with one reasonCode per
 * entry (§5.3.1; JPKI's reasons, certificates.md §4), AKI and cRLNumber, and an optional
 * issuingDistributionPoint naming a municipality partition (certificates.md §3–§4).
 *
 * @example
 * ```ts
 * const crl = buildCrl({ issuer: pki.authCa, thisUpdate, nextUpdate, entries: [{ serialNumber, revokedAt, reason: 'keyCompromise' }] });
 * ```
 */
import { derContextExplicit, derInteger, derSequence, derTlv } from '@kakunin/core/der';
import { encodeTime, sha256WithRsaAlgorithm, signStructure } from './certificate-builder.js';
import { X509_OID } from './jpki-oids.js';
import type { CertificateAuthority } from './test-pki.js';
import { authorityKeyIdentifier, crlNumber, extension, issuingDistributionPoint } from './x509-extensions.js';

/**
 * CRLReason values (RFC 5280 §5.3.1).
 *
 * @example
 * ```ts
 * CRL_REASON.keyCompromise; // 1
 * ```
 */
export const CRL_REASON = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
} as const;
/**
 * A CRLReason name.
 *
 * @example
 * ```ts
 * const reason: CrlReason = 'affiliationChanged';
 * ```
 */
export type CrlReason = keyof typeof CRL_REASON;

/** ENUMERATED tag (X.690 §8.4). */
const TAG_ENUMERATED = 0x0a;
/** CRL v2 is encoded as version 1 (RFC 5280 §5.1.2.1). */
const CRL_VERSION_V2 = 1;

/**
 * One revoked certificate.
 *
 * @example
 * ```ts
 * const entry: CrlEntry = { serialNumber, revokedAt: new Date(), reason: 'superseded' };
 * ```
 */
export interface CrlEntry {
  readonly serialNumber: Uint8Array;
  readonly revokedAt: Date;
  /** Omitted → no reasonCode extension. */
  readonly reason?: CrlReason;
}

/**
 * What goes into a CRL.
 *
 * @example
 * ```ts
 * const input: CrlInput = { issuer: pki.signCa, thisUpdate, nextUpdate, entries: [], crlNumber: 7 };
 * ```
 */
export interface CrlInput {
  readonly issuer: CertificateAuthority;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly entries: readonly CrlEntry[];
  readonly crlNumber?: bigint | number;
  /** DER Name of the partition (the certificates' CRL distribution point) → issuingDistributionPoint. */
  readonly partition?: Uint8Array;
}

/** reasonCode entry extension. */
export function reasonCodeExtension(reason: CrlReason): Uint8Array {
  return extension(X509_OID.REASON_CODE, false, derTlv(TAG_ENUMERATED, Uint8Array.of(CRL_REASON[reason])));
}

/** One revokedCertificates entry. */
export function encodeCrlEntry(entry: CrlEntry): Uint8Array {
  const parts = [derInteger(entry.serialNumber), encodeTime(entry.revokedAt)];
  if (entry.reason !== undefined) parts.push(derSequence(reasonCodeExtension(entry.reason)));
  return derSequence(...parts);
}

/** The CRL extensions [0] (AKI, cRLNumber, optional IDP). */
export function crlExtensions(input: Pick<CrlInput, 'issuer' | 'crlNumber' | 'partition'>): Uint8Array {
  const extensions = [
    extension(X509_OID.AUTHORITY_KEY_IDENTIFIER, false, authorityKeyIdentifier(input.issuer.keyIdentifier)),
    extension(X509_OID.CRL_NUMBER, false, crlNumber(input.crlNumber ?? 1)),
  ];
  if (input.partition !== undefined) {
    extensions.push(
      extension(X509_OID.ISSUING_DISTRIBUTION_POINT, true, issuingDistributionPoint(input.partition)),
    );
  }
  return derContextExplicit(0, derSequence(...extensions));
}

/**
 * The DER CRL.
 *
 * @example
 * ```ts
 * buildCrl({ issuer: pki.authCa, thisUpdate, nextUpdate, entries: [] });
 * ```
 */
export function buildCrl(input: CrlInput): Uint8Array {
  const fields = [
    derInteger(CRL_VERSION_V2),
    sha256WithRsaAlgorithm(),
    input.issuer.name,
    encodeTime(input.thisUpdate),
    encodeTime(input.nextUpdate),
  ];
  if (input.entries.length > 0) fields.push(derSequence(...input.entries.map(encodeCrlEntry)));
  fields.push(crlExtensions(input));
  return signStructure(derSequence(...fields), input.issuer.privateKey);
}
