import { defineConfig } from 'tsup';

/** The long-running scripts (`pnpm fuzz:nightly`, `pnpm soak`) run from dist/ with plain node. */
export default defineConfig({
  entry: {
    'fuzz-nightly': 'src/fuzz/fuzz-nightly.ts',
    'fuzz-worker': 'src/fuzz/fuzz-worker.ts',
    soak: 'src/soak/soak-main.ts',
  },
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  // The worker-hosted card (PC/SC runs) is plain JavaScript loaded next to the bundle.
  onSuccess: 'cp src/support/card-worker.mjs dist/card-worker.mjs',
});
