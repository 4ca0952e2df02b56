/**
 * Opens the reception SQLite database (better-sqlite3) in WAL mode, applies the migrations and hands
 * out a small typed wrapper. All multi-statement writes go through {@link ReceptionDatabase.write},
 * an IMMEDIATE transaction, so a failure leaves nothing half-written.
 *
 * @example
 * ```ts
 * const database = openReceptionDatabase({ path: ':memory:' });
 * database.write(() => database.run('INSERT INTO setting (key, value) VALUES (?, ?)', 'a', '1'));
 * database.close();
 * ```
 */
import { chmodSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { type DatabaseFilesReport, databaseSideFiles, secureDatabaseFiles } from './file-permissions.js';
import { migrationsFor } from './schema.js';

export type SqlValue = string | number | bigint | Uint8Array | null;

export interface ReceptionDatabaseOptions {
  /** File path, or `:memory:` for tests. */
  readonly path: string;
  /** How long a writer waits for another connection's lock (ms). */
  readonly busyTimeoutMs?: number;
}

/**
 * The storage port: every service reads and writes through it, synchronously. Two adapters:
 * SQLite (this file; the embedded default, one desk) and PostgreSQL (postgres-database.ts; several
 * desks sharing one database). The SQL the services send is the common subset of both dialects.
 */
export interface ReceptionDatabase {
  readonly kind: 'sqlite' | 'postgres';
  /** This desk's name (PostgreSQL); undefined for SQLite (one file, one desk). */
  readonly desk: string | undefined;
  /** e.g. `SQLite 3.50.4` or `PostgreSQL 15.14`. */
  readonly serverVersion: string;
  /** The journal mode actually in force (`wal` for files, `memory` for `:memory:`, `postgres`). */
  readonly journalMode: string;
  readonly sqliteVersion: string;
  /** The file permission check done at open (undefined for `:memory:`). */
  readonly files: DatabaseFilesReport | undefined;
  get<T>(sql: string, ...parameters: SqlValue[]): T | undefined;
  all<T>(sql: string, ...parameters: SqlValue[]): T[];
  run(sql: string, ...parameters: SqlValue[]): { changes: number; lastInsertRowid: number | bigint };
  /** Runs `body` in one IMMEDIATE transaction; rolls back if it throws. Nested calls join the outer one. */
  write<T>(body: () => T): T;
  /**
   * Runs `callback` once the current outermost transaction has committed (at once outside a
   * transaction; never if it rolls back). For effects outside the database, e.g. the audit anchor.
   * A callback that throws is ignored: the data is committed already.
   */
  afterCommit(callback: () => void): void;
  close(): void;
}

/** Opens (creating if needed) and migrates the database. */
export function openReceptionDatabase(options: ReceptionDatabaseOptions): ReceptionDatabase {
  if (typeof options?.path !== 'string' || options.path.length === 0) {
    throw new TypeError('openReceptionDatabase: options.path must be a non-empty string');
  }
  const inMemory = options.path === ':memory:';
  // 0700 directory, 0600 files (SQLite gives -wal/-shm the mode of the database file).
  const files = inMemory ? undefined : secureDatabaseFiles(options.path);
  const database = new BetterSqlite3(options.path);
  database.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
  const journalMode = String(database.pragma('journal_mode = WAL', { simple: true })).toLowerCase();
  database.pragma('synchronous = NORMAL');
  migrate(database);
  database.pragma('foreign_keys = ON');
  const sqliteVersion = String(
    (database.prepare('SELECT sqlite_version() AS version').get() as { version: string }).version,
  );
  if (!inMemory) {
    for (const side of databaseSideFiles(options.path)) {
      try {
        chmodSync(side, 0o600);
      } catch {
        // Not there (yet): SQLite creates it with the database file's mode.
      }
    }
  }
  let pending: (() => void)[] | undefined;
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string): BetterSqlite3.Statement => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = database.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const normalize = (parameters: SqlValue[]): unknown[] =>
    parameters.map((value) =>
      value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value) : value,
    );
  return {
    kind: 'sqlite',
    desk: undefined,
    serverVersion: `SQLite ${sqliteVersion}`,
    journalMode,
    sqliteVersion,
    files,
    get: <T>(sql: string, ...parameters: SqlValue[]) =>
      prepare(sql).get(...normalize(parameters)) as T | undefined,
    all: <T>(sql: string, ...parameters: SqlValue[]) => prepare(sql).all(...normalize(parameters)) as T[],
    run: (sql, ...parameters) => {
      const info = prepare(sql).run(...normalize(parameters));
      return { changes: info.changes, lastInsertRowid: info.lastInsertRowid };
    },
    write: <T>(body: () => T): T => {
      if (database.inTransaction) return body();
      pending = [];
      let callbacks: (() => void)[] = [];
      try {
        const result = database.transaction(body).immediate();
        callbacks = pending;
        return result;
      } finally {
        pending = undefined;
        runCallbacks(callbacks);
      }
    },
    afterCommit: (callback) => {
      if (pending !== undefined) pending.push(callback);
      else runCallbacks([callback]);
    },
    close: () => {
      statements.clear();
      if (database.open) database.close();
    },
  };
}

/**
 * Brings the file to the latest schema version (`user_version`), one transaction per migration.
 * Foreign keys are off meanwhile (a table rebuild drops a referenced table: SQLite's documented
 * procedure) and checked before each migration commits; the caller turns them on afterwards.
 */
function migrate(database: BetterSqlite3.Database): void {
  const migrations = migrationsFor('sqlite');
  database.pragma('foreign_keys = OFF');
  const current = Number(database.pragma('user_version', { simple: true }));
  for (let version = current; version < migrations.length; version += 1) {
    database.transaction(() => {
      database.exec(migrations[version]!);
      const broken = database.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new Error(`migration ${version + 1} broke ${broken.length} foreign keys`);
      database.pragma(`user_version = ${version + 1}`);
    })();
  }
}

/** Runs after-commit callbacks; one that throws does not stop the others. */
export function runCallbacks(callbacks: readonly (() => void)[]): void {
  for (const callback of callbacks) {
    try {
      callback();
    } catch {
      // committed already; the callback's own effect is lost, not the data
    }
  }
}
