/**
 * The quirk matrix through the real stack (issue 14 Deliver 5): core → transport-pcsc → pcscd →
 * vpcd → the simulator card in its own process, counted at the card. pcscd costs ~44 ms per APDU,
 * so only the cells that exercise the link differently run here — the T=0-style GET RESPONSE loop
 * after the proprietary-class signature (seen-1), the 224-byte cap on a short link (seen-2), 61xx
 * pieces on an extended link, the face-auth card's refusal without VERIFY and the iPhone token's
 * last-command indicator — and each must equal its in-process budget exactly.
 */
import { readFileSync } from 'node:fs';
import { MyNumberCard } from '@kakunin/core/jpki';
import { CardError } from '@kakunin/core/transport';
import { createCardProfile, defaultKeyCacheDirectory, TestKeyStore } from '@kakunin/simulator';
import { usePcscd } from '@kakunin/tools-pcscd';
import { createPcscProvider } from '@kakunin/transport-pcsc';
import { afterEach, describe, expect, it } from 'vitest';
import { describeLog, tallyApdus } from './apdu-tally.js';
import { CardHost } from './card-host.js';
import {
  BEHAVIOURS,
  cardOptionsFor,
  isRefusal,
  type Link,
  type Operation,
  runOperation,
} from './quirk-matrix.js';

usePcscd();

const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
const budgets = JSON.parse(readFileSync(new URL('../quirk-budgets.json', import.meta.url), 'utf8')) as Record<
  string,
  { apdus: number; refused: number; outcome: string }
>;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const CELLS: ReadonlyArray<readonly [string, Link, Operation]> = [
  ['plastic', 'short', 'check'],
  ['t0', 'short', 'check'],
  ['t0-pieces', 'extended', 'signSign'],
  ['cap-224', 'short', 'check'],
  ['face-auth', 'extended', 'check'],
  ['iphone', 'extended', 'authCert'],
];

describe('quirk matrix through pcscd/vpcd (chosen cells)', () => {
  for (const [name, link, operation] of CELLS) {
    it(`${name} / ${link} / ${operation} equals its in-process budget`, async () => {
      const behaviour = BEHAVIOURS.find((candidate) => candidate.name === name)!;
      const profile = behaviour.profile ?? 'plastic';
      const host = await CardHost.start(link === 'extended' ? 'extended' : 'short-link', {
        card: cardOptionsFor(behaviour),
      });
      cleanups.push(() => host.close());
      const provider = createPcscProvider({ connect: { extendedLength: link === 'extended' } });
      cleanups.push(() => provider.close());
      const transport = await provider.connect(host.readerName, { waitForCard: true, timeoutMs: 10_000 });
      const card = MyNumberCard.open(transport);
      await host.reset();
      let outcome = 'ok';
      try {
        await runOperation(
          card,
          operation,
          createCardProfile(profile, { keyStore }).credentials.verificationNumberB,
        );
      } catch (error) {
        if (!CardError.isInstance(error)) throw error;
        outcome = error.code;
      } finally {
        await card.close();
      }
      const log = await host.log();
      const measured = {
        apdus: tallyApdus(log).apdus,
        refused: log.filter((entry) => isRefusal(entry.sw)).length,
        outcome,
      };
      expect(measured, describeLog(log).join('\n')).toEqual(budgets[`${name}/${link}/${operation}`]);
    });
  }
});
