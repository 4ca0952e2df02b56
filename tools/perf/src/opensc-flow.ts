/**
 * OpenSC's equivalent of the PIN-mode check, run as OpenSC ships it against the same simulator
 * card through pcscd/vpcd, with every APDU counted at the card: `pkcs15-tool --read-certificate`
 * for the auth certificate, then `pkcs11-tool --login --sign` with the auth key (OpenSC's JPKI
 * emulation: certificate and key id 01, PIN "User Authentication PIN"). Each tool runs with a
 * fresh HOME so OpenSC's file cache never hides an APDU (a cold first check, like kakunin's).
 *
 * The tools read the PIN from the command line (`--pin`): acceptable only because it is the
 * simulator's synthetic PIN; never do this with a real card.
 *
 * @example
 * ```ts
 * await using host = await CardHost.start('extended');
 * const { steps } = await runOpenscCheck({ counter: host, readerName: host.readerName, pin: '1234', challenge });
 * steps.map((step) => step.tally.apdus);
 * ```
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApduLogEntry, type ApduTally, tallyApdus } from './apdu-tally.js';

/** Where the card's log comes from (a {@link CardHost}). */
export interface ApduLogSource {
  reset(): Promise<void>;
  log(): Promise<readonly ApduLogEntry[]>;
}

/** Where Debian and others install OpenSC's PKCS#11 module. */
const PKCS11_MODULE_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
  '/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so',
  '/usr/lib64/opensc-pkcs11.so',
  '/usr/lib/opensc-pkcs11.so',
  '/usr/local/lib/opensc-pkcs11.so',
];
/** OpenSC's JPKI emulation (src/libopensc/pkcs15-jpki.c): auth certificate and key id 01. */
export const OPENSC_JPKI_AUTH_ID = '01';
/** RSA PKCS#1 v1.5 with SHA-256 (PKCS#11 CKM_SHA256_RSA_PKCS), what kakunin's check signs. */
const SIGN_MECHANISM = 'SHA256-RSA-PKCS';
/** Per tool run. */
const TOOL_TIMEOUT_MS = 60_000;

/**
 * The OpenSC PKCS#11 module path, or throws naming the package to install.
 *
 * @example
 * ```ts
 * findOpenscModule(); // '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so'
 * ```
 */
export function findOpenscModule(): string {
  for (const candidate of PKCS11_MODULE_CANDIDATES) if (existsSync(candidate)) return candidate;
  throw new Error('opensc-pkcs11.so not found: install OpenSC (apt package opensc; bash scripts/setup.sh)');
}

export interface ToolRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command asynchronously (the simulator answering through vpcd lives in this process: a
 * synchronous spawn would deadlock it).
 *
 * @example
 * ```ts
 * const { exitCode, stdout } = await runTool(['opensc-tool', '-l'], { env: process.env });
 * ```
 */
export function runTool(
  command: readonly string[],
  options: { readonly env: NodeJS.ProcessEnv; readonly signal?: AbortSignal },
): Promise<ToolRun> {
  const [file, ...args] = command;
  if (file === undefined) throw new RangeError('command must not be empty');
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        encoding: 'utf8',
        env: options.env,
        timeout: TOOL_TIMEOUT_MS,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ exitCode: code, stdout, stderr });
      },
    );
  });
}

export interface OpenscStep {
  readonly name: string;
  /** The command line, PIN replaced by `****`. */
  readonly command: string;
  readonly tally: ApduTally;
  readonly log: readonly ApduLogEntry[];
}

export interface OpenscCheck {
  readonly steps: readonly OpenscStep[];
  /** The auth certificate pkcs15-tool wrote (PEM, decoded to DER). */
  readonly certificate: Uint8Array;
  /** The signature pkcs11-tool wrote. */
  readonly signature: Uint8Array;
}

/** pkcs15-tool writes the certificate as PEM (RFC 7468 §2): base64 between the armour lines. */
function derFromPem(pem: string): Uint8Array {
  const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+=*$/.test(body)) throw new Error('pkcs15-tool did not write a PEM certificate');
  const binary = atob(body);
  return Uint8Array.from(binary, (character) => character.charCodeAt(0));
}

function redact(command: readonly string[], pin: string): string {
  return command.map((argument) => (argument === pin ? '****' : argument)).join(' ');
}

/** The OpenSC operations that correspond to kakunin calls (quirk matrix, issue 14 Deliver 5). */
export const OPENSC_OPERATIONS = ['pinStatus', 'authCert', 'signAuth'] as const;
export type OpenscOperation = (typeof OPENSC_OPERATIONS)[number];

/** What each operation runs (the tool's first word is the step name). */
export const OPENSC_COMMAND_NAMES: Readonly<Record<OpenscOperation, string>> = {
  pinStatus: 'pkcs15-tool --list-pins',
  authCert: 'pkcs15-tool --read-certificate',
  signAuth: 'pkcs11-tool --login --sign',
};

interface OperationFiles {
  readonly challenge: string;
  readonly certificate: string;
  readonly signature: string;
}

/**
 * The command line of one OpenSC operation:
 * - `pinStatus`: `pkcs15-tool --list-pins` (OpenSC reads each PIN's retry counter, like `pinStatus`);
 * - `authCert`: `pkcs15-tool --read-certificate 01` (the auth certificate, no PIN);
 * - `signAuth`: `pkcs11-tool --login --sign --id 01` (auth PIN, then RSA PKCS#1 v1.5 / SHA-256).
 */
function openscCommand(
  operation: OpenscOperation,
  options: { readonly readerName: string; readonly pin: string; readonly files: OperationFiles },
): string[] {
  switch (operation) {
    case 'pinStatus':
      return ['pkcs15-tool', '--reader', options.readerName, '--list-pins'];
    case 'authCert':
      return [
        'pkcs15-tool',
        '--reader',
        options.readerName,
        '--read-certificate',
        OPENSC_JPKI_AUTH_ID,
        '--output',
        options.files.certificate,
      ];
    case 'signAuth':
      return [
        'pkcs11-tool',
        '--module',
        findOpenscModule(),
        '--slot-index',
        '0',
        '--login',
        '--pin',
        options.pin,
        '--sign',
        '--id',
        OPENSC_JPKI_AUTH_ID,
        '--mechanism',
        SIGN_MECHANISM,
        '--input-file',
        options.files.challenge,
        '--output-file',
        options.files.signature,
      ];
  }
}

/** One OpenSC operation as the card saw it; a failing tool is an outcome, not an exception. */
export interface OpenscRun extends OpenscStep {
  readonly run: ToolRun;
  /** The certificate `authCert` wrote (DER), when it succeeded. */
  readonly certificate?: Uint8Array;
  /** The signature `signAuth` wrote, when it succeeded. */
  readonly signature?: Uint8Array;
}

/**
 * Runs one OpenSC operation as shipped against the card behind `counter`, in a fresh HOME (OpenSC's
 * file cache starts empty: first contact), and returns what reached the card. A tool that fails
 * is returned with its exit code (the failure is data).
 *
 * @example
 * ```ts
 * const { run, tally } = await runOpenscOperation('pinStatus', { counter: host, readerName: host.readerName, pin: '1234', challenge });
 * ```
 */
export async function runOpenscOperation(
  operation: OpenscOperation,
  options: {
    readonly counter: ApduLogSource;
    readonly readerName: string;
    readonly pin: string;
    readonly challenge: Uint8Array;
    readonly signal?: AbortSignal;
  },
): Promise<OpenscRun> {
  const work = await mkdtemp(join(tmpdir(), 'kakunin-perf-opensc-'));
  try {
    const files: OperationFiles = {
      challenge: join(work, 'challenge.bin'),
      certificate: join(work, 'auth.pem'),
      signature: join(work, 'signature.bin'),
    };
    await writeFile(files.challenge, options.challenge);
    const command = openscCommand(operation, { readerName: options.readerName, pin: options.pin, files });
    const home = join(work, 'home');
    await options.counter.reset();
    const run = await runTool(command, {
      env: { ...process.env, HOME: home, XDG_CACHE_HOME: join(home, '.cache') },
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const log = [...(await options.counter.log())];
    const ok = run.exitCode === 0;
    return {
      name: OPENSC_COMMAND_NAMES[operation],
      command: redact(command, options.pin),
      tally: tallyApdus(log),
      log,
      run: {
        exitCode: run.exitCode,
        stdout: run.stdout.replaceAll(options.pin, '****'),
        stderr: run.stderr.replaceAll(options.pin, '****'),
      },
      ...(ok && operation === 'authCert'
        ? { certificate: derFromPem(await readFile(files.certificate, 'utf8')) }
        : {}),
      ...(ok && operation === 'signAuth'
        ? { signature: new Uint8Array(await readFile(files.signature)) }
        : {}),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Runs OpenSC's check (auth certificate, then login + sign) against the card behind `counter`
 * (already in `readerName`); throws when a tool fails.
 *
 * @example
 * ```ts
 * const { steps, certificate } = await runOpenscCheck({ counter: host, readerName: host.readerName, pin: '1234', challenge });
 * ```
 */
export async function runOpenscCheck(options: {
  readonly counter: ApduLogSource;
  readonly readerName: string;
  readonly pin: string;
  readonly challenge: Uint8Array;
  readonly signal?: AbortSignal;
}): Promise<OpenscCheck> {
  const steps: OpenscRun[] = [];
  for (const operation of ['authCert', 'signAuth'] as const) {
    const step = await runOpenscOperation(operation, options);
    if (step.run.exitCode !== 0)
      throw new Error(
        `${step.command} failed (${step.run.exitCode}):\n${step.run.stdout}\n${step.run.stderr}`,
      );
    steps.push(step);
  }
  const [read, signed] = steps as [OpenscRun, OpenscRun];
  return {
    steps: steps.map(({ name, command, tally, log }) => ({ name, command, tally, log })),
    certificate: read.certificate ?? new Uint8Array(),
    signature: signed.signature ?? new Uint8Array(),
  };
}
