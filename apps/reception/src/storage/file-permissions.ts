/**
 * The database holds personal data and password hashes: its directory must be private (0700) and
 * its files (the database and SQLite's `-wal`, `-shm`, `-journal`) 0600, whatever the umask.
 * Checked at every start, before SQLite opens the file: too-open modes are fixed, and a directory
 * that others may write into (and that is not sticky, like /tmp) is refused.
 *
 * @example
 * ```ts
 * const report = secureDatabaseFiles('.kakunin/reception.db'); // creates .kakunin 0700, the file 0600
 * ```
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/** Typed refusal: the database cannot be kept private where it is. */
export class DatabasePermissionError extends Error {
  override readonly name = 'DatabasePermissionError';
  readonly code = 'DATABASE_NOT_PRIVATE';
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

export interface DatabaseFilesReport {
  readonly directory: string;
  readonly directoryMode: number;
  readonly fileMode: number;
  /** Paths whose mode was tightened at this start. */
  readonly fixed: readonly string[];
}

/** The directory names the app treats as its own (made private even when they already exist). */
const OWN_DIRECTORY_NAMES = new Set(['.kakunin']);
const SIDE_FILES = ['-wal', '-shm', '-journal'];
const STICKY = 0o1000;

/** SQLite's side files of `path` (for the second check after opening). */
export function databaseSideFiles(path: string): string[] {
  return SIDE_FILES.map((suffix) => `${path}${suffix}`);
}

/** Creates or checks the database's directory and files; see the module comment. */
export function secureDatabaseFiles(path: string): DatabaseFilesReport {
  const file = resolve(path);
  const directory = dirname(file);
  const fixed: string[] = [];
  let created = false;
  if (!existsSync(directory)) {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    created = true;
  }
  let directoryMode = statSync(directory).mode & 0o7777;
  if ((directoryMode & 0o077) !== 0) {
    if (created || OWN_DIRECTORY_NAMES.has(basename(directory))) {
      tighten(directory, 0o700);
      fixed.push(directory);
      directoryMode = 0o700;
    } else if ((directoryMode & 0o022) !== 0 && (directoryMode & STICKY) === 0) {
      throw new DatabasePermissionError(
        directory,
        `the database directory ${directory} may be written by other users (mode ${octal(directoryMode)}); use a private directory such as .kakunin/`,
      );
    }
  }
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const candidate of [file, ...databaseSideFiles(file)]) {
    if (!existsSync(candidate)) continue;
    const mode = statSync(candidate).mode & 0o777;
    if (mode !== 0o600) {
      tighten(candidate, 0o600);
      fixed.push(candidate);
    }
  }
  return { directory, directoryMode, fileMode: statSync(file).mode & 0o777, fixed };
}

function tighten(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch (error) {
    throw new DatabasePermissionError(
      path,
      `cannot make ${path} private (mode ${octal(mode)}): ${(error as Error).message}`,
    );
  }
}

function octal(mode: number): string {
  return `0${mode.toString(8)}`;
}
