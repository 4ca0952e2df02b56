/**
 * Bounded soak through the real PC/SC stack: 100 consecutive PIN-mode checks through pcscd +
 * vpcd (the simulator card behind vsmartcard's driver, kakunin's PC/SC transport on top), heap
 * and handles sampled after full collections. `pnpm soak` runs 10,000.
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
  it('100 consecutive checks: heap and handles stay flat', async () => {
    const report = await runSoak({
      checks: 100,
      warmUp: 30,
      sampleEvery: 20,
      pin: profile.credentials.authPin,
      connect: () => stack!.connect(),
    });
    console.log('soak pcscd', JSON.stringify({ ...flatness(report), latency: report.latency }));
    assertFlat(report, expect);
  }, 120_000);
});
