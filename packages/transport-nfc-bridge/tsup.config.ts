import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.library.js';

export default defineConfig(
  libraryBuild({
    index: 'src/index.ts',
    'protocol/index': 'src/protocol/index.ts',
    'relay/index': 'src/relay/index.ts',
  }),
);
