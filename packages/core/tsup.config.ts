import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.library.js';

export default defineConfig(
  libraryBuild(
    {
      index: 'src/index.ts',
      'transport/index': 'src/transport/index.ts',
      'iso7816/index': 'src/iso7816/index.ts',
      'jpki/index': 'src/jpki/index.ts',
      'der/index': 'src/der/index.ts',
      'x509/index': 'src/x509/index.ts',
      'remedies/index': 'src/remedies/index.ts',
      'compat/index': 'src/compat/index.ts',
      'cms/index': 'src/cms/index.ts',
      // Node only (node:fs/net/tls): never imported by the browser-safe entries above.
      'trust-store/index': 'src/trust-store/index.ts',
      'diagnostics/index': 'src/diagnostics/index.ts',
    },
    { treeshake: true },
  ),
);
