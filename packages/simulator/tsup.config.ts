import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'pki/index': 'src/pki/index.ts',
    'faults/index': 'src/faults/index.ts',
    'transcripts/index': 'src/transcripts/index.ts',
    'vpcd/index': 'src/vpcd/index.ts',
  },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
