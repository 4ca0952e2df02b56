/**
 * `kakunin` entry point: dispatches to a command, maps errors to the exit codes of the CLI
 * contract and prints every error with its code and remedy (Japanese first, English too) — on
 * stderr, or under `--json` as `{"error":{"code","message","remedy","triesLeft"}}` on stdout.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { remedyCatalog } from '@kakunin/core/remedies';
import { CardError, type RemedyKey } from '@kakunin/core/transport';
import { COMMANDS } from './commands/index.js';
import {
  type CliIo,
  type CommandModule,
  EXIT,
  FileError,
  isMissingPackage,
  NotInstalledError,
  type Progress,
  UsageError,
  writeLine,
} from './context.js';

const COMMON_OPTIONS = {
  reader: { type: 'string' },
  transport: { type: 'string' },
  /** Simulator card profile for `--transport sim` (plastic|android|child|expired|blocked|damaged). */
  profile: { type: 'string' },
  /** The card fronted by `--transport ble-sim|bridge-sim`: sim[:PROFILE] | pcsc:READER. */
  card: { type: 'string' },
  trace: { type: 'boolean' },
  'pin-stdin': { type: 'boolean' },
  json: { type: 'boolean' },
  wait: { type: 'boolean' },
  'wait-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const COMMON_HELP: ReadonlyArray<[string, string]> = [
  [
    '--transport KIND',
    'reader kind: pcsc (default: USB/wired readers through PC/SC) | sim | ble | bridge | ble-sim | bridge-sim | any (every real transport together)',
  ],
  [
    '--card SOURCE',
    'card behind ble-sim (simulated ACR1255U-J1) or bridge-sim (reference phone relay): sim[:PROFILE] | pcsc:"READER"',
  ],
  ['--reader NAME', 'use this reader (id, label or part of the label); default: the first with a card'],
  ['--wait', 'wait for a card to be presented instead of failing (Ctrl-C stops waiting)'],
  ['--wait-timeout SECONDS', 'how long --wait waits (default 60)'],
  ['--pin-stdin', 'read the PIN from the first line of stdin (never from arguments)'],
  ['--json', 'machine-readable output on stdout; errors as {"error":{…}}'],
  ['--profile NAME', 'virtual card for --transport sim: plastic|android|child|expired|blocked|damaged'],
  ['--trace', 'APDU trace as JSON lines on stderr (PIN data is never traced)'],
  ['-h, --help', 'help for a command: kakunin <command> --help'],
  ['--version', 'print the version'],
];

const EXAMPLES = [
  'kakunin readers',
  'echo 1234 | kakunin check --transport sim --pin-stdin --json',
  'kakunin cert auth --format pem --out auth.pem',
  'kakunin pin status --wait',
  'echo 1234 | kakunin check --transport ble-sim --card pcsc:"Virtual PCD 00 00" --pin-stdin',
  'kakunin sign --key sign --in contract.pdf --out contract.sig',
];

const EXIT_HELP = `exit codes: 0 ok, 2 usage, 3 card/reader, 4 wrong PIN, 5 PIN blocked or last try refused, 6 validation failed, 7 file, 8 package not installed, 130 interrupted`;

/** The CLI's version from its package.json (dist/main.js and src/main.ts sit one level below). */
export function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

async function usage(io: CliIo): Promise<void> {
  const out = io.stdout;
  writeLine(out, `kakunin ${cliVersion()} — マイナンバーカード / My Number Card`);
  writeLine(out, '');
  writeLine(out, 'usage: kakunin <command> [options]');
  writeLine(out, '');
  writeLine(out, 'commands:');
  for (const [name, load] of Object.entries(COMMANDS)) {
    let summary = '';
    try {
      summary = (await load()).summary;
    } catch {
      summary = '(needs an optional package; see kakunin <command> --help)';
    }
    writeLine(out, `  ${name.padEnd(12)} ${summary}`);
  }
  writeLine(out, '');
  writeLine(out, 'options (every command):');
  for (const [option, text] of COMMON_HELP) writeLine(out, `  ${option.padEnd(34)} ${text}`);
  writeLine(out, '');
  writeLine(out, 'examples:');
  for (const example of EXAMPLES) writeLine(out, `  ${example}`);
  writeLine(out, '');
  writeLine(out, EXIT_HELP);
}

function commandHelp(io: CliIo, name: string, command: CommandModule): void {
  const out = io.stdout;
  writeLine(out, `kakunin ${name} — ${command.summary}`);
  writeLine(out, '');
  writeLine(out, `usage: ${command.usage}`);
  const own = Object.entries(command.optionHelp ?? {});
  if (own.length > 0) {
    writeLine(out, '');
    writeLine(out, 'options:');
    for (const [option, text] of own) writeLine(out, `  ${option.padEnd(34)} ${text}`);
  }
  writeLine(out, '');
  writeLine(out, 'common options:');
  for (const [option, text] of COMMON_HELP) {
    if (option === '--json' && command.json === false) continue;
    writeLine(out, `  ${option.padEnd(34)} ${text}`);
  }
  if (command.examples !== undefined && command.examples.length > 0) {
    writeLine(out, '');
    writeLine(out, 'examples:');
    for (const example of command.examples) writeLine(out, `  ${example}`);
  }
  writeLine(out, '');
  writeLine(out, EXIT_HELP);
}

/** Maps an error to the CLI's exit codes. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.USAGE;
  if (error instanceof FileError) return EXIT.FILE;
  if (error instanceof NotInstalledError) return EXIT.NOT_INSTALLED;
  if (CardError.isInstance(error)) {
    if (error.code === 'PIN_INCORRECT') return EXIT.WRONG_PIN;
    if (error.code === 'PIN_BLOCKED' || error.code === 'LAST_TRY_REFUSED') return EXIT.PIN_BLOCKED;
    if (error.code === 'VALIDATION_FAILED') return EXIT.VALIDATION_FAILED;
    if (error.code === 'INPUT_REJECTED') return EXIT.USAGE;
    if (error.code === 'ABORTED') return EXIT.INTERRUPTED;
    return EXIT.CARD;
  }
  return EXIT.CARD;
}

/** The JSON shape of an error under `--json`: stable keys, null when not applicable. */
export function errorJson(error: unknown): {
  error: {
    code: string;
    message: string;
    remedy: string | null;
    remedyText: { ja: string; en: string } | null;
    triesLeft: number | null;
  };
} {
  const remedyKey = CardError.isInstance(error) ? (error.remedy ?? null) : null;
  const remedy = remedyKey === null ? undefined : remedyCatalog[remedyKey as RemedyKey];
  const triesLeft = CardError.isInstance(error) ? error.details.triesLeft : undefined;
  const code =
    CardError.isInstance(error) ||
    error instanceof UsageError ||
    error instanceof FileError ||
    error instanceof NotInstalledError
      ? error.code
      : 'INTERNAL';
  return {
    error: {
      code,
      message: error instanceof Error ? error.message : String(error),
      remedy: remedyKey,
      remedyText:
        remedy === undefined
          ? null
          : { ja: `${remedy.title.ja}: ${remedy.action.ja}`, en: `${remedy.title.en}: ${remedy.action.en}` },
      triesLeft: typeof triesLeft === 'number' ? triesLeft : null,
    },
  };
}

/** Prints an error as code + message + remedy (stderr), or as JSON on stdout with `--json`. */
export function reportError(io: CliIo, error: unknown, json = false): void {
  if (json) {
    writeLine(io.stdout, JSON.stringify(errorJson(error)));
    return;
  }
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
  if (error instanceof FileError) {
    writeLine(io.stderr, `ファイル / file: ${error.message}`);
    return;
  }
  if (error instanceof NotInstalledError) {
    writeLine(io.stderr, `未インストール / not installed: ${error.message}`);
    return;
  }
  writeLine(io.stderr, `エラー / error: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * A progress line on stderr for work slower than a second — only when stderr is a terminal (never
 * in pipes, logs or `--json` runs). Erased when the command finishes or a PIN prompt starts.
 */
export function startProgress(io: CliIo, label: string): Progress {
  const stream = io.stderr as CliIo['stderr'] & { isTTY?: boolean };
  if (stream.isTTY !== true) return { stop() {} };
  const started = Date.now();
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let frame = 0;
  let shown = false;
  let ticker: NodeJS.Timeout | undefined;
  const delay = setTimeout(() => {
    ticker = setInterval(() => {
      shown = true;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      stream.write(`\r${frames[frame++ % frames.length]} ${label} ${seconds} s`);
    }, 100);
    ticker.unref();
  }, 1000);
  delay.unref();
  return {
    stop() {
      clearTimeout(delay);
      if (ticker !== undefined) clearInterval(ticker);
      ticker = undefined;
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}

/** The optional packages whose absence makes a command unavailable (clear error, exit 8). */
const OPTIONAL_PACKAGES = [
  '@kakunin/transport-ble',
  '@kakunin/transport-nfc-bridge',
  '@kakunin/transport-pcsc',
  '@kakunin/simulator',
];

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const wantsJson = argv.includes('--json');
  if (name === '--version' || name === '-V' || name === 'version') {
    writeLine(io.stdout, wantsJson ? JSON.stringify({ version: cliVersion() }) : cliVersion());
    return EXIT.OK;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    await usage(io);
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const load = COMMANDS[name];
  if (load === undefined) {
    reportError(
      io,
      new UsageError(`unknown command: ${name} (kakunin --help lists the commands)`),
      wantsJson,
    );
    return EXIT.USAGE;
  }
  let command: CommandModule;
  try {
    command = await load();
  } catch (error) {
    const missing = OPTIONAL_PACKAGES.find((candidate) => isMissingPackage(error, candidate));
    if (missing === undefined) throw error;
    const notInstalled = new NotInstalledError(missing, `kakunin ${name}`);
    reportError(io, notInstalled, wantsJson);
    return EXIT.NOT_INSTALLED;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...COMMON_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    reportError(io, new UsageError(`${(error as Error).message}\nusage: ${command.usage}`), wantsJson);
    return EXIT.USAGE;
  }
  if (parsed.values.help === true) {
    commandHelp(io, name, command);
    return EXIT.OK;
  }
  if (parsed.values['wait-timeout'] !== undefined && parsed.values.wait !== true) {
    reportError(io, new UsageError('--wait-timeout needs --wait'), wantsJson);
    return EXIT.USAGE;
  }
  if (parsed.values.json === true && command.json === false) {
    reportError(io, new UsageError(`kakunin ${name} has no JSON output; run it without --json`), false);
    return EXIT.USAGE;
  }
  const json = parsed.values.json === true;
  const controller = new AbortController();
  const onSigint = (): void => controller.abort(new CardError('ABORTED', 'interrupted (Ctrl-C)'));
  process.once('SIGINT', onSigint);
  const progress = json ? { stop() {} } : startProgress(io, `kakunin ${name} … 処理中 / working`);
  try {
    return await command.run({
      io,
      values: parsed.values,
      positionals: parsed.positionals,
      signal: controller.signal,
      progress,
    });
  } catch (error) {
    progress.stop();
    const reported =
      controller.signal.aborted && !CardError.isInstance(error, 'ABORTED')
        ? new CardError('ABORTED', 'interrupted (Ctrl-C)', { cause: error })
        : error;
    reportError(io, reported, json);
    return exitCodeFor(reported);
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
  }
}
