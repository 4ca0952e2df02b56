/**
 * Fault injection at every APDU of the PIN-mode check and the certificate read through the real
 * PC/SC stack (kakunin's PC/SC transport → pcscd → vpcd → the simulator card): card removal
 * through vpcd, reader loss, a timeout, a corrupted answer and a wrong status word (63 C1: one try
 * left) at every index, and pcscd stopping mid-command at the first command, the
 * VERIFY and the last command. vpcd is slow (~45 ms per APDU, ~130 ms per power cycle), so the
 * test suite runs this representative set; KAKUNIN_FAULTS_FULL=1 runs every fault kind of the
 * other transports too (105 runs, about 50 s).
 *
 * The same file runs the bounded PC/SC soak on the same pcscd (one start, one hold of the
 * machine-wide pcscd lock): 15 consecutive checks with heap and handles sampled (`pnpm soak` runs
 * 10,000; vpcd costs ~0.8 s per check).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertFlat, flatness, runSoak } from '../soak/soak-run.js';
import { logMatrix, runFaultMatrix } from './fault-runner.js';
import { type PcscRig, pcscRig } from './pcsc-rig.js';
import { describeProblems } from './problems.js';

let rig: PcscRig | undefined;

beforeAll(async () => {
  rig = await pcscRig();
}, 360_000);

afterAll(async () => {
  await rig?.[Symbol.asyncDispose]();
}, 60_000);

describe('fault injection through pcscd + vpcd', () => {
  it('every fault at every APDU index', async () => {
    const full = process.env.KAKUNIN_FAULTS_FULL === '1';
    const bounded = new Set([
      'card-removed',
      'reader-lost',
      'timeout',
      'corrupt-flip',
      'sw-63C1',
      'pcscd-stopped',
    ]);
    const results = await runFaultMatrix(rig!, {
      flows: ['check', 'read-certificate'],
      ...(full ? {} : { only: (name: string) => bounded.has(name) }),
      ...(process.env.KAKUNIN_FAULT_LOG === '1'
        ? { onResult: (result) => console.log(JSON.stringify(result)) }
        : {}),
    });
    logMatrix(rig!.name, results, rig!.restarts(), 'pcscd restarts');
    expect(describeProblems(results)).toEqual([]);
    expect(results.some((result) => result.fault === 'pcscd-stopped')).toBe(true);
  }, 300_000);

  it('soak: 15 consecutive checks through pcscd + vpcd keep heap and handles flat', async () => {
    await rig!.card.renew();
    await rig!.card.arm({});
    await rig!.prepare();
    const report = await runSoak({
      checks: 20,
      warmUp: 5,
      sampleEvery: 5,
      pin: rig!.pin,
      connect: () => rig!.connect(),
    });
    console.log('soak pcscd', JSON.stringify({ ...flatness(report), latency: report.latency }));
    assertFlat(report, expect);
  }, 120_000);
});
