/**
 * What the 申立書 can be pre-filled with from the check just made (issue 18 Deliver 6): the
 * qualification answer's first result, when there is one — name, フリガナ, birth date, sex and the
 * address (present only when the patient consented to sharing it); never insurance numbers. Only
 * fields that pass the form's own validation are offered; the patient checks and corrects them.
 *
 * @example
 * ```ts
 * const prefill = declarationPrefill(checks.get(checkId)); // { name: '試験　太郎', birthdate: '1980-04-01', … }
 * ```
 */
import type { CheckView } from '../checks/check-service.js';
import { isCalendarDate, REQUIRED_FIELDS } from './declaration-form.js';

export interface DeclarationPrefill {
  readonly fields: Readonly<Record<string, string>>;
  /** Fields the patient must fill in (marked ※). */
  readonly required: readonly string[];
  /** Where the values came from ('qualification' or 'none'). */
  readonly source: 'qualification' | 'none';
}

const ISO_DATE = /^(\d{4})-?(\d{2})-?(\d{2})$/;

export function declarationPrefill(view: CheckView | undefined): DeclarationPrefill {
  const result = view?.answer?.body?.resultList?.[0];
  if (result === undefined) return { fields: {}, required: REQUIRED_FIELDS, source: 'none' };
  const fields: Record<string, string> = {};
  const put = (key: string, value: unknown, max = 200): void => {
    if (typeof value === 'string' && value.trim() !== '' && value.length <= max) fields[key] = value.trim();
  };
  put('name', result.name, 60);
  put('nameKana', result.nameKana, 60);
  const date = ISO_DATE.exec(String(result.birthdate ?? ''));
  if (date !== null) {
    const birthdate = `${date[1]}-${date[2]}-${date[3]}`;
    if (isCalendarDate(birthdate)) fields.birthdate = birthdate;
  }
  if (result.sex === '1' || result.sex === '2') fields.sex = result.sex;
  put('address', result.address);
  // Never the insurance numbers: a declaration follows an answer without a valid qualification,
  // and the numbers on record may be those of a lost one (billing the wrong insurer).
  return { fields, required: REQUIRED_FIELDS, source: 'qualification' };
}
