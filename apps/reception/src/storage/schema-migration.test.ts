/**
 * Migration 4 (checks by numbers are stored: `qualification_check.mode` admits 'numbers') on a
 * database that the previous schema (migrations 1–3) created and filled, in both dialects: a real
 * SQLite file and a real PostgreSQL server (postgres-harness.ts; it fails loudly if it cannot start).
 * The old rows survive, the fallback record still points at its check, foreign keys are enforced
 * against the rebuilt table, 'numbers' is admitted and an unknown mode is still refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../testing/postgres-harness.js';
import { openReceptionDatabase, type ReceptionDatabase } from './database.js';
import { openPostgresDatabase } from './postgres-database.js';
import { migrationsFor } from './schema.js';

const PREVIOUS_VERSION = 3;
const insertCheck = (id: string, mode: string) =>
  `INSERT INTO qualification_check (id, started_at, staff_account, device_id, mode, status)
   VALUES ('${id}', '2026-12-01T00:00:00.000Z', 'demo', 'dev-1', '${mode}', 'result')`;
/** What the previous schema held: a finished PIN check and the fallback record that refers to it. */
const OLD_ROWS = [
  insertCheck('chk-old', 'pin'),
  `INSERT INTO fallback_record (id, check_id, created_at, staff_account, failure_category, evidence, data_json)
   VALUES ('fb-old', 'chk-old', '2026-12-01T00:01:00.000Z', 'demo', 2, 'card', '{}')`,
];

/** The same assertions on a migrated database, whichever adapter opened it. */
function expectMigrated(database: ReceptionDatabase): void {
  expect(
    database.get<{ id: string; mode: string; check_id: string }>(
      'SELECT c.id, c.mode, f.check_id FROM fallback_record f JOIN qualification_check c ON c.id = f.check_id',
    ),
  ).toEqual({ id: 'chk-old', mode: 'pin', check_id: 'chk-old' });
  database.run(insertCheck('chk-numbers', 'numbers'));
  expect(
    database.get<{ mode: string }>("SELECT mode FROM qualification_check WHERE id = 'chk-numbers'"),
  ).toEqual({ mode: 'numbers' });
  expect(() => database.run(insertCheck('chk-bogus', 'bogus'))).toThrow(/check/i);
  expect(() =>
    database.run(
      `INSERT INTO fallback_record (id, check_id, created_at, staff_account, failure_category, evidence, data_json)
       VALUES ('fb-orphan', 'chk-missing', '2026-12-01T00:02:00.000Z', 'demo', 2, 'card', '{}')`,
    ),
  ).toThrow(/foreign key/i);
}

describe('schema migration 4 on a SQLite file made by the previous schema', () => {
  const directory = mkdtempSync(join(tmpdir(), 'kakunin-migration-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('rebuilds qualification_check keeping rows and references', () => {
    const path = join(directory, 'reception.db');
    const old = new BetterSqlite3(path);
    old.pragma('foreign_keys = ON');
    for (const sql of migrationsFor('sqlite').slice(0, PREVIOUS_VERSION)) old.exec(sql);
    old.pragma(`user_version = ${PREVIOUS_VERSION}`);
    for (const sql of OLD_ROWS) old.exec(sql);
    // The previous schema refuses the mode: that is what the migration changes.
    expect(() => old.exec(insertCheck('chk-numbers', 'numbers'))).toThrow(/CHECK constraint/);
    old.close();

    const database = openReceptionDatabase({ path });
    try {
      expect(database.get<{ user_version: number }>('PRAGMA user_version')).toEqual({
        user_version: migrationsFor('sqlite').length,
      });
      expectMigrated(database);
      expect(database.all('PRAGMA foreign_key_check')).toEqual([]);
      expect(database.all<{ table: string }>('PRAGMA foreign_key_list(fallback_record)')[0]?.table).toBe(
        'qualification_check',
      );
    } finally {
      database.close();
    }
  });
});

describe('schema migration 4 on a PostgreSQL database made by the previous schema', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('replaces the mode constraint keeping rows and references', async () => {
    const url = await server.createDatabase(`migration_${process.pid}`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('CREATE TABLE schema_version (version INTEGER NOT NULL)');
      for (const sql of migrationsFor('postgres').slice(0, PREVIOUS_VERSION)) await client.query(sql);
      await client.query('INSERT INTO schema_version (version) VALUES ($1)', [PREVIOUS_VERSION]);
      for (const sql of OLD_ROWS) await client.query(sql);
      await expect(client.query(insertCheck('chk-numbers', 'numbers'))).rejects.toThrow(/check constraint/);
    } finally {
      await client.end();
    }

    const database = openPostgresDatabase({ url, desk: 'desk-1' });
    try {
      expect(database.get<{ version: number }>('SELECT version FROM schema_version')).toEqual({
        version: migrationsFor('postgres').length,
      });
      expectMigrated(database);
    } finally {
      database.close();
    }
  });
});
