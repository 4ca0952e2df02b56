import { describe, expect, it } from 'vitest';
import { birthDateKey, verificationNumberB } from './card-credentials.js';
import { certificateBirthDate, eraYymmdd, toEra } from './japanese-era.js';
import { JisX0208 } from './jis-x0208.js';
import { isValidMyNumber, myNumberCheckDigit } from './my-number.js';
import { createSyntheticPerson, nthBirthdayAfter } from './synthetic-person.js';

describe('Japanese era', () => {
  it.each([
    ['19800217', 'showa', 55, '550217', '319800217'],
    ['19890107', 'showa', 64, '640107', '319890107'],
    ['19890108', 'heisei', 1, '010108', '419890108'],
    ['20091029', 'heisei', 21, '211029', '420091029'],
    ['20190430', 'heisei', 31, '310430', '420190430'],
    ['20190501', 'reiwa', 1, '010501', '520190501'],
    ['19261225', 'showa', 1, '011225', '319261225'],
    ['19120730', 'taisho', 1, '010730', '219120730'],
    ['19000101', 'meiji', 33, '330101', '119000101'],
  ])('%s → %s %i', (date, era, year, yymmdd, certificate) => {
    expect(toEra(date)).toMatchObject({ era, year });
    expect(eraYymmdd(date)).toBe(yymmdd);
    expect(certificateBirthDate(date)).toBe(certificate);
  });

  it('rejects malformed dates and dates before Meiji', () => {
    expect(() => toEra('1980-02-17')).toThrow(TypeError);
    expect(() => toEra('18000101')).toThrow(RangeError);
  });

  it('照合番号B of the jpki-card.md §5.2 worked example', () => {
    expect(
      verificationNumberB({ birthDate: '19800217', cardExpiresOn: '20350217', securityCode: '2285' }),
    ).toBe('55021720352285');
    expect(birthDateKey({ birthDate: '20091029' })).toBe('211029');
  });
});

describe('個人番号 check digit', () => {
  it('computes the statutory check digit', () => {
    expect(myNumberCheckDigit('12345678901')).toBe(8);
    expect(isValidMyNumber('123456789018')).toBe(true);
    expect(isValidMyNumber('123456789019')).toBe(false);
    expect(isValidMyNumber('12345678901')).toBe(false);
    expect(() => myNumberCheckDigit('1234')).toThrow(TypeError);
  });
});

describe('JIS X 0208 membership', () => {
  const jis = new JisX0208();
  it.each([
    ['高', true],
    ['崎', true],
    ['吉', true],
    ['あ', true],
    ['Ａ', true],
    ['１', true],
    ['\u3000', true],
    ['髙', false],
    ['﨑', false],
    ['𠮷', false],
    ['A', false],
    ['①', false],
  ])('%s → %s', (character, expected) => {
    expect(jis.has(character)).toBe(expected);
  });

  it('builds substitute-character maps per code point', () => {
    expect(jis.substitutionMap('髙橋\u3000𠮷男')).toBe('10010');
  });
});

describe('synthetic persons', () => {
  it('are deterministic from the seed and differ between seeds', () => {
    expect(createSyntheticPerson('a')).toEqual(createSyntheticPerson('a'));
    expect(createSyntheticPerson('a').myNumber).not.toBe(createSyntheticPerson('b').myNumber);
  });

  it('have realistic, valid fields with characters outside JIS X 0208', () => {
    const jis = new JisX0208();
    for (const seed of ['kakunin', 'one', 'two', 'three', 'four', 'five']) {
      const person = createSyntheticPerson(seed);
      expect(isValidMyNumber(person.myNumber)).toBe(true);
      expect(person.name).toMatch(/^\S+\u3000\S+$/u);
      expect(jis.substitutionMap(person.name)).toContain('1');
      expect(person.address.startsWith(person.municipality.prefecture + person.municipality.city)).toBe(true);
      expect(person.address).toMatch(/[０-９]+番[０-９]+号/);
      expect(person.securityCode).toMatch(/^[0-9]{4}$/);
      expect(person.cardSerial).toMatch(/^4[0-9]{14}$/);
      const age = 2025 - Number(person.birthDate.slice(0, 4));
      expect(age).toBeGreaterThanOrEqual(20);
      expect(person.cardExpiresOn.slice(4)).toBe(
        person.birthDate.slice(4) === '0229' ? '0228' : person.birthDate.slice(4),
      );
    }
    const child = createSyntheticPerson('kakunin', { ageClass: 'child' });
    expect(2025 - Number(child.birthDate.slice(0, 4))).toBeLessThanOrEqual(15);
    // Minors' cards expire at the 5th birthday after issue.
    expect(Number(child.cardExpiresOn.slice(0, 4)) - 2025).toBeLessThanOrEqual(5);
  });

  it('nthBirthdayAfter counts birthdays strictly after the date and maps 29 Feb', () => {
    expect(nthBirthdayAfter('19800217', '20251027', 5)).toBe('20300217');
    expect(nthBirthdayAfter('19800217', '20250217', 1)).toBe('20260217');
    expect(nthBirthdayAfter('19800229', '20250101', 1)).toBe('20250228');
    expect(nthBirthdayAfter('19800229', '20250101', 3)).toBe('20270228');
    expect(nthBirthdayAfter('19800229', '20270301', 1)).toBe('20280229');
  });
});
