/**
 * The J-LIS trust anchors for production: the registry compiled into `@kakunin/core/x509` plus the
 * roots added to this machine's configuration directory (`KAKUNIN_CONFIG_DIR`, or `directory` —
 * the `--trust-roots` option — naming another configuration directory). Nothing is read from
 * ../shared.
 *
 * @example
 * ```ts
 * const roots = await findJpkiRoots({ env: process.env });
 * roots.loaded.length; // 4 compiled-in roots, plus any added ones
 * ```
 */
import { type JpkiTrustAnchors, loadJpkiTrustAnchors } from '../certificates/jpki-trust-anchors.js';

export interface FindJpkiRootsOptions {
  /** A configuration directory to use instead of the per-machine one. */
  readonly directory?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Unused (kept for callers of the directory-based version). */
  readonly cwd?: string;
}

/**
 * The loaded roots (never undefined: the compiled-in roots are always there).
 *
 * @example
 * ```ts
 * const roots = await findJpkiRoots({ env: process.env });
 * ```
 */
export async function findJpkiRoots(
  options: FindJpkiRootsOptions = {},
): Promise<JpkiTrustAnchors | undefined> {
  const env = options.env ?? process.env;
  const directory = options.directory ?? env.KAKUNIN_JPKI_ROOTS;
  return loadJpkiTrustAnchors({
    env: directory === undefined || directory === '' ? env : { ...env, KAKUNIN_CONFIG_DIR: directory },
  });
}
