/**
 * `kakunin` entry point: dispatches to a command, maps errors to the exit codes of the CLI
 * contract and prints every CardError with its code and remedy (Japanese first, English too).
 */
import { parseArgs } from 'node:util';
import { remedyCatalog } from '@kakunin/core/remedies';
import { CardError } from '@kakunin/core/transport';
import { COMMANDS } from './commands/index.js';
import { type CliIo, type CommandModule, EXIT, UsageError, writeLine } from './context.js';

const COMMON_OPTIONS = {
  reader: { type: 'string' },
  transport: { type: 'string' },
  /** Simulator card profile for `--transport sim` (plastic|android|child|expired|blocked|damaged). */
  profile: { type: 'string' },
  trace: { type: 'boolean' },
  'pin-stdin': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function usage(io: CliIo): void {
  writeLine(io.stderr, 'usage: kakunin <command> [options]');
  writeLine(
    io.stderr,
    'common: --reader NAME  --transport pcsc|sim|ble|bridge  --trace  --pin-stdin  --json',
  );
}

/** Maps an error to the CLI's exit codes. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.USAGE;
  if (CardError.isInstance(error)) {
    if (error.code === 'PIN_INCORRECT') return EXIT.WRONG_PIN;
    if (error.code === 'PIN_BLOCKED' || error.code === 'LAST_TRY_REFUSED') return EXIT.PIN_BLOCKED;
    if (error.code === 'VALIDATION_FAILED') return EXIT.VALIDATION_FAILED;
    if (error.code === 'INPUT_REJECTED') return EXIT.USAGE;
    return EXIT.CARD;
  }
  return EXIT.CARD;
}

/** Prints an error as code + message + remedy. */
export function reportError(io: CliIo, error: unknown): void {
  if (CardError.isInstance(error)) {
    writeLine(io.stderr, `エラー / error ${error.code}: ${error.message}`);
    if (typeof error.details.triesLeft === 'number')
      writeLine(io.stderr, `残り回数 / tries left: ${error.details.triesLeft}`);
    if (error.remedy !== undefined) {
      const remedy = remedyCatalog[error.remedy];
      writeLine(io.stderr, `対処 / remedy [${error.remedy}]: ${remedy.title.ja} / ${remedy.title.en}`);
      writeLine(io.stderr, `  ${remedy.action.ja}`);
      writeLine(io.stderr, `  ${remedy.action.en}`);
    }
    return;
  }
  if (error instanceof UsageError) {
    writeLine(io.stderr, `使い方 / usage: ${error.message}`);
    return;
  }
  writeLine(io.stderr, `エラー / error: ${error instanceof Error ? error.message : String(error)}`);
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    usage(io);
    for (const key of Object.keys(COMMANDS)) writeLine(io.stderr, `  ${key}`);
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const load = COMMANDS[name];
  if (load === undefined) {
    writeLine(io.stderr, `unknown command: ${name}`);
    usage(io);
    return EXIT.USAGE;
  }
  const command: CommandModule = await load();
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...COMMON_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    writeLine(io.stderr, `${(error as Error).message}`);
    writeLine(io.stderr, `usage: ${command.usage}`);
    return EXIT.USAGE;
  }
  if (parsed.values.help === true) {
    writeLine(io.stdout, `${command.summary}\nusage: ${command.usage}`);
    return EXIT.OK;
  }
  const controller = new AbortController();
  const onSigint = (): void => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  try {
    return await command.run({
      io,
      values: parsed.values,
      positionals: parsed.positionals,
      signal: controller.signal,
    });
  } catch (error) {
    reportError(io, error);
    return exitCodeFor(error);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
