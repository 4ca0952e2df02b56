/**
 * The `kakunin-reception` command's supervisor: it runs the app (src/main.ts) in a child process
 * and guarantees a bounded shutdown. The app's own SIGTERM/SIGINT handler closes everything
 * cleanly — but it runs on the app's main thread, and a PC/SC call into a wedged pcscd can block
 * that thread, so neither the handler nor any timer of the app ever runs (it once kept running for
 * more than 20 s, holding pcscd and the vpcd slot). This process touches no card and no pcscd:
 * it forwards the signal, waits {@link SHUTDOWN_BOUND_MS}, then kills the app and the processes
 * the app reported starting (its pcscd, the stand-in 連携アプリ) and exits 1.
 *
 * @example
 * ```ts
 * // bin/kakunin-reception.mjs
 * process.exitCode = await superviseReception(process.argv.slice(2), new URL('../dist/main.js', import.meta.url));
 * ```
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** How long the app gets to close after the signal before it and what it started are killed. */
export const SHUTDOWN_BOUND_MS = 3000;
/** How long a started process gets after SIGTERM (and SIGCONT) before SIGKILL. */
const KILL_GRACE_MS = 500;
/** The environment variable that tells the entry script to run the app itself. */
export const CHILD_ENV = 'KAKUNIN_RECEPTION_CHILD';

/** The message the app sends its supervisor once started (pids of the processes it started). */
export interface StartedMessage {
  readonly kakunin: 'started';
  readonly pids: readonly number[];
}

function isStartedMessage(value: unknown): value is StartedMessage {
  const message = value as Partial<StartedMessage> | null;
  return (
    typeof message === 'object' &&
    message !== null &&
    message.kakunin === 'started' &&
    Array.isArray(message.pids) &&
    message.pids.every((pid) => Number.isInteger(pid) && pid > 0)
  );
}

/** Runs the app script `entry` as a child with `argv`; resolves with the exit code to use. */
export function superviseReception(argv: readonly string[], entry: URL): Promise<number> {
  const child = fork(fileURLToPath(entry), [...argv], {
    env: { ...process.env, [CHILD_ENV]: '1' },
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  let started: readonly number[] = [];
  child.on('message', (message) => {
    if (isStartedMessage(message)) started = message.pids;
  });
  return new Promise<number>((resolve) => {
    let deadline: NodeJS.Timeout | undefined;
    let forced = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      // forward once; the bound starts with the first signal
      if (deadline !== undefined) return;
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
      deadline = setTimeout(() => {
        forced = true;
        process.stderr.write(
          `kakunin reception: did not close within ${SHUTDOWN_BOUND_MS} ms; stopping it and what it started\n`,
        );
        child.kill('SIGKILL');
        void killStarted(started);
      }, SHUTDOWN_BOUND_MS);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    child.once('exit', (code, signal) => {
      if (deadline !== undefined) clearTimeout(deadline);
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      const finish = (): void => resolve(forced || signal !== null ? 1 : (code ?? 1));
      // an app that died without closing leaves its pcscd and stand-in behind: stop them
      if (forced || code === null || code !== 0) void killStarted(started).then(finish);
      else finish();
    });
  });
}

/** SIGTERM and SIGCONT (a stopped process), then SIGKILL after {@link KILL_GRACE_MS}. */
export async function killStarted(pids: readonly number[]): Promise<void> {
  const signal = (pid: number, name: NodeJS.Signals): void => {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  const living = pids.filter(alive);
  for (const pid of living) {
    signal(pid, 'SIGTERM');
    signal(pid, 'SIGCONT');
  }
  const until = Date.now() + KILL_GRACE_MS;
  while (living.some(alive) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
  for (const pid of living.filter(alive)) signal(pid, 'SIGKILL');
}

/** Whether a process exists and is not a zombie (dead, waiting for its new parent to reap it). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true; // no /proc (not Linux): signal 0 said it exists
  }
}
