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

/**
 * Runs OpenSC's flow against the card behind `counter` (already in `readerName`).
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
  const module = findOpenscModule();
  const work = await mkdtemp(join(tmpdir(), 'kakunin-perf-opensc-'));
  try {
    const challengeFile = join(work, 'challenge.bin');
    const certificateFile = join(work, 'auth.der');
    const signatureFile = join(work, 'signature.bin');
    await writeFile(challengeFile, options.challenge);
    const plans: Array<{ name: string; command: string[] }> = [
      {
        name: 'pkcs15-tool --read-certificate',
        command: [
          'pkcs15-tool',
          '--reader',
          options.readerName,
          '--read-certificate',
          OPENSC_JPKI_AUTH_ID,
          '--output',
          certificateFile,
        ],
      },
      {
        name: 'pkcs11-tool --login --sign',
        command: [
          'pkcs11-tool',
          '--module',
          module,
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
          challengeFile,
          '--output-file',
          signatureFile,
        ],
      },
    ];
    const steps: OpenscStep[] = [];
    for (const plan of plans) {
      // A fresh HOME per tool: OpenSC's file cache (~/.cache/opensc) starts empty.
      const home = await mkdtemp(join(work, 'home-'));
      await options.counter.reset();
      const run = await runTool(plan.command, {
        env: { ...process.env, HOME: home, XDG_CACHE_HOME: join(home, '.cache') },
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      if (run.exitCode !== 0) {
        throw new Error(
          `${redact(plan.command, options.pin)} failed (${run.exitCode}):\n${run.stdout}\n${run.stderr}`,
        );
      }
      const log = [...(await options.counter.log())];
      steps.push({
        name: plan.name,
        command: redact(plan.command, options.pin),
        tally: tallyApdus(log),
        log,
      });
    }
    return {
      steps,
      certificate: derFromPem(await readFile(certificateFile, 'utf8')),
      signature: new Uint8Array(await readFile(signatureFile)),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
