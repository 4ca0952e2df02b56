import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'transport/index': 'src/transport/index.ts',
    'iso7816/index': 'src/iso7816/index.ts',
    'jpki/index': 'src/jpki/index.ts',
    'der/index': 'src/der/index.ts',
    'x509/index': 'src/x509/index.ts',
    'remedies/index': 'src/remedies/index.ts',
    'compat/index': 'src/compat/index.ts',
    'cms/index': 'src/cms/index.ts',
  },
  // ESM + CommonJS (docs/decisions/0017-dual-esm-cjs-builds.md); shims give the CJS build import.meta.url.
  format: ['esm', 'cjs'],
  shims: true,
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
});
