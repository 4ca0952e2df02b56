import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  // ESM only, unlike the libraries (docs/decisions/0017): vitest, which registers the tests, cannot
  // be required from CommonJS, so a CommonJS build could never run.
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  // The vendor's own vitest registers the tests.
  external: ['vitest'],
});
