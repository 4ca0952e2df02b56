/**
 * Order statistics for benchmark samples.
 *
 * @example
 * ```ts
 * summarize([3, 1, 2]); // { runs: 3, median: 2, p90: 3, min: 1, max: 3 }
 * ```
 */
export interface SampleSummary {
  readonly runs: number;
  readonly median: number;
  readonly p90: number;
  readonly min: number;
  readonly max: number;
}

/**
 * The `fraction` quantile (nearest rank) of `samples`.
 *
 * @example
 * ```ts
 * quantile([1, 2, 3, 4], 0.5); // 2
 * ```
 */
export function quantile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) throw new RangeError('samples must not be empty');
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError('fraction must be 0..1');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1]!;
}

/**
 * Median, 90th percentile, min and max.
 *
 * @example
 * ```ts
 * summarize(times).median;
 * ```
 */
export function summarize(samples: readonly number[]): SampleSummary {
  return {
    runs: samples.length,
    median: quantile(samples, 0.5),
    p90: quantile(samples, 0.9),
    min: Math.min(...samples),
    max: Math.max(...samples),
  };
}
