/**
 * Paths of the checkout, found from this file (works from src/ under vitest and from dist/).
 *
 * @example
 * ```ts
 * join(repositoryRoot(), '..', 'shared', 'data');
 * ```
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root (the directory with pnpm-workspace.yaml). */
export function repositoryRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'pnpm-workspace.yaml'))) {
    const parent = dirname(directory);
    if (parent === directory)
      throw new Error('repositoryRoot: pnpm-workspace.yaml not found above this file');
    directory = parent;
  }
  return directory;
}
