/**
 * Error codes of `@kakunin/core/x509` and the helper that builds them. Parsing failures below
 * the X.509 layer surface as `DER_TRUNCATED` / `DER_MALFORMED` (see `@kakunin/core/der`);
 * structural X.509 violations on well-formed DER are `MALFORMED`.
 *
 * @example
 * ```ts
 * if (CardError.isInstance(error, X509ErrorCode.CERT_EXPIRED)) showRenewalAdvice();
 * ```
 */
import { CardError } from '../transport/card-error.js';
import type { RemedyKey } from '../transport/remedy-keys.js';

/**
 * Stable codes of x509 failures (details in each member's comment).
 *
 * @example
 * ```ts
 * result.code === X509ErrorCode.CERT_EXPIRED;
 * ```
 */
export const X509ErrorCode = {
  /** Well-formed DER that is not a valid X.509 structure (or exceeds a size cap). */
  MALFORMED: 'MALFORMED',
  /** The certificate (or its anchor) is past notAfter at the validation time. */
  CERT_EXPIRED: 'CERT_EXPIRED',
  /** The certificate (or its anchor) is before notBefore at the validation time. */
  CERT_NOT_YET_VALID: 'CERT_NOT_YET_VALID',
  /** No trust anchor verifies the chain (wrong issuer, bad signature, unknown root). */
  CHAIN_UNTRUSTED: 'CHAIN_UNTRUSTED',
  /**
   * Issued under J-LIS's name by a root generation that is not installed (e.g. the 2019 roots):
   * the message names the generation and the file to install (`kakunin trust add`).
   */
  TRUST_ANCHOR_MISSING: 'TRUST_ANCHOR_MISSING',
  /**
   * Path building gave up: the candidate-step or signature-check budget ran out (adversarial
   * bundles of same-named, cross-signing CAs). Bounded time and memory; no path was found.
   */
  PATH_BUILDING_LIMIT: 'PATH_BUILDING_LIMIT',
  /** The certificate is on a valid CRL or the revocation source says so. */
  REVOKED: 'REVOKED',
  /** Revocation status could not be established (never reported as GOOD). */
  REVOCATION_UNKNOWN: 'REVOCATION_UNKNOWN',
  /** The certificate is not acceptable for the requested purpose or profile. */
  PROFILE_VIOLATION: 'PROFILE_VIOLATION',
  /** Algorithm or key outside the accepted set (e.g. SHA-1, RSA-1024, DSA, P-192). */
  UNSUPPORTED_ALGORITHM: 'UNSUPPORTED_ALGORITHM',
  /** A CRL was unusable: bad signature, stale, wrong scope or malformed. */
  CRL_INVALID: 'CRL_INVALID',
  /**
   * A certificate / CRL / root file input was refused before parsing: larger than its cap
   * (checked while reading) or not a regular file (device, FIFO, directory). `details.reason`
   * is `too-large` or `not-a-file`. The CLI maps it to exit 2 (bad input, not a card problem).
   */
  INPUT_REJECTED: 'INPUT_REJECTED',
  /** Summary code for a failed validation (the CLI maps it to exit 6). */
  VALIDATION_FAILED: 'VALIDATION_FAILED',
} as const;

export type X509ErrorCode = (typeof X509ErrorCode)[keyof typeof X509ErrorCode];

/**
 * A `MALFORMED` CardError for an X.509 structure violation at `offset`.
 *
 * @example
 * ```ts
 * throw x509Malformed('version 1 certificate with extensions', cursor.start);
 * ```
 */
export function x509Malformed(message: string, offset?: number): CardError {
  return new CardError(
    X509ErrorCode.MALFORMED,
    offset === undefined ? message : `${message} at offset ${offset}`,
    {
      remedy: 'cert.invalid',
      details: offset === undefined ? { reason: message } : { reason: message, offset },
    },
  );
}

/**
 * Remedy keys (remedy-keys.ts) for the x509 codes that clinic staff can act on.
 *
 * @example
 * ```ts
 * remedyForCode('CERT_EXPIRED'); // 'cert.expired'
 * ```
 */
export function remedyForCode(code: string): RemedyKey | undefined {
  switch (code) {
    case X509ErrorCode.CERT_EXPIRED:
      return 'cert.expired';
    case X509ErrorCode.REVOKED:
      return 'cert.revoked';
    case X509ErrorCode.REVOCATION_UNKNOWN:
      return 'cert.revocation-unknown';
    case X509ErrorCode.CHAIN_UNTRUSTED:
    case X509ErrorCode.PATH_BUILDING_LIMIT:
      return 'cert.untrusted';
    case X509ErrorCode.TRUST_ANCHOR_MISSING:
      return 'cert.trust-anchor-missing';
    case X509ErrorCode.CERT_NOT_YET_VALID:
    case X509ErrorCode.MALFORMED:
    case X509ErrorCode.PROFILE_VIOLATION:
    case X509ErrorCode.UNSUPPORTED_ALGORITHM:
    case X509ErrorCode.CRL_INVALID:
    case 'DER_TRUNCATED':
    case 'DER_MALFORMED':
      return 'cert.invalid';
    default:
      return undefined;
  }
}
