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

function twoDigits(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! - DIGIT_ZERO) * 10 + bytes[offset + 1]! - DIGIT_ZERO;
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
  const fields = checkedFields(tag, bytes, start, end);
  return (
    daysFromCivil(fields.year, fields.month, fields.day) * MILLISECONDS_PER_DAY + fields.secondOfDay * 1000
  );
}

/**
 * Validates UTCTime / GeneralizedTime content like {@link decodeTime} without computing the
 * instant (for scans that only need strictness).
 *
 * @example
 * ```ts
 * checkTime(TAG_UTC_TIME, bytes, start, end);
 * ```
 */
export function checkTime(tag: number, bytes: Uint8Array, start: number, end: number): void {
  checkedFields(tag, bytes, start, end);
}

interface TimeFields {
  year: number;
  month: number;
  day: number;
  secondOfDay: number;
}

function checkedFields(tag: number, bytes: Uint8Array, start: number, end: number): TimeFields {
  let at: number;
  if (tag === TAG_UTC_TIME) {
    if (end - start !== UTC_TIME_LENGTH)
      throw derError('invalid-time', start, 'UTCTime must be YYMMDDHHMMSSZ');
    at = start + 2;
  } else if (tag === TAG_GENERALIZED_TIME) {
    if (end - start !== GENERALIZED_TIME_LENGTH)
      throw derError('invalid-time', start, 'GeneralizedTime must be YYYYMMDDHHMMSSZ');
    at = start + 4;
  } else {
    throw derError('unexpected-tag', start, 'expected UTCTime or GeneralizedTime');
  }
  if (bytes[end - 1] !== ZULU) throw derError('invalid-time', start, 'time must end in Z');
  // All digits: a negative value in any (digit | 9 - digit) sets the sign bit of the OR.
  let check = 0;
  for (let index = start; index < end - 1; index++) {
    const digit = bytes[index]! - DIGIT_ZERO;
    check |= digit | (9 - digit);
  }
  if (check < 0) throw derError('invalid-time', start, 'non-digit in time');
  let year: number;
  if (tag === TAG_UTC_TIME) {
    const yy = twoDigits(bytes, start);
    year = yy >= UTC_TIME_PIVOT ? 1900 + yy : 2000 + yy;
  } else {
    year = twoDigits(bytes, start) * 100 + twoDigits(bytes, start + 2);
  }
  const month = twoDigits(bytes, at);
  const day = twoDigits(bytes, at + 2);
  const hour = twoDigits(bytes, at + 4);
  const minute = twoDigits(bytes, at + 6);
  const second = twoDigits(bytes, at + 8);
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
  return { year, month, day, secondOfDay: (hour * 60 + minute) * 60 + second };
}
