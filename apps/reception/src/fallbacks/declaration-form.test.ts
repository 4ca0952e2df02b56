import { describe, expect, it } from 'vitest';
import { formatJapaneseDate, formatJapaneseTimestamp } from '../pdf/japanese-date.js';
import {
  claimFor,
  DeclarationFieldError,
  isCalendarDate,
  parseDeclaration,
  UNKNOWN_INSURED_NUMBER,
  UNKNOWN_INSURED_NUMBER_KOKI,
  UNKNOWN_INSURER_NUMBER,
} from './declaration-form.js';
import { allowedEvidence, EVIDENCE_TYPES, refusalReason } from './fallback-rules.js';

const base = {
  name: '初診　花子',
  birthdate: '1990-01-02',
  address: '東京都模擬区',
  visitDate: '2026-11-21',
};

describe('被保険者資格申立書', () => {
  it('makes a 不詳 claim when the identifiers are unknown', () => {
    const claim = claimFor(
      parseDeclaration({
        ...base,
        insuranceType: 'employee',
        insurerOrEmployerName: '株式会社模擬',
        phone: '03-0000-0000',
      }),
    );
    expect(claim).toEqual({
      unknownIdentifiers: true,
      insurerNumber: UNKNOWN_INSURER_NUMBER,
      insuredNumber: UNKNOWN_INSURED_NUMBER,
      remarks: '不詳 東京都模擬区 株式会社模擬 03-0000-0000',
      reviewBody: 'shiharai-kikin',
    });
    expect(UNKNOWN_INSURER_NUMBER).toBe('77777777');
    expect(UNKNOWN_INSURED_NUMBER).toBe('777777777');
  });
  it('uses the 8-digit insured number for 後期高齢, and leaves the review body to the facility when the type is unknown', () => {
    expect(claimFor(parseDeclaration({ ...base, insuranceType: 'koki' })).insuredNumber).toBe(
      UNKNOWN_INSURED_NUMBER_KOKI,
    );
    expect(UNKNOWN_INSURED_NUMBER_KOKI).toHaveLength(8);
    expect(claimFor(parseDeclaration({ ...base })).reviewBody).toBe('');
    expect(claimFor(parseDeclaration({ ...base, reviewBody: 'kokuhoren' })).reviewBody).toBe('kokuhoren');
  });
  it('claims on the declared numbers when they are known', () => {
    const claim = claimFor(
      parseDeclaration({ ...base, insuranceType: 'kokuho', insurerNumber: '138057', number: '1234567' }),
    );
    expect(claim).toMatchObject({
      unknownIdentifiers: false,
      insurerNumber: '138057',
      insuredNumber: '1234567',
      reviewBody: 'kokuhoren',
    });
  });
  it('names the field of bad input', () => {
    expect(() => parseDeclaration({ ...base, name: '' })).toThrow(/name is required/);
    expect(() => parseDeclaration({ ...base, birthdate: '1990/01/02' })).toThrow(/birthdate/);
    expect(() => parseDeclaration({ ...base, insurerNumber: '1234567' })).toThrow(/insurerNumber/);
    expect(() => parseDeclaration({ ...base, insuranceType: 'other' })).toThrow(/insuranceType/);
    expect(() => parseDeclaration({ ...base, name: 42 })).toThrow(DeclarationFieldError);
    expect(() => parseDeclaration(null)).toThrow(TypeError);
  });
  it('refuses whitespace-only and NUL names and impossible dates (issue 15 row 12)', () => {
    const today = '2026-12-08';
    const field = (body: Record<string, unknown>): string | undefined => {
      try {
        parseDeclaration({ ...base, ...body }, today);
        return undefined;
      } catch (error) {
        return (error as DeclarationFieldError).field;
      }
    };
    for (const name of [' ', '\u3000', 'a\u0000b', '\ud842'] as const) expect(field({ name })).toBe('name');
    for (const birthdate of ['2024-02-30', '9999-99-99', '2026-12-09', '1867-12-31'])
      expect(field({ birthdate })).toBe('birthdate');
    expect(field({ visitDate: '2028-01-01' })).toBe('visitDate');
    expect(field({ name: '𠮷田　次郎', birthdate: '2024-02-29' })).toBeUndefined();
    expect(isCalendarDate('2000-02-29')).toBe(true);
    expect(isCalendarDate('1900-02-29')).toBe(false);
  });
  it('writes dates the Japanese way (和暦, 元年) and timestamps in Japan time', () => {
    expect(formatJapaneseDate('1990-09-09')).toBe('1990年9月9日(平成2年)');
    expect(formatJapaneseDate('2019-05-01')).toBe('2019年5月1日(令和元年)');
    expect(formatJapaneseDate('2019-04-30')).toBe('2019年4月30日(平成31年)');
    expect(formatJapaneseDate('1989-01-07')).toBe('1989年1月7日(昭和64年)');
    expect(formatJapaneseTimestamp(new Date('2026-12-07T23:05:00Z'))).toBe('2026年12月8日 8時05分(日本時間)');
  });
});

describe('flyer fallback rules', () => {
  it('category ② accepts only a saved PDF from マイナポータル', () => {
    expect(allowedEvidence(2)).not.toContain('myna-portal-screen');
    expect(allowedEvidence(2)).toContain('myna-portal-pdf');
    expect(refusalReason(2, 'myna-portal-screen')?.ja).toContain('PDF');
  });
  it('categories ① and ③ accept every evidence type', () => {
    expect(allowedEvidence(1)).toEqual(EVIDENCE_TYPES);
    expect(allowedEvidence(3)).toEqual(EVIDENCE_TYPES);
  });
});
