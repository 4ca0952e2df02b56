import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QualificationResult } from '../ports/qualification-service.js';
import { SYNTHETIC_PERSONS } from '../qualification/synthetic-persons.js';
import {
  matchesWithSubstitutes,
  type PatientRecord,
  reconcile,
  SUBSTITUTE_CHARACTER,
  sameInsurerNumberDifferentFormat,
} from './reconciliation.js';

const result = SYNTHETIC_PERSONS.find((person) => person.id === 'valid-kokuho')!
  .results[0]! as QualificationResult;
const stored: PatientRecord = {
  id: 1,
  referenceNumber: 'P0001',
  insurerNumber: '138057',
  symbol: 'モギ',
  number: '1234567',
  branch: '00',
  familyClass: '1',
  name: '試験 太郎',
  nameKana: 'シケン　タロウ',
  birthdate: '1980-04-01',
  sex: '1',
  copaymentRatio: 30,
  validFrom: '2020-04-01',
  validUntil: null,
  updatedAt: '2026-01-01T00:00:00Z',
};

describe('reconcile', () => {
  it('matches field by field, treating ASCII and ideographic spaces alike', () => {
    const report = reconcile(result, stored);
    expect(report.status).toBe('match');
    expect(report.fields.every((field) => field.status === 'match')).toBe(true);
  });
  it('reports a new patient when nothing is stored', () => {
    expect(reconcile(result, undefined).status).toBe('new');
  });
  it('flags a changed insurer as a mismatch and a zero-padded 6-digit number as format', () => {
    expect(reconcile(result, { ...stored, insurerNumber: '01130012' }).fields[0]).toMatchObject({
      status: 'mismatch',
    });
    const padded = reconcile(result, { ...stored, insurerNumber: '00138057' });
    expect(padded.fields[0]).toMatchObject({ status: 'format' });
    expect(padded.status).toBe('match');
  });
  it('flags ● substitutions as substituted, not mismatched', () => {
    const report = reconcile({ ...result, name: '●験　太郎' }, stored);
    expect(report.fields.find((field) => field.field === 'name')?.status).toBe('substituted');
    expect(
      reconcile({ ...result, name: '●験　次郎' }, stored).fields.find((field) => field.field === 'name')
        ?.status,
    ).toBe('mismatch');
  });
  it('compares astral characters (𠮷) as one character', () => {
    expect(matchesWithSubstitutes('●田', '𠮷田')).toBe(true);
  });
  it('property: replacing any characters with ● still matches; a different length never does', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }),
        fc.array(fc.nat()),
        (name, positions) => {
          const characters = [...name];
          for (const position of positions) characters[position % characters.length] = SUBSTITUTE_CHARACTER;
          const substituted = characters.join('');
          expect(matchesWithSubstitutes(substituted, name)).toBe(true);
          expect(matchesWithSubstitutes(`${substituted}x`, name)).toBe(false);
        },
      ),
    );
  });
  it('insurer-number formats: only 6 ↔ 00+6', () => {
    expect(sameInsurerNumberDifferentFormat('138057', '00138057')).toBe(true);
    expect(sameInsurerNumberDifferentFormat('00138057', '138057')).toBe(true);
    expect(sameInsurerNumberDifferentFormat('138057', '01138057')).toBe(false);
    expect(sameInsurerNumberDifferentFormat('138057', '138057')).toBe(false);
  });
});
