/**
 * One nightly fuzz job in a worker thread: runs {@link runFuzz} for one target and reports to the
 * main thread. Before every input it copies the input into shared memory and bumps a counter, so
 * the main thread's watchdog can tell a synchronous hang (the counter stops) and knows the input
 * that caused it.
 *
 * @example
 * ```ts
 * new Worker(new URL('./fuzz-worker.js', import.meta.url), { workerData: { target: 'der', iterations: 1e6, seed: 'n', heartbeat } });
 * ```
 */
import { parentPort, workerData } from 'node:worker_threads';
import { repositoryRoot } from '../support/repository.js';
import { runFuzz } from './fuzz-engine.js';
import { fuzzTarget } from './targets/index.js';

export interface FuzzWorkerData {
  readonly target: string;
  readonly iterations: number;
  readonly seed: string;
  /** Int32 [0] = inputs started, [1] = length of the current input; then the input bytes. */
  readonly heartbeat: SharedArrayBuffer;
}

/** Bytes of the heartbeat buffer before the input copy. */
export const HEARTBEAT_HEADER = 8;

export type FuzzWorkerMessage =
  | {
      readonly type: 'finding';
      readonly kind: string;
      readonly message: string;
      readonly stack?: string;
      readonly input: Uint8Array;
    }
  | { readonly type: 'progress'; readonly executions: number; readonly heapUsed: number }
  | { readonly type: 'done'; readonly stats: Record<string, unknown> };

async function main(): Promise<void> {
  const data = workerData as FuzzWorkerData;
  const counters = new Int32Array(data.heartbeat, 0, 2);
  const current = new Uint8Array(data.heartbeat, HEARTBEAT_HEADER);
  const post = (message: FuzzWorkerMessage): void => parentPort?.postMessage(message);
  const stats = await runFuzz(fuzzTarget(data.target), {
    iterations: data.iterations,
    seed: data.seed,
    seedContext: { repositoryRoot: repositoryRoot() },
    progressEvery: 50_000,
    maxFindings: 100,
    beforeExecute(input) {
      const length = Math.min(input.length, current.length);
      current.set(input.subarray(0, length));
      Atomics.store(counters, 1, length);
      Atomics.add(counters, 0, 1);
    },
    onFinding(finding) {
      post({
        type: 'finding',
        kind: finding.kind,
        message: finding.message,
        ...(finding.stack === undefined ? {} : { stack: finding.stack }),
        input: finding.input,
      });
    },
    onProgress(executions) {
      post({ type: 'progress', executions, heapUsed: process.memoryUsage().heapUsed });
    },
  });
  const { findings, ...rest } = stats;
  post({
    type: 'done',
    stats: { ...rest, findings: findings.length, heapUsed: process.memoryUsage().heapUsed },
  });
}

if (parentPort !== null) await main();
