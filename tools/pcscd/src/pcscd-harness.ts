/**
 * Starts a real pcscd (pcsc-lite) in the foreground with the vsmartcard vpcd driver that Debian's
 * `vsmartcard-vpcd` installs (/etc/reader.conf.d/vpcd → "Virtual PCD", TCP 35963/35964), waits
 * until it is ready, and can stop and restart it. PC/SC tests use it so that they run against
 * the real service, never a mock. When pcscd cannot start, `startPcscd()` rejects with the reason
 * and pcscd's own log lines: tests fail loudly, they never skip.
 *
 * Only one owner at a time: the harness takes a cross-process lock first (pcscd-lock.ts). A
 * pcscd already running when the lock is taken is a leftover of an earlier run (or a system
 * daemon): it is stopped and a fresh one started, so every test file begins from a known state.
 *
 * @example
 * ```ts
 * const pcscd = await startPcscd();
 * try {
 *   await pcscd.restart();
 * } finally {
 *   await pcscd.stop();
 * }
 * ```
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { listeningTcpPorts } from '@kakunin/simulator/vpcd';
import { acquirePcscdLock, isAlive, type PcscdLock } from './pcscd-lock.js';

/** Where pcsc-lite puts its client socket and pid file (pcsc-lite's PCSCLITE_IPC_DIR). */
export const PCSCD_RUN_DIR = '/run/pcscd';
export const PCSCD_SOCKET = `${PCSCD_RUN_DIR}/pcscd.comm`;
export const PCSCD_PID_FILE = `${PCSCD_RUN_DIR}/pcscd.pid`;
/** Debian's vpcd reader configuration, installed by vsmartcard-vpcd (transports.md §3.1). */
export const VPCD_READER_CONF = '/etc/reader.conf.d/vpcd';
/** vpcd's slot ports (transports.md §3.1: 35963 + slot, two slots). */
export const VPCD_PORTS: readonly number[] = [35963, 35964];

const PCSCD_CANDIDATES = ['/usr/sbin/pcscd', '/usr/local/sbin/pcscd', '/sbin/pcscd'];
const LOG_LINES_KEPT = 200;

export interface StartPcscdOptions {
  /** Max wait for pcscd to become ready, ms (default 15 000). */
  readonly readyTimeoutMs?: number;
  /** Max wait for the cross-process lock, ms (default 300 000). */
  readonly lockTimeoutMs?: number;
  /** Extra pcscd arguments (e.g. ['--debug']). Never use --apdu: it would log PINs. */
  readonly args?: readonly string[];
  /**
   * A reader.conf.d folder to use instead of /etc/reader.conf.d (pcscd --config). With a folder
   * that has no vpcd entry pcscd starts with no reader. (Debian's libudev build of pcscd does not
   * re-read it on `pcscd --hotplug`; restart pcscd after changing it.)
   */
  readonly configDirectory?: string;
}

export interface PcscdHandle extends AsyncDisposable {
  /** pid of the running pcscd, undefined while stopped. */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** The vpcd ports pcscd listens on. */
  readonly vpcdPorts: readonly number[];
  /** Last lines pcscd printed (for failure messages). */
  logs(): string;
  /** Stops pcscd (SIGTERM, then SIGKILL). Keeps the lock so `start()` can follow. */
  stopService(): Promise<void>;
  /** Starts pcscd again after `stopService()`. */
  startService(): Promise<void>;
  /** stopService() + startService(). */
  restart(): Promise<void>;
  /** Stops pcscd and releases the lock. Idempotent. */
  stop(): Promise<void>;
}

/** Finds the pcscd binary or throws with the install hint. */
export function findPcscd(): string {
  for (const candidate of PCSCD_CANDIDATES) if (existsSync(candidate)) return candidate;
  throw new Error('pcscd is not installed: run `bash scripts/setup.sh` (apt packages pcscd vsmartcard-vpcd)');
}

async function processName(pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/** Every running pcscd process (from the pid file and /proc). */
export async function findRunningPcscd(): Promise<number[]> {
  const pids = new Set<number>();
  const fromFile = Number.parseInt(await readFile(PCSCD_PID_FILE, 'utf8').catch(() => ''), 10);
  if (Number.isInteger(fromFile) && (await processName(fromFile)) === 'pcscd') pids.add(fromFile);
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if ((await processName(pid)) === 'pcscd') pids.add(pid);
  }
  return [...pids].filter(isAlive);
}

/** Ports in LISTEN state (one implementation: `@kakunin/simulator/vpcd`). */
export const listeningPorts = listeningTcpPorts;

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid) || (await processName(pid)) !== 'pcscd') return true;
    await delay(50);
  }
  return false;
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Stops a pcscd by pid: SIGTERM, then SIGKILL after 5 s. */
async function terminate(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  if (await waitForExit(pid, 5000)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  await waitForExit(pid, 2000);
}

class PcscdProcess implements PcscdHandle {
  readonly vpcdPorts = VPCD_PORTS;
  readonly #binary: string;
  readonly #args: readonly string[];
  readonly #readyTimeoutMs: number;
  readonly #lock: PcscdLock;
  readonly #log: string[] = [];
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #stopped = false;

  readonly #configDirectory: string | undefined;

  constructor(
    binary: string,
    args: readonly string[],
    readyTimeoutMs: number,
    lock: PcscdLock,
    configDirectory: string | undefined,
  ) {
    this.#binary = binary;
    this.#args = args;
    this.#configDirectory = configDirectory;
    this.#readyTimeoutMs = readyTimeoutMs;
    this.#lock = lock;
  }

  get pid(): number | undefined {
    return this.#child?.exitCode === null ? this.#child.pid : undefined;
  }

  get running(): boolean {
    return this.pid !== undefined;
  }

  logs(): string {
    return this.#log.join('\n');
  }

  #record(chunk: Buffer): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      this.#log.push(line);
      if (this.#log.length > LOG_LINES_KEPT) this.#log.shift();
    }
  }

  async startService(): Promise<void> {
    if (this.#stopped) throw new Error('pcscd harness: startService() after stop()');
    if (this.running) return;
    for (const pid of await findRunningPcscd()) {
      process.stderr.write(`[pcscd harness] stopping a pcscd left running (pid ${pid})\n`);
      await terminate(pid);
    }
    const child = spawn(this.#binary, ['--foreground', ...this.#args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.#record(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.#record(chunk));
    let spawnError: Error | undefined;
    child.once('error', (error) => {
      spawnError = error;
    });
    this.#exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    const deadline = Date.now() + this.#readyTimeoutMs;
    for (;;) {
      if (spawnError !== undefined || child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `pcscd exited during start-up (${spawnError?.message ?? `code ${child.exitCode} signal ${child.signalCode}`}).\n` +
            `pcscd log:\n${this.logs()}`,
        );
      }
      const ports = await listeningPorts();
      // With a custom reader.conf.d, vpcd listens only if that folder has its entry.
      const expectVpcd = this.#configDirectory === undefined || existsSync(`${this.#configDirectory}/vpcd`);
      if (existsSync(PCSCD_SOCKET) && (!expectVpcd || VPCD_PORTS.every((port) => ports.has(port)))) {
        return;
      }
      if (Date.now() > deadline) {
        const missing = VPCD_PORTS.filter((port) => !ports.has(port));
        await this.stopService();
        throw new Error(
          `pcscd did not become ready within ${this.#readyTimeoutMs} ms ` +
            `(socket ${existsSync(PCSCD_SOCKET) ? 'present' : 'missing'}, vpcd ports not listening: ${missing.join(', ') || 'none'}).\n` +
            `pcscd log:\n${this.logs()}`,
        );
      }
      await delay(50);
    }
  }

  async stopService(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      child.kill('SIGTERM');
      const exited = await Promise.race([this.#exited.then(() => true), delay(5000).then(() => false)]);
      if (!exited) {
        child.kill('SIGKILL');
        await this.#exited;
      }
    }
    this.#child = undefined;
    // pcscd removes its socket on a clean exit; make sure the ports are free before a restart.
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const ports = await listeningPorts();
      if (!VPCD_PORTS.some((port) => ports.has(port))) break;
      await delay(50);
    }
  }

  async restart(): Promise<void> {
    await this.stopService();
    await this.startService();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    try {
      await this.stopService();
    } finally {
      this.#stopped = true;
      await this.#lock.release();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/**
 * Takes the pcscd lock and starts a fresh pcscd with the vpcd driver.
 *
 * @example
 * ```ts
 * await using pcscd = await startPcscd();
 * ```
 */
export async function startPcscd(options: StartPcscdOptions = {}): Promise<PcscdHandle> {
  const binary = findPcscd();
  if (!existsSync(VPCD_READER_CONF)) {
    throw new Error(
      `${VPCD_READER_CONF} is missing: the vpcd driver is not installed (apt package vsmartcard-vpcd; bash scripts/setup.sh)`,
    );
  }
  if (process.platform !== 'linux') throw new Error('the pcscd harness runs on Linux only');
  const args = [
    ...(options.configDirectory === undefined ? [] : ['--config', options.configDirectory]),
    ...(options.args ?? []),
  ];
  if (args.some((arg) => arg === '-a' || arg === '--apdu')) {
    throw new RangeError('startPcscd: --apdu would log PIN APDUs; not allowed');
  }
  const lock = await acquirePcscdLock({ timeoutMs: options.lockTimeoutMs ?? 300_000 });
  const pcscd = new PcscdProcess(
    binary,
    args,
    options.readyTimeoutMs ?? 15_000,
    lock,
    options.configDirectory,
  );
  try {
    await pcscd.startService();
  } catch (error) {
    await pcscd.stop().catch(() => undefined);
    throw error;
  }
  return pcscd;
}
