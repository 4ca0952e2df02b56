/**
 * The app's J-LIS trust anchors: the registry compiled into `@kakunin/core/x509` (2015 and 2023
 * roots embedded and pinned by SHA-256; the 2019 generation known by its facts) plus the roots
 * an operator added to this machine's configuration directory (`kakunin trust add`, or the
 * settings page). No directory is needed and nothing is read from ../shared.
 *
 * @example
 * ```ts
 * const roots = await loadJpkiTrustAnchors({ env: process.env });
 * roots.loaded.map((root) => root.id); // ['authca01', 'signca01', 'authca03', 'signca03']
 * roots.missing.map((root) => root.id); // ['authca02', 'signca02'] until the 2019 roots are added
 * ```
 */

import { loadJpkiTrustStore, type TrustConfigOptions } from '@kakunin/core/trust-store';
import type { JpkiRootGeneration } from '@kakunin/core/x509';

export interface LoadedJpkiRoot {
  /** `built-in` for compiled-in roots, else the file in the configuration directory. */
  readonly file: string;
  readonly purpose: 'auth' | 'sign';
  /** J-LIS's root id (`authca03` …). */
  readonly id: string;
  readonly generation: number;
  readonly source: 'built-in' | 'added';
  /** SHA-256 fingerprint (upper-case hex). */
  readonly sha256: string;
  readonly notAfter: string;
}

export interface JpkiTrustAnchors {
  /** The configuration directory holding added roots. */
  readonly directory: string;
  /** DER of every accepted root. */
  readonly anchors: readonly Uint8Array[];
  readonly loaded: readonly LoadedJpkiRoot[];
  /** Known generations without a root (e.g. the 2019 roots until an operator adds them). */
  readonly missing: readonly JpkiRootGeneration[];
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
}

/**
 * The compiled-in roots plus the installed ones.
 *
 * @example
 * ```ts
 * const { anchors } = await loadJpkiTrustAnchors();
 * ```
 */
export async function loadJpkiTrustAnchors(options: TrustConfigOptions = {}): Promise<JpkiTrustAnchors> {
  if (options === null || typeof options !== 'object')
    throw new TypeError('loadJpkiTrustAnchors: options must be an object');
  const store = await loadJpkiTrustStore(options);
  return {
    directory: store.directory,
    anchors: store.roots.map((root) => root.certificate.der),
    loaded: store.roots.map((root) => ({
      file: root.source === 'built-in' ? 'built-in' : `${root.generation.id}.json`,
      purpose: root.generation.purpose,
      id: root.generation.id,
      generation: root.generation.generation,
      source: root.source,
      sha256: root.sha256,
      notAfter: root.certificate.notAfter.toISOString(),
    })),
    missing: store.missing,
    skipped: store.skipped,
  };
}
