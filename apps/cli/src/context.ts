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
  /** The stderr progress line (TTY only, after a second); PIN prompts stop it first. */
  readonly progress?: Progress;
}

export interface Progress {
  /** Stops (and erases) the progress line; it does not come back. */
  stop(): void;
}

export interface CommandModule {
  readonly summary: string;
  readonly usage: string;
  /** node:util parseArgs options specific to this command (common ones are added by main). */
  readonly options: Readonly<
    Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>
  >;
  /** One line per command-specific option for `--help` (name → description). */
  readonly optionHelp?: Readonly<Record<string, string>>;
  /** Example invocations for `--help`. */
  readonly examples?: readonly string[];
  /** False when the command has no JSON output: `--json` is refused instead of ignored. */
  readonly json?: boolean;
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
  /** A file could not be read or written (missing, unreadable, a directory…). */
  FILE: 7,
  /** An optional kakunin package the command needs is not installed. */
  NOT_INSTALLED: 8,
  /** Interrupted (Ctrl-C) — the shell convention 128 + SIGINT. */
  INTERRUPTED: 130,
} as const;

export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'USAGE';
}

/** A file named on the command line could not be read or written. */
export class FileError extends Error {
  override readonly name = 'FileError';
  readonly code = 'FILE';
  constructor(
    readonly path: string,
    cause: NodeJS.ErrnoException,
  ) {
    super(`${path}: ${cause.code === 'ENOENT' ? 'no such file' : (cause.code ?? cause.message)}`, { cause });
  }
}

/** Wraps node:fs errors (ENOENT, EACCES, EISDIR…) for `path` as FileError. */
export async function fileOperation<T>(path: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    // node:fs errors carry the failed system call; card errors and aborts pass through.
    if (typeof (error as NodeJS.ErrnoException).syscall === 'string')
      throw new FileError(path, error as NodeJS.ErrnoException);
    throw error;
  }
}

/** An optional package (a transport) is not installed. */
export class NotInstalledError extends Error {
  override readonly name = 'NotInstalledError';
  readonly code = 'NOT_INSTALLED';
  constructor(
    readonly packageName: string,
    purpose: string,
  ) {
    super(
      `${purpose} needs ${packageName}, which is not installed. Install it next to the CLI: npm install -g ${packageName} (or npm install ${packageName} in your project)`,
    );
  }
}

/** `import(name)` of an optional package with a clear NotInstalledError when it is missing. */
export async function importOptional<T>(name: string, purpose: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissingPackage(error, name)) throw new NotInstalledError(name, purpose);
    throw error;
  }
}

export function isMissingPackage(error: unknown, name: string): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    String((error as Error).message).includes(`'${name}`)
  );
}

export function writeLine(stream: Writable, line = ''): void {
  stream.write(`${line}\n`);
}
