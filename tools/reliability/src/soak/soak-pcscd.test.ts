/**
 * Bounded soak through the real PC/SC stack: 25 consecutive PIN-mode checks through pcscd +
 * vpcd (the simulator card behind vsmartcard's driver, kakunin's PC/SC transport on top), heap
 * and handles sampled after full collections (vpcd costs ~0.8 s per check: connect, 10 APDUs, the
 * cold reset after VERIFY and the unpowering close). `pnpm soak` runs 10,000.
 */
import { createCardProfile } from '@kakunin/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKeyStore } from '../support/key-store.js';
import { type PcscStack, startPcscStack } from '../support/pcsc-stack.js';
import { assertFlat, flatness, runSoak } from './soak-run.js';

const profile = createCardProfile('plastic', { keyStore: testKeyStore() });
let stack: PcscStack | undefined;

beforeAll(async () => {
  stack = await startPcscStack();
}, 360_000);

afterAll(async () => {
  await stack?.close();
}, 30_000);

describe('soak through pcscd + vpcd (bounded)', () => {
  it('25 consecutive checks: heap and handles stay flat', async () => {
    const report = await runSoak({
      checks: 25,
      warmUp: 5,
      sampleEvery: 5,
      pin: profile.credentials.authPin,
      connect: () => stack!.connect(),
    });
    console.log('soak pcscd', JSON.stringify({ ...flatness(report), latency: report.latency }));
    assertFlat(report, expect);
  }, 120_000);
});
