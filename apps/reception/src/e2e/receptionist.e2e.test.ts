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
  it('problem 2: category ② guidance per cause — expired certificate (no portal screen) and blocked PIN (kiosk route, fallback primary on the right)', async () => {
    harness.presentCard('expired');
    const page = await harness.signedInPage();
    await readWithPin(page);
    await page.locator('[data-testid="failed"][data-code="CERT_EXPIRED"]').waitFor();
    expect(await page.getByTestId('failed-title').textContent()).toContain('有効期限が切れています');
    expect(await page.getByTestId('failure-category').textContent()).toContain('②電子証明書の有効期限切れ');
    const action = String(await page.getByTestId('guidance-action').textContent());
    expect(action).toContain('資格情報画面は提示できません');
    expect(action).not.toContain('期限切れの場合のみ');
    expect(await page.getByTestId('guidance-fallback').textContent()).toContain('事前に保存した');
    await harness.shot(page, 'p2-expired-certificate');
    await page.context().close();

    harness.presentCard('blocked');
    const blocked = await harness.signedInPage();
    await blocked.getByTestId('start-reading').click();
    await blocked.locator('[data-testid="failed"][data-code="PIN_BLOCKED"]').waitFor();
    const blockedAction = String(await blocked.getByTestId('guidance-action').textContent());
    expect(blockedAction).toContain('キオスク端末');
    expect(blockedAction).toContain('署名用パスワード');
    expect(await blocked.getByTestId('to-fallback').getAttribute('class')).toContain('primary');
    expect(await blocked.getByTestId('retry').getAttribute('class')).toContain('secondary');
    const order = await blocked
      .locator('.actions button')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-testid')));
    expect(order.at(-1)).toBe('to-fallback');
    await harness.shot(blocked, 'p2-blocked-pin');
    await blocked.context().close();
  });

  it('problem 4: PIN submit is busy (disabled + spinner), a second press sends nothing, the last-try refusal is said in words', async () => {
    harness.presentCard('plastic', 'valid-kokuho');
    const page = await harness.signedInPage();
    await page.getByTestId('start-reading').click();
    await page.getByTestId('pin-entry').waitFor();
    let pinRequests = 0;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/checks/*/pin', async (route) => {
      pinRequests += 1;
      await held;
      await route.continue();
    });
    await page.fill('#pin', '9999');
    // two presses in the same moment (a double click)
    await page.evaluate(() => {
      const button = document.querySelector<HTMLButtonElement>('[data-testid="pin-submit"]')!;
      button.click();
      button.click();
    });
    await page.locator('[data-testid="pin-submit"][aria-busy="true"]').waitFor();
    expect(await page.getByTestId('pin-submit').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="pin-submit"] .spinner').count()).toBe(1);
    await page.keyboard.press('Enter');
    await harness.shot(page, 'p4-pin-busy');
    release();
    await page.locator('[data-testid="tries-left"][data-tries="2"]').waitFor();
    expect(pinRequests).toBe(1);
    expect(await page.getByTestId('guidance').getAttribute('data-remedy')).toBe('pin.incorrect');
    await page.unroute('**/api/checks/*/pin');
    // the empty field cannot be sent
    expect(await page.getByTestId('pin-submit').isDisabled()).toBe(true);
    await page.fill('#pin', '9999');
    await page.getByTestId('pin-submit').click();
    await page.locator('[data-testid="tries-left"][data-tries="1"]').waitFor();
    await page.fill('#pin', '9999');
    await page.getByTestId('pin-submit').click();
    await page.getByTestId('last-try-refused').waitFor();
    expect(await page.getByTestId('last-try-refused').textContent()).toContain('送信していません');
    expect(await page.getByTestId('tries-left').getAttribute('data-tries')).toBe('1');
    await harness.shot(page, 'p4-last-try-refused');
    await page.context().close();
  });

  it('problem 7: the waiting text and the reader-error guidance follow the chosen setup (smartphone A1-1, Bluetooth A2-1)', async () => {
    const settings = harness.server.services.settings;
    try {
      for (const [setup, waiting, section] of [
        [
          'smartphone',
          'スキャンの準備ができました。カードまたはスマートフォンをセットしてください。',
          'A1-1',
        ],
        ['ble-reader', 'Bluetoothカードリーダー', 'A2-1'],
      ] as const) {
        settings.update('demo', { readerSetup: setup });
        harness.desk.remove();
        const page = await harness.signedInPage();
        await page.getByTestId('start-reading').click();
        await page.getByTestId('waiting-card').waitFor();
        expect(await page.getByTestId('waiting-text').textContent()).toContain(waiting);
        await harness.shot(page, `p7-waiting-${setup}`);
        harness.desk.unplug();
        try {
          await page.locator('[data-testid="failed"][data-code="READER_UNAVAILABLE"]').waitFor();
          expect(await page.getByTestId('checklist').getAttribute('data-setup')).toBe(setup);
          expect(await page.getByTestId('faq-reference').textContent()).toContain(section);
          expect(await page.getByTestId('failed-title').textContent()).not.toContain('有線');
          await harness.shot(page, `p7-unplugged-${setup}`);
        } finally {
          harness.desk.plug();
        }
        await page.context().close();
      }
    } finally {
      settings.update('demo', { readerSetup: null });
    }
  });
});
