/**
 * Fault injection at every APDU of the PIN-mode check and the certificate read through the real
 * PC/SC stack (kakunin's PC/SC transport → pcscd → vpcd → the simulator card), with the generic
 * faults, card removal through vpcd, and pcscd stopping mid-command.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFaultMatrix, summarise } from './fault-runner.js';
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
    const results = await runFaultMatrix(rig!, {
      flows: ['check', 'read-certificate'],
      ...(process.env.KAKUNIN_FAULT_LOG === '1'
        ? { onResult: (result) => console.log(JSON.stringify(result)) }
        : {}),
    });
    console.log(
      rig!.name,
      results.length,
      'runs',
      rig!.restarts(),
      'pcscd restarts',
      JSON.stringify(summarise(results)),
    );
    expect(describeProblems(results)).toEqual([]);
    expect(results.some((result) => result.fault === 'pcscd-stopped')).toBe(true);
  }, 300_000);
});
