/**
 * Japanese era (元号) conversion for the card's credentials and certificate fields:
 * the birth-date key and 照合番号B use the era year as printed on the card (jpki-card.md §5.1,
 * §5.2); the sign certificate's date of birth is `EYYYYMMDD` with E = 1 Meiji … 5 Reiwa
 * (certificates.md §3). Era start dates are the statutory ones (明治改元の詔 1868-10-23,
 * 大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08, 令和 2019-05-01).
 *
 * @example
 * ```ts
 * toEra('19800217'); // { era: 'showa', code: 3, year: 55 }  → birth-date key '550217'
 * ```
 */

export interface EraDate {
  readonly era: 'meiji' | 'taisho' | 'showa' | 'heisei' | 'reiwa';
  /** certificates.md §3 SAN .4 era digit: 1 Meiji, 2 Taisho, 3 Showa, 4 Heisei, 5 Reiwa. */
  readonly code: 1 | 2 | 3 | 4 | 5;
  /** Year within the era (元年 = 1). */
  readonly year: number;
}

/** Era starts, newest first (YYYYMMDD of the first day). */
const ERAS: readonly {
  readonly start: string;
  readonly era: EraDate['era'];
  readonly code: EraDate['code'];
}[] = [
  { start: '20190501', era: 'reiwa', code: 5 },
  { start: '19890108', era: 'heisei', code: 4 },
  { start: '19261225', era: 'showa', code: 3 },
  { start: '19120730', era: 'taisho', code: 2 },
  { start: '18681023', era: 'meiji', code: 1 },
];

function assertDate(date: string, name: string): void {
  if (typeof date !== 'string' || !/^[0-9]{8}$/.test(date)) throw new TypeError(`${name} must be YYYYMMDD`);
}

/**
 * Era and era year of a Gregorian `YYYYMMDD` date.
 *
 * @example
 * ```ts
 * toEra('20091029').year; // 21 (平成21年)
 * ```
 */
export function toEra(date: string): EraDate {
  assertDate(date, 'date');
  const entry = ERAS.find((candidate) => date >= candidate.start);
  if (entry === undefined) throw new RangeError(`date ${date} is before the Meiji era`);
  const year = Number(date.slice(0, 4)) - Number(entry.start.slice(0, 4)) + 1;
  return { era: entry.era, code: entry.code, year };
}

/**
 * `YYMMDD` with the era year (birth-date key, first 6 digits of 照合番号B).
 *
 * @example
 * ```ts
 * eraYymmdd('19800217'); // '550217'
 * ```
 */
export function eraYymmdd(date: string): string {
  const { year } = toEra(date);
  return String(year % 100).padStart(2, '0') + date.slice(4, 8);
}

/**
 * Sign-certificate date of birth `EYYYYMMDD` (certificates.md §3, SAN 1.2.392.200149.8.5.5.4).
 *
 * @example
 * ```ts
 * certificateBirthDate('19800217'); // '319800217'
 * ```
 */
export function certificateBirthDate(date: string): string {
  return String(toEra(date).code) + date;
}
