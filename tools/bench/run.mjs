#!/usr/bin/env node
// `pnpm bench`: runs every vitest bench (*.bench.ts in every project) in one process run, then every
// standalone measurement script registered in scripts.json (child processes: memory figures need a
// clean heap), and writes all results to bench-results/latest.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(root, 'bench-results');
mkdirSync(outDir, { recursive: true });
const filter = process.argv.slice(2);

const vitestJson = join(outDir, 'vitest.tmp.json');
const vitest = spawnSync(
  'pnpm',
  ['exec', 'vitest', 'bench', '--run', '--outputJson', vitestJson, ...filter],
  { cwd: root, stdio: 'inherit' },
);
if (vitest.status !== 0) process.exit(vitest.status ?? 1);

const results = {
  date: new Date().toISOString(),
  node: process.version,
  vitest: JSON.parse(readFileSync(vitestJson, 'utf8')),
  scripts: {},
};
const registry = join(root, 'tools/bench/scripts.json');
if (existsSync(registry) && filter.length === 0) {
  for (const { name, command } of JSON.parse(readFileSync(registry, 'utf8'))) {
    process.stderr.write(`\n[bench] ${name}: ${command.join(' ')}\n`);
    const run = spawnSync(command[0], command.slice(1), {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) {
      process.stderr.write(`[bench] ${name} failed with ${run.status}\n`);
      process.exit(run.status ?? 1);
    }
    process.stdout.write(run.stdout);
    const lastLine = run.stdout.trim().split('\n').at(-1) ?? '{}';
    try {
      results.scripts[name] = JSON.parse(lastLine);
    } catch {
      results.scripts[name] = { output: run.stdout };
    }
  }
}
writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
process.stderr.write(`\n[bench] results written to bench-results/latest.json\n`);
if (filter.length === 0) {
  // Regenerate the README's performance table from this run (tools/perf).
  const update = spawnSync(process.execPath, [join(root, 'tools/perf/src/update-readme.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (update.status !== 0) process.exit(update.status ?? 1);
}
