/**
 * The PIN-mode check's APDU counts through the real stack: core MyNumberCard → transport-pcsc →
 * pcscd → vpcd → the simulator card (served by its own process, see card-host.ts), counted at the
 * card (counts, never timings). pcscd is started by the shared harness, whose lock
 * serialises every PC/SC test on the machine.
 */
import { MyNumberCard } from '@kakunin/core/jpki';
import { bytesToHex } from '@kakunin/core/transport';
import { usePcscd } from '@kakunin/tools-pcscd';
import { createPcscProvider } from '@kakunin/transport-pcsc';
import { afterEach, describe, expect, it } from 'vitest';
import { describeLog, tallyApdus } from './apdu-tally.js';
import { CardHost } from './card-host.js';
import { type LinkModeName, linkMode, TARGET_EXTENDED_APDUS, TARGET_SHORT_APDUS } from './link-modes.js';
import { fixedChallenge, SIMULATOR_AUTH_PIN } from './simulated-check.js';

usePcscd();

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function checkThroughPcscd(name: LinkModeName, checks = 1) {
  const mode = linkMode(name);
  const host = await CardHost.start(name);
  cleanups.push(() => host.close());
  const provider = createPcscProvider({ connect: { extendedLength: mode.linkExtended } });
  cleanups.push(() => provider.close());
  const transport = await provider.connect(host.readerName, { waitForCard: true, timeoutMs: 10_000 });
  expect(transport.capabilities.extendedLength).toBe(mode.linkExtended);
  const card = MyNumberCard.open(transport);
  cleanups.push(() => card.close());
  const runs = [];
  for (let index = 0; index < checks; index += 1) {
    await host.reset();
    const result = await card.check({ pin: SIMULATOR_AUTH_PIN, challenge: fixedChallenge() });
    const log = await host.log();
    runs.push({ result, log, tally: tallyApdus(log) });
  }
  return { runs, card };
}

describe('PIN-mode check through pcscd/vpcd', () => {
  it(`extended-capable link: ${TARGET_EXTENDED_APDUS} APDUs reach the card`, async () => {
    const { runs } = await checkThroughPcscd('extended');
    const [{ result, tally, log }] = runs as [(typeof runs)[number]];
    expect(tally.apdus, describeLog(log).join('\n')).toBe(TARGET_EXTENDED_APDUS);
    expect(result.apduCount).toBe(tally.apdus);
    expect(tally.wastedProbes).toBe(0);
    expect(tally.extendedApdus).toBe(1);
    expect(result.certificate[0]).toBe(0x30);
  });

  it(`short-only link: at most ${TARGET_SHORT_APDUS} APDUs, none extended`, async () => {
    const { runs } = await checkThroughPcscd('short-link');
    const [{ result, tally, log }] = runs as [(typeof runs)[number]];
    expect(tally.apdus, describeLog(log).join('\n')).toBe(4 + Math.ceil(result.certificate.length / 256));
    expect(tally.apdus).toBeLessThanOrEqual(TARGET_SHORT_APDUS);
    expect(tally.extendedApdus).toBe(0);
    expect(result.apduCount).toBe(tally.apdus);
  });

  it('card refusing every fast path: 2 wasted probes, then none on the next check; same certificate', async () => {
    const { runs, card } = await checkThroughPcscd('refuses-fast-paths', 2);
    const [first, second] = runs as [(typeof runs)[number], (typeof runs)[number]];
    expect(first.tally.wastedProbes, describeLog(first.log).join('\n')).toBe(2);
    expect(second.tally.wastedProbes, describeLog(second.log).join('\n')).toBe(0);
    expect(card.linkFacts).toEqual({ sfi: false, extendedRead: false });
    expect(bytesToHex(second.result.certificate)).toBe(bytesToHex(first.result.certificate));
  });
});
