/**
 * The PIN-mode check's APDU counts through the real stack: core MyNumberCard → transport-pcsc →
 * pcscd → vpcd → the simulator card, counted at the card (issue 10: counts, never timings).
 * pcscd is started by the shared harness, which serialises every PC/SC test on the machine.
 */
import { MyNumberCard } from '@kakunin/core/jpki';
import { bytesToHex } from '@kakunin/core/transport';
import { defaultKeyCacheDirectory, TestKeyStore, VpcdConnector } from '@kakunin/simulator';
import { usePcscd } from '@kakunin/tools-pcscd';
import { createPcscProvider, type PcscProvider } from '@kakunin/transport-pcsc';
import { afterEach, describe, expect, it } from 'vitest';
import { describeLog } from './apdu-tally.js';
import type { CountingCardEndpoint } from './counting-card-endpoint.js';
import { type LinkModeName, linkMode, TARGET_EXTENDED_APDUS, TARGET_SHORT_APDUS } from './link-modes.js';
import { countCheck, createCountedCard } from './simulated-check.js';

usePcscd();

const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function checkThroughPcscd(name: LinkModeName) {
  const mode = linkMode(name);
  const counter: CountingCardEndpoint = createCountedCard(mode, { keyStore });
  const connector = new VpcdConnector({ card: counter, slot: 0 });
  await connector.insert();
  cleanups.push(() => connector.close());
  const provider: PcscProvider = createPcscProvider({ connect: { extendedLength: mode.linkExtended } });
  cleanups.push(() => provider.close());
  const transport = await provider.connect(connector.readerName, { waitForCard: true, timeoutMs: 10_000 });
  expect(transport.capabilities.extendedLength).toBe(mode.linkExtended);
  const card = MyNumberCard.open(transport);
  cleanups.push(() => card.close());
  const run = await countCheck(card, counter);
  return { ...run, counter, card };
}

describe('PIN-mode check through pcscd/vpcd', () => {
  it(`extended-capable link: ${TARGET_EXTENDED_APDUS} APDUs reach the card`, async () => {
    const { result, tally, counter } = await checkThroughPcscd('extended');
    expect(tally.apdus, describeLog(counter.log).join('\n')).toBe(TARGET_EXTENDED_APDUS);
    expect(result.apduCount).toBe(tally.apdus);
    expect(tally.wastedProbes).toBe(0);
    expect(result.certificate[0]).toBe(0x30);
  });

  it(`short-only link: at most ${TARGET_SHORT_APDUS} APDUs, none extended`, async () => {
    const { result, tally, counter } = await checkThroughPcscd('short-link');
    expect(tally.apdus, describeLog(counter.log).join('\n')).toBe(
      4 + Math.ceil(result.certificate.length / 256),
    );
    expect(tally.apdus).toBeLessThanOrEqual(TARGET_SHORT_APDUS);
    expect(tally.extendedApdus).toBe(0);
    expect(result.apduCount).toBe(tally.apdus);
  });

  it('card refusing every fast path: at most 2 wasted probes, same certificate', async () => {
    const reference = await checkThroughPcscd('extended');
    const certificate = bytesToHex(reference.result.certificate);
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    const { result, tally, counter, card } = await checkThroughPcscd('refuses-fast-paths');
    expect(tally.wastedProbes, describeLog(counter.log).join('\n')).toBe(2);
    expect(card.knowledge).toEqual({ sfi: false, extendedRead: false });
    expect(bytesToHex(result.certificate)).toBe(certificate);
  });
});
