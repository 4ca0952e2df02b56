/**
 * UTCTime and GeneralizedTime in the RFC 5280 profile (§4.1.2.5.1, §4.1.2.5.2; DER per X.690
 * §11.7–11.8): `YYMMDDHHMMSSZ` and `YYYYMMDDHHMMSSZ`, seconds present, Zulu, no fractions.
 * Returns milliseconds since the Unix epoch (no Date allocation on hot paths).
 *
 * @example
 * ```ts
 * new Date(decodeTime(TAG_UTC_TIME, bytes, start, end)).toISOString();
 * ```
 */
import { derError } from './der-error.js';
import { TAG_GENERALIZED_TIME, TAG_UTC_TIME } from './der-tags.js';

/** Length of `YYMMDDHHMMSSZ`. */
const UTC_TIME_LENGTH = 13;
/** Length of `YYYYMMDDHHMMSSZ`. */
const GENERALIZED_TIME_LENGTH = 15;
/** ASCII 'Z'. */
const ZULU = 0x5a;
/** ASCII '0'. */
const DIGIT_ZERO = 0x30;
/** UTCTime YY ≥ 50 means 19YY, else 20YY (RFC 5280 §4.1.2.5.1). */
const UTC_TIME_PIVOT = 50;
const MILLISECONDS_PER_DAY = 86_400_000;

function digits(bytes: Uint8Array, at: number, count: number, errorOffset: number): number {
  let value = 0;
  for (let index = 0; index < count; index++) {
    const digit = bytes[at + index]! - DIGIT_ZERO;
    if (digit < 0 || digit > 9) throw derError('invalid-time', errorOffset, 'non-digit in time');
    value = value * 10 + digit;
  }
  return value;
}

/** Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's algorithm). */
function daysFromCivil(year: number, month: number, day: number): number {
  const shifted = month <= 2 ? year - 1 : year;
  const era = Math.floor(shifted / 400);
  const yearOfEra = shifted - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Decodes UTCTime (`tag` 0x17) or GeneralizedTime (0x18) content to epoch milliseconds.
 *
 * @example
 * ```ts
 * decodeTime(0x17, new TextEncoder().encode('330715145959Z'), 0, 13); // 2005225199000
 * ```
 */
export function decodeTime(tag: number, bytes: Uint8Array, start: number, end: number): number {
  let year: number;
  let at: number;
  if (tag === TAG_UTC_TIME) {
    if (end - start !== UTC_TIME_LENGTH)
      throw derError('invalid-time', start, 'UTCTime must be YYMMDDHHMMSSZ');
    const yy = digits(bytes, start, 2, start);
    year = yy >= UTC_TIME_PIVOT ? 1900 + yy : 2000 + yy;
    at = start + 2;
  } else if (tag === TAG_GENERALIZED_TIME) {
    if (end - start !== GENERALIZED_TIME_LENGTH)
      throw derError('invalid-time', start, 'GeneralizedTime must be YYYYMMDDHHMMSSZ');
    year = digits(bytes, start, 4, start);
    at = start + 4;
  } else {
    throw derError('unexpected-tag', start, 'expected UTCTime or GeneralizedTime');
  }
  if (bytes[end - 1] !== ZULU) throw derError('invalid-time', start, 'time must end in Z');
  const month = digits(bytes, at, 2, start);
  const day = digits(bytes, at + 2, 2, start);
  const hour = digits(bytes, at + 4, 2, start);
  const minute = digits(bytes, at + 6, 2, start);
  const second = digits(bytes, at + 8, 2, start);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    throw derError('invalid-time', start, 'time field out of range');
  return daysFromCivil(year, month, day) * MILLISECONDS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000;
}
