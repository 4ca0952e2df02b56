import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  // ESM + CommonJS (docs/decisions/0017-dual-esm-cjs-builds.md).
  format: ['esm', 'cjs'],
  shims: true,
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  // The vendor's own vitest registers the tests.
  external: ['vitest'],
});
