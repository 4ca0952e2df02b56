/**
 * What a fuzz target is: one parser (or a small pipeline of them) driven by untrusted bytes, its
 * seed inputs, and the rule for what may come out. Every target may only end in a return (whose
 * short `signature` string feeds the mutation fuzzer's corpus) or a typed `CardError`. A target
 * detects silent wrong answers itself (re-encoding, index consistency) and reports them with
 * {@link OracleViolation}.
 *
 * @example
 * ```ts
 * const target: FuzzTarget = {
 *   name: 'apdu-response',
 *   description: 'parseResponse',
 *   maxInputLength: 70_000,
 *   seeds: async () => [Uint8Array.of(0x90, 0x00)],
 *   execute: (input) => `sw:${parseResponse(input).sw1}`,
 * };
 * ```
 */
import { CardError } from '@kakunin/core/transport';
import type { FuzzRandom } from './random.js';

function isCardError(error: unknown): error is CardError {
  return CardError.isInstance(error);
}

/** Where seed inputs come from (recorded card responses, generated PKI objects, shared data). */
export interface SeedContext {
  /** The repository root (for ../shared reference data). */
  readonly repositoryRoot: string;
}

export interface FuzzTarget {
  /** Stable kebab-case name (corpus directory name). */
  readonly name: string;
  /** Which exported functions it drives. */
  readonly description: string;
  /** Mutations never grow an input beyond this. */
  readonly maxInputLength: number;
  /** Valid inputs to start from (recorded responses, real certificates, …). */
  seeds(context: SeedContext): Promise<readonly Uint8Array[]>;
  /**
   * Runs the parser on `input`. Returns a short signature of what it saw (feedback for the
   * fuzzer) or throws: a `CardError` is a correct rejection; anything else is a finding.
   */
  execute(input: Uint8Array): string | Promise<string>;
  /** Leading bytes that select a mode rather than carry data (kept out of structure mutations). */
  readonly prefixLength?: number;
  /**
   * Target-specific mutation (e.g. mutate one recorded response inside a flow). When present,
   * the fuzzer uses it for half of the mutants; `mutate` applies the generic mutations.
   */
  mutate?(input: Uint8Array, generic: (bytes: Uint8Array) => Uint8Array, random: FuzzRandom): Uint8Array;
}

/**
 * Thrown by a target when the parser returned an answer that contradicts the input (a silent
 * wrong answer): always a finding.
 *
 * @example
 * ```ts
 * if (!equal(encodeCommand(decoded), input)) throw new OracleViolation('re-encoding differs');
 * ```
 */
export class OracleViolation extends Error {
  override readonly name = 'OracleViolation';
}

/**
 * Throws an {@link OracleViolation} unless `condition` holds.
 *
 * @example
 * ```ts
 * oracle(response.data.length === input.length - 2, 'data length');
 * ```
 */
export function oracle(condition: boolean, message: string): asserts condition {
  if (!condition) throw new OracleViolation(message);
}

/**
 * Byte equality of two views.
 *
 * @example
 * ```ts
 * sameBytes(Uint8Array.of(1), Uint8Array.of(1)); // true
 * ```
 */
export function sameBytes(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}

/** log2 bucket of a size or offset, for signatures (keeps the corpus from exploding). */
export function bucket(value: number): number {
  return value <= 0 ? 0 : 32 - Math.clz32(value);
}

/**
 * Runs one step of a target and summarises it: its own summary on success, `!CODE:reason` on a
 * typed rejection. Anything that is not a `CardError` propagates (a finding).
 *
 * @example
 * ```ts
 * const a = guard(() => walk(input, false)); // "12" or "!TLV_TRUNCATED:value-exceeds-data"
 * ```
 */
export function guard(step: () => string | number): string {
  try {
    return String(step());
  } catch (error) {
    if (!isCardError(error)) throw error;
    const reason = error.details.reason;
    return `!${error.code}:${typeof reason === 'string' ? reason : ''}`;
  }
}
