/**
 * The reception app under a bounded concurrent load of its HTTP API on loopback: four staff
 * devices run PIN-mode checks back to back, each on its own card reader, while four more devices
 * read the state, the history, the patients and the readers and write fallback records. Every
 * check the API accepted must end in the database with its terminal status (nothing lost,
 * nothing half-written), every fallback record must be there, and the audit chain must verify.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HttpClient } from './http-client.js';
import { startReceptionFixture } from './reception-fixture.js';

const AUTH_PIN = '4721';
const CHECKERS = 4;
const CHECKS_PER_CHECKER = 10;
const READERS_CLIENTS = 4;
const FALLBACKS_PER_CLIENT = 15;

describe('reception app: concurrent HTTP load loses no record', () => {
  it(`${CHECKERS}×${CHECKS_PER_CHECKER} checks on ${CHECKERS} readers + ${READERS_CLIENTS} clients reading and writing fallbacks`, async () => {
    const directory = await mkdtemp(join(tmpdir(), 'kakunin-load-'));
    const dbPath = join(directory, 'reception.db');
    await using app = await startReceptionFixture({ dbPath, readers: CHECKERS, authPin: AUTH_PIN });
    try {
      const checkers = await Promise.all(
        Array.from({ length: CHECKERS }, (_, index) => app.staffClient(`checker${index}`)),
      );
      const others = await Promise.all(
        Array.from({ length: READERS_CLIENTS }, (_, index) => app.staffClient(`clerk${index}`)),
      );
      const accepted: Array<{ id: string; status: string }> = [];
      const fallbackIds: string[] = [];
      let reads = 0;
      let stop = false;
      const started = performance.now();
      const checker = async (client: HttpClient, readerId: string): Promise<void> => {
        for (let round = 0; round < CHECKS_PER_CHECKER; round++) {
          const start = await client.post('/api/checks', { mode: 'pin', readerId });
          expect(start.status, JSON.stringify(start.json)).toBe(201);
          const id = start.json.id as string;
          const ready = await client.settle(id);
          expect(ready.json.status).toBe('pin-entry');
          // Every third check: one wrong PIN first (the counter goes down and comes back).
          if (round % 3 === 1) {
            const wrong = await client.post(`/api/checks/${id}/pin`, new TextEncoder().encode('9386'));
            expect(wrong.json.status).toBe('pin-entry');
          }
          const done = await client.post(`/api/checks/${id}/pin`, new TextEncoder().encode(AUTH_PIN));
          expect(done.json.status, JSON.stringify(done.json.guidance)).toBe('result');
          accepted.push({ id, status: done.json.status });
        }
      };
      const clerk = async (client: HttpClient, index: number): Promise<void> => {
        for (let round = 0; round < FALLBACKS_PER_CLIENT; round++) {
          for (const path of ['/api/state', '/api/check-history', '/api/patients', '/api/readers']) {
            const response = await client.get(path);
            expect(response.status).toBe(200);
            reads++;
          }
          const fallback = await client.post('/api/fallbacks', {
            failureCategory: 1,
            evidence: 'eligibility-certificate',
            data: { insurerNumber: '138057', note: `clerk${index}-${round}` },
          });
          expect(fallback.status, JSON.stringify(fallback.json)).toBe(201);
          fallbackIds.push(fallback.json.id as string);
          if (stop) return;
        }
      };
      await Promise.all([
        ...checkers.map((client, index) => checker(client, app.readerIds[index]!)),
        ...others.map((client, index) => clerk(client, index)),
      ]);
      stop = true;
      const elapsed = performance.now() - started;
      const database = app.server.services.database;
      const rows = database.all<{
        id: string;
        status: string;
        finished_at: string | null;
        result_json: string | null;
      }>('SELECT id, status, finished_at, result_json FROM qualification_check');
      const byId = new Map(rows.map((row) => [row.id, row]));
      expect(accepted).toHaveLength(CHECKERS * CHECKS_PER_CHECKER);
      for (const check of accepted) {
        const row = byId.get(check.id);
        expect(row?.status, check.id).toBe('result');
        expect(row?.finished_at).not.toBeNull();
        expect(JSON.parse(row!.result_json!).answer).toBeDefined();
      }
      const fallbacks = database.all<{ id: string }>('SELECT id FROM fallback_record');
      expect(new Set(fallbacks.map((row) => row.id))).toEqual(new Set(fallbackIds));
      expect(app.server.services.audit.verify().ok).toBe(true);
      console.log(
        'reception load',
        JSON.stringify({
          checks: accepted.length,
          fallbacks: fallbackIds.length,
          reads,
          elapsedMs: Math.round(elapsed),
          checksPerSecond: Math.round((accepted.length / elapsed) * 10_000) / 10,
        }),
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 120_000);
});
