/**
 * Deterministic RSA-2048 key generation (bigint Miller–Rabin) versus a cache hit.
 * Run with `pnpm bench` (or `pnpm exec vitest bench --run packages/simulator`).
 */
import { bench, describe } from 'vitest';
import { generateRsaKey } from './rsa-key-generation.js';
import { TestKeyStore } from './test-key-store.js';

let counter = 0;
const warmStore = new TestKeyStore();
warmStore.rsaKey('bench', 'warm');

describe('RSA-2048 test keys', () => {
  bench(
    'generateRsaKey (seeded, 2048 bits)',
    () => {
      generateRsaKey('bench', `key-${counter++}`);
    },
    { iterations: 8, time: 0, warmupIterations: 1 },
  );
  bench('TestKeyStore memory hit', () => {
    warmStore.rsaKey('bench', 'warm');
  });
});
