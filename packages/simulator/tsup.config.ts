import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.library.js';

export default defineConfig(
  libraryBuild({
    index: 'src/index.ts',
    'pki/index': 'src/pki/index.ts',
    'faults/index': 'src/faults/index.ts',
    'transcripts/index': 'src/transcripts/index.ts',
    'vpcd/index': 'src/vpcd/index.ts',
  }),
);
