/**
 * Test helper: the two storage adapters as backends for ONE storage test suite. Each backend hands
 * out fresh stores (`newStore`): a SQLite file in a temporary directory, or a new database on a real
 * PostgreSQL server started once for the suite (postgres-harness.ts; it fails loudly when it
 * cannot start). Several desks share a store; they share its audit key file too.
 *
 * @example
 * ```ts
 * describe.each(STORAGE_BACKENDS)('$name', (backend) => { ... await backend.newStore('x') ... });
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PostgresServer, startPostgres } from './postgres-harness.js';

export interface TestStore {
  /** `--db`: a SQLite file path or a postgres:// URL. */
  readonly db: string;
  /** The audit key file all desks of this store share. */
  readonly auditKeyPath: string;
  /** A private state directory (audit anchor) for one desk. */
  deskDirectory(desk: string): string;
}

export interface StorageBackend {
  readonly name: 'sqlite' | 'postgres';
  start(): Promise<void>;
  newStore(name: string): Promise<TestStore>;
  /** PostgreSQL only: stop and start the server. */
  restart?(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

function temporaryStore(db: (directory: string) => string): TestStore & { directory: string } {
  const directory = mkdtempSync(join(tmpdir(), 'kakunin-store-'));
  return {
    directory,
    db: db(directory),
    auditKeyPath: join(directory, 'audit.key'),
    deskDirectory: (desk) => {
      const path = join(directory, `desk-${desk}`);
      return path;
    },
  };
}

export function sqliteBackend(): StorageBackend {
  const directories: string[] = [];
  return {
    name: 'sqlite',
    async start() {},
    async newStore() {
      const store = temporaryStore((directory) => join(directory, 'reception.db'));
      directories.push(store.directory);
      return store;
    },
    async stop() {
      for (const directory of directories) rmSync(directory, { recursive: true, force: true });
    },
  };
}

export function postgresBackend(): StorageBackend {
  let server: PostgresServer | undefined;
  const directories: string[] = [];
  return {
    name: 'postgres',
    async start() {
      server = await startPostgres();
    },
    async newStore(name) {
      if (server === undefined) throw new Error('postgres backend: start() first');
      const url = await server.createDatabase(name);
      const store = temporaryStore(() => url);
      directories.push(store.directory);
      return store;
    },
    async restart(options) {
      await server!.restart(options);
    },
    async stop() {
      await server?.stop();
      for (const directory of directories) rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Both adapters, for `describe.each`. */
export const STORAGE_BACKENDS: readonly (() => StorageBackend)[] = [sqliteBackend, postgresBackend];
