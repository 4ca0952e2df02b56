/**
 * The quirk matrix in process (issue 14 Deliver 5): every cell's APDU count, refusals and outcome
 * equal the reviewed budget in quirk-budgets.json; structural rules hold across rows (a 61xx card
 * costs exactly the GET RESPONSEs it forces; a face-auth card never receives a VERIFY with data;
 * no ATR changes anything). KAKUNIN_UPDATE_BUDGETS=1 rewrites the budget file from this run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  createCardProfile,
  defaultKeyCacheDirectory,
  type ProfileName,
  TestKeyStore,
} from '@kakunin/simulator';
import { describe, expect, it } from 'vitest';
import {
  BEHAVIOURS,
  type CellResult,
  type Link,
  OPERATIONS,
  renderMatrix,
  replaceMatrix,
  runCell,
} from './quirk-matrix.js';

const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
const BUDGETS = new URL('../quirk-budgets.json', import.meta.url);
const README = new URL('../../../README.md', import.meta.url);
const LINKS: readonly Link[] = ['extended', 'short'];

const faceBCache = new Map<ProfileName, string>();
const faceB = (profile: ProfileName): string => {
  let value = faceBCache.get(profile);
  if (value === undefined) {
    value = createCardProfile(profile, { keyStore }).credentials.verificationNumberB;
    faceBCache.set(profile, value);
  }
  return value;
};

type Budget = Pick<CellResult, 'apdus' | 'refused' | 'outcome'>;
const key = (behaviour: string, link: Link, operation: string) => `${behaviour}/${link}/${operation}`;

describe('quirk matrix (in process, counted at the card, first contact)', () => {
  it('every cell meets its budget exactly', { timeout: 120_000 }, async () => {
    const measured: Record<string, Budget> = {};
    const logs: Record<string, string> = {};
    for (const behaviour of BEHAVIOURS) {
      for (const link of LINKS) {
        for (const operation of OPERATIONS) {
          const cell = await runCell(behaviour, operation, link, { keyStore, faceB });
          measured[key(behaviour.name, link, operation)] = {
            apdus: cell.apdus,
            refused: cell.refused,
            outcome: cell.outcome,
          };
          logs[key(behaviour.name, link, operation)] = cell.log;
        }
      }
    }
    if (process.env.KAKUNIN_UPDATE_BUDGETS === '1') {
      // Keep the OpenSC cells (quirk-matrix-opensc.test.ts owns them).
      const current = JSON.parse(readFileSync(BUDGETS, 'utf8')) as Record<string, Budget>;
      const opensc = Object.entries(current).filter(([name]) => name.startsWith('opensc/'));
      writeFileSync(BUDGETS, `${JSON.stringify({ ...measured, ...Object.fromEntries(opensc) }, null, 2)}\n`);
    }
    const budgets = JSON.parse(readFileSync(BUDGETS, 'utf8')) as Record<string, Budget>;
    for (const [name, cell] of Object.entries(measured)) {
      expect(cell, `${name}\n${logs[name]}`).toEqual(budgets[name]);
    }
    expect(
      Object.keys(budgets)
        .filter((name) => !name.startsWith('opensc/'))
        .sort(),
    ).toEqual(Object.keys(measured).sort());

    const lines = (name: string) => (logs[name] ?? '').split('\n').filter((line) => line !== '');
    for (const link of LINKS) {
      for (const operation of OPERATIONS) {
        const plain = measured[key('plastic', link, operation)]!;
        // No ATR changes anything (detection never depends on the ATR); neither does the
        // empty-VERIFY-90 00 card on first contact.
        for (const row of ['atr-contactless', 'atr-contact-2', 'verify-9000'])
          expect(measured[key(row, link, operation)], `${row}/${link}/${operation}`).toEqual(plain);
        // A reader refusing extended APDUs costs the card nothing over a short link.
        expect(measured[key('reader-no-ext', link, operation)]).toEqual(
          measured[key('plastic', 'short', operation)],
        );
        // 61xx cards: the same flow plus exactly the GET RESPONSEs they force, all in class 00.
        for (const row of ['t0', 't0-pieces']) {
          const name = key(row, link, operation);
          const getResponses = lines(name).filter((line) => /^[0-9A-F]{2} C0 /.test(line));
          expect(
            getResponses.every((line) => line.startsWith('00 C0 ')),
            name,
          ).toBe(true);
          expect(measured[name]!.apdus - getResponses.length, `${name}\n${logs[name]}`).toBe(plain.apdus);
          expect(measured[name]!.outcome).toBe(plain.outcome);
        }
        // The face-auth card never receives a VERIFY with data for a PIN it lacks (auth 98, sign 9B,
        // card-info 91): only the 4-byte counter query. 照合番号B (92) is not a PIN.
        const face = lines(key('face-auth', link, operation));
        expect(
          face.filter((line) => /^00 20 00 9[18B] \((?!4 B)/.test(line)),
          face.join('\n'),
        ).toEqual([]);
      }
    }
  });

  it('README performance section shows the current matrix', () => {
    const budgets = JSON.parse(readFileSync(BUDGETS, 'utf8')) as Record<string, Budget>;
    const readme = readFileSync(README, 'utf8');
    const expected = replaceMatrix(readme, renderMatrix(budgets));
    if (process.env.KAKUNIN_UPDATE_BUDGETS === '1') writeFileSync(README, expected);
    expect(
      readFileSync(README, 'utf8'),
      'README matrix stale: KAKUNIN_UPDATE_BUDGETS=1 pnpm exec vitest run tools/perf/src/quirk-matrix.test.ts',
    ).toBe(expected);
  });
});
