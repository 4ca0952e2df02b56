import { defineConfig } from 'tsup';

/**
 * The published face of the monorepo's own conformance suite (tools/conformance, one source):
 * bundled in by relative import, declarations too. ESM only, unlike the libraries
 * (docs/decisions/0017): vitest, which registers the tests, cannot be required from CommonJS.
 */
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  external: ['vitest', /^@kakunin\/core/],
});
