/**
 * One line per broken rule of a fault matrix, for test assertions.
 *
 * @example
 * ```ts
 * expect(describeProblems(results)).toEqual([]);
 * ```
 */
import type { FaultRunResult } from './fault-runner.js';

export function describeProblems(results: readonly FaultRunResult[]): string[] {
  return results.flatMap((result) =>
    result.problems.map(
      (problem) =>
        `${result.rig}: ${result.flow} ${result.fault}@${result.index}: ${problem} (outcome ${result.outcome})`,
    ),
  );
}
