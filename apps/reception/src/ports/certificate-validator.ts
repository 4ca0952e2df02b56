/**
 * The app's port to certificate validation. The integrator wires it to `@kakunin/core/x509`
 * (`validateJpki`); until then {@link createNodeCertificateValidator} implements it on node:crypto.
 *
 * @example
 * ```ts
 * const report = await validator.validate(certificateDer, { at: new Date(), purpose: 'auth' });
 * if (!report.valid) showRemedy(report.remedy);
 * ```
 */
import type { RemedyKey } from '@kakunin/core/transport';

export type CertificateCheckName =
  | 'parse'
  | 'issuer'
  | 'signature'
  | 'validity'
  | 'key-usage'
  | 'policy'
  | 'revocation';

export interface CertificateCheck {
  readonly name: CertificateCheckName;
  readonly ok: boolean;
  readonly detail?: string;
}

export interface CertificateReport {
  /** Every check passed (expiry within the grace period does NOT make it valid). */
  readonly valid: boolean;
  readonly checks: readonly CertificateCheck[];
  /** Error code for the first failed check: CERT_EXPIRED, CERT_NOT_YET_VALID, CHAIN_UNTRUSTED, … */
  readonly code?: string;
  readonly remedy?: RemedyKey;
  readonly notBefore?: string;
  readonly notAfter?: string;
  /** Whole days until notAfter (negative once expired). */
  readonly daysUntilExpiry?: number;
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
