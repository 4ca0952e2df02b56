/**
 * OpenSC in the quirk matrix (issue 14 Deliver 5): for every card behaviour vpcd can host, OpenSC's
 * counterparts of kakunin's PIN status, auth-certificate read and auth signature run as shipped
 * through the real pcscd + vpcd, counted at the card, and equal their reviewed budgets
 * (`opensc/…` keys of quirk-budgets.json) exactly — APDUs, refused answers and the outcome, a
 * failing tool included (the failure is data). What OpenSC returns is judged against the card:
 * `ok` only for the very certificate and a signature that verifies with the card's auth key.
 * KAKUNIN_UPDATE_BUDGETS=1 rewrites the `opensc/…` budgets from this run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createCardProfile, defaultKeyCacheDirectory, TestKeyStore } from '@kakunin/simulator';
import { usePcscd } from '@kakunin/tools-pcscd';
import { createPcscProvider } from '@kakunin/transport-pcsc';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CardHost } from './card-host.js';
import { OPENSC_OPERATIONS } from './opensc-flow.js';
import { type CellResult, cardOptionsFor } from './quirk-matrix.js';
import { hostModeFor, OPENSC_BEHAVIOURS, openscKey, runOpenscCell } from './quirk-matrix-opensc.js';

usePcscd();

type Budget = Pick<CellResult, 'apdus' | 'refused' | 'outcome'>;
const BUDGETS = new URL('../quirk-budgets.json', import.meta.url);
const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
const budgets = JSON.parse(readFileSync(BUDGETS, 'utf8')) as Record<string, Budget>;
const measured: Record<string, Budget> = {};
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});
afterAll(() => {
  if (process.env.KAKUNIN_UPDATE_BUDGETS !== '1') return;
  const current = JSON.parse(readFileSync(BUDGETS, 'utf8')) as Record<string, Budget>;
  writeFileSync(BUDGETS, `${JSON.stringify({ ...current, ...measured }, null, 2)}\n`);
});

describe('quirk matrix: OpenSC through pcscd/vpcd', () => {
  it('every behaviour vpcd can host has OpenSC budgets, and nothing else does', () => {
    const expected = OPENSC_BEHAVIOURS.flatMap((behaviour) =>
      OPENSC_OPERATIONS.map((operation) => openscKey(behaviour.name, operation)),
    ).sort();
    expect(
      Object.keys(budgets)
        .filter((key) => key.startsWith('opensc/'))
        .sort(),
    ).toEqual(expected);
  });

  for (const behaviour of OPENSC_BEHAVIOURS) {
    it(`${behaviour.name}: ${OPENSC_OPERATIONS.join(', ')} equal their budgets`, {
      timeout: 240_000,
    }, async () => {
      const profileName = behaviour.profile ?? 'plastic';
      // The card the host builds, for what OpenSC must return (same seed, same sizes).
      const profile = createCardProfile(profileName, {
        keyStore,
        ...(behaviour.authCertificateLength === undefined
          ? {}
          : { authCertificateLength: behaviour.authCertificateLength }),
      });
      const host = await CardHost.start(hostModeFor(behaviour), {
        card: cardOptionsFor(behaviour),
      });
      cleanups.push(() => host.close());
      // pcscd sees the inserted card on its next poll: wait for it as a PC/SC client would.
      const provider = createPcscProvider();
      cleanups.push(() => provider.close());
      const present = await provider.connect(host.readerName, { waitForCard: true, timeoutMs: 10_000 });
      await present.close();
      const truth = {
        authCertificate: profile.authCertificate.certificate,
        authPublicKey: profile.authCertificate.publicKey,
      };
      for (const operation of OPENSC_OPERATIONS) {
        const cell = await runOpenscCell(host, operation, truth);
        const name = openscKey(behaviour.name, operation);
        measured[name] = { apdus: cell.apdus, refused: cell.refused, outcome: cell.outcome };
        const detail = `${name}\n${cell.step.command}\n${cell.log}\n${cell.step.run.stderr}`;
        if (process.env.KAKUNIN_UPDATE_BUDGETS !== '1') expect(measured[name], detail).toEqual(budgets[name]);
        // A run judged ok returned exactly what the card holds (openscOutcome checks it).
        if (cell.outcome === 'ok' && operation === 'authCert') expect(cell.step.certificate).toBeDefined();
        if (cell.outcome === 'ok' && operation === 'signAuth') expect(cell.step.signature).toBeDefined();
      }
    });
  }
});
