/**
 * The UI's one i18n table (public/i18n.js) and its one code table (public/codes.js): every key in
 * both languages, and no field keys, error codes, spec references or English phrases in Japanese.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module of the web UI (type-checked by public/tsconfig.json)
import { CODES, dateLabel, label, ratioLabel, warekiLabel } from '../../public/codes.js';
// @ts-expect-error plain ES module of the web UI
import { AREAS, STRINGS } from '../../public/i18n.js';

const DEVELOPER_TEXT =
  /[a-z]+\.md|§|\b[A-Z]{2,}_[A-Z_]+\b|\b[a-z]{2,}[A-Z][a-zA-Z]*\b|\b[a-z]{3,} [a-z]{3,}\b/;
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('the i18n table', () => {
  const ja = STRINGS.ja as Record<string, string>;
  const en = STRINGS.en as Record<string, string>;
  it('has every key in Japanese and English', () => {
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
  });
  it('is assembled from its areas with no key defined twice, each area in both languages', () => {
    const seen = new Map<string, string>();
    for (const [name, area] of Object.entries(
      AREAS as Record<string, { ja: Record<string, string>; en: Record<string, string> }>,
    )) {
      expect(Object.keys(area.ja).sort(), name).toEqual(Object.keys(area.en).sort());
      for (const key of Object.keys(area.ja)) {
        expect(seen.get(key), `${key} in ${name}`).toBeUndefined();
        seen.set(key, name);
      }
    }
    expect(seen.size).toBe(Object.keys(ja).length);
  });
  it('has no developer text in Japanese, and Japanese words in every Japanese string but a few names', () => {
    const names = new Set(['English', '—']);
    for (const [key, raw] of Object.entries(ja)) {
      const text = raw.replace(/\{\w+\}/g, ''); // placeholders such as {thisUpdate} are filled in
      expect(text, key).not.toMatch(DEVELOPER_TEXT);
      if (!names.has(raw)) expect(raw, key).toMatch(JAPANESE);
    }
  });
});

describe('the code table', () => {
  it('words every code in both languages and never prints a raw code', () => {
    for (const [table, entries] of Object.entries(
      CODES as Record<string, Record<string, { ja: string; en: string }>>,
    )) {
      for (const [code, words] of Object.entries(entries)) {
        expect(words.ja, `${table} ${code}`).toMatch(JAPANESE);
        expect(words.en.length, `${table} ${code}`).toBeGreaterThan(0);
      }
    }
    expect(label('limitCategory', 'B04')).toBe('一般');
    expect(label('reasonOfLoss', '99')).toBe('その他');
    expect(label('sex', '9')).toBe('不明');
    expect(ratioLabel(30)).toBe('3割');
    expect(ratioLabel(30, 'en')).toBe('30 %');
  });
  it('writes dates the Japanese way, with 和暦', () => {
    expect(dateLabel('2026-04-01')).toBe('2026年4月1日（令和8年）');
    expect(warekiLabel('2019-05-01')).toBe('令和元年5月1日');
    expect(warekiLabel('2019-04-30')).toBe('平成31年4月30日');
    expect(warekiLabel('1989-01-07')).toBe('昭和64年1月7日');
    expect(dateLabel('2026-04-01', 'en')).toBe('1 Apr 2026');
  });
});
