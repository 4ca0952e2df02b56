/**
 * Accessibility of the reception screens, checked with axe-core (npm `axe-core`, injected into real
 * headless Chromium): labels, contrast, landmarks, names of buttons and links, WCAG 2 A/AA rules.
 * Also the keyboard focus ring. Screenshots go to test-output/issue-18-a11y/.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eHarness, readWithPin, startE2eHarness } from './harness.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let harness: E2eHarness;

async function axeViolations(page: Page, screen: string): Promise<string[]> {
  // evaluated through the DevTools protocol: the app's CSP (script-src 'self') stays as it is
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            context: unknown,
            options: unknown,
          ) => Promise<{ passes: unknown[]; violations: { id: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    if (result.passes.length === 0) return ['axe ran no rule'];
    return result.violations.map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
  });
  return violations.map((violation) => `${screen}: ${violation}`);
}

describe('accessibility (axe-core) of the reception screens', () => {
  beforeAll(async () => {
    harness = await startE2eHarness('issue-18-a11y');
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('has no WCAG 2.1 A/AA violations on the main screens, and a visible focus ring', async () => {
    const problems: string[] = [];
    const context = await harness.browser.newContext({ locale: 'ja-JP' });
    const first = await context.newPage();
    await first.goto(harness.server.url);
    await first.getByTestId('device-registration').waitFor();
    problems.push(...(await axeViolations(first, 'device-registration')));
    await context.close();

    harness.presentCard('child', 'invalid-newer-exists');
    const page = await harness.signedInPage();
    problems.push(...(await axeViolations(page, 'check-start')));
    await readWithPin(page);
    await page.locator('[data-testid="result"][data-validity="3"]').waitFor();
    problems.push(...(await axeViolations(page, 'result-validity-3')));
    harness.presentCard('blocked');
    await page.getByTestId('to-fallback').click();
    await page.getByTestId('fallback').waitFor();
    await page.getByTestId('evidence-declaration').check();
    await page.getByTestId('declaration-form').waitFor();
    problems.push(...(await axeViolations(page, 'fallback-declaration')));
    for (const view of ['notices', 'fallbacks', 'security', 'diagnostics', 'audit']) {
      await page.getByTestId(`menu-${view}`).click();
      await page.locator(`[data-testid="${view === 'fallbacks' ? 'fallback-records' : view}"]`).waitFor();
      problems.push(...(await axeViolations(page, view)));
    }
    await page.getByTestId('menu-check').click();
    await page.getByTestId('start-reading').click();
    await page.locator('[data-testid="failed"][data-code="PIN_BLOCKED"]').waitFor();
    problems.push(...(await axeViolations(page, 'failed-pin-blocked')));
    // keyboard focus is visible
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      return element === null ? 'none' : getComputedStyle(element).outlineStyle;
    });
    expect(outline).not.toBe('none');
    await harness.shot(page, 'a11y-focus-ring');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
