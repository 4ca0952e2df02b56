/**
 * Test-only access to the repository's pcscd harness (tools/pcscd): it starts a real pcscd with
 * the vpcd driver under a cross-process lock, so PC/SC tests of every package take turns, and
 * rejects (the test fails loudly) when pcscd cannot start. The harness lives outside this
 * package's TypeScript root, so it is loaded by URL and typed here by the part we use.
 *
 * @example
 * ```ts
 * const pcscd = await startPcscdHarness();
 * try { ... } finally { await pcscd.stop(); }
 * ```
 */

/** What the tests use of tools/pcscd's `PcscdHandle`. */
export interface PcscdHarnessHandle {
  readonly pid: number | undefined;
  readonly running: boolean;
  logs(): string;
  restart(): Promise<void>;
  stopService(): Promise<void>;
  startService(): Promise<void>;
  /** Stops pcscd and releases the lock. */
  stop(): Promise<void>;
}

interface PcscdHarnessModule {
  startPcscd(options?: {
    readonly readyTimeoutMs?: number;
    readonly lockTimeoutMs?: number;
  }): Promise<PcscdHarnessHandle>;
}

const HARNESS_URL = new URL('../../../../tools/pcscd/src/index.ts', import.meta.url);

/**
 * Takes the pcscd lock and starts a fresh pcscd + vpcd (tools/pcscd `startPcscd`).
 *
 * @example
 * ```ts
 * const pcscd = await startPcscdHarness({ lockTimeoutMs: 600_000 });
 * ```
 */
export async function startPcscdHarness(
  options: { readonly readyTimeoutMs?: number; readonly lockTimeoutMs?: number } = {},
): Promise<PcscdHarnessHandle> {
  const harness = (await import(/* @vite-ignore */ HARNESS_URL.href)) as PcscdHarnessModule;
  return harness.startPcscd(options);
}
