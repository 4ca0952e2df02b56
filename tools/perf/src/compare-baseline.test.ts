import { describe, expect, it } from 'vitest';
import {
  BYTES_TOLERANCE,
  compareResults,
  DEFAULT_THRESHOLD,
  flattenResults,
  metricKind,
  reduceToBaseline,
} from './compare-baseline.mjs';

/** A results file shaped like tools/bench/run.mjs writes it. */
function results(overrides: {
  median?: number;
  hz?: number;
  apdus?: number;
  bytes?: number;
  checkMs?: number;
}) {
  return {
    date: '2026-11-21T00:00:00.000Z',
    node: 'v20.20.2',
    vitest: {
      files: [
        {
          filepath: 'packages/core/src/iso7816/codec.bench.ts',
          groups: [
            {
              fullName: 'src/iso7816/codec.bench.ts > APDU codec',
              benchmarks: [
                {
                  name: 'decodeCommand',
                  median: overrides.median ?? 0.001,
                  hz: overrides.hz ?? 1_000_000,
                  p99: 5,
                },
              ],
            },
          ],
        },
      ],
    },
    scripts: {
      'check-apdus': {
        inProcess: {
          extended: { apdus: overrides.apdus ?? 5, bytes: overrides.bytes ?? 1762, wastedProbes: 0 },
        },
        pcscd: {
          extended: { kakunin: { checkMs: { median: overrides.checkMs ?? 4, min: 1, max: 90, runs: 50 } } },
        },
        linkModels: [{ link: 'BLE iPhone', roundTripMs: 120, kakunin: { apdus: 5, ms: 600 } }],
      },
    },
  };
}

describe('bench:compare', () => {
  it('classifies figures: counts, bytes, times, rates; spread statistics are ignored', () => {
    expect(metricKind('apdus')).toBe('count');
    expect(metricKind('wastedProbes')).toBe('count');
    expect(metricKind('bytes')).toBe('bytes');
    expect(metricKind('median')).toBe('time');
    expect(metricKind('cpuMsPerCheck')).toBe('time');
    expect(metricKind('ms')).toBe('time');
    expect(metricKind('hz')).toBe('rate');
    for (const ignored of ['min', 'max', 'p99', 'runs', 'roundTripMs', 'mean', 'softwareMsPerApdu'])
      expect(metricKind(ignored)).toBeUndefined();
  });

  it('flattens vitest benchmarks and script results into stable paths', () => {
    const flat = flattenResults(results({}));
    expect(
      flat.get('vitest packages/core/src/iso7816/codec.bench.ts › APDU codec › decodeCommand › median'),
    ).toEqual({
      kind: 'time',
      value: 0.001,
    });
    expect(flat.get('script check-apdus › inProcess › extended › apdus')).toEqual({
      kind: 'count',
      value: 5,
    });
    expect(flat.get('script check-apdus › pcscd › extended › kakunin › checkMs › median')?.value).toBe(4);
    expect(flat.get('script check-apdus › linkModels › BLE iPhone › kakunin › ms')?.value).toBe(600);
    expect([...flat.keys()].some((path) => path.endsWith('› min') || path.endsWith('› p99'))).toBe(false);
  });

  it('labels array items by what they measure, so reordering does not break the baseline', () => {
    const flat = flattenResults({
      scripts: {
        'x509-scale': {
          certificate: [{ input: 'J-LIS root', library: 'pkijs', microsecondsPerParse: 1500, minimum: 1400 }],
          crl: [{ entries: 1_000_000, library: 'kakunin', parseMilliseconds: 250, lookupMicroseconds: 0.5 }],
        },
      },
    });
    expect(flat.get('script x509-scale › certificate › J-LIS root pkijs › microsecondsPerParse')).toEqual({
      kind: 'time',
      value: 1500,
    });
    expect(flat.get('script x509-scale › crl › kakunin 1000000 › parseMilliseconds')?.kind).toBe('time');
    expect(flat.get('script x509-scale › crl › kakunin 1000000 › lookupMicroseconds')?.kind).toBe('time');
    expect([...flat.keys()].some((path) => path.endsWith('minimum'))).toBe(false);
  });

  it('passes identical results and small noise', () => {
    const base = flattenResults(results({}));
    expect(compareResults(base, base).regressions).toHaveLength(0);
    const noisy = flattenResults(results({ median: 0.0013, hz: 800_000, checkMs: 5.5 }));
    expect(compareResults(base, noisy).regressions).toHaveLength(0);
  });

  it('fails on one more APDU, however small the change', () => {
    const { regressions } = compareResults(
      flattenResults(results({})),
      flattenResults(results({ apdus: 6 })),
    );
    expect(regressions.map((row) => row.path)).toEqual(['script check-apdus › inProcess › extended › apdus']);
  });

  it(`fails on a time beyond ×${DEFAULT_THRESHOLD}, a rate below 1/${DEFAULT_THRESHOLD}, bytes beyond ×${BYTES_TOLERANCE}`, () => {
    const base = flattenResults(results({}));
    const slower = compareResults(base, flattenResults(results({ median: 0.0016 })));
    expect(slower.regressions.map((row) => row.path)).toEqual([
      'vitest packages/core/src/iso7816/codec.bench.ts › APDU codec › decodeCommand › median',
    ]);
    expect(slower.regressions[0]?.ratio).toBeCloseTo(1.6, 6);
    expect(compareResults(base, flattenResults(results({ hz: 600_000 }))).regressions).toHaveLength(1);
    expect(compareResults(base, flattenResults(results({ bytes: 1900 }))).regressions).toHaveLength(1);
    expect(compareResults(base, flattenResults(results({ bytes: 1800 }))).regressions).toHaveLength(0);
    // A custom threshold.
    expect(compareResults(base, flattenResults(results({ median: 0.0016 })), 2).regressions).toHaveLength(0);
  });

  it('reports improvements and figures missing from the latest run', () => {
    const base = flattenResults(results({}));
    const latest = flattenResults(results({ apdus: 4, median: 0.0005 }));
    latest.delete('script check-apdus › linkModels › BLE iPhone › kakunin › ms');
    const { rows, regressions } = compareResults(base, latest);
    expect(regressions).toHaveLength(0);
    expect(rows.filter((row) => row.verdict === 'improved')).toHaveLength(2);
    expect(rows.filter((row) => row.verdict === 'missing')).toHaveLength(1);
  });

  it('a reduced baseline compares like the full results file', () => {
    const reduced = reduceToBaseline(results({}));
    expect(Object.keys(reduced.figures).length).toBe(flattenResults(results({})).size);
    const fromReduced = new Map(Object.entries(reduced.figures)) as ReturnType<typeof flattenResults>;
    expect(compareResults(fromReduced, flattenResults(results({ apdus: 6 }))).regressions).toHaveLength(1);
  });
});
