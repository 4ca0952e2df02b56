#!/usr/bin/env node
/**
 * `pnpm bench:compare`: compares bench-results/latest.json (written by `pnpm bench`) with the
 * committed baseline tools/perf/baseline.json, prints every ratio, and exits 1 on a regression:
 *
 * - an APDU count that grew (apdus, wastedProbes, extendedApdus: any increase),
 * - bytes on the wire that grew by more than 5 %,
 * - a time (vitest median, script medians, `…Ms` figures) more than `--threshold` times the
 *   baseline (default 1.5), or a rate (`hz`) that fell below baseline / threshold.
 *
 * `--update` writes latest.json, reduced to the compared figures, as the new baseline (commit it
 * deliberately). `--baseline FILE` / `--latest FILE` override the paths.
 *
 * Plain JavaScript with no dependencies: runs without a build.
 *
 * @example
 * ```sh
 * pnpm bench && pnpm bench:compare            # ratios, exit 1 on a regression
 * node tools/perf/src/compare-baseline.mjs --threshold 2
 * node tools/perf/src/compare-baseline.mjs --update
 * ```
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Deterministic counts: any increase is a regression. */
const COUNT_KEYS = new Set(['apdus', 'wastedProbes', 'extendedApdus']);
/** Bytes on the wire: regression above this growth. */
const BYTES_KEYS = new Set(['bytes', 'commandBytes', 'responseBytes']);
export const BYTES_TOLERANCE = 1.05;
/** Rates: higher is better. */
const RATE_KEYS = new Set(['hz']);
/** Spread statistics and bookkeeping: never compared (too noisy, or not a figure of merit). */
const IGNORED_KEYS = new Set([
  'min',
  'max',
  'p75',
  'p90',
  'p99',
  'p995',
  'p999',
  'rme',
  'sd',
  'sem',
  'moe',
  'variance',
  'df',
  'critical',
  'runs',
  'sampleCount',
  'totalTime',
  'period',
  'rank',
  'mean',
  'targetCpuMs',
  'roundTripMs',
  'connectionIntervalMs',
  'notificationsPerEvent',
  // Derived from two noisy medians (relay loopback, BLE model): reported, not judged.
  'softwareMsPerApdu',
]);
export const DEFAULT_THRESHOLD = 1.5;

/**
 * How a leaf is judged: 'count', 'bytes', 'time', 'rate', or undefined (not compared).
 *
 * @param {string} key
 * @returns {'count' | 'bytes' | 'time' | 'rate' | undefined}
 */
export function metricKind(key) {
  if (COUNT_KEYS.has(key)) return 'count';
  if (BYTES_KEYS.has(key)) return 'bytes';
  if (RATE_KEYS.has(key)) return 'rate';
  if (IGNORED_KEYS.has(key)) return undefined;
  if (
    key === 'median' ||
    /Ms(PerCheck|PerApdu)?$/.test(key) ||
    /^(ms|cpuMs|wallMs)$/.test(key) ||
    /(Milliseconds|Microseconds|microsecondsPerParse)$/.test(key)
  )
    return 'time';
  return undefined;
}

/**
 * Flattens bench results into `path → value` for every compared leaf. vitest benchmarks are keyed
 * by file (relative to the repository), group and name; script results by script name and JSON
 * path (array items by their `name`, `link` or `profile` when they have one, else their index).
 *
 * @param {any} results the parsed latest.json / baseline.json
 * @returns {Map<string, { kind: string, value: number }>}
 */
export function flattenResults(results) {
  /** @type {Map<string, { kind: string, value: number }>} */
  const out = new Map();
  for (const file of results?.vitest?.files ?? []) {
    const path = file.filepath.startsWith('/') ? relative(root, file.filepath) : file.filepath;
    for (const group of file.groups ?? []) {
      for (const benchmark of group.benchmarks ?? []) {
        const key = `vitest ${path} › ${group.fullName.split(' > ').slice(1).join(' › ') || group.fullName} › ${benchmark.name}`;
        if (typeof benchmark.median === 'number')
          out.set(`${key} › median`, { kind: 'time', value: benchmark.median });
        if (typeof benchmark.hz === 'number') out.set(`${key} › hz`, { kind: 'rate', value: benchmark.hz });
      }
    }
  }
  const walk = (value, path, key) => {
    if (typeof value === 'number' && Number.isFinite(value)) {
      const kind = metricKind(key);
      if (kind !== undefined) out.set(path, { kind, value });
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        const label =
          item?.name ??
          item?.link ??
          item?.profile ??
          ([item?.input, item?.library, item?.entries].filter((part) => part !== undefined).join(' ') ||
            String(index));
        walk(item, `${path} › ${label}`, key);
      });
      return;
    }
    if (value !== null && typeof value === 'object') {
      for (const [child, item] of Object.entries(value)) walk(item, `${path} › ${child}`, child);
    }
  };
  for (const [name, script] of Object.entries(results?.scripts ?? {})) walk(script, `script ${name}`, name);
  return out;
}

/**
 * Compares two flattened result sets.
 *
 * @param {Map<string, { kind: string, value: number }>} baseline
 * @param {Map<string, { kind: string, value: number }>} latest
 * @param {number} threshold
 */
export function compareResults(baseline, latest, threshold = DEFAULT_THRESHOLD) {
  const rows = [];
  for (const [path, base] of baseline) {
    const now = latest.get(path);
    if (now === undefined) {
      rows.push({
        path,
        kind: base.kind,
        baseline: base.value,
        latest: undefined,
        ratio: undefined,
        verdict: 'missing',
      });
      continue;
    }
    // ratio > 1 always means "worse than the baseline".
    const ratio =
      base.kind === 'rate'
        ? now.value === 0
          ? Number.POSITIVE_INFINITY
          : base.value / now.value
        : base.value === 0
          ? now.value === 0
            ? 1
            : Number.POSITIVE_INFINITY
          : now.value / base.value;
    let verdict = 'ok';
    if (base.kind === 'count' && now.value > base.value) verdict = 'regression';
    else if (base.kind === 'bytes' && ratio > BYTES_TOLERANCE) verdict = 'regression';
    else if ((base.kind === 'time' || base.kind === 'rate') && ratio > threshold) verdict = 'regression';
    else if (ratio < 1 / threshold || (base.kind === 'count' && now.value < base.value)) verdict = 'improved';
    rows.push({ path, kind: base.kind, baseline: base.value, latest: now.value, ratio, verdict });
  }
  const added = [...latest.keys()].filter((path) => !baseline.has(path));
  return { rows, added, regressions: rows.filter((row) => row.verdict === 'regression') };
}

/**
 * The baseline file's content: latest.json reduced to what is compared.
 *
 * @param {any} results
 */
export function reduceToBaseline(results) {
  return {
    date: results.date,
    node: results.node,
    figures: Object.fromEntries(flattenResults(results)),
  };
}

/** Reads either a full results file or a reduced baseline into a flattened map. */
function load(file) {
  const parsed = JSON.parse(readFileSync(file, 'utf8'));
  if (parsed.figures !== undefined) return { meta: parsed, flat: new Map(Object.entries(parsed.figures)) };
  return { meta: parsed, flat: flattenResults(parsed) };
}

function format(value) {
  if (value === undefined) return '—';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(4)).toString();
}

function main(argv) {
  const option = (name) => {
    const index = argv.indexOf(name);
    return index < 0 ? undefined : argv[index + 1];
  };
  const latestPath = resolve(option('--latest') ?? join(root, 'bench-results/latest.json'));
  const baselinePath = resolve(option('--baseline') ?? join(root, 'tools/perf/baseline.json'));
  const threshold = Number(option('--threshold') ?? DEFAULT_THRESHOLD);
  if (!(threshold > 1)) throw new RangeError('--threshold must be > 1');
  if (!existsSync(latestPath)) {
    process.stderr.write(`${relative(root, latestPath)} is missing: run \`pnpm bench\` first\n`);
    return 2;
  }
  if (argv.includes('--update')) {
    const reduced = reduceToBaseline(JSON.parse(readFileSync(latestPath, 'utf8')));
    writeFileSync(baselinePath, `${JSON.stringify(reduced, null, 2)}\n`);
    process.stdout.write(
      `baseline written: ${relative(root, baselinePath)} (${Object.keys(reduced.figures).length} figures)\n`,
    );
    return 0;
  }
  if (!existsSync(baselinePath)) {
    process.stderr.write(`${relative(root, baselinePath)} is missing: create it with --update\n`);
    return 2;
  }
  const baseline = load(baselinePath);
  const latest = load(latestPath);
  const { rows, added, regressions } = compareResults(baseline.flat, latest.flat, threshold);
  process.stdout.write(
    `bench:compare — baseline ${baseline.meta.date ?? '?'} (${baseline.meta.node ?? '?'}) vs latest ${latest.meta.date ?? '?'} (${latest.meta.node ?? '?'})\n` +
      `rules: APDU counts must not grow; bytes ≤ ×${BYTES_TOLERANCE}; times and rates within ×${threshold}. ratio > 1 = worse.\n\n`,
  );
  for (const row of rows) {
    const mark =
      row.verdict === 'regression'
        ? '✗'
        : row.verdict === 'improved'
          ? '↑'
          : row.verdict === 'missing'
            ? '?'
            : ' ';
    process.stdout.write(
      `${mark} ${row.ratio === undefined ? '   —  ' : `×${row.ratio.toFixed(2).padStart(5)}`}  ${format(row.baseline).padStart(10)} → ${format(row.latest).padEnd(10)} ${row.kind.padEnd(5)} ${row.path}\n`,
    );
  }
  if (added.length > 0)
    process.stdout.write(
      `\n${added.length} figures not in the baseline (new benchmarks): refresh it with --update\n`,
    );
  const missing = rows.filter((row) => row.verdict === 'missing').length;
  if (missing > 0)
    process.stdout.write(`${missing} baseline figures absent from latest.json (filtered run?)\n`);
  process.stdout.write(
    `\n${rows.length - missing} compared, ${rows.filter((row) => row.verdict === 'improved').length} improved, ${regressions.length} regressions\n`,
  );
  return regressions.length > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
