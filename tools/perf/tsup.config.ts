import { defineConfig } from 'tsup';

/**
 * Bench scripts run with plain `node` from `pnpm bench` (tools/bench/scripts.json). The pcscd
 * harness ships as TypeScript source, so its module is bundled in; every other package is imported from
 * its own dist.
 */
export default defineConfig({
  entry: {
    'check-cpu': 'src/bench/check-cpu.ts',
    'check-apdus': 'src/bench/check-apdus.ts',
    'ble-latency-model': 'src/bench/ble-latency-model.ts',
    // Forked by card-host.ts: the vpcd card lives in its own process.
    'vpcd-card-host': 'src/vpcd-card-host.ts',
  },
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // esbuild bundles the card host only when running from TypeScript sources (tests).
  external: ['vitest', 'esbuild'],
});
