import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiReport, PUBLISHED_PACKAGES, reportPath } from './api-report.js';

const UPDATE = process.env.KAKUNIN_UPDATE_API === '1';

describe('public API reports (api/*.api.md)', () => {
  for (const dir of PUBLISHED_PACKAGES) {
    it(`${dir}: the committed report matches the built .d.ts`, () => {
      const report = apiReport(dir);
      const path = reportPath(dir);
      if (UPDATE) {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, report.text);
      }
      expect(
        existsSync(path),
        `${path} missing: KAKUNIN_UPDATE_API=1 pnpm exec vitest run --project tools-api-report`,
      ).toBe(true);
      expect(
        readFileSync(path, 'utf8'),
        `${dir}'s public API changed: review the diff, then KAKUNIN_UPDATE_API=1 pnpm exec vitest run --project tools-api-report`,
      ).toBe(report.text);
    });
  }

  it('covers every published package', () => {
    expect(PUBLISHED_PACKAGES).toEqual(expect.arrayContaining(['packages/core', 'packages/transport-pcsc']));
  });

  it('sees a change: a renamed export is a different report', () => {
    const report = apiReport('packages/transport-pcsc');
    expect(report.text).toContain('### PcscProvider (class)');
    expect(Object.values(report.counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(3);
  });
});
