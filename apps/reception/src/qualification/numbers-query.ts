/**
 * Query by the numbers printed on a 資格確認書 (or an old 保険証): insurer number, 記号, 番号,
 * 枝番 and birth date (domain.md §8.1; the web API's QualificationConfirmSearchInfo, §5.2). The
 * request is checked at the boundary ({@link parseNumbersQuery}, typed error with a stable code);
 * {@link answerByNumbers} is the matching rule the stand-ins share (built-in SQLite stand-in and the
 * stand-in 連携アプリ process).
 *
 * @example
 * ```ts
 * const query = parseNumbersQuery({ insurerNumber: '138057', symbol: 'モギ', number: '1234567', branch: '00', birthDate: '1980-04-01' });
 * const found = answerByNumbers(SYNTHETIC_PERSONS, query);
 * ```
 */
import type { QualificationResult, QualificationValidity } from '../ports/qualification-service.js';
import type { SyntheticPerson } from './synthetic-persons.js';

export interface NumbersQuery {
  /** 6 digits (国保) or 8 digits. */
  readonly insurerNumber: string;
  /** 記号; may be empty (後期高齢者, some 国保). */
  readonly symbol: string;
  /** 番号 */
  readonly number: string;
  /** 枝番 (2 digits); may be empty (old 保険証 without one). */
  readonly branch: string;
  /** YYYY-MM-DD */
  readonly birthDate: string;
}

export class NumbersQueryError extends Error {
  override readonly name = 'NumbersQueryError';
  readonly code = 'NUMBERS_QUERY_INVALID';
  constructor(
    readonly field: keyof NumbersQuery | 'body',
    message: string,
  ) {
    super(message);
  }
}

const LIMITS = { symbol: 38, number: 38 } as const;

function text(body: Record<string, unknown>, field: keyof NumbersQuery, required: boolean): string {
  const value = body[field];
  if (value === undefined || value === null) {
    if (required) throw new NumbersQueryError(field, `${field} is required`);
    return '';
  }
  if (typeof value !== 'string') throw new NumbersQueryError(field, `${field} must be a string`);
  const trimmed = value.normalize('NFKC').trim();
  if (required && trimmed.length === 0) throw new NumbersQueryError(field, `${field} is required`);
  return trimmed;
}

function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Validates and normalises (NFKC, trimmed) a by-numbers query from untrusted input. */
export function parseNumbersQuery(body: unknown): NumbersQuery {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new NumbersQueryError('body', 'query must be an object');
  const record = body as Record<string, unknown>;
  const insurerNumber = text(record, 'insurerNumber', true);
  if (!/^(\d{6}|\d{8})$/.test(insurerNumber))
    throw new NumbersQueryError('insurerNumber', 'insurerNumber must be 6 or 8 digits');
  const symbol = text(record, 'symbol', false);
  if (symbol.length > LIMITS.symbol || /[<>&\p{Cc}]/u.test(symbol))
    throw new NumbersQueryError('symbol', `symbol must be at most ${LIMITS.symbol} printable characters`);
  const number = text(record, 'number', true);
  if (number.length > LIMITS.number || /[<>&\p{Cc}]/u.test(number))
    throw new NumbersQueryError('number', `number must be at most ${LIMITS.number} printable characters`);
  const branch = text(record, 'branch', false);
  if (branch !== '' && !/^\d{2}$/.test(branch))
    throw new NumbersQueryError('branch', 'branch must be empty or 2 digits');
  const birthDate = text(record, 'birthDate', true);
  if (!isRealDate(birthDate)) throw new NumbersQueryError('birthDate', 'birthDate must be a date YYYY-MM-DD');
  return { insurerNumber, symbol, number, branch, birthDate };
}

const same = (left: string, right: string): boolean =>
  left.normalize('NFKC').trim() === right.normalize('NFKC').trim();

/** True when `result` carries exactly these numbers (an empty symbol/branch in the query matches any). */
export function resultMatches(result: QualificationResult, query: NumbersQuery): boolean {
  return (
    same(result.insurerNumber, query.insurerNumber) &&
    same(result.insuredIdentificationNumber, query.number) &&
    (query.symbol === '' || same(result.insuredCardSymbol, query.symbol)) &&
    (query.branch === '' || same(result.insuredBranchNumber, query.branch)) &&
    result.birthdate === query.birthDate
  );
}

export interface NumbersAnswer {
  readonly validity: QualificationValidity;
  readonly results: readonly QualificationResult[];
  readonly message?: string;
  readonly personId?: string;
}

/**
 * The person whose results carry these numbers answers with its validity and results — except that
 * the numbers of the newer qualification of an "invalid, newer exists" (3) person answer valid (1)
 * with that result alone; no match is QualificationValidity 4 (該当資格なし) with an empty list.
 */
export function answerByNumbers(persons: readonly SyntheticPerson[], query: NumbersQuery): NumbersAnswer {
  for (const person of persons) {
    const matched = person.results.find((result) => resultMatches(result, query));
    // The newer qualification's own numbers are valid (1); only the lost one's answer 3 [inferred].
    if (matched !== undefined && person.validity === '3' && matched.reasonOfLoss === undefined) {
      return { validity: '1', results: [matched], personId: person.id };
    }
    if (matched !== undefined) {
      return {
        validity: person.validity,
        results: person.results,
        personId: person.id,
        ...(person.message === undefined ? {} : { message: person.message }),
      };
    }
  }
  return { validity: '4', results: [] };
}
