/**
 * Field-by-field reconciliation of a qualification result with the patient record stored last time
 * (domain.md §6 practical quirks, §12): insurer number, 記号, 番号, 枝番, insured/dependant,
 * copayment ratio, validity date, name, kana, birth date and sex. Two data anomalies get their own
 * status instead of a plain mismatch:
 * - `substituted`: the result name has "●" where the system could not represent a character and
 *   every other character matches the stored name;
 * - `format`: a 6-digit 国保 insurer number stored zero-padded to 8 digits (or the reverse).
 *
 * @example
 * ```ts
 * const report = reconcile(result, storedRecord);
 * report.fields.filter((field) => field.status === 'mismatch');
 * ```
 */
import type { QualificationResult } from '../ports/qualification-service.js';

/** The substitute character for unrepresentable characters (domain.md §6, §10). */
export const SUBSTITUTE_CHARACTER = '●';

export interface PatientRecord {
  readonly id: number;
  readonly referenceNumber: string | null;
  readonly insurerNumber: string;
  readonly symbol: string;
  readonly number: string;
  readonly branch: string;
  readonly familyClass: string | null;
  readonly name: string;
  readonly nameKana: string | null;
  readonly birthdate: string | null;
  readonly sex: string | null;
  readonly copaymentRatio: number | null;
  readonly validFrom: string | null;
  readonly validUntil: string | null;
  readonly updatedAt: string;
  /** Optimistic version: +1 on every update (two desks never overwrite each other unseen). */
  readonly version?: number;
}

export type FieldStatus = 'match' | 'mismatch' | 'substituted' | 'format' | 'missing';

export interface ReconciledField {
  readonly field: string;
  readonly stored: string | null;
  readonly result: string | null;
  readonly status: FieldStatus;
}

export interface ReconciliationReport {
  /** `new`: no stored record; `match`: all fields agree (anomalies allowed); `differences`. */
  readonly status: 'new' | 'match' | 'differences';
  readonly patientRecordId: number | null;
  /** The version of the stored record this report compared against (null: no record). */
  readonly patientRecordVersion?: number | null;
  readonly fields: readonly ReconciledField[];
}

/** True when `withSubstitutes` equals `plain` except at ● positions (same length). */
export function matchesWithSubstitutes(withSubstitutes: string, plain: string): boolean {
  const left = [...withSubstitutes];
  const right = [...plain];
  if (left.length !== right.length) return false;
  return left.every((character, index) => character === SUBSTITUTE_CHARACTER || character === right[index]);
}

/** 6-digit 国保 numbers are sometimes stored left-padded with "00" to 8 digits (jp-core #948). */
export function sameInsurerNumberDifferentFormat(a: string, b: string): boolean {
  if (a === b) return false;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.length === 6 && long.length === 8 && long === `00${short}`;
}

const normalizeSpaces = (value: string): string => value.replace(/[\s\u3000]+/g, '\u3000').trim();

export function reconcile(
  result: QualificationResult,
  stored: PatientRecord | undefined,
): ReconciliationReport {
  const pairs: [string, string | null, string | null][] = [
    ['insurerNumber', stored?.insurerNumber ?? null, result.insurerNumber],
    ['insuredCardSymbol', stored?.symbol ?? null, result.insuredCardSymbol],
    ['insuredIdentificationNumber', stored?.number ?? null, result.insuredIdentificationNumber],
    ['insuredBranchNumber', stored?.branch ?? null, result.insuredBranchNumber],
    ['personalFamilyClassification', stored?.familyClass ?? null, result.personalFamilyClassification],
    [
      'insuredPartialContributionRatio',
      stored?.copaymentRatio?.toString() ?? null,
      String(result.insuredPartialContributionRatio),
    ],
    ['insuredCardValidDate', stored?.validFrom ?? null, result.insuredCardValidDate],
    ['name', stored?.name ?? null, result.name],
    ['nameKana', stored?.nameKana ?? null, result.nameKana],
    ['birthdate', stored?.birthdate ?? null, result.birthdate],
    ['sex', stored?.sex ?? null, result.sex],
  ];
  const fields: ReconciledField[] = pairs.map(([field, storedValue, resultValue]) => {
    let status: FieldStatus;
    if (storedValue === null || resultValue === null) status = 'missing';
    else if (field === 'name' || field === 'nameKana') {
      const a = normalizeSpaces(resultValue);
      const b = normalizeSpaces(storedValue);
      if (a === b) status = 'match';
      else if (a.includes(SUBSTITUTE_CHARACTER) && matchesWithSubstitutes(a, b)) status = 'substituted';
      else status = 'mismatch';
    } else if (storedValue === resultValue) status = 'match';
    else if (field === 'insurerNumber' && sameInsurerNumberDifferentFormat(storedValue, resultValue))
      status = 'format';
    else status = 'mismatch';
    return { field, stored: storedValue, result: resultValue, status };
  });
  if (stored === undefined)
    return { status: 'new', patientRecordId: null, patientRecordVersion: null, fields };
  const differs = fields.some((field) => field.status === 'mismatch' || field.status === 'missing');
  return {
    status: differs ? 'differences' : 'match',
    patientRecordId: stored.id,
    patientRecordVersion: stored.version ?? null,
    fields,
  };
}
