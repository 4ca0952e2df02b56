import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.library.js';

export default defineConfig(
  libraryBuild(
    { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
    // noble is loaded lazily (dynamic import) only when real hardware is used.
    { external: ['@abandonware/noble'] },
  ),
);
