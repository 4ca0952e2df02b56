/**
 * Every input that ever broke a rule (corpus/crashes/<target>/*.json) is replayed: it must now end
 * in a typed CardError or a correct answer, quickly, without unbounded allocation.
 */
import { describe, expect, it } from 'vitest';
import { loadCrashCorpus } from './crash-corpus.js';
import { executeConfirmed } from './fuzz-engine.js';
import { FUZZ_TARGETS, fuzzTarget } from './targets/index.js';

const entries = await loadCrashCorpus();

describe('crash corpus replay', () => {
  it('holds the inputs of every fixed finding', () => {
    expect(entries.length).toBeGreaterThan(0);
    const names = new Set(FUZZ_TARGETS.map((target) => target.name));
    for (const entry of entries) expect(names.has(entry.target), entry.file).toBe(true);
  });

  it.each(entries.map((entry) => [entry.file.split('/crashes/')[1]!, entry] as const))(
    '%s no longer breaks a rule',
    async (_name, entry) => {
      const execution = await executeConfirmed(fuzzTarget(entry.target), entry.input);
      expect(execution.finding, `${entry.kind} was: ${entry.message}`).toBeUndefined();
    },
  );
});
