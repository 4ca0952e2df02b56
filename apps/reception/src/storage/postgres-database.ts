/**
 * The PostgreSQL adapter of the storage port ({@link ReceptionDatabase}), for several desks sharing
 * one database (`--db postgres://…`). The services use the port synchronously, as with SQLite; the
 * `pg` client runs on a worker thread (workers/pg-sync-worker.mjs) and each statement waits for it
 * with Atomics.wait. The translation is small because the app's SQL is the common subset:
 * `?` placeholders become `$n`, an INSERT into a table with a generated key returns that key
 * (`lastInsertRowid`), and {@link ReceptionDatabase.write} is one transaction holding a
 * transaction-scoped advisory lock, so writers from every desk are serialised exactly like
 * SQLite's IMMEDIATE transactions (the lockout counter, the audit chain and the patient versions
 * stay consistent across desks).
 *
 * @example
 * ```ts
 * const database = openPostgresDatabase({ url: 'postgres://kakunin@/kakunin?host=/run/postgresql', desk: 'desk-1' });
 * database.write(() => database.run('INSERT INTO setting (key, value) VALUES (?, ?)', 'a', '1'));
 * database.close();
 * ```
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { packageFile } from '../package-files.js';
import { type ReceptionDatabase, runCallbacks, type SqlValue } from './database.js';
import { migrationsFor } from './schema.js';

export interface PostgresDatabaseOptions {
  /** `postgres://user:password@host:port/database` (libpq URL; `?host=/dir` for a unix socket). */
  readonly url: string;
  /** This desk's name: checks it leaves unfinished are marked interrupted when it starts again. */
  readonly desk: string;
  /** How long a statement may retry while the server is unreachable (ms, default 15 000). */
  readonly reconnectMs?: number;
  /** Per-statement timeout on the server (ms, default 30 000). */
  readonly statementTimeoutMs?: number;
}

/** Typed failure: the database could not answer (down, restarting, unreachable). */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
  readonly code = 'STORAGE_UNAVAILABLE';
}

/** Typed failure of a statement (constraint, syntax); `sqlState` is PostgreSQL's SQLSTATE. */
export class StorageStatementError extends Error {
  override readonly name = 'StorageStatementError';
  readonly code: string;
  readonly sqlState: string | undefined;
  constructor(message: string, sqlState: string | undefined) {
    super(message);
    this.sqlState = sqlState;
    this.code = sqlState === '23505' ? 'STORAGE_UNIQUE_VIOLATION' : 'STORAGE_STATEMENT_FAILED';
  }
}

/** Tables whose key the database generates: an INSERT returns it as `lastInsertRowid`. */
const GENERATED_KEYS: Readonly<Record<string, string>> = {
  audit_event: 'seq',
  notice: 'id',
  patient_record: 'id',
  oqs_query_log: 'id',
};
/** One application-wide writer lock (pg_advisory_xact_lock key): "kakunin" in ASCII. */
const WRITE_LOCK_KEY = '30224936667605358';

/** `?` → `$1…`, outside quoted strings and identifiers. */
export function toPostgresPlaceholders(sql: string): string {
  let index = 0;
  let out = '';
  let quote: string | undefined;
  for (const character of sql) {
    if (quote !== undefined) {
      if (character === quote) quote = undefined;
      out += character;
    } else if (character === "'" || character === '"') {
      quote = character;
      out += character;
    } else if (character === '?') {
      index += 1;
      out += `$${index}`;
    } else out += character;
  }
  return out;
}

function withReturning(sql: string): { sql: string; key: string | undefined } {
  const match = /^\s*INSERT\s+INTO\s+([a-z_]+)/i.exec(sql);
  const key = match === null ? undefined : GENERATED_KEYS[match[1]!.toLowerCase()];
  if (key === undefined || /\bRETURNING\b/i.test(sql)) return { sql, key: undefined };
  return { sql: `${sql.trimEnd()} RETURNING ${key}`, key };
}

interface Reply {
  ok: boolean;
  rows?: Record<string, unknown>[];
  rowCount?: number;
  error?: { message: string; code?: string; connection: boolean };
}

/** Opens the adapter, applies the migrations (under the writer lock) and returns the port. */
export function openPostgresDatabase(options: PostgresDatabaseOptions): ReceptionDatabase {
  if (typeof options?.url !== 'string' || !/^postgres(ql)?:\/\//.test(options.url))
    throw new TypeError('openPostgresDatabase: options.url must be a postgres:// URL');
  if (typeof options.desk !== 'string' || options.desk.length === 0 || options.desk.length > 64)
    throw new TypeError('openPostgresDatabase: options.desk must be 1–64 characters');
  const reconnectMs = options.reconnectMs ?? 15_000;
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  const flagBuffer = new SharedArrayBuffer(4);
  const flag = new Int32Array(flagBuffer);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(packageFile('workers', 'pg-sync-worker.mjs'), {
    workerData: {
      connectionString: options.url,
      flag: flagBuffer,
      port: port2,
      desk: options.desk,
      reconnectMs,
      statementTimeoutMs,
    },
    transferList: [port2],
  });
  worker.unref();
  let closed = false;
  let depth = 0;
  /** The longest a statement may take: server timeout + reconnect window + slack. */
  const waitLimitMs = statementTimeoutMs + reconnectMs + 5_000;

  const call = (request: { op: string; sql?: string; params?: unknown[] }): Reply => {
    if (closed) throw new StorageUnavailableError('the database is closed');
    Atomics.store(flag, 0, 0);
    port1.postMessage(request);
    const outcome = Atomics.wait(flag, 0, 0, waitLimitMs);
    const message = receiveMessageOnPort(port1);
    if (message === undefined) {
      throw new StorageUnavailableError(
        outcome === 'timed-out'
          ? `no answer from PostgreSQL within ${waitLimitMs} ms`
          : 'no answer from PostgreSQL',
      );
    }
    const reply = message.message as Reply;
    if (!reply.ok) {
      const error = reply.error!;
      if (error.connection) throw new StorageUnavailableError(`PostgreSQL unavailable: ${error.message}`);
      throw new StorageStatementError(error.message, error.code);
    }
    return reply;
  };
  const normalize = (parameters: SqlValue[]): unknown[] =>
    parameters.map((value) =>
      typeof value === 'bigint' ? value.toString() : value instanceof Uint8Array ? Buffer.from(value) : value,
    );
  const query = (sql: string, parameters: SqlValue[], op = 'query'): Reply =>
    call({ op, sql: toPostgresPlaceholders(sql), params: normalize(parameters) });

  let pending: (() => void)[] | undefined;
  const write = <T>(body: () => T): T => {
    if (depth > 0) return body();
    query('BEGIN', [], 'begin');
    depth += 1;
    pending = [];
    try {
      query(`SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY})`, []);
      const result = body();
      query('COMMIT', [], 'end');
      const callbacks = pending;
      pending = undefined;
      runCallbacks(callbacks);
      return result;
    } catch (error) {
      try {
        query('ROLLBACK', [], 'end');
      } catch {
        // The connection is gone: so is the transaction.
      }
      throw error;
    } finally {
      depth -= 1;
      pending = undefined;
    }
  };

  // Migrations, once per database, whichever desk starts first.
  const migrations = migrationsFor('postgres');
  write(() => {
    query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)', []);
    const row = query('SELECT version FROM schema_version', []).rows![0] as { version: number } | undefined;
    if (row === undefined) query('INSERT INTO schema_version (version) VALUES (0)', []);
    for (let version = row?.version ?? 0; version < migrations.length; version += 1) {
      query(migrations[version]!, []);
      query('UPDATE schema_version SET version = ?', [version + 1]);
    }
  });
  const version = String(
    (query('SHOW server_version', []).rows![0] as { server_version: string }).server_version,
  );

  return {
    kind: 'postgres',
    desk: options.desk,
    journalMode: 'postgres',
    sqliteVersion: '',
    serverVersion: `PostgreSQL ${version}`,
    files: undefined,
    get: <T>(sql: string, ...parameters: SqlValue[]) => query(sql, parameters).rows![0] as T | undefined,
    all: <T>(sql: string, ...parameters: SqlValue[]) => query(sql, parameters).rows as T[],
    run: (sql, ...parameters) => {
      const { sql: statement, key } = withReturning(sql);
      const reply = query(statement, parameters);
      const generated = key === undefined ? 0 : Number(reply.rows?.[0]?.[key] ?? 0);
      return { changes: reply.rowCount ?? 0, lastInsertRowid: generated };
    },
    write,
    afterCommit: (callback) => {
      if (pending !== undefined) pending.push(callback);
      else runCallbacks([callback]);
    },
    close: () => {
      if (closed) return;
      try {
        call({ op: 'close' });
      } catch {
        // closing anyway
      }
      closed = true;
      port1.close();
      void worker.terminate();
    },
  };
}
