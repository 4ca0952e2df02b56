import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { main: 'src/main.ts' },
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  // The limbo harness is test tooling (tools/conformance, TypeScript source): bundled into the CLI.
  noExternal: ['@kakunin/tools-conformance'],
});
