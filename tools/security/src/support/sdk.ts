/**
 * SDK-side set-up shared by the security tests that attack the SDK and the bridge directly: the
 * simulator's plastic card behind an in-process provider, and clean-ups that run after each test.
 *
 * @example
 * ```ts
 * const defer = useCleanups();
 * const local = plasticCardProvider();
 * defer(() => local.close());
 * ```
 */
import {
  createVirtualCard,
  defaultKeyCacheDirectory,
  SimulatorProvider,
  TestKeyStore,
} from '@kakunin/simulator';
import { afterEach } from 'vitest';

let keyStore: TestKeyStore | undefined;

/** The simulator's `plastic` card in an in-process reader (keys from the on-disk key cache). */
export function plasticCardProvider(): SimulatorProvider {
  keyStore ??= new TestKeyStore({ directory: defaultKeyCacheDirectory() });
  return new SimulatorProvider({ card: createVirtualCard('plastic', { keyStore }) });
}

/** Registers the file's `afterEach` and returns `defer(cleanup)`: newest first, failures ignored. */
export function useCleanups(): (cleanup: () => Promise<unknown>) => void {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });
  return (cleanup) => {
    cleanups.push(cleanup);
  };
}
