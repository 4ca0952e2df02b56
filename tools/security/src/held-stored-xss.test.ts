/**
 * Held attack, replayed: stored XSS rendered in headless Chromium (Debian's chromium through
 * playwright-core). Script payloads are stored through the API and the services wherever text
 * a user typed is kept — device name, staff display name, patient names, fallback records,
 * declaration names (audit entries follow) — and every view of the app is opened. No payload may
 * run (no global flag, no dialog) and nothing may violate the CSP.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './support/client.js';
import { type ReceptionUnderTest, startReception } from './support/reception.js';

const CHROMIUM = process.env.KAKUNIN_CHROMIUM ?? '/usr/bin/chromium';
const PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '"><svg onload="window.__xss=1">',
  '\'><iframe src="javascript:window.top.__xss=1"></iframe>',
  'javascript:window.__xss=1',
  '<a href="javascript:window.__xss=1" id=xsslink>x</a>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection payload, on purpose
  '${window.__xss=1}',
  '<style>@import "//evil.example/x.css"</style>',
];
const VIEWS = ['check', 'notices', 'fallbacks', 'security', 'diagnostics', 'simulator', 'audit'];

describe('held: stored XSS in Chromium', () => {
  let app: ReceptionUnderTest;
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/setup.sh`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
    app = await startReception();
    const { services } = app.server;
    for (const [index, payload] of PAYLOADS.entries()) {
      await services.accounts.createAccount({
        accountId: `xss${index}`,
        displayName: payload,
        password: 'xss-test-pw',
      });
      const other = new Client(app.server.url);
      await other.post('/api/device/register', {
        accountId: `xss${index}`,
        password: 'xss-test-pw',
        deviceName: payload,
      });
      services.patients.insert({
        referenceNumber: `X${index}`,
        insurerNumber: '138057',
        symbol: payload.slice(0, 40),
        number: '1',
        branch: '00',
        familyClass: '1',
        name: payload,
        nameKana: payload,
        birthdate: '1990-01-01',
        sex: '1',
        copaymentRatio: 30,
        validFrom: '2020-04-01',
        validUntil: null,
      });
      await app.client.post('/api/fallbacks', {
        failureCategory: 1,
        evidence: 'full-payment',
        data: { note: payload, name: payload },
      });
      await app.client.post('/api/fallbacks', {
        failureCategory: 1,
        evidence: 'declaration',
        data: {
          name: payload,
          address: payload,
          birthdate: '1990-01-01',
          visitDate: new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10),
        },
      });
    }
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it(`${PAYLOADS.length} payloads × ${VIEWS.length} views (+ patient search): nothing runs, no CSP violation`, async () => {
    const context = await browser.newContext({ locale: 'ja-JP' });
    await context.addCookies(
      [...app.client.cookies].map(([name, value]) => ({ name, value, url: app.server.url })),
    );
    const page = await context.newPage();
    const dialogs: string[] = [];
    const violations: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(app.server.url);
    // 動作モード選択画面 after login (FAQ Q13)
    await page.getByTestId('mode-reception').click();
    await page.getByTestId('check-start').waitFor();
    let shown = await page.evaluate(() => document.body.textContent ?? '');
    for (const view of VIEWS) {
      const button = page.getByTestId(`menu-${view}`);
      if ((await button.count()) === 0) continue;
      await button.click();
      await page.waitForTimeout(250);
      shown += await page.evaluate(() => document.body.textContent ?? '');
    }
    // Patient names: a failed check (blocked card) → fallback → oral confirmation → search.
    app.desk.insert('blocked');
    await page.getByTestId('menu-check').click();
    await page.getByTestId('start-reading').click();
    await page.locator('[data-testid="failed"]').waitFor();
    await page.getByTestId('to-fallback').click();
    await page.getByTestId('evidence-oral-confirmation').check();
    await page.fill('#patientQuery', '<');
    await page.getByTestId('patient-search').click();
    await page.waitForTimeout(300);
    shown += await page.evaluate(() => document.body.textContent ?? '');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('#xsslink').count()).toBe(0);
    expect(dialogs).toEqual([]);
    // The payloads were rendered — as text (the attack reached the page and was neutralised).
    expect(PAYLOADS.filter((payload) => shown.includes(payload)).length).toBeGreaterThan(0);
    expect(violations).toEqual([]);
    await context.close();
  });
});
