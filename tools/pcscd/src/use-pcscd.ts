/**
 * vitest wiring for the pcscd harness: starts pcscd before the file's tests and stops it after.
 *
 * @example
 * ```ts
 * const pcscd = usePcscd();
 * it('restarts', async () => { await pcscd().restart(); });
 * ```
 */
import { afterAll, beforeAll } from 'vitest';
import { type PcscdHandle, type StartPcscdOptions, startPcscd } from './pcscd-harness.js';

/** Other PC/SC test runs on the machine may hold the pcscd lock this long before we give up. */
const LOCK_WAIT_MS = 20 * 60_000;

export function usePcscd(options: StartPcscdOptions = {}): () => PcscdHandle {
  let handle: PcscdHandle | undefined;
  beforeAll(async () => {
    handle = await startPcscd({ lockTimeoutMs: LOCK_WAIT_MS, ...options });
  }, LOCK_WAIT_MS + 60_000);
  afterAll(async () => {
    await handle?.stop();
  }, 30_000);
  return () => {
    if (handle === undefined) throw new Error('usePcscd: pcscd is not running (beforeAll failed)');
    return handle;
  };
}
