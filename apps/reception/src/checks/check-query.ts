/**
 * The end of every check: certificate validation (for display), the qualification query, the
 * classification of its answer into result / failure guidance and warnings, reconciliation with the
 * patient records, and the audit record. Used by the check service for PIN, visual and by-numbers
 * checks alike.
 *
 * @example
 * ```ts
 * const query = createCheckQuery({ validator, audit, patients, now, update });
 * await query(state, certificate, () => qualification.confirm(request, { signal }));
 * ```
 */
import { CardError } from '@kakunin/core/transport';
import type { AuditLog } from '../audit/audit-log.js';
import type { CertificateReport, CertificateValidator } from '../ports/certificate-validator.js';
import type { QualificationAnswer } from '../ports/qualification-service.js';
import { STAND_IN_CODES } from '../qualification/sqlite-qualification-service.js';
import { type Guidance, guidanceFor, guidanceForError } from '../troubleshooting/error-guidance.js';
import type { CertificateSummary, CheckState, CheckView } from './check-view.js';
import type { PatientRecords } from './patient-records.js';
import { reconcile } from './reconciliation.js';

export interface CheckQueryDependencies {
  readonly validator: CertificateValidator;
  readonly audit: AuditLog;
  readonly patients: PatientRecords;
  readonly now: () => Date;
  /** Applies changes to the check's view and persists it. */
  readonly update: (state: CheckState, changes: Partial<CheckView>) => CheckView;
}

export type CheckQuery = (
  state: CheckState,
  certificate: Uint8Array | undefined,
  confirm: () => Promise<QualificationAnswer>,
) => Promise<CheckView>;

function summarize(report: CertificateReport): CertificateSummary {
  return {
    status: report.status,
    valid: report.valid,
    expiringSoon: report.expiringSoon,
    testHierarchy: report.testHierarchy,
    checks: report.checks,
    ...(report.code === undefined ? {} : { code: report.code }),
    ...(report.remedy === undefined ? {} : { remedy: report.remedy }),
    ...(report.serialNumber === undefined ? {} : { serialNumber: report.serialNumber }),
    ...(report.notBefore === undefined ? {} : { notBefore: report.notBefore }),
    ...(report.notAfter === undefined ? {} : { notAfter: report.notAfter }),
    ...(report.daysUntilExpiry === undefined ? {} : { daysUntilExpiry: report.daysUntilExpiry }),
    ...(report.revocation === undefined ? {} : { revocation: report.revocation }),
    ...(report.revocationDelegated === true ? { revocationDelegated: true } : {}),
  };
}

/** Validation (for display) + the qualification query + result classification + reconciliation. */
export function createCheckQuery(dependencies: CheckQueryDependencies): CheckQuery {
  const { validator, audit, patients, now, update } = dependencies;
  return async (
    state: CheckState,
    certificate: Uint8Array | undefined,
    confirm: () => Promise<QualificationAnswer>,
  ) => {
    update(state, { status: 'querying' });
    const started = performance.now();
    const report =
      certificate === undefined
        ? undefined
        : await validator.validate(certificate, { at: now(), purpose: 'auth' });
    const certificateSummary = report === undefined ? undefined : summarize(report);
    if (report?.revocationDelegated === true)
      audit.append({
        actor: state.actor,
        action: 'check.revocation-delegated',
        subject: state.view.id,
        data: { to: 'qualification-service', certificateSerial: report.serialNumber ?? null },
      });
    let answer: QualificationAnswer;
    try {
      answer = await confirm();
    } catch (error) {
      const guidance = CardError.isInstance(error)
        ? guidanceForError(error, state.view.setup)
        : guidanceFor('SERVER_UNREACHABLE', state.view.setup, { message: (error as Error).message });
      return update(state, {
        status: 'failed',
        guidance,
        ...(certificateSummary === undefined ? {} : { certificate: certificateSummary }),
      });
    }
    const timings = { ...state.view.timings, queryMs: Math.round(performance.now() - started) };
    const body = answer.body;
    if (answer.header.segmentOfResult !== '1' || body === undefined || body.processingResultStatus !== '1') {
      const code = body?.processingResultCode ?? answer.header.errorCode ?? 'SERVER_ERROR';
      const mapped =
        code === STAND_IN_CODES.CERTIFICATE_EXPIRED
          ? 'CERT_EXPIRED'
          : code === STAND_IN_CODES.CERTIFICATE_INVALID
            ? (report?.code ?? 'CHAIN_UNTRUSTED')
            : code === STAND_IN_CODES.NOT_REGISTERED
              ? 'NOT_REGISTERED'
              : code === STAND_IN_CODES.SIGNATURE_INVALID
                ? 'VALIDATION_FAILED'
                : 'SERVER_UNREACHABLE';
      const guidance = guidanceFor(mapped, state.view.setup, {
        message: `${code}: ${body?.processingResultMessage ?? answer.header.errorMessage ?? ''}`,
      });
      return update(state, {
        status: 'failed',
        guidance,
        answer,
        timings,
        ...(certificateSummary === undefined ? {} : { certificate: certificateSummary }),
      });
    }
    const warnings: Guidance[] = [];
    if (body.processingResultCode === STAND_IN_CODES.CERTIFICATE_EXPIRED_IN_GRACE) {
      warnings.push(
        guidanceFor('CERT_EXPIRED', state.view.setup, { message: body.processingResultMessage ?? '' }),
      );
    } else if (body.processingResultCode === STAND_IN_CODES.CERTIFICATE_EXPIRING_SOON) {
      warnings.push(
        guidanceFor('CERT_EXPIRING_SOON', state.view.setup, {
          remedy: 'cert.expiring-soon',
          message: body.processingResultMessage ?? '',
        }),
      );
    }
    const validity = body.qualificationValidity;
    const guidance =
      validity === '2' || validity === '3' || validity === '4'
        ? guidanceFor('QUALIFICATION_NONE', state.view.setup, { message: body.processingResultMessage ?? '' })
        : validity === '5'
          ? guidanceFor('QUALIFICATION_MULTIPLE', state.view.setup)
          : undefined;
    const reconciliation = body.resultList.map((result) => reconcile(result, patients.findFor(result)));
    audit.append({
      actor: state.actor,
      action: 'check.completed',
      subject: state.view.id,
      data: { mode: state.view.mode, qualificationValidity: validity ?? null },
    });
    return update(state, {
      status: 'result',
      answer,
      ...(certificateSummary === undefined ? {} : { certificate: certificateSummary }),
      warnings,
      reconciliation,
      timings,
      ...(guidance === undefined ? {} : { guidance }),
    });
  };
}
