/**
 * PIN hygiene of the reception app: PIN-mode checks with a distinctive PIN (right, wrong, the
 * last try refused then confirmed) through its public HTTP API on a file database, then every
 * HTTP response body, every row of every table, and the raw database, WAL and shared-memory files
 * are scanned for the PINs: zero hits.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startReceptionFixture } from '../app/reception-fixture.js';
import { SecretScanner } from './pin-scanner.js';

const AUTH_PIN = '4721';
const WRONG_PIN = '9386';
/** A second wrong PIN: the app refuses a PIN already refused in the same check. */
const WRONG_PIN_2 = '9837';
const encoder = new TextEncoder();

describe('PIN hygiene of the reception app (HTTP API, SQLite file)', () => {
  it('no PIN in any response, row or database file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'kakunin-reception-hygiene-'));
    const dbPath = join(directory, 'reception.db');
    const scanner = new SecretScanner([
      { label: 'auth PIN', value: AUTH_PIN },
      { label: 'wrong PIN', value: WRONG_PIN },
      { label: 'second wrong PIN', value: WRONG_PIN_2 },
    ]);
    try {
      const app = await startReceptionFixture({ dbPath, authPin: AUTH_PIN });
      const client = await app.staffClient('hygiene');
      const statuses: string[] = [];
      for (const wrongTries of [0, 1, 2]) {
        const start = await client.post('/api/checks', { mode: 'pin' });
        const id = start.json.id as string;
        expect((await client.settle(id)).json.status).toBe('pin-entry');
        for (let attempt = 0; attempt < wrongTries; attempt++)
          statuses.push(
            (
              await client.post(
                `/api/checks/${id}/pin`,
                encoder.encode(attempt === 0 ? WRONG_PIN : WRONG_PIN_2),
              )
            ).json.status,
          );
        let done = await client.post(`/api/checks/${id}/pin`, encoder.encode(AUTH_PIN));
        if (done.json.guidance?.code === 'LAST_TRY_REFUSED') {
          statuses.push('refused');
          done = await client.post(`/api/checks/${id}/pin`, encoder.encode(AUTH_PIN), {
            'x-kakunin-confirm-last-try': 'yes',
          });
        }
        statuses.push(done.json.status);
      }
      expect(statuses).toEqual([
        'result',
        'pin-entry',
        'result',
        'pin-entry',
        'pin-entry',
        'refused',
        'result',
      ]);
      for (const entry of client.log)
        scanner.bytes(`HTTP ${entry.method} ${entry.path} response`, entry.body);
      const database = app.server.services.database;
      const tables = database.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'");
      let rows = 0;
      for (const { name } of tables) {
        for (const row of database.all<Record<string, unknown>>(`SELECT * FROM "${name}"`)) {
          rows++;
          scanner.text(
            `table ${name}`,
            JSON.stringify(row, (_key, value) =>
              value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
            ),
          );
        }
      }
      // The raw files, before and after the final checkpoint on close.
      const scanFiles = async (when: string): Promise<number> => {
        let bytes = 0;
        for (const file of await readdir(directory)) {
          const content = new Uint8Array(await readFile(join(directory, file)));
          bytes += content.length;
          scanner.bytes(`${when}: ${file}`, content);
        }
        return bytes;
      };
      const openBytes = await scanFiles('open');
      await app.close();
      const closedBytes = await scanFiles('closed');
      console.log(
        'reception PIN hygiene',
        JSON.stringify({
          responses: client.log.length,
          tables: tables.length,
          rows,
          openBytes,
          closedBytes,
          hits: scanner.hits.length,
        }),
      );
      expect(rows).toBeGreaterThan(20);
      expect(scanner.hits).toEqual([]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 60_000);
});
