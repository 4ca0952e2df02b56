import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'protocol/index': 'src/protocol/index.ts',
    'relay/index': 'src/relay/index.ts',
  },
  // ESM + CommonJS (docs/decisions/0017-dual-esm-cjs-builds.md); shims give the CJS build import.meta.url.
  format: ['esm', 'cjs'],
  shims: true,
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // One copy of shared modules across entry points in both formats.
  splitting: true,
});
