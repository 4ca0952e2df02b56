/**
 * The {@link CertificateValidator} port on `@kakunin/core/x509`'s `validateJpkiCertificate`: the
 * JPKI profile of the user-authentication certificate, the issuing J-LIS root chosen by signature,
 * the validity period (JST days left, renewal warning) and revocation through a pluggable source.
 *
 * - `trustAnchors`: the J-LIS auth roots (production; see {@link loadJpkiTrustAnchors}).
 * - `testAnchors`: opt-in test hierarchies (the simulator's test PKI). The app passes them only
 *   when the built-in virtual card desk is in use, so a test card never validates against a real
 *   reader's configuration.
 * - `revocation`: where revocation answers come from. Without one every otherwise valid
 *   certificate is `revocation-unknown` (never valid): JPKI revocation data is only available to
 *   registered verifiers (certificates.md §4).
 *
 * @example
 * ```ts
 * const verifier = createNodeCryptoVerifier(nodeCrypto);
 * const validator = createJpkiCertificateValidator({
 *   trustAnchors: loadJpkiTrustAnchors(rootsDirectory).anchors,
 *   testAnchors: [desk.authRootCertificate],
 *   revocation: desk.revocationSource({ verifier }),
 *   verifier,
 * });
 * const report = await validator.validate(certificateDer, { at: new Date(), purpose: 'auth' });
 * report.status; // 'valid' | 'invalid' | 'revocation-unknown'
 * ```
 */
import * as nodeCrypto from 'node:crypto';
import {
  type Certificate,
  createNodeCryptoVerifier,
  createUnknownRevocationSource,
  type JpkiValidationResult,
  type RevocationSource,
  type RevocationStatus,
  type SignatureVerifier,
  validateJpkiCertificate,
} from '@kakunin/core/x509';
import type {
  CertificateReport,
  CertificateRevocation,
  CertificateValidator,
} from '../ports/certificate-validator.js';

export interface JpkiCertificateValidatorOptions {
  /** J-LIS roots (DER, PEM or parsed); only the auth family is used. May be empty. */
  readonly trustAnchors: readonly (Uint8Array | string | Certificate)[];
  /** Opt-in test roots (the simulator's test PKI). Leave out for real readers. */
  readonly testAnchors?: readonly (Uint8Array | string | Certificate)[];
  /**
   * Revocation source (default: always UNKNOWN), or the policy: `delegated` says revocation is
   * checked by the qualification service (the national flow: only J-LIS-approved verifiers get
   * JPKI CRLs) — an UNKNOWN answer is then reported as delegated (never GOOD), not as a refusal.
   */
  readonly revocation?: RevocationSource | 'required' | 'delegated';
  /** Revocation source when `revocation` names the policy. */
  readonly revocationSource?: RevocationSource;
  /** Signature verifier (default: node:crypto). */
  readonly verifier?: SignatureVerifier;
  /** Renewal warning window in months (default 3, domain.md §8.1). */
  readonly renewalWarningMonths?: number;
}

/**
 * Creates the JPKI certificate validator.
 *
 * @example
 * ```ts
 * const validator = createJpkiCertificateValidator({ trustAnchors: [], testAnchors: [desk.authRootCertificate] });
 * ```
 */
export function createJpkiCertificateValidator(
  options: JpkiCertificateValidatorOptions,
): CertificateValidator {
  if (options === null || typeof options !== 'object')
    throw new TypeError('createJpkiCertificateValidator: options must be an object');
  if (!Array.isArray(options.trustAnchors))
    throw new TypeError('createJpkiCertificateValidator: options.trustAnchors must be an array');
  if (options.testAnchors !== undefined && !Array.isArray(options.testAnchors))
    throw new TypeError('createJpkiCertificateValidator: options.testAnchors must be an array');
  const verifier = options.verifier ?? createNodeCryptoVerifier(nodeCrypto);
  const policy = options.revocation === 'delegated' ? 'delegated' : 'required';
  const revocation =
    options.revocationSource ??
    (typeof options.revocation === 'object' ? options.revocation : undefined) ??
    createUnknownRevocationSource(
      policy === 'delegated'
        ? 'checked by the qualification service, not by this app'
        : 'no revocation source configured',
    );
  const trustAnchors = [...options.trustAnchors];
  const testAnchors = options.testAnchors === undefined ? undefined : [...options.testAnchors];
  return {
    async validate(certificate, { at, purpose, signal }) {
      if (!(certificate instanceof Uint8Array))
        throw new TypeError('validate: certificate must be a Uint8Array');
      if (!(at instanceof Date) || Number.isNaN(at.getTime()))
        throw new TypeError('validate: at must be a valid Date');
      if (purpose !== 'auth') throw new RangeError("validate: purpose must be 'auth'");
      const result = await validateJpkiCertificate(certificate, {
        purpose,
        trustAnchors,
        ...(testAnchors === undefined ? {} : { testAnchors }),
        time: at,
        verifier,
        revocation: policy,
        revocationSource: revocation,
        ...(options.renewalWarningMonths === undefined
          ? {}
          : { renewalWarningMonths: options.renewalWarningMonths }),
        ...(signal === undefined ? {} : { signal }),
      });
      return toReport(result);
    },
  };
}

/**
 * Maps a core validation result to the app's report (plain JSON: ISO strings, no parsed objects).
 *
 * @example
 * ```ts
 * const report = toReport(await validateJpkiCertificate(der, { purpose: 'auth', trustAnchors }));
 * ```
 */
export function toReport(result: JpkiValidationResult): CertificateReport {
  const certificate = result.certificate;
  const revocation = result.revocation === undefined ? undefined : toRevocation(result.revocation);
  return {
    status: result.status,
    valid: result.valid,
    revocationPolicy: result.revocationPolicy,
    revocationDelegated: result.acceptable && !result.valid,
    checks: result.checks.map((check) => ({
      name: check.id,
      outcome: check.outcome,
      ok: check.outcome === 'pass',
      ...(check.code === undefined ? {} : { code: check.code }),
      detail: check.message,
    })),
    ...(result.code === undefined ? {} : { code: result.code }),
    ...(result.message === undefined ? {} : { message: result.message }),
    ...(result.remedy === undefined ? {} : { remedy: result.remedy }),
    ...(result.notBefore === undefined ? {} : { notBefore: result.notBefore.toISOString() }),
    ...(result.notAfter === undefined ? {} : { notAfter: result.notAfter.toISOString() }),
    ...(result.daysUntilExpiry === undefined ? {} : { daysUntilExpiry: result.daysUntilExpiry }),
    expiringSoon: result.expiringSoon,
    ...(revocation === undefined ? {} : { revocation }),
    testHierarchy: result.testHierarchy,
    ...(certificate === undefined
      ? {}
      : {
          serialNumber: certificate.serialNumberHex.toUpperCase(),
          subject: certificate.subject.toString(),
          issuer: certificate.issuer.toString(),
        }),
  };
}

function toRevocation(status: RevocationStatus): CertificateRevocation {
  switch (status.status) {
    case 'GOOD':
      return {
        status: 'GOOD',
        source: status.source,
        ...(status.thisUpdate === undefined ? {} : { thisUpdate: status.thisUpdate.toISOString() }),
        ...(status.nextUpdate === undefined ? {} : { nextUpdate: status.nextUpdate.toISOString() }),
      };
    case 'REVOKED':
      return {
        status: 'REVOKED',
        source: status.source,
        ...(status.reason === undefined ? {} : { reason: status.reason }),
        ...(status.revocationDate === undefined ? {} : { revokedAt: status.revocationDate.toISOString() }),
      };
    default:
      return { status: 'UNKNOWN', source: status.source, detail: status.detail };
  }
}
