/**
 * Files shipped beside the code in this package (`workers/`, `bin/`): found by walking up from this
 * module, which sits under src/… in tests and under dist/… once built.
 *
 * @example
 * ```ts
 * new Worker(packageFile('workers', 'pg-sync-worker.mjs'));
 * ```
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageFile(...segments: string[]): string {
  const relative = join(...segments);
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(directory, relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`${relative} not found next to @kakunin/reception`);
    directory = parent;
  }
}
