/**
 * 被保険者資格申立書 (insured-status declaration) for a first-visit patient whose qualification could
 * not be confirmed (domain.md §8.3). The patient fills in what they can: identity, address,
 * contact, insurance type (国保 / 後期高齢 / 被用者 / わからない), insurer or employer name and any
 * numbers known. When the identifiers are unknown the claim is a 「不詳」 claim: insurer number
 * `77777777`, insured number `777777777` (`77777777`, 8 digits, for 後期高齢), and the 摘要欄 starts
 * with 「不詳」 followed by address, employer and contact. The exact official layout is not public
 * (domain.md §13.6); the field list follows the summaries cited in domain.md §8.3.
 *
 * @example
 * ```ts
 * const form = parseDeclaration(body); // throws RangeError naming the bad field
 * const claim = claimFor(form);        // { unknownIdentifiers: true, insurerNumber: '77777777', … }
 * ```
 */

export const INSURANCE_TYPES = ['kokuho', 'koki', 'employee', 'unknown'] as const;
export type InsuranceType = (typeof INSURANCE_TYPES)[number];

export const INSURANCE_TYPE_LABELS: Readonly<Record<InsuranceType, { ja: string; en: string }>> = {
  kokuho: { ja: '国民健康保険', en: 'National Health Insurance' },
  koki: { ja: '後期高齢者医療', en: 'Late-stage elderly' },
  employee: { ja: '被用者保険(健保組合・協会けんぽ・共済等)', en: 'Employee insurance' },
  unknown: { ja: 'わからない', en: 'Unknown' },
};

/** 不詳 claim codes (domain.md §8.3). */
export const UNKNOWN_INSURER_NUMBER = '77777777';
export const UNKNOWN_INSURED_NUMBER = '777777777';
export const UNKNOWN_INSURED_NUMBER_KOKI = '77777777';

export interface DeclarationForm {
  readonly name: string;
  readonly nameKana: string;
  /** YYYY-MM-DD */
  readonly birthdate: string;
  readonly sex: '1' | '2' | '3';
  readonly address: string;
  readonly phone: string;
  readonly insuranceType: InsuranceType;
  readonly insurerOrEmployerName: string;
  readonly insurerNumber: string;
  readonly symbol: string;
  readonly number: string;
  readonly branch: string;
  /** Date of the visit, YYYY-MM-DD. */
  readonly visitDate: string;
  /** 審査支払機関 chosen by the facility when the insurance type is unknown. */
  readonly reviewBody: 'shiharai-kikin' | 'kokuhoren' | '';
}

export interface DeclarationClaim {
  readonly unknownIdentifiers: boolean;
  readonly insurerNumber: string;
  readonly insuredNumber: string;
  /** 摘要欄 text. */
  readonly remarks: string;
  readonly reviewBody: string;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSURER_NUMBER_PATTERN = /^(\d{6}|\d{8})$/;
/** C0/C1 controls (NUL included), DEL, lone surrogates, BOM and other invisible format characters. */
const FORBIDDEN_CHARACTERS =
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]|\p{Cs}/u;
/** Earliest birth date accepted (明治元年 = 1868) and latest visit date (a year ahead). */
const EARLIEST_YEAR = 1868;

/** Fields the patient must fill in (marked ※ on the form). */
export const REQUIRED_FIELDS = ['name', 'birthdate', 'address', 'visitDate'] as const;

/** A declaration field that is missing or malformed: 400 with the field name. */
export class DeclarationFieldError extends RangeError {
  override readonly name = 'DeclarationFieldError';
  readonly code = 'DECLARATION_INVALID';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field} ${message}`);
  }
}

function text(
  body: Record<string, unknown>,
  field: string,
  options: { required?: boolean; max?: number } = {},
): string {
  const value = body[field];
  if (value !== undefined && value !== null && typeof value !== 'string')
    throw new DeclarationFieldError(field, 'must be a string');
  if (typeof value === 'string' && FORBIDDEN_CHARACTERS.test(value))
    throw new DeclarationFieldError(field, 'contains control or invisible characters');
  // String.prototype.trim also removes the ideographic space U+3000.
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (trimmed === '') {
    if (options.required === true) throw new DeclarationFieldError(field, 'is required');
    return '';
  }
  if ([...trimmed].length > (options.max ?? 200)) throw new DeclarationFieldError(field, 'is too long');
  return trimmed;
}

/** A real calendar date YYYY-MM-DD (2024-02-30 and 9999-99-99 are not), within [min, max]. */
export function isCalendarDate(value: string, min = `${EARLIEST_YEAR}-01-01`, max = '2100-12-31'): boolean {
  const match = DATE_PATTERN.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real && value >= min && value <= max;
}

/**
 * Validates a submitted form; throws {@link DeclarationFieldError} (a RangeError) naming the field.
 * `today` (YYYY-MM-DD, default: the current date in Japan) bounds the dates: the birth date is not
 * in the future and not before 1868; the visit date is within a year of today.
 */
export function parseDeclaration(body: unknown, today = japanToday()): DeclarationForm {
  if (body === null || typeof body !== 'object') throw new TypeError('declaration must be an object');
  const input = body as Record<string, unknown>;
  const birthdate = text(input, 'birthdate', { required: true, max: 10 });
  if (!isCalendarDate(birthdate, `${EARLIEST_YEAR}-01-01`, today))
    throw new DeclarationFieldError('birthdate', 'must be a real date YYYY-MM-DD, not in the future');
  const visitDate = text(input, 'visitDate', { required: true, max: 10 });
  if (!isCalendarDate(visitDate, shiftYear(today, -1), shiftYear(today, 1)))
    throw new DeclarationFieldError('visitDate', 'must be a real date YYYY-MM-DD within a year of today');
  if (visitDate < birthdate) throw new DeclarationFieldError('visitDate', 'is before the birth date');
  const sex = text(input, 'sex') || '3';
  if (sex !== '1' && sex !== '2' && sex !== '3') throw new DeclarationFieldError('sex', 'must be 1, 2 or 3');
  const insuranceType = (text(input, 'insuranceType') || 'unknown') as InsuranceType;
  if (!INSURANCE_TYPES.includes(insuranceType))
    throw new DeclarationFieldError('insuranceType', `must be one of ${INSURANCE_TYPES.join(', ')}`);
  const insurerNumber = text(input, 'insurerNumber', { max: 8 });
  if (insurerNumber !== '' && !INSURER_NUMBER_PATTERN.test(insurerNumber)) {
    throw new DeclarationFieldError('insurerNumber', 'must have 6 or 8 digits');
  }
  const reviewBody = text(input, 'reviewBody');
  if (reviewBody !== '' && reviewBody !== 'shiharai-kikin' && reviewBody !== 'kokuhoren') {
    throw new DeclarationFieldError('reviewBody', 'must be shiharai-kikin or kokuhoren');
  }
  return {
    name: text(input, 'name', { required: true, max: 60 }),
    nameKana: text(input, 'nameKana', { max: 60 }),
    birthdate,
    sex,
    address: text(input, 'address', { required: true }),
    phone: text(input, 'phone', { max: 30 }),
    insuranceType,
    insurerOrEmployerName: text(input, 'insurerOrEmployerName', { max: 80 }),
    insurerNumber,
    symbol: text(input, 'symbol', { max: 40 }),
    number: text(input, 'number', { max: 40 }),
    branch: text(input, 'branch', { max: 2 }),
    visitDate,
    reviewBody,
  };
}

/** Today's date in Japan (UTC+9, no DST), YYYY-MM-DD. */
export function japanToday(now = new Date()): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

function shiftYear(date: string, years: number): string {
  return `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}${date.slice(4)}`;
}

/** The claim to make from a declaration (不詳 when the identifiers are not known). */
export function claimFor(form: DeclarationForm): DeclarationClaim {
  const unknownIdentifiers = form.insurerNumber === '' || form.number === '';
  const defaultReviewBody =
    form.insuranceType === 'employee'
      ? 'shiharai-kikin'
      : form.insuranceType === 'unknown'
        ? ''
        : 'kokuhoren';
  const reviewBody = form.reviewBody || defaultReviewBody;
  if (!unknownIdentifiers) {
    return {
      unknownIdentifiers,
      insurerNumber: form.insurerNumber,
      insuredNumber: form.number,
      remarks: '',
      reviewBody,
    };
  }
  const remarks = ['不詳', form.address, form.insurerOrEmployerName, form.phone]
    .filter((part) => part !== '')
    .join(' ');
  return {
    unknownIdentifiers,
    insurerNumber: UNKNOWN_INSURER_NUMBER,
    insuredNumber: form.insuranceType === 'koki' ? UNKNOWN_INSURED_NUMBER_KOKI : UNKNOWN_INSURED_NUMBER,
    remarks,
    reviewBody,
  };
}
