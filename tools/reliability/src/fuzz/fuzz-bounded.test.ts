/**
 * The bounded fuzz run of the test suite: every target, a few thousand mutated inputs each (the
 * nightly run does ≥ 1,000,000 per target: `pnpm fuzz:nightly`). Any finding fails the test with
 * the input in hex; the nightly run saves findings to corpus/crashes/ where
 * crash-corpus.test.ts replays them forever.
 */
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/repository.js';
import { runFuzz } from './fuzz-engine.js';
import { FUZZ_TARGETS } from './targets/index.js';

/** Mutated inputs per target (override with KAKUNIN_FUZZ_ITERATIONS). */
const ITERATIONS = Number(process.env.KAKUNIN_FUZZ_ITERATIONS ?? 2500);

describe('bounded mutation fuzzing (typed errors only, no hang, no unbounded allocation, oracles hold)', () => {
  it.each(FUZZ_TARGETS.map((target) => [target.name, target] as const))('%s', async (_name, target) => {
    const stats = await runFuzz(target, {
      iterations: ITERATIONS,
      seed: `ci:${target.name}`,
      seedContext: { repositoryRoot: repositoryRoot() },
    });
    const report = stats.findings.map(
      (finding) =>
        `${finding.kind}: ${finding.message}\n${finding.stack ?? ''}\ninput ${Buffer.from(finding.input).toString('hex')}`,
    );
    expect(report).toEqual([]);
    expect(stats.executions).toBeGreaterThanOrEqual(ITERATIONS);
    // The corpus grew: the feedback found behaviours beyond the seeds.
    expect(stats.signatures).toBeGreaterThan(5);
  });
});
