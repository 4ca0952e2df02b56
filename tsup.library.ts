import type { Options } from 'tsup';

/**
 * The build every published library shares (core, simulator and the three transports): ESM + CommonJS
 * (docs/decisions/0017-dual-esm-cjs-builds.md), shims so the CJS build has import.meta.url, declarations,
 * and one copy of shared modules across entry points in both formats. Each package's tsup.config.ts
 * names only its entry points and what stays external.
 */
export function libraryBuild(entry: Record<string, string>, extra: Partial<Options> = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    shims: true,
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: true,
    ...extra,
  };
}
