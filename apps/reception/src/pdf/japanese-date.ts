/**
 * Japanese-style dates for printed forms: 「1990年9月9日(平成2年)」, and timestamps in Japan time
 * (UTC+9, no daylight saving) instead of ISO/UTC. Era start dates: 明治 1868-01-25 (as used for
 * dates from the Gregorian switch, 1873), 大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08,
 * 令和 2019-05-01; the first year of an era is written 元年.
 *
 * @example
 * ```ts
 * formatJapaneseDate('2019-05-01'); // '2019年5月1日(令和元年)'
 * ```
 */
const ERAS: readonly (readonly [start: string, name: string])[] = [
  ['2019-05-01', '令和'],
  ['1989-01-08', '平成'],
  ['1926-12-25', '昭和'],
  ['1912-07-30', '大正'],
  ['1868-01-25', '明治'],
];

/** 和暦 year of a YYYY-MM-DD date, e.g. 「平成2年」 (undefined before 明治). */
export function japaneseEraYear(iso: string): string | undefined {
  for (const [start, name] of ERAS) {
    if (iso >= start) {
      const year = Number(iso.slice(0, 4)) - Number(start.slice(0, 4)) + 1;
      return `${name}${year === 1 ? '元' : year}年`;
    }
  }
  return undefined;
}

/** 「YYYY年M月D日(和暦)」 for a YYYY-MM-DD date; '' for ''. */
export function formatJapaneseDate(iso: string): string {
  if (iso === '') return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (match === null) return iso;
  const era = japaneseEraYear(iso);
  return `${Number(match[1])}年${Number(match[2])}月${Number(match[3])}日${era === undefined ? '' : `(${era})`}`;
}

/** 「2026年12月8日 8時13分(日本時間)」. */
export function formatJapaneseTimestamp(at: Date): string {
  const japan = new Date(at.getTime() + 9 * 3_600_000);
  const iso = japan.toISOString();
  return `${formatJapaneseDate(iso.slice(0, 10)).replace(/\(.*\)$/, '')} ${japan.getUTCHours()}時${String(japan.getUTCMinutes()).padStart(2, '0')}分(日本時間)`;
}
