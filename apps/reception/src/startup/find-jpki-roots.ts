/**
 * Finds the J-LIS root directory for production trust: an explicit directory (the
 * `--trust-roots` option or `KAKUNIN_JPKI_ROOTS`), else the reference material next to the
 * checkout (`../shared/data/jpki-roots`, from the working directory and from the repository
 * root) when it is present. Nothing is bundled: without a directory the app runs with no
 * production anchors (real cards then fail validation with CHAIN_UNTRUSTED, and say so).
 *
 * @example
 * ```ts
 * const roots = await findJpkiRoots({ env: process.env });
 * roots?.loaded.length; // 4 on a development checkout
 * ```
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type JpkiTrustAnchors, loadJpkiTrustAnchors } from '../certificates/jpki-trust-anchors.js';

/** Where the reference data sits relative to a checkout (the repository's sibling `shared/`). */
const SHARED_ROOTS = join('..', 'shared', 'data', 'jpki-roots');

/** The nearest ancestor of `start` holding pnpm-workspace.yaml (the repository root), if any. */
function repositoryRoot(start: string): string | undefined {
  let directory = start;
  for (;;) {
    if (existsSync(join(directory, 'pnpm-workspace.yaml'))) return directory;
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

export interface FindJpkiRootsOptions {
  /** Explicit directory: must exist (an error otherwise). */
  readonly directory?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Working directory (default process.cwd()). */
  readonly cwd?: string;
}

/**
 * The loaded roots, or undefined when no directory is configured or found.
 *
 * @example
 * ```ts
 * const roots = await findJpkiRoots({ directory: '/etc/kakunin/jpki-roots' });
 * ```
 */
export async function findJpkiRoots(
  options: FindJpkiRootsOptions = {},
): Promise<JpkiTrustAnchors | undefined> {
  const explicit = options.directory ?? options.env?.KAKUNIN_JPKI_ROOTS;
  if (explicit !== undefined && explicit !== '') return loadJpkiTrustAnchors(resolve(explicit));
  const root = repositoryRoot(dirname(fileURLToPath(import.meta.url)));
  const candidates = [
    resolve(options.cwd ?? process.cwd(), SHARED_ROOTS),
    ...(root === undefined ? [] : [resolve(root, SHARED_ROOTS)]),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  return found === undefined ? undefined : loadJpkiTrustAnchors(found);
}
