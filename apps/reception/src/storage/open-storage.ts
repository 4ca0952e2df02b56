/**
 * Chooses the storage adapter from `--db`: a `postgres://` (or `postgresql://`) URL opens the
 * PostgreSQL adapter (several desks, one database), anything else is a SQLite file (or `:memory:`).
 *
 * @example
 * ```ts
 * const database = openStorage({ db: '.kakunin/reception.db' });
 * const shared = openStorage({ db: 'postgres://kakunin@db.local/kakunin', desk: 'desk-2' });
 * ```
 */
import { hostname } from 'node:os';
import { openReceptionDatabase, type ReceptionDatabase } from './database.js';
import { openPostgresDatabase } from './postgres-database.js';

export interface OpenStorageOptions {
  readonly db: string;
  /** This desk's name (PostgreSQL; default: the host name). */
  readonly desk?: string;
}

export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

export function openStorage(options: OpenStorageOptions): ReceptionDatabase {
  if (typeof options?.db !== 'string' || options.db.length === 0)
    throw new TypeError('openStorage: options.db must be a non-empty string');
  if (isPostgresUrl(options.db)) {
    return openPostgresDatabase({ url: options.db, desk: options.desk ?? hostname().slice(0, 64) });
  }
  return openReceptionDatabase({ path: options.db });
}

/** Marks checks this desk left unfinished (a crash, a kill) as interrupted; returns how many. */
export function markInterruptedChecks(database: ReceptionDatabase, at: Date): number {
  // The unfinished states of a check (check-service.ts CheckStatus); every other status is final.
  const open = "status IN ('waiting-card', 'pin-entry', 'visual-attest', 'querying')";
  return database.write(() =>
    database.kind === 'postgres'
      ? database.run(
          `UPDATE qualification_check SET status = 'interrupted', finished_at = ?, error_code = 'INTERRUPTED' WHERE ${open} AND desk = ?`,
          at.toISOString(),
          database.desk ?? '',
        ).changes
      : database.run(
          `UPDATE qualification_check SET status = 'interrupted', finished_at = ?, error_code = 'INTERRUPTED' WHERE ${open}`,
          at.toISOString(),
        ).changes,
  );
}
