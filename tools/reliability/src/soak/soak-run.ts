/**
 * The soak loop: consecutive PIN-mode checks (connect → `MyNumberCard.check` → close, as a
 * reception desk does for each patient) with the heap and the process's active handles sampled
 * every `sampleEvery` checks after a full garbage collection. A leak shows as a heap or handle
 * count that keeps climbing; {@link flatness} turns the samples into the figures and the verdict.
 *
 * @example
 * ```ts
 * const report = await runSoak({ checks: 300, sampleEvery: 50, connect: () => provider.connect(id), pin: '1234' });
 * expect(flatness(report).heapGrowthBytes).toBeLessThan(4 * 1024 * 1024);
 * ```
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MyNumberCard } from '@kakunin/core/jpki';
import type { Transport } from '@kakunin/core/transport';
import type { SimulatedBleEnvironment } from '@kakunin/transport-ble/testing';

export interface SoakSample {
  /** Checks completed when the sample was taken. */
  readonly checks: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly rss: number;
  /** Active handles and requests (process.getActiveResourcesInfo()), total and per type. */
  readonly resources: number;
  readonly resourceTypes: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
}

export interface SoakReport {
  readonly checks: number;
  readonly failures: number;
  readonly firstFailure?: string;
  readonly samples: readonly SoakSample[];
  /** Per-check wall time, ms. */
  readonly latency: { readonly p50: number; readonly p95: number; readonly max: number };
  readonly durationMs: number;
  /** Checks run before the first sample (JIT and cache warm-up), not counted in `checks`. */
  readonly warmUp: number;
}

export interface SoakOptions {
  readonly checks: number;
  /** Checks to run before the first sample (default 0). */
  readonly warmUp?: number;
  readonly sampleEvery: number;
  readonly pin: string;
  /** A fresh connection to the card for each check. */
  connect(): Promise<Transport>;
  readonly onSample?: (sample: SoakSample) => void;
}

/** A full collection: `gc()` from --expose-gc, enabled at run time when the flag was not given. */
function collector(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function resources(): { total: number; types: Record<string, number> } {
  const types: Record<string, number> = {};
  const list = process.getActiveResourcesInfo();
  for (const type of list) types[type] = (types[type] ?? 0) + 1;
  return { total: list.length, types };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Runs the checks.
 *
 * @example
 * ```ts
 * await runSoak({ checks: 10_000, sampleEvery: 500, connect, pin });
 * ```
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const gc = collector();
  const challenge = new Uint8Array(32);
  const samples: SoakSample[] = [];
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let started = performance.now();
  const sample = async (checks: number): Promise<void> => {
    // Let closing handles finish (sockets, timers) before counting them.
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc();
    const memory = process.memoryUsage();
    const active = resources();
    const entry: SoakSample = {
      checks,
      heapUsed: memory.heapUsed,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
      rss: memory.rss,
      resources: active.total,
      resourceTypes: active.types,
      elapsedMs: Math.round(performance.now() - started),
    };
    samples.push(entry);
    options.onSample?.(entry);
  };
  const runCheck = async (check: number): Promise<void> => {
    challenge[0] = check & 0xff;
    challenge[1] = (check >> 8) & 0xff;
    const card = MyNumberCard.open(await options.connect());
    try {
      await card.check({ pin: options.pin, challenge });
    } finally {
      await card.close();
    }
  };
  const warmUp = options.warmUp ?? 0;
  for (let check = 1; check <= warmUp; check++) await runCheck(check);
  started = performance.now();
  await sample(0);
  for (let check = 1; check <= options.checks; check++) {
    const begin = performance.now();
    try {
      await runCheck(check);
    } catch (error) {
      failures++;
      firstFailure ??= `check ${check}: ${error instanceof Error ? error.message : String(error)}`;
    }
    latencies.push(performance.now() - begin);
    if (check % options.sampleEvery === 0 || check === options.checks) await sample(check);
  }
  latencies.sort((a, b) => a - b);
  return {
    checks: options.checks,
    failures,
    ...(firstFailure === undefined ? {} : { firstFailure }),
    samples,
    latency: {
      p50: Math.round(percentile(latencies, 50) * 100) / 100,
      p95: Math.round(percentile(latencies, 95) * 100) / 100,
      max: Math.round((latencies.at(-1) ?? 0) * 100) / 100,
    },
    durationMs: Math.round(performance.now() - started),
    warmUp,
  };
}

export interface Flatness {
  /** Heap after warm-up (the second sample) and at the end, bytes. */
  readonly heapAfterWarmUp: number;
  readonly heapAtEnd: number;
  readonly heapGrowthBytes: number;
  /** Least-squares slope of heapUsed over the samples after warm-up, bytes per check. */
  readonly heapSlopePerCheck: number;
  readonly resourcesAfterWarmUp: number;
  readonly resourcesAtEnd: number;
  readonly maxResources: number;
}

/** Summarises the samples after warm-up (explicit warm-up, else the first sample after 0 checks). */
export function flatness(report: SoakReport): Flatness {
  const steady = report.warmUp > 0 ? report.samples : report.samples.slice(1);
  const first = steady[0] ?? report.samples[0]!;
  const last = report.samples.at(-1)!;
  const n = steady.length;
  let slope = 0;
  if (n >= 2) {
    const meanX = steady.reduce((sum, entry) => sum + entry.checks, 0) / n;
    const meanY = steady.reduce((sum, entry) => sum + entry.heapUsed, 0) / n;
    let numerator = 0;
    let denominator = 0;
    for (const entry of steady) {
      numerator += (entry.checks - meanX) * (entry.heapUsed - meanY);
      denominator += (entry.checks - meanX) ** 2;
    }
    slope = denominator === 0 ? 0 : numerator / denominator;
  }
  return {
    heapAfterWarmUp: first.heapUsed,
    heapAtEnd: last.heapUsed,
    heapGrowthBytes: last.heapUsed - first.heapUsed,
    heapSlopePerCheck: Math.round(slope * 10) / 10,
    resourcesAfterWarmUp: first.resources,
    resourcesAtEnd: last.resources,
    maxResources: Math.max(...report.samples.map((entry) => entry.resources)),
  };
}

/** Heap growth tolerated between the first steady sample and the end, bytes. */
export const HEAP_GROWTH_TOLERANCE = 2 * 1024 * 1024;
/** Heap slope tolerated, bytes per check (the leaks found were 1,400–11,000; short runs are noisy). */
export const HEAP_SLOPE_TOLERANCE = 1000;

/**
 * The bounded-soak verdict: every check succeeded, heap growth and slope within tolerance, and no
 * more active handles at the end than after warm-up (+1 for a timer in flight).
 *
 * @example
 * ```ts
 * assertFlat(report, expect);
 * ```
 */
export function assertFlat(
  report: SoakReport,
  expect: (
    value: unknown,
    message?: string,
  ) => {
    toBe(value: unknown): void;
    toBeLessThan(value: number): void;
    toBeLessThanOrEqual(value: number): void;
  },
): void {
  const figures = flatness(report);
  expect(report.failures, report.firstFailure).toBe(0);
  expect(figures.heapGrowthBytes, 'heap growth').toBeLessThan(HEAP_GROWTH_TOLERANCE);
  // A slope over fewer than 200 checks is mostly V8's own warm-up noise; the growth bound holds.
  if (report.checks >= 200)
    expect(figures.heapSlopePerCheck, 'heap slope per check').toBeLessThan(HEAP_SLOPE_TOLERANCE);
  expect(figures.resourcesAtEnd, 'active handles').toBeLessThanOrEqual(figures.resourcesAfterWarmUp + 1);
}

/**
 * Connects to the soak's simulated BLE reader (`SOAK01`) after emptying the call, write and INS
 * logs its adapter and reader keep for test assertions (~700 bytes per check, unbounded by
 * design), so that the soak measures the SDK and not those logs.
 */
export function connectSoakReader(world: SimulatedBleEnvironment): Promise<Transport> {
  const reader = world.readers[0]!;
  for (const log of [world.adapter.calls, reader.writeSizes, reader.messageTypes, reader.apduInstructions])
    log.length = 0;
  return world.connect('ACR1255U-J1-SOAK01');
}
