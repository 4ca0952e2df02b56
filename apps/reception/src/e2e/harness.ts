/**
 * Shared set-up of the Chromium e2e suites: the reception server over the simulator desk (real SDK,
 * SQLite on a temp file, the stand-in), a headless Chromium, fresh signed-in pages and screenshots
 * under test-output/<suite>/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { ReceptionServer } from '../server.js';
import type { DeskCard, SimulatorDesk } from '../simulator/simulator-desk.js';
import { launchChromium } from '../testing/browser.js';
import { startTestServer, type TestServerOptions } from '../testing/test-server.js';

export const E2E_PASSWORD = 'e2e-password-1';

export interface E2eHarness {
  readonly desk: SimulatorDesk;
  readonly server: ReceptionServer;
  readonly browser: Browser;
  readonly output: string;
  /** A fresh browser context with a new staff account, registered device and passcode, on the check screen. */
  signedInPage(options?: {
    viewport?: { width: number; height: number };
    stopAtModeSelect?: boolean;
  }): Promise<Page>;
  shot(page: Page, name: string): Promise<void>;
  /** Registers the desk card to a stand-in person (保険証利用登録) and puts it in the reader. */
  presentCard(card: DeskCard, personId?: string): void;
  close(): Promise<void>;
}

/** `suite` names the screenshot folder; `options` go to the server (default: simulator module, demo seed). */
export async function startE2eHarness(suite: string, options: TestServerOptions = {}): Promise<E2eHarness> {
  const output = fileURLToPath(new URL(`../../test-output/${suite}/`, import.meta.url));
  mkdirSync(output, { recursive: true });
  const harness = await startTestServer({
    simulatorModule: true,
    seed: true,
    waitForCardMs: 15_000,
    ...options,
  });
  const { desk, server } = harness;
  const browser = await launchChromium();
  let counter = 0;
  return {
    desk,
    server,
    browser,
    output,
    async signedInPage(options = {}) {
      counter += 1;
      const accountId = `${suite.replace(/[^a-z0-9]/g, '')}${counter}`;
      await server.services.accounts.createAccount({
        accountId,
        displayName: `受付${counter}`,
        password: E2E_PASSWORD,
      });
      const context = await browser.newContext({
        locale: 'ja-JP',
        viewport: options.viewport ?? { width: 1280, height: 800 },
      });
      const page = await context.newPage();
      await signIn(page, server.url, accountId, E2E_PASSWORD);
      await page.getByTestId('mode-select').waitFor();
      if (options.stopAtModeSelect === true) return page;
      await page.getByTestId('mode-reception').click();
      const menu = page.getByTestId('menu-check');
      await menu.waitFor();
      await menu.click();
      await page.getByTestId('check-start').waitFor();
      return page;
    },
    async shot(page, name) {
      await page.screenshot({ path: join(output, `${name}.png`), fullPage: true });
    },
    presentCard(card, personId) {
      desk.reset(card);
      if (personId !== undefined)
        server.services.standIn!.linkCertificate(personId, desk.authCertificate(card));
      desk.insert(card);
    },
    async close() {
      await browser.close();
      await harness.close();
    },
  };
}

/** Registers this browser as a device for `accountId` and sets up its passcode `2468` (up to the mode choice). */
export async function signIn(page: Page, url: string, accountId: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('device-registration').waitFor();
  await page.fill('#accountId', accountId);
  await page.fill('#password', password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('passcode-setup').waitFor();
  await page.fill('#passcode', '2468');
  await page.fill('#passcodeConfirm', '2468');
  await page.getByTestId('passcode-setup-submit').click();
}

export async function readWithPin(page: Page, pin = '1234'): Promise<void> {
  await page.getByTestId('start-reading').click();
  await page.getByTestId('pin-entry').waitFor();
  await page.fill('#pin', pin);
  await page.getByTestId('pin-submit').click();
}
