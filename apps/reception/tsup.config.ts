import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    main: 'src/main.ts',
    supervisor: 'src/startup/supervisor.ts',
    'load-run': 'src/load/load-run.ts',
    'oqs-standin': 'src/qualification/oqs-standin.ts',
  },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  external: ['better-sqlite3', 'pg'],
});
