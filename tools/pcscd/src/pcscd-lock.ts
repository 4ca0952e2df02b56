/**
 * A cross-process lock so that only one test file at a time, in any vitest run on this machine,
 * owns the system pcscd (there is one PC/SC socket and one pair of vpcd ports per machine).
 * The lock file holds the owner's pid and a token; a lock whose pid is dead is stale and taken
 * over.
 *
 * @example
 * ```ts
 * const lock = await acquirePcscdLock({ timeoutMs: 120_000 });
 * try { ... } finally { await lock.release(); }
 * ```
 */
import { randomUUID } from 'node:crypto';
import { open, readFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PcscdLock {
  readonly path: string;
  release(): Promise<void>;
}

export interface PcscdLockOptions {
  /** Lock file path (default: $TMPDIR/kakunin-pcscd.lock). */
  readonly path?: string;
  /** Give up after this many ms (default 300 000). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Default lock file, shared by every checkout on this machine (they share one pcscd). */
export function defaultPcscdLockPath(): string {
  return join(tmpdir(), 'kakunin-pcscd.lock');
}

/** True while process `pid` exists (EPERM: it exists, owned by someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const POLL_MS = 200;

/**
 * Waits for and takes the pcscd lock.
 *
 * @example
 * ```ts
 * await using lock = await acquirePcscdLock();
 * ```
 */
export async function acquirePcscdLock(options: PcscdLockOptions = {}): Promise<PcscdLock & AsyncDisposable> {
  const path = options.path ?? defaultPcscdLockPath();
  const timeoutMs = options.timeoutMs ?? 300_000;
  const token = `${process.pid} ${randomUUID()}`;
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(token);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readFile(path, 'utf8').catch(() => '');
    const pid = Number.parseInt(holder.split(' ')[0] ?? '', 10);
    if (holder !== '' && (!Number.isInteger(pid) || !isAlive(pid))) {
      // Stale: the owner died without releasing.
      await unlink(path).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`pcscd lock ${path} is held by "${holder}" for more than ${timeoutMs} ms`);
    }
    if (!announced) {
      announced = true;
      process.stderr.write(`[pcscd harness] waiting for the pcscd lock held by pid ${pid}\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  let released = false;
  const release = async (): Promise<void> => {
    if (released) return;
    released = true;
    const holder = await readFile(path, 'utf8').catch(() => '');
    if (holder === token) await unlink(path).catch(() => undefined);
  };
  return { path, release, [Symbol.asyncDispose]: release };
}
