/**
 * Issue 18 — what was left of problem 6 and Deliver 2/6, in headless Chromium over the real SDK and
 * the simulator's virtual cards (screenshots under test-output/issue-18-rest/):
 * - the 申立書 pre-filled with the 基本4情報 (address included) read from the card's card-info AP,
 *   only after the patient consented and entered the 券面事項入力補助用暗証番号 — PIN safety as in
 *   the check (busy on submit, one request on a double press, the last try refused in words); the
 *   PDF's text extracted with pdftotext carries the card's name and address, and the seeded 𠮷田;
 * - 特定疾病 and the consent flags shown as words on the result screen.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSyntheticPerson, DEFAULT_ISSUED_AT } from '@kakunin/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eHarness, readWithPin, startE2eHarness } from './harness.js';

let harness: E2eHarness;

/** The synthetic holder on the desk's `plastic` card (the desk seeds each profile `kakunin-<profile>`). */
const plasticHolder = createSyntheticPerson('kakunin-plastic', {
  issuedOn: DEFAULT_ISSUED_AT.toISOString().slice(0, 10).replaceAll('-', ''),
  ageClass: 'adult',
});

function pdfText(name: string, pdf: Uint8Array): string {
  const file = join(harness.output, `${name}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

describe('issue 18 (rest): the declaration from the card read with consent, codes as words', () => {
  beforeAll(async () => {
    harness = await startE2eHarness('issue-18-rest');
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('deliver 6: consent, the card-info PIN (busy, single request, last try refused in words), then name, birth date and address from the card on the form and in the PDF', async () => {
    harness.presentCard('plastic', 'invalid');
    const page = await harness.signedInPage();
    await readWithPin(page);
    await page.locator('[data-testid="result"][data-validity="2"]').waitFor();
    await page.getByTestId('to-fallback').click();
    await page.getByTestId('evidence-declaration').check();
    const panel = page.getByTestId('holder-read');
    await panel.waitFor();
    // the words for the receptionist to say, and no read before the patient agrees
    expect(await page.getByTestId('holder-consent-script').textContent()).toContain('よろしいですか');
    expect(await page.getByTestId('holder-read-start').isDisabled()).toBe(true);
    await harness.shot(page, 'd6-consent');
    await page.getByTestId('holder-consent').check();
    await page.getByTestId('holder-read-start').click();
    await page.locator('[data-testid="holder-tries"][data-tries="3"]').waitFor();
    // a double press: one request while the card answers, the button busy
    let pinRequests = 0;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/holder-reads/*/pin', async (route) => {
      pinRequests += 1;
      await held;
      await route.continue();
    });
    await page.fill('#holderPin', '9999');
    await page.evaluate(() => {
      const button = document.querySelector<HTMLButtonElement>('[data-testid="holder-pin-submit"]')!;
      button.click();
      button.click();
    });
    await page.locator('[data-testid="holder-pin-submit"][aria-busy="true"]').waitFor();
    expect(await page.getByTestId('holder-pin-submit').isDisabled()).toBe(true);
    await harness.shot(page, 'd6-holder-pin-busy');
    release();
    await page.locator('[data-testid="holder-tries"][data-tries="2"]').waitFor();
    expect(pinRequests).toBe(1);
    await page.unroute('**/api/holder-reads/*/pin');
    expect(await page.getByTestId('holder-pin-error').textContent()).toContain('暗証番号が違います');
    await page.fill('#holderPin', '9998');
    await page.getByTestId('holder-pin-submit').click();
    await page.locator('[data-testid="holder-tries"][data-tries="1"]').waitFor();
    // the last try: refused in words, not sent
    await page.fill('#holderPin', '1234');
    await page.getByTestId('holder-pin-submit').click();
    await page.locator('[data-testid="holder-read"][data-code="LAST_TRY_REFUSED"]').waitFor();
    expect(await page.getByTestId('holder-pin-error').textContent()).toContain('送信していません');
    expect(await page.getByTestId('holder-tries').getAttribute('data-tries')).toBe('1');
    await harness.shot(page, 'd6-holder-last-try-refused');
    await page.getByTestId('holder-confirm-last-try').check();
    await page.fill('#holderPin', '1234');
    await page.getByTestId('holder-pin-submit').click();
    await page.getByTestId('holder-read-done').waitFor();
    // the form now holds the card's basic four
    expect(await page.inputValue('#name')).toBe(plasticHolder.name);
    expect(await page.inputValue('#address')).toBe(plasticHolder.address);
    const birth = plasticHolder.birthDate;
    expect(await page.inputValue('#birthdate')).toBe(
      `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`,
    );
    expect(await page.inputValue('#sex')).toBe(plasticHolder.sex === 'female' ? '2' : '1');
    expect(await page.locator('#holderPin').count()).toBe(0);
    await harness.shot(page, 'd6-declaration-from-card');
    await page.getByTestId('fallback-submit').click();
    await page.getByTestId('declaration-pdf-link').waitFor();
    const recordId = String(await page.getByTestId('fallback-status').getAttribute('data-record-id'));
    const stored = harness.server.services.fallbacks.get(recordId)!;
    // only what the form needs is stored: no PIN, nothing of the read besides the form's fields
    expect(JSON.stringify(stored.data)).not.toMatch(/1234|9999|9998/);
    const pdf = harness.server.services.fallbacks.document(recordId)!;
    const text = pdfText('declaration-from-card', pdf.content);
    expect(text.replace(/\s/g, '')).toContain(plasticHolder.name.replace(/\s|\u3000/g, ''));
    expect(text.replace(/\s/g, '')).toContain(plasticHolder.address.replace(/\s|\u3000/g, ''));
    await page.context().close();
  });

  it('deliver 6: the seeded synthetic 𠮷田 still extracts from the PDF (pdftotext)', async () => {
    const page = await harness.signedInPage();
    const response = await page.request.post(new URL('/api/fallbacks', harness.server.url).toString(), {
      data: {
        failureCategory: 3,
        evidence: 'declaration',
        data: {
          name: '𠮷田　次郎',
          nameKana: 'ヨシダ　ジロウ',
          birthdate: '1990-09-09',
          sex: '1',
          address: '東京都模擬区一丁目2番3号',
          insuranceType: 'unknown',
          visitDate: new Date().toISOString().slice(0, 10),
        },
      },
    });
    expect(response.status()).toBe(201);
    const record = (await response.json()) as { id: string };
    const text = pdfText(
      'declaration-yoshida',
      harness.server.services.fallbacks.document(record.id)!.content,
    );
    expect(text).toContain('𠮷田');
    expect(text.replace(/\s/g, '')).toContain('東京都模擬区一丁目2番3号');
    await page.context().close();
  });

  it('deliver 2: a 特定疾病療養受療証 and the viewing consents are shown as words (no codes, Japanese dates)', async () => {
    harness.presentCard('plastic', 'valid-specific-disease');
    const page = await harness.signedInPage();
    await readWithPin(page);
    await page.locator('[data-testid="result"][data-validity="1"]').waitFor();
    const row = (key: string) => page.locator(`[data-testid="result-table"] tr[data-row="${key}"] td`);
    const disease = String(await row('specificDisease').textContent());
    expect(disease).toContain('人工透析を要する慢性腎不全');
    expect(disease).toContain('自己負担限度額 月10,000円');
    expect(disease).toMatch(/2027年3月31日/);
    expect(disease).not.toMatch(/\d{4}-\d{2}-\d{2}|10000|^[0-3]/);
    await harness.shot(page, 'd2-specific-disease');
    await page.context().close();

    harness.presentCard('plastic', 'valid-consented');
    const consented = await harness.signedInPage();
    await readWithPin(consented);
    await consented.locator('[data-testid="result"][data-validity="1"]').waitFor();
    const cell = (key: string) =>
      consented.locator(`[data-testid="result-table"] tr[data-row="${key}"] td`).textContent();
    for (const key of ['consentPharmacists', 'consentDiagnosis', 'consentHealthCheckups']) {
      const text = String(await cell(key));
      expect(text).toMatch(/^同意あり\(.+年.+月.+日 \d{2}:\d{2}まで閲覧できます\)$/);
      expect(text).not.toMatch(/T\d{2}:|Z\b/);
    }
    expect(await cell('consentOperation')).toBe('同意なし');
    const headers = await consented
      .locator('[data-testid="result-table"] tr[data-row^="consent"] th')
      .allTextContents();
    expect(headers).toEqual(['薬剤情報の閲覧', '診療情報の閲覧', '特定健診情報の閲覧', '手術情報の閲覧']);
    await harness.shot(consented, 'd2-consent-flags');
    await consented.context().close();
  });
});
