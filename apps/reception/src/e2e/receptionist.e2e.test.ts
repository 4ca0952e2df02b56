/**
 * Issue 18 — the reception app as a receptionist lives it, in real headless Chromium over the real
 * SDK and the simulator's virtual cards. One test per problem of the issue; each failed on the code
 * before the fix. Screenshots go to test-output/issue-18/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eHarness, readWithPin, startE2eHarness } from './harness.js';

let harness: E2eHarness;

describe('issue 18: the reception app as a receptionist lives it', () => {
  beforeAll(async () => {
    harness = await startE2eHarness('issue-18');
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('problem 1 / validity 3: old and new qualification labelled side by side; the new one is adopted (record + audit)', async () => {
    harness.presentCard('child', 'invalid-newer-exists');
    const page = await harness.signedInPage();
    await readWithPin(page);
    await page.locator('[data-testid="result"][data-validity="3"]').waitFor();
    await page.getByTestId('newer-qualification').waitFor();
    expect(await page.getByTestId('qualification-new').textContent()).toContain('新しい資格');
    expect(await page.getByTestId('qualification-old').textContent()).toContain('以前の資格');
    const insurer = page.locator('[data-testid="compare-table"] tr[data-row="insurerName"]');
    expect(await insurer.locator('td.col-new').textContent()).toBe('新模擬健康保険組合');
    expect(await insurer.locator('td.col-old').textContent()).toBe('模擬健康保険組合');
    expect(
      await page
        .locator('[data-testid="compare-table"] tr[data-row="reasonOfLoss"] td.col-old')
        .textContent(),
    ).toContain('他の保険の資格取得');
    // no "no valid qualification" guidance pushing 申立書 for a job changer whose new qualification exists
    expect(await page.locator('[data-testid="guidance"][data-remedy="qualification.none"]').count()).toBe(0);
    expect(await page.getByTestId('adopt-new').getAttribute('class')).toContain('primary');
    await harness.shot(page, 'p1-validity3-side-by-side');
    await page.getByTestId('adopt-new').click();
    await page.getByTestId('adopted').waitFor();
    await harness.shot(page, 'p1-validity3-adopted');
    const record = harness.server.services.patients.search('例示')[0];
    expect(record?.insurerNumber).toBe('06271234');
    const adopted = harness.server.services.audit
      .list({ limit: 50 })
      .filter((event) => event.action === 'qualification.adopted');
    expect(adopted.length).toBeGreaterThanOrEqual(1);
    expect(harness.server.services.audit.verify().ok).toBe(true);
    await page.context().close();
  });

  it('problem 1 / validity 5: the candidates are labelled and one is chosen (record + audit)', async () => {
    harness.presentCard('child', 'multiple');
    const page = await harness.signedInPage();
    await readWithPin(page);
    await page.locator('[data-testid="result"][data-validity="5"]').waitFor();
    await page.getByTestId('multiple-qualifications').waitFor();
    expect(await page.getByTestId('candidate-0').textContent()).toContain('候補1');
    expect(await page.getByTestId('candidate-1').textContent()).toContain('模擬共済組合');
    expect(await page.getByTestId('adopt-chosen').isDisabled()).toBe(true);
    await page.getByTestId('choose-1').check();
    await harness.shot(page, 'p1-validity5-choice');
    await page.getByTestId('adopt-chosen').click();
    await page.getByTestId('adopted').waitFor();
    expect(harness.server.services.patients.search('重複')[0]?.insurerNumber).toBe('32130015');
    expect(
      harness.server.services.audit
        .list({ limit: 50 })
        .some((event) => event.action === 'qualification.adopted'),
    ).toBe(true);
    await page.context().close();
  });

  it('deliver 2: every validity has its own screen; codes as words, Japanese dates, an expired 高齢受給者証 warned', async () => {
    harness.presentCard('child', 'valid-elderly');
    const page = await harness.signedInPage();
    await readWithPin(page);
    await page.locator('[data-testid="result"][data-validity="1"]').waitFor();
    const row = (key: string) => page.locator(`[data-testid="result-table"] tr[data-row="${key}"] td`);
    expect(await row('sex').textContent()).toMatch(/^(男|女|未設定)$/);
    expect(await row('family').textContent()).toMatch(/^(本人|家族)$/);
    expect(await row('birthdate').textContent()).toMatch(
      /^\d{4}年\d{1,2}月\d{1,2}日（(昭和|平成|令和)(元|\d+)年）$/,
    );
    expect(await row('elderly').textContent()).toContain('2割');
    expect(await row('card').textContent()).toBe('一般');
    await page.getByTestId('elderly-expired').waitFor();
    const table = String(await page.getByTestId('result-table').textContent());
    expect(table).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    await harness.shot(page, 'd2-validity1-elderly-expired');
    await page.context().close();

    harness.presentCard('child', 'valid-employee');
    const limitPage = await harness.signedInPage();
    await readWithPin(limitPage);
    await limitPage.locator('[data-testid="result"][data-validity="1"]').waitFor();
    const limit = await limitPage
      .locator('[data-testid="result-table"] tr[data-row="limit"] td')
      .textContent();
    expect(limit).toMatch(/認定証・/);
    expect(limit).not.toMatch(/[AB]\d{2}|\b0\d\b/);
    await harness.shot(limitPage, 'd2-validity1-limit-category');
    await limitPage.context().close();

    for (const [person, validity, testId] of [
      ['invalid', '2', 'lost-qualification'],
      ['not-found', '4', 'flyer-guidance'],
    ] as const) {
      harness.presentCard('child', person);
      const other = await harness.signedInPage();
      await readWithPin(other);
      await other.locator(`[data-testid="result"][data-validity="${validity}"]`).waitFor();
      await other.getByTestId(testId).waitFor();
      if (validity === '2')
        expect(await other.locator('tr[data-row="reasonOfLoss"] td').textContent()).toBe('その他');
      await harness.shot(other, `d2-validity${validity}`);
      await other.context().close();
    }
  });
});
