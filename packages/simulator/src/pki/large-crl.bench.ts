/**
 * Large synthetic CRLs (certificates.md §6.4: 100k–1M entries): generation speed, streaming.
 * Run with `pnpm bench`.
 */
import { bench, describe } from 'vitest';
import { largeCrl } from './large-crl.js';
import { defaultKeyCacheDirectory, TestKeyStore } from './test-key-store.js';
import { TestPki } from './test-pki.js';

const pki = new TestPki({
  seed: 'bench',
  keyStore: new TestKeyStore({ directory: defaultKeyCacheDirectory() }),
});
const options = {
  issuer: pki.authCa,
  thisUpdate: new Date('2026-01-01T00:00:00Z'),
  nextUpdate: new Date('2026-01-08T00:00:00Z'),
};

describe('large CRLs', () => {
  bench(
    '100k entries, toBytes (≈4.1 MB)',
    () => {
      largeCrl({ ...options, entries: 100_000 }).toBytes();
    },
    { iterations: 5, time: 0 },
  );
  bench(
    '1M entries, streamed chunk by chunk (≈41 MB)',
    () => {
      let total = 0;
      for (const chunk of largeCrl({ ...options, entries: 1_000_000 }).chunks()) total += chunk.length;
      if (total === 0) throw new Error('empty');
    },
    { iterations: 3, time: 0 },
  );
});
