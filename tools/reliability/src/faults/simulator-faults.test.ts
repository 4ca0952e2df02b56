/**
 * Fault injection at every APDU of the PIN-mode check and the certificate read, on the
 * simulator's in-process reader (short and extended links).
 */
import { describe, expect, it } from 'vitest';
import { logMatrix, runFaultMatrix } from './fault-runner.js';
import { describeProblems } from './problems.js';
import { simulatorRig } from './simulator-rig.js';

describe('fault injection on the in-process simulator', () => {
  it.each([false, true])(
    'every fault at every APDU index (extended link: %s)',
    async (extendedLength) => {
      await using rig = await simulatorRig({ extendedLength });
      const results = await runFaultMatrix(rig, { flows: ['check', 'check-wrong-pin', 'read-certificate'] });
      logMatrix(rig.name, results);
      expect(describeProblems(results)).toEqual([]);
      expect(results.length).toBeGreaterThan(100);
      // Both ways of ending: some runs reuse the session, others end with a closed connection.
      expect(new Set(results.map((result) => result.afterwards))).toEqual(new Set(['reused', 'closed']));
    },
    120_000,
  );
});
