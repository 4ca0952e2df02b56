import { randomFillSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createJpkiCertificateValidator } from '../certificates/jpki-certificate-validator.js';
import { openReceptionDatabase } from '../storage/database.js';
import { NumbersQueryError } from './numbers-query.js';
import { createSqliteQualificationService } from './sqlite-qualification-service.js';

describe('query by numbers through the built-in SQLite stand-in', () => {
  const database = openReceptionDatabase({ path: ':memory:' });
  const service = createSqliteQualificationService({
    database,
    validator: createJpkiCertificateValidator({ trustAnchors: [] }),
    now: () => new Date('2026-12-07T00:00:00Z'),
    random: (bytes) => randomFillSync(bytes),
  });
  service.seed();
  afterAll(() => database.close());
  const ask = (query: Record<string, string>) =>
    service.queryByNumbers({
      medicalInstitutionCode: '1399999999',
      symbol: '',
      branch: '',
      ...query,
    } as never);

  it('finds a 資格確認書 by its numbers (symbol/branch optional) and answers ReferenceClassification 2', async () => {
    const answer = await ask({
      insurerNumber: '06139999',
      symbol: '12',
      number: '345',
      branch: '02',
      birthDate: '2021-02-03',
    });
    expect(answer.header.referenceClassification).toBe('2');
    expect(answer.body?.qualificationValidity).toBe('1');
    expect(answer.body?.resultList[0]?.personalFamilyClassification).toBe('2');
    const withoutSymbol = await ask({ insurerNumber: '06139999', number: '345', birthDate: '2021-02-03' });
    expect(withoutSymbol.body?.resultList[0]?.name).toBe(answer.body?.resultList[0]?.name);
  });

  it('old numbers of a person who changed jobs answer 3 (a newer qualification exists)', async () => {
    const old = await ask({
      insurerNumber: '01130012',
      symbol: '5001',
      number: '99',
      birthDate: '1985-03-03',
    });
    expect(old.body?.qualificationValidity).toBe('3');
    expect(old.body?.resultList.map((result) => result.insurerNumber)).toEqual(['06271234', '01130012']);
    // The new employer's numbers are simply valid.
    const current = await ask({
      insurerNumber: '06271234',
      symbol: '88',
      number: '1001',
      birthDate: '1985-03-03',
    });
    expect(current.body?.qualificationValidity).toBe('1');
    expect(current.body?.resultList.map((result) => result.insurerNumber)).toEqual(['06271234']);
  });

  it('a wrong birth date or branch is not found (4), never another person', async () => {
    expect(
      (await ask({ insurerNumber: '138057', number: '1234567', birthDate: '1980-04-02' })).body
        ?.qualificationValidity,
    ).toBe('4');
    expect(
      (await ask({ insurerNumber: '06139999', number: '345', branch: '01', birthDate: '2021-02-03' })).body
        ?.resultList,
    ).toEqual([]);
  });

  it('refuses malformed input with a typed error', async () => {
    await expect(ask({ insurerNumber: '1380', number: '1', birthDate: '1980-04-01' })).rejects.toBeInstanceOf(
      NumbersQueryError,
    );
  });
});
