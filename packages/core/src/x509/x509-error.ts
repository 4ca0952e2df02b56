/**
 * Error codes of `@kakunin/core/x509` and the helper that builds them. Parsing failures below
 * the X.509 layer surface as `DER_TRUNCATED` / `DER_MALFORMED` (see `@kakunin/core/der`);
 * structural X.509 violations on well-formed DER are `X509_MALFORMED`.
 *
 * @example
 * ```ts
 * if (CardError.isInstance(error, X509ErrorCode.CERT_EXPIRED)) showRenewalAdvice();
 * ```
 */
import { CardError } from '../transport/card-error.js';
import { X509ErrorCode } from '../transport/error-codes.js';

export { X509ErrorCode } from '../transport/error-codes.js';

/**
 * An `X509_MALFORMED` CardError for an X.509 structure violation at `offset`.
 *
 * @example
 * ```ts
 * throw x509Malformed('version 1 certificate with extensions', cursor.start);
 * ```
 */
export function x509Malformed(message: string, offset?: number): CardError {
  return new CardError(
    X509ErrorCode.X509_MALFORMED,
    offset === undefined ? message : `${message} at offset ${offset}`,
    {
      remedy: 'cert.invalid',
      details: offset === undefined ? { reason: message } : { reason: message, offset },
    },
  );
}
