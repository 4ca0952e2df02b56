/**
 * What every CLI command receives: parsed options, I/O streams, and helpers to open providers
 * and read a PIN without it ever touching argv, logs or traces.
 */
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export type OptionValue = string | boolean | (string | boolean)[] | undefined;

export interface CommandContext {
  readonly io: CliIo;
  readonly values: Readonly<Record<string, OptionValue>>;
  readonly positionals: readonly string[];
  /** Abort on SIGINT. */
  readonly signal: AbortSignal;
}

export interface CommandModule {
  readonly summary: string;
  readonly usage: string;
  /** node:util parseArgs options specific to this command (common ones are added by main). */
  readonly options: Readonly<
    Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>
  >;
  run(context: CommandContext): Promise<number>;
}

/** Exit codes of the CLI contract (issue 5). */
export const EXIT = {
  OK: 0,
  USAGE: 2,
  CARD: 3,
  WRONG_PIN: 4,
  PIN_BLOCKED: 5,
  VALIDATION_FAILED: 6,
} as const;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function writeLine(stream: Writable, line = ''): void {
  stream.write(`${line}\n`);
}
