/**
 * The crash corpus: every input that ever broke a rule, one JSON file per input under
 * `tools/reliability/corpus/crashes/<target>/`, replayed as tests forever after. Files are
 * written by the nightly run (and by hand when a finding is fixed, with a note saying what the
 * fix was).
 *
 * @example
 * ```ts
 * for (const entry of await loadCrashCorpus(corpusDirectory)) await executeConfirmed(fuzzTarget(entry.target), entry.input);
 * ```
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from './fuzz-engine.js';

export interface CrashEntry {
  readonly target: string;
  readonly kind: string;
  /** What went wrong when it was found. */
  readonly message: string;
  readonly input: Uint8Array;
  /** What was fixed (filled in by hand once it is). */
  readonly note?: string;
  readonly file: string;
}

interface CrashFile {
  readonly target: string;
  readonly kind: string;
  readonly message: string;
  readonly inputHex: string;
  readonly found: string;
  readonly note?: string;
}

/** tools/reliability/corpus/crashes (works from src/ under vitest and from dist/ when built). */
export function defaultCrashDirectory(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!directory.endsWith(`${join('tools', 'reliability')}`) && dirname(directory) !== directory)
    directory = dirname(directory);
  return join(directory, 'corpus', 'crashes');
}

/** Every saved crash. */
export async function loadCrashCorpus(directory = defaultCrashDirectory()): Promise<CrashEntry[]> {
  const entries: CrashEntry[] = [];
  for (const target of await readdir(directory).catch(() => [] as string[])) {
    const targetDirectory = join(directory, target);
    for (const name of await readdir(targetDirectory).catch(() => [] as string[])) {
      if (!name.endsWith('.json')) continue;
      const file = join(targetDirectory, name);
      const parsed = JSON.parse(await readFile(file, 'utf8')) as CrashFile;
      entries.push({
        target: parsed.target,
        kind: parsed.kind,
        message: parsed.message,
        input: new Uint8Array(Buffer.from(parsed.inputHex, 'hex')),
        ...(parsed.note === undefined ? {} : { note: parsed.note }),
        file,
      });
    }
  }
  return entries;
}

/** Saves a finding (idempotent: the file name is a hash of target and input). */
export async function saveCrash(finding: Finding, directory = defaultCrashDirectory()): Promise<string> {
  const hash = createHash('sha256').update(finding.target).update(finding.input).digest('hex').slice(0, 16);
  const file = join(directory, finding.target, `${finding.kind}-${hash}.json`);
  const content: CrashFile = {
    target: finding.target,
    kind: finding.kind,
    message: finding.message,
    inputHex: Buffer.from(finding.input).toString('hex'),
    found: new Date().toISOString(),
  };
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(content, null, 2)}\n`, { flag: 'wx' }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    },
  );
  return file;
}
