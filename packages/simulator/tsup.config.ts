import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'pki/index': 'src/pki/index.ts',
    'faults/index': 'src/faults/index.ts',
    'transcripts/index': 'src/transcripts/index.ts',
    'vpcd/index': 'src/vpcd/index.ts',
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
