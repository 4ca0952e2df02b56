/**
 * Test helper: a suite that needs the machine-wide pcscd (tools/pcscd harness, vpcd driver).
 * Registers hooks that take the harness lock and start pcscd before the suite (waiting up to 9
 * minutes for other users) and stop it after; fails loudly if pcscd cannot start.
 *
 * @example
 * ```ts
 * describe('…over real pcscd', () => {
 *   const pcscd = usePcscdHarness();
 *   it('…', async () => { await pcscd.stopService(); … });
 * });
 * ```
 */
import { afterAll, beforeAll } from 'vitest';
import { type PcscdHarnessHandle, startPcscdHarness } from './pcscd-harness.js';

export function usePcscdHarness(): Pick<PcscdHarnessHandle, 'stopService' | 'startService'> {
  let handle: PcscdHarnessHandle | undefined;
  beforeAll(async () => {
    handle = await startPcscdHarness({ lockTimeoutMs: 540_000 });
  }, 600_000);
  afterAll(async () => {
    await handle?.stop();
  }, 30_000);
  const started = (): PcscdHarnessHandle => {
    if (handle === undefined) throw new Error('pcscd harness not started');
    return handle;
  };
  return { stopService: () => started().stopService(), startService: () => started().startService() };
}
