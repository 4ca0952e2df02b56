/**
 * "Make sure pcscd is running" for the app's embedded default (the virtual card through real
 * pcscd + vsmartcard's vpcd driver, transports.md §3):
 *
 * 1. pcscd's client socket answers and vpcd's slot port listens → use that pcscd;
 * 2. otherwise, when the `pcscd` binary and the vpcd reader configuration exist and we are root,
 *    start `pcscd --foreground` as a child and wait until it is ready (socket + vpcd port);
 * 3. otherwise the path is unavailable, with the reason (the caller falls back to the
 *    in-process card and says so).
 *
 * The test harness (tools/pcscd) serialises pcscd users through a lock file; a lock held by
 * another live process (not this one or one of its ancestors) means a test run owns pcscd right
 * now, so the app stays away from it.
 * pcscd is never started with `--apdu` (it would log PIN APDUs).
 *
 * @example
 * ```ts
 * await using pcscd = await ensurePcscd();
 * if (pcscd.available) console.log(pcscd.started ? `started pcscd (pid ${pcscd.pid})` : 'pcscd already running');
 * else console.log(`no pcscd: ${pcscd.reason}`);
 * ```
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listeningTcpPorts } from '@kakunin/simulator/vpcd';

/** pcsc-lite's client socket (PCSCLITE_IPC_DIR/pcscd.comm). */
export const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
/** Debian's vpcd reader configuration (package vsmartcard-vpcd, transports.md §3.1). */
export const VPCD_READER_CONF = '/etc/reader.conf.d/vpcd';
/** vpcd's slot 0 port (transports.md §3.1: 35963 + slot). */
export const VPCD_SLOT0_PORT = 35_963;
/** Where pcscd usually lives. */
export const PCSCD_BINARIES: readonly string[] = ['/usr/sbin/pcscd', '/usr/local/sbin/pcscd', '/sbin/pcscd'];
/** The pcscd harness's lock (tools/pcscd/src/pcscd-lock.ts): "<pid> <token>". */
export const PCSCD_HARNESS_LOCK = join(tmpdir(), 'kakunin-pcscd.lock');

const POLL_MS = 50;
const SOCKET_PROBE_TIMEOUT_MS = 1000;
const LOG_LINES_KEPT = 40;

export interface EnsurePcscdOptions {
  /** Socket to probe (default {@link PCSCD_SOCKET}). */
  readonly socketPath?: string;
  /** vpcd port that must listen (default 35963, slot 0). */
  readonly vpcdPort?: number;
  /** Candidate binaries (default {@link PCSCD_BINARIES}). */
  readonly binaries?: readonly string[];
  /** Max wait for a started pcscd to become ready, ms (default 10 000). */
  readonly readyTimeoutMs?: number;
  /** The harness lock to respect (default {@link PCSCD_HARNESS_LOCK}; null: ignore). */
  readonly lockPath?: string | null;
  /** Whether this process may start pcscd (default: running as root). */
  readonly mayStart?: boolean;
  readonly signal?: AbortSignal;
}

export interface PcscdService extends AsyncDisposable {
  readonly available: boolean;
  /** True when this call started pcscd (it stops it on close). */
  readonly started: boolean;
  /** pid of the pcscd this call started. */
  readonly pid: number | undefined;
  /** Why the pcscd/vpcd path is unavailable. */
  readonly reason: string | undefined;
  /** Last lines the started pcscd printed. */
  logs(): string;
  /** Stops the pcscd this call started (SIGTERM, then SIGKILL after 5 s); otherwise nothing. Idempotent. */
  close(): Promise<void>;
}

/**
 * Resolves true when something accepts connections on the unix socket `path`.
 *
 * @example
 * ```ts
 * await socketAnswers('/run/pcscd/pcscd.comm'); // true while pcscd runs
 * ```
 */
export function socketAnswers(path: string, timeoutMs = SOCKET_PROBE_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    const done = (answer: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export { listeningTcpPorts };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Parent pid from /proc/<pid>/stat ("pid (comm) state ppid …"; comm may contain spaces). */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number.parseInt(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '', 10);
    return Number.isInteger(ppid) && ppid > 0 ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/** This process and its ancestors (a test that holds the lock may run the app as a child). */
function ownLineage(): Set<number> {
  const lineage = new Set<number>([process.pid]);
  for (let pid = parentOf(process.pid); pid !== undefined && !lineage.has(pid); pid = parentOf(pid))
    lineage.add(pid);
  return lineage;
}

/** pid of a live process outside our lineage holding the harness lock, if any. */
function lockHolder(lockPath: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text.split(' ')[0] ?? '', 10);
  if (!Number.isInteger(pid) || !isAlive(pid) || ownLineage().has(pid)) return undefined;
  return pid;
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function unavailable(reason: string): PcscdService {
  return {
    available: false,
    started: false,
    pid: undefined,
    reason,
    logs: () => '',
    close: async () => undefined,
    [Symbol.asyncDispose]: async () => undefined,
  };
}

/**
 * Ensures a pcscd with the vpcd driver is running (see the module comment).
 *
 * @example
 * ```ts
 * const pcscd = await ensurePcscd({ readyTimeoutMs: 5000 });
 * ```
 */
export async function ensurePcscd(options: EnsurePcscdOptions = {}): Promise<PcscdService> {
  if (options === null || typeof options !== 'object')
    throw new TypeError('ensurePcscd: options must be an object');
  const socketPath = options.socketPath ?? PCSCD_SOCKET;
  const vpcdPort = options.vpcdPort ?? VPCD_SLOT0_PORT;
  if (!Number.isInteger(vpcdPort) || vpcdPort < 1 || vpcdPort > 65_535)
    throw new RangeError('ensurePcscd: options.vpcdPort must be 1–65535');
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  const lockPath = options.lockPath === undefined ? PCSCD_HARNESS_LOCK : options.lockPath;
  options.signal?.throwIfAborted();

  if (process.platform !== 'linux') return unavailable('the pcscd/vpcd path runs on Linux only');
  if (lockPath !== null) {
    const holder = lockHolder(lockPath);
    if (holder !== undefined)
      return unavailable(`pcscd is in use by a test run (pid ${holder} holds ${lockPath})`);
  }
  const vpcdListening = async (): Promise<boolean> => (await listeningTcpPorts()).has(vpcdPort);
  if (await socketAnswers(socketPath)) {
    if (await vpcdListening())
      return {
        available: true,
        started: false,
        pid: undefined,
        reason: undefined,
        logs: () => '',
        close: async () => undefined,
        [Symbol.asyncDispose]: async () => undefined,
      };
    return unavailable(
      `pcscd is running but vpcd does not listen on port ${vpcdPort} (apt package vsmartcard-vpcd; restart pcscd)`,
    );
  }
  const binary = (options.binaries ?? PCSCD_BINARIES).find((candidate) => existsSync(candidate));
  if (binary === undefined) return unavailable('pcscd is not installed (apt packages pcscd vsmartcard-vpcd)');
  if (!existsSync(VPCD_READER_CONF))
    return unavailable(`${VPCD_READER_CONF} is missing: the vpcd driver is not installed (vsmartcard-vpcd)`);
  const mayStart = options.mayStart ?? process.getuid?.() === 0;
  if (!mayStart)
    return unavailable('pcscd is not running and only root can start it (start the pcscd service)');

  const log: string[] = [];
  const child: ChildProcess = spawn(binary, ['--foreground'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const record = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      log.push(line);
      if (log.length > LOG_LINES_KEPT) log.shift();
    }
  };
  child.stdout?.on('data', record);
  child.stderr?.on('data', record);
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      spawnError = error;
      resolve();
    });
  });
  let closed = false;
  const stop = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    if (child.exitCode !== null || child.signalCode !== null || spawnError !== undefined) return;
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
    if (!stopped) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  const logs = (): string => log.join('\n');
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (spawnError !== undefined || child.exitCode !== null || child.signalCode !== null) {
      await stop();
      return unavailable(
        `pcscd exited during start-up (${spawnError?.message ?? `code ${child.exitCode}`}): ${log.slice(-3).join(' | ')}`,
      );
    }
    if ((await socketAnswers(socketPath)) && (await vpcdListening())) break;
    if (Date.now() > deadline || options.signal?.aborted === true) {
      await stop();
      return unavailable(
        `pcscd did not become ready within ${readyTimeoutMs} ms: ${log.slice(-3).join(' | ') || 'no output'}`,
      );
    }
    await delay(POLL_MS);
  }
  return {
    available: true,
    started: true,
    get pid() {
      return closed ? undefined : child.pid;
    },
    reason: undefined,
    logs,
    close: stop,
    [Symbol.asyncDispose]: stop,
  };
}
