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

export function usePcscd(options: StartPcscdOptions = {}): () => PcscdHandle {
  let handle: PcscdHandle | undefined;
  beforeAll(async () => {
    handle = await startPcscd(options);
  }, 360_000);
  afterAll(async () => {
    await handle?.stop();
  }, 30_000);
  return () => {
    if (handle === undefined) throw new Error('usePcscd: pcscd is not running (beforeAll failed)');
    return handle;
  };
}
