/**
 * End-to-end tests of the reception app in real headless Chromium, over the real SDK
 * (@kakunin/core/jpki) and the simulator's virtual My Number card, with SQLite storage and the
 * built-in qualification stand-in. Screenshots of the main screens go to test-output/reception/.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceptionServer } from '../server.js';
import type { DeskCard, SimulatorDesk } from '../simulator/simulator-desk.js';
import { type E2eHarness, E2E_PASSWORD as PASSWORD, startE2eHarness } from './harness.js';

let harness: E2eHarness;
let desk: SimulatorDesk;
let server: ReceptionServer;
let browser: Browser;
let clockOffsetMs = 0;

const shot = (page: Page, name: string): Promise<void> => harness.shot(page, name);

/** A fresh browser (fresh cookies) with a new staff account, registered device and passcode. */
const signedInPage = (): Promise<Page> => harness.signedInPage({ viewport: { width: 1100, height: 900 } });

async function startPinCheck(page: Page): Promise<void> {
  await page.getByTestId('start-reading').click();
  await page.getByTestId('pin-entry').waitFor();
}

/** A signed-in page with a fresh `card` in the reader, at the PIN screen. */
async function atPinEntry(card: DeskCard): Promise<Page> {
  harness.presentCard(card);
  const page = await signedInPage();
  await startPinCheck(page);
  return page;
}

async function enterPin(page: Page, pin: string): Promise<void> {
  await page.fill('#pin', pin);
  await page.getByTestId('pin-submit').click();
}

describe('reception app in Chromium', () => {
  beforeAll(async () => {
    harness = await startE2eHarness('reception', { now: () => new Date(Date.now() + clockOffsetMs) });
    ({ desk, server, browser } = harness);
  });
  afterAll(() => harness?.close());

  it('successful PIN-mode check: tries shown before entry, result fields, reconciliation, stand-in label', async () => {
    harness.presentCard('plastic');
    const page = await signedInPage();
    await shot(page, '01-check-start');
    await startPinCheck(page);
    await expect(page.getByTestId('tries-left').getAttribute('data-tries')).resolves.toBe('3');
    await shot(page, '02-pin-entry');
    await enterPin(page, '1234');
    await page.getByTestId('result').waitFor();
    expect(await page.getByTestId('result').getAttribute('data-validity')).toBe('1');
    await expect(page.getByTestId('result-banner').textContent()).resolves.toBe('有効');
    await expect(page.getByTestId('stand-in-label').textContent()).resolves.toContain('模擬');
    const table = await page.getByTestId('result-table').textContent();
    expect(table).toContain('138057');
    expect(table).toContain('試験　太郎');
    expect(table).toContain('3割');
    // the certificate detail lists every x509 check, all passed, and the CRL's GOOD answer
    const checks = page.getByTestId('certificate-checks');
    expect(await checks.getAttribute('data-status')).toBe('valid');
    expect(await checks.locator('tr[data-check]').count()).toBe(15);
    expect(await checks.locator('tr[data-outcome="pass"]').count()).toBe(15);
    expect(await page.getByTestId('certificate-revocation').getAttribute('data-revocation')).toBe('GOOD');
    // the stored record has the 6-digit insurer number zero-padded: flagged as a format difference
    expect(await page.locator('tr[data-field="insurerNumber"]').getAttribute('data-status')).toBe('format');
    await shot(page, '03-result-valid');
    await page.getByTestId('apply-record-0').click();
    await page.getByTestId('record-updated').waitFor();
    expect(server.services.patients.search('P0001')[0]?.insurerNumber).toBe('138057');
    // English switch
    await page.getByTestId('language').click();
    await expect(page.getByTestId('result-banner').textContent()).resolves.toBe('Valid');
    await shot(page, '04-result-valid-en');
    await page.context().close();
  });

  it('wrong PIN then success: the remaining tries drop and the FAQ guidance is shown', async () => {
    const page = await atPinEntry('plastic');
    await enterPin(page, '9999');
    await page.locator('[data-testid="tries-left"][data-tries="2"]').waitFor();
    expect(await page.getByTestId('guidance').getAttribute('data-remedy')).toBe('pin.incorrect');
    await shot(page, '05-pin-wrong');
    await enterPin(page, '1234');
    await page.getByTestId('result').waitFor();
    expect(await page.getByTestId('result').getAttribute('data-validity')).toBe('1');
    await page.context().close();
  });

  it('last try: refused without explicit confirmation, spent only after it', async () => {
    const page = await atPinEntry('plastic');
    await enterPin(page, '0000');
    await page.locator('[data-testid="tries-left"][data-tries="2"]').waitFor();
    await enterPin(page, '0001');
    await page.locator('[data-testid="tries-left"][data-tries="1"]').waitFor();
    await page.getByTestId('last-try-warning').waitFor();
    await enterPin(page, '0002');
    await page.locator('[data-testid="guidance"][data-code="LAST_TRY_REFUSED"]').waitFor();
    expect(await page.getByTestId('tries-left').getAttribute('data-tries')).toBe('1');
    await shot(page, '06-last-try-refused');
    await page.getByTestId('confirm-last-try').check();
    await enterPin(page, '1234');
    await page.getByTestId('result').waitFor();
    await page.context().close();
  });

  it('blocked card → failure category ② → fallback with 資格情報のお知らせ recorded', async () => {
    desk.insert('blocked');
    const page = await signedInPage();
    await page.getByTestId('start-reading').click();
    await page.locator('[data-testid="failed"][data-code="PIN_BLOCKED"]').waitFor();
    expect(await page.getByTestId('guidance').getAttribute('data-remedy')).toBe('pin.blocked');
    await shot(page, '07-blocked');
    await page.getByTestId('to-fallback').click();
    await page.locator('[data-testid="fallback"][data-category="2"]').waitFor();
    await page.getByTestId('evidence-qualification-notice').check();
    await page.fill('#doc-insurerNumber', '138057');
    await page.getByTestId('fallback-submit').click();
    await page.getByTestId('fallback-error').waitFor(); // must be shown with the card
    await page.getByTestId('with-card').check();
    await page.getByTestId('fallback-submit').click();
    await page.getByTestId('fallback-recorded').waitFor();
    const recordId = await page.getByTestId('fallback-status').getAttribute('data-record-id');
    const record = server.services.fallbacks.get(String(recordId));
    expect(record?.evidence).toBe('qualification-notice');
    expect(record?.failureCategory).toBe(2);
    expect(record?.checkId).toMatch(/^chk-/);
    expect(record?.data.shownWithCard).toBe(true);
    await shot(page, '08-fallback-recorded');
    await page.context().close();
  });

  it('expired certificate (outside the grace) → only the saved PDF is accepted', async () => {
    desk.insert('expired');
    const page = await signedInPage();
    await startPinCheck(page);
    await enterPin(page, '1234');
    await page.locator('[data-testid="failed"][data-code="CERT_EXPIRED"]').waitFor();
    expect(await page.getByTestId('guidance').getAttribute('data-remedy')).toBe('cert.expired');
    expect(
      await page
        .locator('[data-testid="certificate-checks"] tr[data-check="time.certificate"]')
        .getAttribute('data-outcome'),
    ).toBe('fail');
    await shot(page, '09-certificate-expired');
    await page.getByTestId('to-fallback').click();
    await page.locator('[data-testid="fallback"][data-category="2"]').waitFor();
    expect(await page.getByTestId('evidence-myna-portal-screen').isDisabled()).toBe(true);
    await page.getByTestId('refusal-myna-portal-screen').waitFor();
    await page.getByTestId('evidence-myna-portal-pdf').check();
    await page.getByTestId('with-card').check();
    await page.fill('#doc-insurerNumber', '138057');
    await page.getByTestId('fallback-submit').click();
    await page.getByTestId('fallback-recorded').waitFor();
    await shot(page, '10-expired-pdf-fallback');
    const recordId = await page.getByTestId('fallback-status').getAttribute('data-record-id');
    expect(server.services.fallbacks.get(String(recordId))?.evidence).toBe('myna-portal-pdf');
    await page.context().close();
  });

  it('revoked certificate → REVOKED from the test CA’s CRL, every check shown, category ② fallback', async () => {
    const page = await atPinEntry('revoked');
    await enterPin(page, '1234');
    await page.locator('[data-testid="failed"][data-code="REVOKED"]').waitFor();
    expect(await page.getByTestId('guidance').getAttribute('data-remedy')).toBe('cert.revoked');
    expect(await page.getByTestId('failure-category').textContent()).toContain('②');
    const checks = page.getByTestId('certificate-checks');
    expect(await checks.getAttribute('open')).not.toBeNull(); // opened on failure
    expect(await checks.locator('tr[data-check]').count()).toBe(15);
    expect(await checks.locator('tr[data-check="revocation"]').getAttribute('data-outcome')).toBe('fail');
    expect(await page.getByTestId('certificate-revocation').getAttribute('data-revocation')).toBe('REVOKED');
    await shot(page, '20-certificate-revoked');
    await page.getByTestId('to-fallback').click();
    await page.locator('[data-testid="fallback"][data-category="2"]').waitFor();
    await page.context().close();
  });

  it('no valid qualification (job change pending) → the flyer guidance, then a first-visit declaration PDF stored', async () => {
    harness.presentCard('child');
    const page = await signedInPage();
    // register the card to the job-change person in the stand-in panel (保険証利用登録)
    await page.getByTestId('menu-simulator').click();
    await page.getByTestId('link-job-change-in-progress').click();
    await page.getByTestId('stand-in').waitFor();
    await page.getByTestId('menu-check').click();
    await startPinCheck(page);
    await enterPin(page, '1234');
    await page.getByTestId('result').waitFor();
    expect(await page.getByTestId('result').getAttribute('data-validity')).toBe('2');
    expect(await page.getByTestId('guidance').getAttribute('data-remedy')).toBe('qualification.none');
    await page.getByTestId('flyer-guidance').waitFor();
    await page.getByTestId('category3-note').waitFor();
    await shot(page, '11-no-valid-qualification');
    await page.getByTestId('to-fallback').click();
    await page.locator('[data-testid="fallback"][data-category="3"]').waitFor();
    await page.getByTestId('evidence-declaration').check();
    // issue 18 Deliver 6: prefilled from the check's answer, required fields marked ※
    await expect.poll(() => page.inputValue('#name')).not.toBe('');
    expect(await page.inputValue('#birthdate')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await page.inputValue('#insurerNumber')).toBe('');
    for (const id of ['name', 'birthdate', 'address', 'visitDate'])
      expect(await page.locator(`label[for="${id}"] .required`).count()).toBe(1);
    await page.getByTestId('required-note').waitFor();
    await page.fill('#name', '初診　花子😀');
    await page.fill('#nameKana', 'ショシン　ハナコ');
    await page.fill('#birthdate', '1990-01-02');
    await page.fill('#address', '東京都模擬区二丁目3番4号');
    await page.fill('#phone', '03-0000-0000');
    await page.selectOption('#insuranceType', 'employee');
    await page.fill('#insurerOrEmployerName', '株式会社模擬');
    await shot(page, '12-declaration-form');
    await page.getByTestId('fallback-submit').click();
    await page.getByTestId('declaration-pdf-link').waitFor();
    // a character the font lacks: a visible warning on screen (and in the PDF, below)
    expect(await page.getByTestId('unprintable-warning').textContent()).toContain('😀');
    const recordId = String(await page.getByTestId('fallback-status').getAttribute('data-record-id'));
    const response = await page.request.get(
      new URL(`/api/fallbacks/${recordId}/document`, server.url).toString(),
    );
    expect(response.headers()['content-type']).toBe('application/pdf');
    const pdf = new Uint8Array(await response.body());
    expect(new TextDecoder().decode(pdf.subarray(0, 8))).toBe('%PDF-1.7');
    const stored = server.services.fallbacks.get(recordId);
    expect(stored?.evidence).toBe('declaration');
    expect((stored!.data.claim as { insurerNumber: string }).insurerNumber).toBe('77777777');
    const file = join(harness.output, 'declaration.pdf');
    writeFileSync(file, pdf);
    // an independent PDF reader (poppler) extracts the Japanese text through the ToUnicode map
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('被保険者資格申立書');
    expect(text).toContain('初診');
    expect(text).toContain('77777777');
    expect(text).toContain('777777777');
    expect(text).toContain('【注意】');
    expect(server.services.audit.verify().ok).toBe(true);
    await page.context().close();
  });

  it('reader unplugged while waiting → the wired-reader checklist (FAQ A2-2) at the moment of failure', async () => {
    desk.remove();
    const page = await signedInPage();
    await page.getByTestId('start-reading').click();
    await page.getByTestId('waiting-card').waitFor();
    await shot(page, '13-waiting-card');
    desk.unplug();
    try {
      await page.locator('[data-testid="failed"][data-code="READER_UNAVAILABLE"]').waitFor();
      const checklist = page.getByTestId('checklist');
      expect(await checklist.getAttribute('data-setup')).toBe('wired-reader');
      expect(await page.locator('li[data-item="usb-cable"]').getAttribute('data-focus')).toBe('yes');
      const items = await page
        .locator('ol.checklist li')
        .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-item')));
      expect(items).toEqual([
        'restart',
        'supported-device',
        'usb-cable',
        'reader-recognised',
        'driver',
        'reader-mode',
      ]);
      await shot(page, '14-reader-unplugged');
    } finally {
      desk.plug();
    }
    await page.context().close();
  });

  it('目視 mode only after the security setting allows it; staff id and time recorded; diagnostics page', async () => {
    desk.insert('plastic');
    const page = await signedInPage();
    expect(await page.getByTestId('mode-visual').isDisabled()).toBe(true);
    await page.getByTestId('menu-security').click();
    await page.getByTestId('visual-slider').check();
    await page.getByTestId('security-save').click();
    await page.getByTestId('saved').waitFor();
    await shot(page, '17-security-settings');
    await page.getByTestId('menu-check').click();
    await page.getByTestId('mode-visual').check();
    await page.getByTestId('start-reading').click();
    await page.getByTestId('visual-attest').waitFor();
    await page.fill('#staffId', 'nurse-07');
    await page.getByTestId('visual-submit').click();
    await page.getByTestId('result').waitFor();
    await expect(page.getByTestId('visual-record').textContent()).resolves.toContain('nurse-07');
    await shot(page, '18-visual-result');
    server.services.settings.update('e2e', { visualCheckAllowed: false });
    await page.getByTestId('menu-diagnostics').click();
    await page.getByTestId('diagnostics').waitFor();
    expect(await page.getByTestId('diag-readers').getAttribute('data-status')).toBe('ok');
    expect(await page.getByTestId('diag-database').getAttribute('data-status')).toBe('ok');
    await shot(page, '19-diagnostics');
    await page.context().close();
  });

  it('login lockout: 5 wrong passwords lock the account for 30 minutes', async () => {
    await server.services.accounts.createAccount({
      accountId: 'locktest',
      displayName: 'lock',
      password: PASSWORD,
    });
    const context = await browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByTestId('device-registration').waitFor();
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await page.fill('#accountId', 'locktest');
      await page.fill('#password', `wrong-${attempt}`);
      await page.getByTestId('login-submit').click();
      await page
        .locator(`[data-testid="form-error"]:has-text("${attempt < 5 ? `残り${5 - attempt}回` : 'ロック'}")`)
        .waitFor();
    }
    await shot(page, '15-account-locked');
    // the right password does not open a locked account
    await page.fill('#password', PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.locator('[data-testid="form-error"]:has-text("ロック")').waitFor();
    clockOffsetMs = 31 * 60_000;
    try {
      await page.getByTestId('login-submit').click();
      await page.getByTestId('passcode-setup').waitFor();
    } finally {
      clockOffsetMs = 0;
    }
    await context.close();
  });

  it('passcode: 5 wrong passcodes return to the system login; notices stay re-viewable', async () => {
    const page = await signedInPage();
    await page.getByTestId('menu-notices').click();
    await page.getByTestId('notices').waitFor();
    const first = page.locator('[data-testid^="notice-read-"]').first();
    await first.click();
    await page.getByTestId('menu-notices').click();
    expect(await page.locator('article[data-read="yes"]').count()).toBeGreaterThan(0);
    await page.getByTestId('menu-lock').click();
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await page.getByTestId('passcode').waitFor();
      await page.fill('#passcode', '0000');
      await page.getByTestId('passcode-submit').click();
      if (attempt < 5)
        await page.locator(`[data-testid="form-error"]:has-text("残り${5 - attempt}回")`).waitFor();
    }
    await page.getByTestId('system-login').waitFor();
    await page.getByTestId('flash').waitFor();
    await shot(page, '16-passcode-reset');
    await page.context().close();
  });
});
