/**
 * An interim {@link CertificateValidator} on node:crypto's X509Certificate: issuer match + RSA
 * signature against the given trust anchors, and the validity period (inclusive, UTC). It is a
 * real validator, narrower than `@kakunin/core/x509`'s JPKI profile checks, which replace it when
 * wired by the integrator.
 *
 * @example
 * ```ts
 * const validator = createNodeCertificateValidator({ trustAnchors: [rootDer] });
 * const report = await validator.validate(certificateDer, { at: new Date(), purpose: 'auth' });
 * ```
 */
import { X509Certificate } from 'node:crypto';
import type {
  CertificateCheck,
  CertificateReport,
  CertificateValidator,
} from '../ports/certificate-validator.js';

const MILLISECONDS_PER_DAY = 86_400_000;

export interface NodeCertificateValidatorOptions {
  /** DER-encoded trust anchors (J-LIS auth root, or the simulator's test root). */
  readonly trustAnchors: readonly Uint8Array[];
}

/** Whole days from `at` to `notAfter` (floor; negative once expired). */
export function daysUntil(notAfter: Date, at: Date): number {
  return Math.floor((notAfter.getTime() - at.getTime()) / MILLISECONDS_PER_DAY);
}

export function createNodeCertificateValidator(
  options: NodeCertificateValidatorOptions,
): CertificateValidator {
  if (!Array.isArray(options?.trustAnchors)) {
    throw new TypeError('createNodeCertificateValidator: options.trustAnchors must be an array');
  }
  const anchors = options.trustAnchors.map((der) => new X509Certificate(der));
  return {
    async validate(certificate, { at }) {
      if (!(certificate instanceof Uint8Array))
        throw new TypeError('validate: certificate must be a Uint8Array');
      const checks: CertificateCheck[] = [];
      let parsed: X509Certificate;
      try {
        parsed = new X509Certificate(certificate);
        checks.push({ name: 'parse', ok: true });
      } catch (error) {
        checks.push({ name: 'parse', ok: false, detail: (error as Error).message });
        return { valid: false, checks, code: 'MALFORMED', remedy: 'cert.invalid' };
      }
      const notBefore = new Date(parsed.validFrom);
      const notAfter = new Date(parsed.validTo);
      const base = {
        notBefore: notBefore.toISOString(),
        notAfter: notAfter.toISOString(),
        daysUntilExpiry: daysUntil(notAfter, at),
        serialNumber: parsed.serialNumber.toUpperCase(),
        subject: parsed.subject,
        issuer: parsed.issuer,
      };
      const issuers = anchors.filter((anchor) => parsed.checkIssued(anchor));
      checks.push({ name: 'issuer', ok: issuers.length > 0, detail: parsed.issuer });
      const signed = issuers.some((anchor) => parsed.verify(anchor.publicKey));
      checks.push({ name: 'signature', ok: signed });
      const inPeriod = notBefore.getTime() <= at.getTime() && at.getTime() <= notAfter.getTime();
      checks.push({
        name: 'validity',
        ok: inPeriod,
        detail: `${base.notBefore} .. ${base.notAfter}`,
      });
      let failure: Pick<CertificateReport, 'code' | 'remedy'> = {};
      if (!signed) failure = { code: 'CHAIN_UNTRUSTED', remedy: 'cert.untrusted' };
      else if (at.getTime() > notAfter.getTime()) failure = { code: 'CERT_EXPIRED', remedy: 'cert.expired' };
      else if (at.getTime() < notBefore.getTime())
        failure = { code: 'CERT_NOT_YET_VALID', remedy: 'cert.invalid' };
      return { valid: signed && inPeriod, checks, ...base, ...failure };
    },
  };
}
