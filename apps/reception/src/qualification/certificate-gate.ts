/**
 * What both QualificationService adapters (the built-in stand-in and the file interface) do the
 * same way before a card query is answered: the certificate gate (profile, issuing root, period,
 * revocation through the CertificateValidator port, with the 3-month grace after expiry of
 * domain.md §8.1) and the shape of an answer the app makes itself (header, local failure).
 *
 * @example
 * ```ts
 * const gated = await certificateGate(validator, certificate, now(), {});
 * if ('failure' in gated) return failureAnswer(now(), institution, gated.failure, true);
 * ```
 */
import { APP_POLICY } from '../policy.js';
import type { CertificateValidator } from '../ports/certificate-validator.js';
import type { ConfirmRequest, QualificationAnswer } from '../ports/qualification-service.js';

/** Processing result codes of the stand-in (the national table is not public: domain.md §13). */
export const STAND_IN_CODES = {
  CHALLENGE_INVALID: 'KKN-E-1001',
  SIGNATURE_INVALID: 'KKN-E-1002',
  CERTIFICATE_INVALID: 'KKN-E-1003',
  CERTIFICATE_EXPIRED: 'KKN-E-1004',
  NOT_REGISTERED: 'KKN-E-1005',
  CERTIFICATE_EXPIRED_IN_GRACE: 'KKN-W-2001',
  CERTIFICATE_EXPIRING_SOON: 'KKN-W-2002',
  /** The app delegated revocation here and this stand-in has no JPKI CRLs to check it with. */
  REVOCATION_NOT_CHECKED: 'KKN-W-2003',
} as const;

/** A processing result code and its message (a failure, or a condition beside a valid answer). */
export interface ResultNote {
  readonly code: string;
  readonly message: string;
}

export function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  result.setUTCMonth(result.getUTCMonth() + months);
  return result;
}

/** The header of an answer made at `at` (segment 1 answered, 9 failed; reference 1 card, 2 numbers). */
export function answerHeader(
  at: Date,
  institution: string,
  segment: '1' | '2' | '9',
  error?: ResultNote,
  referenceClassification: '1' | '2' = '1',
): QualificationAnswer['header'] {
  return {
    processExecutionTime: at.toISOString(),
    qualificationConfirmationDate: at.toISOString().slice(0, 10),
    medicalInstitutionCode: institution,
    referenceClassification,
    segmentOfResult: segment,
    ...(error === undefined ? {} : { errorCode: error.code, errorMessage: error.message }),
  };
}

/** A failed answer the app (or the stand-in) makes itself, with no result. */
export function failureAnswer(
  at: Date,
  institution: string,
  failure: ResultNote,
  standIn: boolean,
): QualificationAnswer {
  return {
    header: answerHeader(at, institution, '9', failure),
    body: {
      processingResultStatus: '2',
      processingResultCode: failure.code,
      processingResultMessage: failure.message,
      resultList: [],
    },
    standIn,
  };
}

/** A caller's mistake in a card query throws (TypeError / RangeError) before anything is asked. */
export function assertConfirmRequest(request: ConfirmRequest): void {
  if (request === null || typeof request !== 'object')
    throw new TypeError('confirm: request must be an object');
  if (!(request.certificate instanceof Uint8Array))
    throw new TypeError('confirm: certificate must be a Uint8Array');
  if (request.mode === 'pin') {
    if (!(request.signature instanceof Uint8Array))
      throw new TypeError('confirm: signature must be a Uint8Array');
  } else if (typeof request.visualStaffId !== 'string' || request.visualStaffId.trim().length === 0) {
    throw new RangeError('confirm: visualStaffId is required in visual mode');
  }
}

/** Why a certificate that is not valid (and not merely expired) is refused, by validator code. */
const INVALID_CERTIFICATE_MESSAGES: Readonly<Record<string, string>> = {
  REVOKED: '電子証明書は失効しています',
  REVOCATION_UNKNOWN: '電子証明書の失効状態を確認できません',
};

/**
 * The certificate gate: `failure` refuses the query; otherwise `side` is a condition to add to a
 * valid answer (expiring soon, expired within the grace, revocation delegated). Revocation must
 * have answered GOOD: an UNKNOWN answer is refused, never treated as good — unless the validator
 * delegates revocation to the qualification service, which then passes with `delegatedNote`.
 */
export async function certificateGate(
  validator: CertificateValidator,
  certificate: Uint8Array,
  at: Date,
  options: { readonly delegatedNote?: ResultNote },
): Promise<{ failure: ResultNote } | { side?: ResultNote }> {
  const report = await validator.validate(certificate, { at, purpose: 'auth' });
  if (report.revocationDelegated === true)
    return options.delegatedNote === undefined ? {} : { side: options.delegatedNote };
  if (report.valid) {
    if (report.expiringSoon && report.notAfter !== undefined)
      return {
        side: {
          code: STAND_IN_CODES.CERTIFICATE_EXPIRING_SOON,
          message: `電子証明書の有効期限(${report.notAfter.slice(0, 10)})が近づいています。更新してください。`,
        },
      };
    return {};
  }
  // Expired and nothing else wrong: the period check is the only failure (revocation is not
  // asked for an expired certificate: CRLs drop entries once certificates expire, RFC 5280 §3.3).
  const expiredOnly =
    report.code === 'CERT_EXPIRED' &&
    report.notAfter !== undefined &&
    report.checks.every(
      (check) =>
        check.outcome === 'pass' ||
        (check.name === 'time.certificate' && check.code === 'CERT_EXPIRED') ||
        (check.name === 'revocation' && check.outcome === 'skip'),
    );
  if (!expiredOnly) {
    const message = INVALID_CERTIFICATE_MESSAGES[report.code ?? ''] ?? '電子証明書が無効です';
    return { failure: { code: STAND_IN_CODES.CERTIFICATE_INVALID, message } };
  }
  const graceEnd = addMonths(new Date(report.notAfter!), APP_POLICY.certificateGraceMonths);
  if (at.getTime() > graceEnd.getTime())
    return {
      failure: {
        code: STAND_IN_CODES.CERTIFICATE_EXPIRED,
        message: '電子証明書の有効期限が切れています(猶予期間外)',
      },
    };
  return {
    side: {
      code: STAND_IN_CODES.CERTIFICATE_EXPIRED_IN_GRACE,
      message: `電子証明書の有効期限が切れています。${graceEnd.toISOString().slice(0, 10)}まで利用できます。更新してください。`,
    },
  };
}
