/**
 * Row 12: the 申立書. Before: a whitespace-only or NUL name accepted;
 * 2024-02-30 and 9999-99-99 accepted as dates; 𠮷 (the demo's own patient 𠮷田) and emoji printed
 * as empty boxes with no warning. Must be: real validation; a font covering JIS X 0213 and real
 * names; a visible warning for any glyph still missing; Japanese dates, required fields marked; the
 * PDF's text extracts (pdftotext) for every seeded name.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYNTHETIC_PERSONS } from '@kakunin/reception';
import { describe, expect, it } from 'vitest';
import { settle, useReception } from './support/reception.js';

const directory = mkdtempSync(join(tmpdir(), 'kakunin-security-pdf-'));
const pdfText = (bytes: Uint8Array, name: string): string => {
  const file = join(directory, `${name}.pdf`);
  writeFileSync(file, bytes);
  // pdftotext is poppler-utils (scripts/setup.sh): missing → this throws, loudly.
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
};
const compact = (text: string): string => text.replace(/[\s\u3000]+/g, '');

const base = {
  birthdate: '1990-09-09',
  address: '東京都模擬区見本町1-2-3',
  visitDate: new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10),
  insuranceType: 'unknown',
};

describe('row 12: the declaration form (申立書)', () => {
  const app = useReception();

  const declare = (data: Record<string, unknown>) =>
    app().client.post('/api/fallbacks', {
      failureCategory: 1,
      evidence: 'declaration',
      data: { ...base, ...data },
    });

  it('refuses whitespace-only, NUL and invisible-character names (400, field named)', async () => {
    for (const name of [
      '   ',
      '\u3000\u3000',
      '\t\n',
      '試験\u0000太郎',
      '\u0000',
      '試験\u200b太郎',
      '\ufeff',
    ]) {
      const reply = await declare({ name });
      expect(reply.status, JSON.stringify(name)).toBe(400);
      expect(reply.json.error.code).toBe('BAD_REQUEST');
      expect(reply.json.error.field).toBe('name');
    }
  });

  it('refuses impossible and out-of-range dates', async () => {
    for (const birthdate of [
      '2024-02-30',
      '9999-99-99',
      '2023-02-29',
      '1990-13-01',
      '1990-00-10',
      '1800-01-01',
      '2999-01-01',
      '1990-9-9',
      '１９９０-01-01',
    ]) {
      const reply = await declare({ name: '試験　太郎', birthdate });
      expect(reply.status, birthdate).toBe(400);
      expect(reply.json.error.field).toBe('birthdate');
    }
    for (const visitDate of ['2024-02-30', '9999-99-99', '2000-01-01']) {
      const reply = await declare({ name: '試験　太郎', visitDate });
      expect(reply.status, visitDate).toBe(400);
      expect(reply.json.error.field).toBe('visitDate');
    }
    expect((await declare({ name: '試験　太郎', birthdate: '2024-02-29' })).status).toBe(201);
  });

  it('prints every seeded name, 𠮷田 included, so that pdftotext extracts it; Japanese dates; ※ marks', async () => {
    const names = new Set<string>(['𠮷田　次郎']);
    for (const person of SYNTHETIC_PERSONS) for (const result of person.results) names.add(result.name);
    expect(names.size).toBe(12); // the seeded persons (incl. 特定疾病 and consent-flag patients) and 𠮷田
    for (const name of names) {
      const recorded = await declare({ name, nameKana: 'シケン　タロウ' });
      expect(recorded.status, name).toBe(201);
      expect(recorded.json.data.unprintableCharacters, name).toEqual([]);
      const pdf = await app().client.get(`/api/fallbacks/${recorded.json.id}/document`);
      expect(pdf.status).toBe(200);
      const text = pdfText(pdf.body, recorded.json.id);
      expect(compact(text), name).toContain(compact(name));
      expect(text).toContain('1990年9月9日(平成2年)');
      expect(text).toContain('氏名 ※');
      expect(text).toContain('※は必ずご記入ください');
      expect(text).toContain('(日本時間)');
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
      expect(text).not.toContain('注意】');
    }
  });

  it('offers a prefill from the check just made (name, birth date, sex, address when shared), required fields listed', async () => {
    app().desk.reset('plastic');
    app().desk.insert('plastic');
    const started = await app().client.post('/api/checks', { mode: 'pin' });
    await settle(app().client, started.json.id);
    const done = await app().client.post(
      `/api/checks/${started.json.id}/pin`,
      new TextEncoder().encode('1234'),
    );
    expect(done.json.status).toBe('result');
    const result = done.json.answer.body.resultList[0];
    const prefill = await app().client.get(`/api/checks/${started.json.id}/declaration-prefill`);
    expect(prefill.status).toBe(200);
    expect(prefill.json.source).toBe('qualification');
    expect(prefill.json.required).toEqual(['name', 'birthdate', 'address', 'visitDate']);
    expect(prefill.json.fields).toMatchObject({
      name: result.name,
      nameKana: result.nameKana,
      sex: result.sex,
    });
    expect(prefill.json.fields.birthdate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // and the prefilled values pass the form's own validation
    const recorded = await declare({
      ...prefill.json.fields,
      address: prefill.json.fields.address ?? base.address,
    });
    expect(recorded.status).toBe(201);
    expect((await app().client.get('/api/checks/nope/declaration-prefill')).status).toBe(404);
  });

  it('warns visibly (in the PDF and the record) for a character the font still lacks (emoji)', async () => {
    const recorded = await declare({ name: '試験　太郎😀' });
    expect(recorded.status).toBe(201);
    expect(recorded.json.data.unprintableCharacters).toEqual(['U+1F600']);
    const pdf = await app().client.get(`/api/fallbacks/${recorded.json.id}/document`);
    const text = pdfText(pdf.body, 'emoji');
    expect(text).toContain('【注意】');
    expect(compact(text)).toContain('U+1F600');
  });
});
