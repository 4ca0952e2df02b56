import { describe, expect, it } from 'vitest';
import {
  claimFor,
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
    expect(() => parseDeclaration({ ...base, name: 42 })).toThrow(TypeError);
    expect(() => parseDeclaration(null)).toThrow(TypeError);
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
