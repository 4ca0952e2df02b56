/**
 * Fault injection at every APDU of the PIN-mode check and the certificate read through the NFC
 * bridge (PC provider ⇄ WebSocket ⇄ reference relay ⇄ simulator card), with the generic faults
 * and the network's own (link cut mid-answer, tampered answer).
 */
import { describe, expect, it } from 'vitest';
import { bridgeRig } from './bridge-rig.js';
import { logMatrix, runFaultMatrix } from './fault-runner.js';
import { describeProblems } from './problems.js';

describe('fault injection over the NFC bridge', () => {
  it('every fault at every APDU index', async () => {
    await using rig = await bridgeRig();
    const results = await runFaultMatrix(rig, {
      flows: ['check', 'read-certificate'],
      ...(process.env.KAKUNIN_FAULT_LOG === '1'
        ? { onResult: (result) => console.log(JSON.stringify(result)) }
        : {}),
    });
    logMatrix(rig.name, results, rig.pairings(), 'pairings');
    expect(describeProblems(results)).toEqual([]);
    // The tampered answers were refused by the PC, never taken for the card's.
    expect(
      results
        .filter((result) => result.fault === 'bridge-answer-tampered')
        .every((result) => result.outcome === 'PEER_REJECTED'),
    ).toBe(true);
  }, 240_000);
});
