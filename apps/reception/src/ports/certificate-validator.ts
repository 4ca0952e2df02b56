/**
 * The app's port to certificate validation. {@link createJpkiCertificateValidator} implements it
 * with `@kakunin/core/x509`'s `validateJpkiCertificate` (certificates.md §5: input limits →
 * structure → purpose → issuing root by signature → time → revocation); the report carries every
 * one of its checks, so the UI can show them all.
 *
 * Revocation is never assumed: without a revocation source that answered GOOD the report's status
 * is `revocation-unknown` and `valid` is false.
 *
 * @example
 * ```ts
 * const report = await validator.validate(certificateDer, { at: new Date(), purpose: 'auth' });
 * if (!report.valid) showRemedy(report.remedy);
 * ```
 */

import type { RemedyKey } from '@kakunin/core/transport';
import type { JpkiCheckId } from '@kakunin/core/x509';

/** The checks of JPKI validation, in order (certificates.md §5). */
export type CertificateCheckName = JpkiCheckId;

/** `skip`: not run because an earlier step failed; `unknown`: revocation could not be decided. */
export type CertificateCheckOutcome = 'pass' | 'fail' | 'skip' | 'unknown';

export interface CertificateCheck {
  readonly name: CertificateCheckName;
  readonly outcome: CertificateCheckOutcome;
  /** `outcome === 'pass'`. */
  readonly ok: boolean;
  /** Error code of a `fail` / `unknown` outcome (CERT_EXPIRED, REVOKED, REVOCATION_UNKNOWN, …). */
  readonly code?: string;
  readonly detail?: string;
}

/** What the revocation source answered (absent when revocation was not asked: an earlier step failed). */
export interface CertificateRevocation {
  readonly status: 'GOOD' | 'REVOKED' | 'UNKNOWN';
  /** Which source answered (`crl`, `none`, …). */
  readonly source: string;
  /** Why no verdict could be given (UNKNOWN). */
  readonly detail?: string;
  /** CRLReason of a REVOKED answer. */
  readonly reason?: string;
  /** ISO time of the revocation. */
  readonly revokedAt?: string;
  /** ISO thisUpdate / nextUpdate of the CRL that answered GOOD. */
  readonly thisUpdate?: string;
  readonly nextUpdate?: string;
}

export interface CertificateReport {
  /** `valid`: every check passed and revocation answered GOOD; `revocation-unknown`: all else passed. */
  readonly status: 'valid' | 'invalid' | 'revocation-unknown';
  /** `status === 'valid'` (expiry within the grace period does NOT make it valid). */
  readonly valid: boolean;
  /** Revocation policy of the validator (`delegated`: the qualification service checks it). */
  readonly revocationPolicy?: 'required' | 'delegated';
  /**
   * Everything but revocation passed and revocation is left to the qualification service
   * (status stays `revocation-unknown`, never valid).
   */
  readonly revocationDelegated?: boolean;
  /** Every check in order, including skipped ones. */
  readonly checks: readonly CertificateCheck[];
  /** Code of the first failed check (or REVOCATION_UNKNOWN): CERT_EXPIRED, CHAIN_UNTRUSTED, REVOKED, … */
  readonly code?: string;
  readonly message?: string;
  /** What staff should do: the failure's remedy, or `cert.expiring-soon` for a valid certificate due for renewal. */
  readonly remedy?: RemedyKey;
  readonly notBefore?: string;
  readonly notAfter?: string;
  /** JST calendar days until notAfter (0 = expires today, negative once expired). */
  readonly daysUntilExpiry?: number;
  /** notAfter is within the renewal window (3 months) and not yet past. */
  readonly expiringSoon: boolean;
  readonly revocation?: CertificateRevocation;
  /** The certificate chains to an opted-in test anchor (the simulator's test PKI), not to J-LIS. */
  readonly testHierarchy: boolean;
  /** Serial number, upper-case hex. */
  readonly serialNumber?: string;
  readonly subject?: string;
  readonly issuer?: string;
}

export interface CertificateValidator {
  validate(
    certificate: Uint8Array,
    options: { readonly at: Date; readonly purpose: 'auth'; readonly signal?: AbortSignal },
  ): Promise<CertificateReport>;
}
