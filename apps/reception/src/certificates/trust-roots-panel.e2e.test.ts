/**
 * The 診断 page's root-certificate panel in headless Chromium: the 2019 generation shown as
 * missing (in Japanese, no raw ids), a pasted 2019-shaped root refused without its fingerprint
 * and added with it.
 */
import { encodePem, sha256Fingerprint } from '@kakunin/core/x509';
import { jLisShaped2019 } from '@kakunin/simulator/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eHarness, startE2eHarness } from '../e2e/harness.js';

describe('診断: root certificates panel (Chromium)', () => {
  let harness: E2eHarness;

  beforeAll(async () => {
    harness = await startE2eHarness('trust-roots', { dbPath: ':memory:', configDirectory: true });
  }, 60_000);
  afterAll(() => harness?.close());

  it('shows the missing 2019 roots and adds one only with its fingerprint', async () => {
    const page = await harness.signedInPage({ stopAtModeSelect: true });
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
    await page.context().close();
  }, 60_000);
});
