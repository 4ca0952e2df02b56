/**
 * The simulator's test keys, cached on disk under the OS temp directory (a cold start generates
 * them once, about 5 s; later runs load them in milliseconds).
 *
 * @example
 * ```ts
 * const card = createVirtualCard('plastic', { keyStore: testKeyStore() });
 * ```
 */
import { defaultKeyCacheDirectory, TestKeyStore } from '@kakunin/simulator';

let shared: TestKeyStore | undefined;

/** One key store per process (keys are immutable test data; sharing only saves time). */
export function testKeyStore(): TestKeyStore {
  shared ??= new TestKeyStore({ directory: defaultKeyCacheDirectory() });
  return shared;
}
