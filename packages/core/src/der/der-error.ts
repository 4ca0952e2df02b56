/**
 * Typed errors of the DER layer. Every failure is a {@link CardError} with code `DER_TRUNCATED`
 * (the input ends before an element does, including lying lengths) or `DER_MALFORMED` (anything
 * else that is not strict DER), and `details.offset` = the byte offset of the offending element
 * within the buffer given to the reader.
 *
 * @example
 * ```ts
 * try { parseCertificate(bytes); } catch (error) {
 *   if (CardError.isInstance(error, 'DER_TRUNCATED')) console.log(error.details.offset);
 * }
 * ```
 */
import { CardError } from '../transport/card-error.js';
import { DerErrorCode } from '../transport/error-codes.js';

export { DerErrorCode } from '../transport/error-codes.js';

/** Why a DER input was rejected (`details.reason`). */
export type DerErrorReason =
  | 'truncated-header'
  | 'truncated-value'
  | 'indefinite-length'
  | 'non-minimal-length'
  | 'length-too-long'
  | 'high-tag-number'
  | 'end-of-contents'
  | 'unexpected-tag'
  | 'unexpected-end'
  | 'trailing-bytes'
  | 'too-deep'
  | 'too-many-elements'
  | 'too-large'
  | 'wrong-construction'
  | 'invalid-boolean'
  | 'invalid-integer'
  | 'integer-too-large'
  | 'invalid-null'
  | 'invalid-oid'
  | 'invalid-bit-string'
  | 'invalid-time'
  | 'invalid-string'
  | 'invalid-value';

const TRUNCATION_REASONS: ReadonlySet<DerErrorReason> = new Set(['truncated-header', 'truncated-value']);

/**
 * Builds the CardError for a DER failure at `offset`.
 *
 * @example
 * ```ts
 * throw derError('unexpected-tag', 12, 'expected SEQUENCE');
 * ```
 */
export function derError(reason: DerErrorReason, offset: number, message = ''): CardError {
  const code = TRUNCATION_REASONS.has(reason) ? DerErrorCode.DER_TRUNCATED : DerErrorCode.DER_MALFORMED;
  return new CardError(code, `DER ${reason} at offset ${offset}${message === '' ? '' : `: ${message}`}`, {
    details: { reason, offset },
  });
}
