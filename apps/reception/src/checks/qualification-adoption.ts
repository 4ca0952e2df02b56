/**
 * Adopting one qualification of a check's answer for the patient record when the national system
 * did not return a single valid one: for QualificationValidity `3` (invalid, a newer qualification
 * exists) the newer, current qualification; for `5` (multiple matches) the one the receptionist
 * chose. The patient record is updated and the adoption is written to the audit log.
 *
 * @example
 * ```ts
 * const adoption = createQualificationAdoption({ checks, audit, now });
 * adoption.adopt('chk-…', 0, 'staff1'); // { patientRecordId, resultIndex: 0, validity: '3' }
 * ```
 */
import type { AuditLog } from '../audit/audit-log.js';
import type { QualificationResult } from '../ports/qualification-service.js';
import { CheckConflictError, type CheckService } from './check-service.js';

export interface AdoptionResult {
  readonly patientRecordId: number;
  readonly resultIndex: number;
  readonly validity: '3' | '5';
}

export interface QualificationAdoption {
  adopt(checkId: string, resultIndex: number, actor: string): AdoptionResult;
}

/** Whether a result is current on `today` (YYYY-MM-DD): not lost, not past its end date. */
export function isCurrentQualification(result: QualificationResult, today: string): boolean {
  if (result.reasonOfLoss !== undefined && result.reasonOfLoss !== '') return false;
  return result.insuredCardExpirationDate === undefined || result.insuredCardExpirationDate >= today;
}

export function createQualificationAdoption(options: {
  checks: CheckService;
  audit: AuditLog;
  now: () => Date;
}): QualificationAdoption {
  const { checks, audit, now } = options;
  return {
    adopt(checkId, resultIndex, actor) {
      if (!Number.isInteger(resultIndex) || resultIndex < 0 || resultIndex > 99)
        throw new RangeError('resultIndex must be an integer 0–99');
      const view = checks.get(checkId);
      if (view === undefined) throw new CheckConflictError('CHECK_NOT_FOUND', 'no such check');
      const body = view.answer?.body;
      const validity = body?.qualificationValidity;
      if (view.status !== 'result' || (validity !== '3' && validity !== '5'))
        throw new CheckConflictError(
          'NOT_ADOPTABLE',
          'only a newer or one of several qualifications is adopted',
        );
      const result = body?.resultList[resultIndex];
      if (result === undefined) throw new RangeError('resultIndex is outside the result list');
      if (validity === '3' && !isCurrentQualification(result, now().toISOString().slice(0, 10)))
        throw new CheckConflictError('NOT_ADOPTABLE', 'the lost qualification cannot be adopted');
      const { patientRecordId } = checks.applyToRecord(checkId, resultIndex, actor);
      audit.append({
        actor,
        action: 'qualification.adopted',
        subject: checkId,
        data: { resultIndex, validity, patientRecordId, insurerNumber: result.insurerNumber },
      });
      return { patientRecordId, resultIndex, validity };
    },
  };
}
