/**
 * `pnpm fuzz:nightly`: ≥ 1,000,000 mutated inputs per parser, one worker thread per target (as
 * many in parallel as there are cores), a watchdog per worker that catches synchronous hangs
 * (no new input started for `--watchdog-ms`: the input in flight is saved and the worker
 * restarted), every finding saved to tools/reliability/corpus/crashes/ (replayed by the test
 * suite), and a JSON report with counts and rates in tools/reliability/results/.
 *
 * Options: `--iterations N` (default 1000000) `--targets a,b` `--seed S` (default: today's date)
 * `--workers N` `--watchdog-ms N` (default 30000) `--no-save`.
 *
 * @example
 * ```sh
 * pnpm fuzz:nightly -- --iterations 200000 --targets der,certificate
 * ```
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { repositoryRoot } from '../support/repository.js';
import { saveCrash } from './crash-corpus.js';
import type { FindingKind } from './fuzz-engine.js';
import { type FuzzWorkerMessage, HEARTBEAT_HEADER } from './fuzz-worker.js';
import { FUZZ_TARGETS, selfTestHangTarget } from './targets/index.js';

interface TargetReport {
  target: string;
  executions: number;
  durationMs: number;
  rate: number;
  restarts: number;
  findings: Array<{ kind: string; message: string; file: string }>;
  stats: Array<Record<string, unknown>>;
}

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '1000000' },
    targets: { type: 'string' },
    seed: { type: 'string', default: new Date().toISOString().slice(0, 10) },
    workers: { type: 'string', default: String(Math.max(1, availableParallelism())) },
    'watchdog-ms': { type: 'string', default: '30000' },
    'no-save': { type: 'boolean', default: false },
  },
});
const iterations = Number(values.iterations);
const workers = Number(values.workers);
const watchdogMs = Number(values['watchdog-ms']);
if (!Number.isInteger(iterations) || iterations < 1)
  throw new RangeError('--iterations must be a positive integer');
const wanted = values.targets?.split(',') ?? FUZZ_TARGETS.map((target) => target.name);
const known = [...FUZZ_TARGETS, selfTestHangTarget];
const unknown = wanted.filter((name) => !known.some((target) => target.name === name));
if (unknown.length > 0) throw new RangeError(`unknown targets: ${unknown.join(', ')}`);
const workerUrl = new URL('./fuzz-worker.js', import.meta.url);
const save = values['no-save'] !== true;

function log(line: string): void {
  process.stderr.write(`[fuzz] ${line}\n`);
}

/** Runs `count` inputs of one target in a worker; resolves with what it did. */
function runWorker(
  target: string,
  count: number,
  seed: string,
  report: TargetReport,
): Promise<{ executed: number; hung: boolean }> {
  const maxInput = known.find((each) => each.name === target)!.maxInputLength;
  const heartbeat = new SharedArrayBuffer(HEARTBEAT_HEADER + maxInput);
  const counters = new Int32Array(heartbeat, 0, 2);
  const current = new Uint8Array(heartbeat, HEARTBEAT_HEADER);
  const worker = new Worker(workerUrl, { workerData: { target, iterations: count, seed, heartbeat } });
  return new Promise((resolve, reject) => {
    let last = -1;
    let lastChange = Date.now();
    let settled = false;
    const pending: Promise<unknown>[] = [];
    const finish = (result: { executed: number; hung: boolean }): void => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      void Promise.all(pending).then(() => resolve(result), reject);
    };
    const record = (kind: FindingKind | string, message: string, input: Uint8Array, stack?: string): void => {
      log(`${target}: FINDING ${kind}: ${message}`);
      const finding = {
        target,
        kind: kind as FindingKind,
        message,
        input,
        ...(stack === undefined ? {} : { stack }),
      };
      pending.push(
        (save ? saveCrash(finding) : Promise.resolve('(not saved)')).then((file) => {
          report.findings.push({ kind, message, file });
        }),
      );
    };
    const watchdog = setInterval(() => {
      const started = Atomics.load(counters, 0);
      if (started !== last) {
        last = started;
        lastChange = Date.now();
        return;
      }
      if (Date.now() - lastChange < watchdogMs) return;
      const length = Atomics.load(counters, 1);
      record(
        'hang',
        `no progress for ${watchdogMs} ms on one input (synchronous loop)`,
        current.slice(0, length),
      );
      void worker.terminate();
      finish({ executed: started, hung: true });
    }, 1000);
    worker.on('message', (message: FuzzWorkerMessage) => {
      if (message.type === 'finding') record(message.kind, message.message, message.input, message.stack);
      else if (message.type === 'progress')
        log(
          `${target}: ${message.executions.toLocaleString('en')} inputs, worker heap ${(message.heapUsed / 1048576).toFixed(1)} MiB`,
        );
      else {
        report.stats.push(message.stats);
        finish({ executed: Number(message.stats.executions), hung: false });
      }
    });
    worker.on('error', (error) => {
      record(
        'untyped-error',
        `worker died: ${error.message}`,
        current.slice(0, Atomics.load(counters, 1)),
        error.stack,
      );
      finish({ executed: Atomics.load(counters, 0), hung: true });
    });
    worker.on('exit', () => finish({ executed: Atomics.load(counters, 0), hung: true }));
  });
}

async function fuzzOne(target: string): Promise<TargetReport> {
  const report: TargetReport = {
    target,
    executions: 0,
    durationMs: 0,
    rate: 0,
    restarts: 0,
    findings: [],
    stats: [],
  };
  const started = performance.now();
  let remaining = iterations;
  while (remaining > 0) {
    const { executed, hung } = await runWorker(
      target,
      remaining,
      `${values.seed}:${target}:${report.restarts}`,
      report,
    );
    report.executions += executed;
    remaining -= Math.max(1, executed);
    if (!hung) break;
    report.restarts++;
    if (report.restarts > 10) {
      log(`${target}: giving up after 10 restarts`);
      break;
    }
  }
  report.durationMs = performance.now() - started;
  report.rate = report.executions / (report.durationMs / 1000);
  log(
    `${target}: ${report.executions.toLocaleString('en')} inputs in ${(report.durationMs / 1000).toFixed(1)} s ` +
      `(${Math.round(report.rate).toLocaleString('en')}/s), ${report.findings.length} findings`,
  );
  return report;
}

const queue = [...wanted];
const reports: TargetReport[] = [];
const started = new Date();
log(
  `${wanted.length} targets × ${iterations.toLocaleString('en')} inputs, ${workers} workers, seed ${values.seed}`,
);
await Promise.all(
  Array.from({ length: Math.min(workers, queue.length) }, async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift())
      reports.push(await fuzzOne(next));
  }),
);
reports.sort((a, b) => wanted.indexOf(a.target) - wanted.indexOf(b.target));
const summary = {
  started: started.toISOString(),
  finished: new Date().toISOString(),
  node: process.version,
  seed: values.seed,
  iterationsPerTarget: iterations,
  targets: reports,
  totalFindings: reports.reduce((sum, report) => sum + report.findings.length, 0),
};
const directory = join(repositoryRoot(), 'tools', 'reliability', 'results');
await mkdir(directory, { recursive: true });
const file = join(directory, `fuzz-nightly-${started.toISOString().replace(/[:.]/g, '-')}.json`);
await writeFile(file, `${JSON.stringify(summary, null, 2)}\n`);
process.stdout.write(
  `${['target                executions      rate/s  findings', ...reports.map((report) => `${report.target.padEnd(20)} ${report.executions.toLocaleString('en').padStart(12)} ${Math.round(report.rate).toLocaleString('en').padStart(10)} ${String(report.findings.length).padStart(9)}`)].join('\n')}\n`,
);
log(`report: ${file}`);
process.exitCode = summary.totalFindings === 0 ? 0 : 1;
