/**
 * The 診断 page's root-certificate panel in headless Chromium: the 2019 generation shown as
 * missing (in Japanese, no raw ids), a pasted 2019-shaped root refused without its fingerprint
 * and added with it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePem, sha256Fingerprint } from '@kakunin/core/x509';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSdkCardReaderFactory } from '../adapters/sdk-card-reader-factory.js';
import { type ReceptionServer, startReceptionServer } from '../server.js';
import { seedDemo } from '../simulator/demo-seed.js';
import { createDeskCertificateValidator } from '../simulator/desk-certificate-validator.js';
import { createSimulatorDesk, type SimulatorDesk } from '../simulator/simulator-desk.js';
import { launchChromium } from '../testing/browser.js';
import { jLisShaped2019 } from './jlis-shaped-test-certificates.js';

const PASSWORD = 'kakunin-demo';

describe('診断: root certificates panel (Chromium)', () => {
  let desk: SimulatorDesk;
  let server: ReceptionServer;
  let browser: Browser;

  beforeAll(async () => {
    desk = createSimulatorDesk();
    server = await startReceptionServer({
      port: 0,
      dbPath: ':memory:',
      cardReaderFactory: createSdkCardReaderFactory(desk.provider),
      certificateValidator: createDeskCertificateValidator(desk),
      env: { ...process.env, KAKUNIN_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'kakunin-e2e-config-')) },
    });
    await seedDemo(server.services, desk, { accountId: 'demo', password: PASSWORD });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await desk?.provider.close();
  });

  it('shows the missing 2019 roots and adds one only with its fingerprint', async () => {
    const context = await browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByTestId('device-registration').waitFor();
    await page.fill('#accountId', 'demo');
    await page.fill('#password', PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('passcode-setup').waitFor();
    await page.fill('#passcode', '2468');
    await page.fill('#passcodeConfirm', '2468');
    await page.getByTestId('passcode-setup-submit').click();
    await page.getByTestId('mode-reception').click();
    await page.getByTestId('menu-diagnostics').click();
    await page.getByTestId('trust-roots').waitFor();
    expect(await page.getByTestId('trust-root-authca02').getAttribute('data-status')).toBe('missing');
    expect(await page.getByTestId('trust-root-authca03').getAttribute('data-status')).toBe('built-in');
    const panel = (await page.getByTestId('trust-roots').textContent()) ?? '';
    expect(panel).toContain('利用者証明用(2019年)');
    expect(panel).not.toMatch(/authca|TRUST_ANCHOR|missing|built-in/);

    const { root } = jLisShaped2019('auth');
    await page.fill('#trust-root-certificate', encodePem('CERTIFICATE', root));
    await page.getByTestId('trust-root-add').click();
    await page.getByTestId('trust-root-refused').waitFor();
    await page.fill('#trust-root-fingerprint', sha256Fingerprint(root));
    await page.getByTestId('trust-root-add').click();
    await page.getByTestId('trust-root-added').waitFor();
    await context.close();
  }, 60_000);
});
