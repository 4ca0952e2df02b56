/**
 * The mutation fuzzer. It starts from a target's seeds (recorded card responses, real and
 * generated certificates, CRLs, frames), mutates corpus entries with {@link Mutator}, and keeps a
 * mutant when it makes the parser do something it has not seen before — a new *behaviour
 * signature* (the error code and reason, the offset bucket, or the target's own summary of a
 * successful parse). This is feedback-guided like a coverage-guided fuzzer, with behaviour
 * signatures in place of branch counters (V8 gives no cheap per-input edge coverage).
 *
 * Every input is checked for the rules of the brief:
 * - only a typed `CardError` may come out (anything else: `untyped-error`);
 * - no silent wrong answer (the target's oracles: `oracle`);
 * - no hang: each input runs within a time budget (`slow`; `hang` for async targets that never
 *   settle — synchronous infinite loops are caught by the nightly runner's watchdog thread);
 * - no unbounded allocation: V8's external memory (ArrayBuffers) and used heap are sampled before
 *   and after every input (`allocation` when one small input makes the process allocate more than
 *   the limit — a length believed before it was checked).
 *
 * @example
 * ```ts
 * const stats = await runFuzz(apduCommandTarget, { iterations: 5000, seed: 'ci' });
 * expect(stats.findings).toEqual([]);
 * ```
 */
import { getHeapStatistics } from 'node:v8';
import { CardError } from '@kakunin/core/transport';
import { settleWithin } from '../support/settle-within.js';
import { type FuzzTarget, OracleViolation, type SeedContext } from './fuzz-target.js';
import { Mutator } from './mutator.js';
import { FuzzRandom } from './random.js';

export type FindingKind = 'untyped-error' | 'oracle' | 'hang' | 'slow' | 'allocation';

/** Something that broke a rule. Saved to the crash corpus and replayed as a test. */
export interface Finding {
  readonly target: string;
  readonly kind: FindingKind;
  /** Error name and message, or what was measured. */
  readonly message: string;
  /** Top stack frames, when there was an error. */
  readonly stack?: string;
  readonly input: Uint8Array;
}

export interface ExecuteLimits {
  /** Time budget of one input, ms (default 500: generous for GC pauses and a loaded CI machine, far below a hang). */
  readonly timeBudgetMs?: number;
  /** Async targets: give up waiting after this many ms and report a hang (default 2000). */
  readonly hangTimeoutMs?: number;
  /** Largest allocation one input may cause, bytes (default 1 MiB + 16 × input length). */
  readonly allocationLimit?: (inputLength: number) => number;
}

/** The result of one input. */
export interface Execution {
  readonly outcome: 'returned' | 'rejected' | 'finding';
  /** Behaviour signature (feedback). */
  readonly signature: string;
  readonly durationMs: number;
  /** External + heap growth across the call, bytes. */
  readonly allocated: number;
  readonly finding?: Omit<Finding, 'target' | 'input'>;
}

const DEFAULT_TIME_BUDGET_MS = 500;
const DEFAULT_HANG_TIMEOUT_MS = 2000;
/** Used-heap growth tolerated from garbage of one parse before it counts (young generation size). */
const HEAP_SLACK = 16 * 1024 * 1024;

function defaultAllocationLimit(inputLength: number): number {
  return 1024 * 1024 + 16 * inputLength;
}

function stackTop(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.stack === undefined) return undefined;
  return error.stack
    .split('\n')
    .slice(1, 6)
    .map((line) => line.trim())
    .join('\n');
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `non-Error thrown: ${String(error)}`;
}

/** Signature of a typed rejection: code, reason and a bucket of the offset. */
function rejectionSignature(error: CardError): string {
  const reason = error.details.reason;
  const offset = error.details.offset;
  const offsetBucket = typeof offset === 'number' ? (offset <= 0 ? 0 : 32 - Math.clz32(offset)) : -1;
  return `E:${error.code}:${typeof reason === 'string' ? reason : ''}:${offsetBucket}`;
}

function classify(error: unknown): Execution['finding'] | undefined {
  if (CardError.isInstance(error)) return undefined;
  const stack = stackTop(error);
  return {
    kind: error instanceof OracleViolation ? 'oracle' : 'untyped-error',
    message: describe(error),
    ...(stack === undefined ? {} : { stack }),
  };
}

function finish(
  started: number,
  before: { external: number; heap: number },
  signatureOrError: { signature: string } | { error: unknown },
  limits: ExecuteLimits,
  inputLength: number,
): Execution {
  const durationMs = performance.now() - started;
  const after = getHeapStatistics();
  const external = after.external_memory - before.external;
  const heap = after.used_heap_size - before.heap;
  const allocated = Math.max(0, external) + Math.max(0, heap - HEAP_SLACK);
  const limit = (limits.allocationLimit ?? defaultAllocationLimit)(inputLength);
  let execution: Execution;
  if ('signature' in signatureOrError) {
    execution = { outcome: 'returned', signature: `R:${signatureOrError.signature}`, durationMs, allocated };
  } else {
    const finding = classify(signatureOrError.error);
    execution =
      finding === undefined
        ? {
            outcome: 'rejected',
            signature: rejectionSignature(signatureOrError.error as CardError),
            durationMs,
            allocated,
          }
        : { outcome: 'finding', signature: `F:${finding.message}`, durationMs, allocated, finding };
  }
  if (execution.outcome !== 'finding') {
    if (allocated > limit) {
      return {
        ...execution,
        outcome: 'finding',
        finding: {
          kind: 'allocation',
          message: `one ${inputLength}-byte input allocated ${allocated} bytes (limit ${limit}; external ${external}, heap ${heap})`,
        },
      };
    }
    const budget = limits.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
    if (durationMs > budget) {
      return {
        ...execution,
        outcome: 'finding',
        finding: {
          kind: 'slow',
          message: `one ${inputLength}-byte input took ${durationMs.toFixed(1)} ms (budget ${budget} ms)`,
        },
      };
    }
  }
  return execution;
}

/**
 * Runs one input through a target and classifies what happened.
 *
 * @example
 * ```ts
 * const execution = await executeOnce(target, input);
 * if (execution.finding) console.log(execution.finding.kind);
 * ```
 */
export function executeOnce(
  target: FuzzTarget,
  input: Uint8Array,
  limits: ExecuteLimits = {},
): Execution | Promise<Execution> {
  const statistics = getHeapStatistics();
  const before = { external: statistics.external_memory, heap: statistics.used_heap_size };
  const started = performance.now();
  let result: string | Promise<string>;
  try {
    result = target.execute(input);
  } catch (error) {
    return finish(started, before, { error }, limits, input.length);
  }
  if (typeof result === 'string') return finish(started, before, { signature: result }, limits, input.length);
  const hangTimeoutMs = limits.hangTimeoutMs ?? DEFAULT_HANG_TIMEOUT_MS;
  return settleWithin(result, hangTimeoutMs).then((settled) => {
    if (settled.hung) {
      return {
        outcome: 'finding',
        signature: 'F:hang',
        durationMs: performance.now() - started,
        allocated: 0,
        finding: { kind: 'hang', message: `did not settle within ${hangTimeoutMs} ms` },
      } satisfies Execution;
    }
    return 'error' in settled
      ? finish(started, before, { error: settled.error }, limits, input.length)
      : finish(started, before, { signature: settled.value ?? '' }, limits, input.length);
  });
}

/** Runs one input and, for the noisy kinds (slow, allocation), confirms by running it again. */
export async function executeConfirmed(
  target: FuzzTarget,
  input: Uint8Array,
  limits: ExecuteLimits = {},
): Promise<Execution> {
  const first = await executeOnce(target, input, limits);
  if (first.finding?.kind !== 'slow' && first.finding?.kind !== 'allocation') return first;
  const second = await executeOnce(target, input, limits);
  return second.finding?.kind === first.finding.kind ? second : second.finding === undefined ? second : first;
}

export interface FuzzOptions extends ExecuteLimits {
  /** Number of mutated inputs to run (seeds are run in addition). */
  readonly iterations: number;
  /** Seed of the run (default: the target name). */
  readonly seed?: string;
  /** Seed inputs (default: the target's own). */
  readonly seeds?: readonly Uint8Array[];
  readonly seedContext?: SeedContext;
  /** Corpus cap (default 4096). */
  readonly maxCorpus?: number;
  /** Called for every new (deduplicated) finding. */
  readonly onFinding?: (finding: Finding) => void;
  /** Called every `progressEvery` inputs. */
  readonly onProgress?: (done: number) => void;
  readonly progressEvery?: number;
  /** Stop early when this many distinct findings were collected (default 50). */
  readonly maxFindings?: number;
  /** Called with every input just before it runs (the nightly watchdog records it for hangs). */
  readonly beforeExecute?: (input: Uint8Array) => void;
}

export interface FuzzStats {
  readonly target: string;
  /** Inputs executed (seeds + mutants). */
  readonly executions: number;
  readonly durationMs: number;
  /** Inputs per second. */
  readonly rate: number;
  readonly returned: number;
  readonly rejected: number;
  readonly corpusSize: number;
  /** Distinct behaviour signatures seen. */
  readonly signatures: number;
  /** Count per rejection code. */
  readonly errorCodes: Readonly<Record<string, number>>;
  /** Slowest single input, ms. */
  readonly slowestMs: number;
  /** Largest allocation by one input, bytes. */
  readonly largestAllocation: number;
  readonly findings: readonly Finding[];
}

function findingKey(finding: Omit<Finding, 'input' | 'target'>): string {
  const firstFrame = finding.stack?.split('\n')[0] ?? '';
  return `${finding.kind}|${finding.message.replace(/\d+/g, '#')}|${firstFrame.replace(/:\d+:\d+\)?$/, '')}`;
}

/**
 * Fuzzes one target.
 *
 * @example
 * ```ts
 * const stats = await runFuzz(derTarget, { iterations: 1_000_000, seed: 'nightly-1' });
 * ```
 */
export async function runFuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzStats> {
  if (!Number.isInteger(options.iterations) || options.iterations < 0)
    throw new RangeError('options.iterations must be an integer ≥ 0');
  const random = new FuzzRandom(options.seed ?? target.name);
  const mutator = new Mutator(random, target.maxInputLength);
  const seeds =
    options.seeds ?? (await target.seeds(options.seedContext ?? { repositoryRoot: process.cwd() }));
  const maxCorpus = options.maxCorpus ?? 4096;
  const maxFindings = options.maxFindings ?? 50;
  const progressEvery = options.progressEvery ?? 10_000;
  const corpus: Uint8Array[] = [];
  const seen = new Set<string>();
  const findings = new Map<string, Finding>();
  const errorCodes: Record<string, number> = {};
  let returned = 0;
  let rejected = 0;
  let executions = 0;
  let slowestMs = 0;
  let largestAllocation = 0;
  const started = performance.now();

  const consider = async (input: Uint8Array, isSeed: boolean): Promise<void> => {
    options.beforeExecute?.(input);
    let execution = await executeOnce(target, input, options);
    if (execution.finding?.kind === 'slow' || execution.finding?.kind === 'allocation')
      execution = await executeConfirmed(target, input, options);
    executions++;
    if (execution.durationMs > slowestMs) slowestMs = execution.durationMs;
    if (execution.allocated > largestAllocation) largestAllocation = execution.allocated;
    if (execution.outcome === 'returned') returned++;
    else if (execution.outcome === 'rejected') {
      rejected++;
      const code = execution.signature.split(':')[1] ?? '?';
      errorCodes[code] = (errorCodes[code] ?? 0) + 1;
    }
    if (execution.finding !== undefined) {
      const key = findingKey(execution.finding);
      if (!findings.has(key)) {
        const finding: Finding = { target: target.name, input: input.slice(), ...execution.finding };
        findings.set(key, finding);
        options.onFinding?.(finding);
      }
    }
    if (!seen.has(execution.signature) || isSeed) {
      seen.add(execution.signature);
      if (corpus.length < maxCorpus) corpus.push(input);
      else corpus[seeds.length + random.below(maxCorpus - seeds.length)] = input;
    }
    if (executions % progressEvery === 0) options.onProgress?.(executions);
  };

  for (const seed of seeds) await consider(seed, true);
  if (corpus.length === 0) corpus.push(new Uint8Array(0));
  for (let index = 0; index < options.iterations && findings.size < maxFindings; index++) {
    const parent = random.chance(0.1) ? random.pick(seeds.length > 0 ? seeds : corpus) : random.pick(corpus);
    const prefix = target.prefixLength ?? 0;
    const generic = (bytes: Uint8Array): Uint8Array => {
      if (prefix === 0 || bytes.length <= prefix || random.chance(0.1)) return mutator.mutate(bytes, corpus);
      const body = mutator.mutate(bytes.subarray(prefix), corpus);
      const out = new Uint8Array(prefix + body.length);
      out.set(bytes.subarray(0, prefix));
      out.set(body, prefix);
      return out;
    };
    const child =
      target.mutate !== undefined && random.chance(0.5)
        ? target.mutate(parent, (bytes) => mutator.mutate(bytes, corpus), random)
        : generic(parent);
    await consider(
      child.length > target.maxInputLength ? child.subarray(0, target.maxInputLength) : child,
      false,
    );
  }
  const durationMs = performance.now() - started;
  return {
    target: target.name,
    executions,
    durationMs,
    rate: executions / (durationMs / 1000),
    returned,
    rejected,
    corpusSize: corpus.length,
    signatures: seen.size,
    errorCodes,
    slowestMs,
    largestAllocation,
    findings: [...findings.values()],
  };
}
