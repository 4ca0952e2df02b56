/**
 * Bounded concurrent load on loopback: several clients write fallback records through the HTTP
 * API at once; SQLite (WAL, IMMEDIATE transactions) must lose none and keep the audit chain
 * intact. A second connection reads while the server writes (WAL readers do not block).
 */
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../testing/api-client.js';
import { readyClient, startTestServer, type TestServer } from '../testing/test-server.js';

const CLIENTS = 4;
const RECORDS_PER_CLIENT = 50;
const CONCURRENCY_PER_CLIENT = 5;

describe('concurrent API writes (WAL)', () => {
  let harness: TestServer;

  beforeAll(async () => {
    harness = await startTestServer({ seed: true });
  });
  afterAll(() => harness?.close());

  it('uses WAL on a file database', () => {
    expect(harness.server.services.database.journalMode).toBe('wal');
  });

  it('loses no record under bounded concurrent load, while another connection reads', async () => {
    const clients: ApiClient[] = [];
    for (let index = 0; index < CLIENTS; index += 1) clients.push(await readyClient(harness, `load${index}`));
    const reader = new BetterSqlite3(harness.dbPath, { readonly: true });
    let reads = 0;
    const readTimer = setInterval(() => {
      reader.prepare('SELECT COUNT(*) AS count FROM fallback_record').get();
      reads += 1;
    }, 5);
    const started = performance.now();
    try {
      await Promise.all(
        clients.map(async (client, clientIndex) => {
          let next = 0;
          const worker = async (): Promise<void> => {
            while (next < RECORDS_PER_CLIENT) {
              const sequence = next++;
              const response = await client.post('/api/fallbacks', {
                failureCategory: 1,
                evidence: 'eligibility-certificate',
                data: { insurerNumber: '138057', note: `c${clientIndex}-${sequence}` },
              });
              expect(response.status).toBe(201);
            }
          };
          await Promise.all(Array.from({ length: CONCURRENCY_PER_CLIENT }, worker));
        }),
      );
    } finally {
      clearInterval(readTimer);
    }
    const elapsed = performance.now() - started;
    const total = CLIENTS * RECORDS_PER_CLIENT;
    const notes = reader
      .prepare("SELECT json_extract(data_json, '$.note') AS note FROM fallback_record")
      .all()
      .map((row) => (row as { note: string }).note);
    reader.close();
    expect(new Set(notes).size).toBe(total);
    expect(notes).toHaveLength(total);
    expect(harness.server.services.audit.verify().ok).toBe(true);
    expect(reads).toBeGreaterThan(0);
    // a figure for the report, not an assertion on speed
    console.info(
      `concurrent-writes: ${total} records from ${CLIENTS}×${CONCURRENCY_PER_CLIENT} in ${Math.round(elapsed)} ms`,
    );
  });
});
