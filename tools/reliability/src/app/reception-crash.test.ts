/**
 * Data safety under crashes: the reception app runs in a child process on a file database (SQLite
 * WAL) while a client drives PIN-mode checks on two readers and writes fallback records; the
 * child is killed with SIGKILL at a random instant, several times over the same database. After
 * the last kill the database is opened again through the app's public API and must hold every
 * check and fallback record the API had confirmed as done — complete — and no half-written
 * record: a finished check has its finish time and, for a result, its full result JSON; the
 * SQLite integrity check passes and the audit chain verifies. Checks cut off mid-way (not
 * confirmed) may remain in an unfinished state; they are counted, not hidden.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FuzzRandom } from '../fuzz/random.js';
import { HttpClient } from './http-client.js';
import { RECEPTION_ADMIN, startReceptionFixture } from './reception-fixture.js';

const AUTH_PIN = '4721';
const ROUNDS = 5;
const READERS = 2;
const CHILD = fileURLToPath(new URL('./reception-child.mjs', import.meta.url));
const TERMINAL = new Set(['result', 'failed', 'cancelled', 'fallback-recorded']);

interface Child {
  readonly process: ChildProcess;
  readonly url: string;
  readonly readerIds: string[];
}

async function startChild(dbPath: string): Promise<Child> {
  const child = spawn(process.execPath, [CHILD, dbPath, AUTH_PIN, String(READERS)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<{ url: string; readerIds: string[] }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not start: ${stderr}`)), 30_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as { url: string; readerIds: string[] });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited with ${code} before serving: ${stderr}`));
    });
  });
  return { process: child, ...ready };
}

describe('reception app: a crash mid-check loses no completed record and leaves no half-written one', () => {
  it(`${ROUNDS} SIGKILLs at random instants during checks`, async () => {
    const directory = await mkdtemp(join(tmpdir(), 'kakunin-crash-'));
    const dbPath = join(directory, 'reception.db');
    const random = new FuzzRandom('reception-crash');
    const confirmedChecks = new Map<string, string>();
    const confirmedFallbacks = new Set<string>();
    let interruptedRequests = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const child = await startChild(dbPath);
        const client = new HttpClient(child.url);
        await client.post('/api/device/register', { ...RECEPTION_ADMIN, deviceName: `crash-${round}` });
        await client.post('/api/passcode/setup', { passcode: '8024' });
        let alive = true;
        const exited = new Promise<void>((resolve) => child.process.once('exit', () => resolve()));
        const drive = async (readerId: string, lane: number): Promise<void> => {
          for (let step = 0; alive; step++) {
            try {
              const start = await client.post('/api/checks', { mode: 'pin', readerId });
              if (start.status !== 201) continue;
              const id = start.json.id as string;
              const ready = await client.settle(id);
              if (ready.json?.status !== 'pin-entry') continue;
              const done = await client.post(`/api/checks/${id}/pin`, new TextEncoder().encode(AUTH_PIN));
              if (TERMINAL.has(done.json?.status)) confirmedChecks.set(id, done.json.status);
              const fallback = await client.post('/api/fallbacks', {
                failureCategory: 1,
                evidence: 'eligibility-certificate',
                data: { insurerNumber: '138057', note: `round${round}-lane${lane}-${step}` },
              });
              if (fallback.status === 201) confirmedFallbacks.add(fallback.json.id as string);
            } catch {
              // The server died under this request: its outcome is unknown, so it is not counted.
              interruptedRequests++;
              return;
            }
          }
        };
        const lanes = child.readerIds.slice(0, READERS).map((readerId, lane) => drive(readerId, lane));
        // Let it work for 0.3–1.5 s, then kill it without warning.
        await new Promise((resolve) => setTimeout(resolve, 300 + random.below(1200)));
        child.process.kill('SIGKILL');
        alive = false;
        await exited;
        await Promise.all(lanes);
      }
      // Open the database again through the app itself.
      await using app = await startReceptionFixture({ dbPath, authPin: AUTH_PIN });
      const database = app.server.services.database;
      expect(database.get<{ integrity_check: string }>('PRAGMA integrity_check')?.integrity_check).toBe('ok');
      const rows = database.all<{
        id: string;
        status: string;
        finished_at: string | null;
        result_json: string | null;
        qualification_validity: string | null;
      }>('SELECT id, status, finished_at, result_json, qualification_validity FROM qualification_check');
      const byId = new Map(rows.map((row) => [row.id, row]));
      // Every confirmed check is there, finished, complete.
      expect(confirmedChecks.size).toBeGreaterThan(ROUNDS);
      for (const [id, status] of confirmedChecks) {
        const row = byId.get(id);
        expect(row?.status, `check ${id}`).toBe(status);
      }
      // No half-written record anywhere.
      let unfinished = 0;
      for (const row of rows) {
        if (!TERMINAL.has(row.status)) {
          unfinished++;
          continue;
        }
        expect(row.finished_at, `finished check ${row.id} without a finish time`).not.toBeNull();
        if (row.status === 'result') {
          expect(row.qualification_validity, row.id).not.toBeNull();
          expect(() => JSON.parse(row.result_json ?? ''), row.id).not.toThrow();
        }
      }
      const fallbacks = database.all<{ id: string; data_json: string }>(
        'SELECT id, data_json FROM fallback_record',
      );
      const stored = new Set(fallbacks.map((row) => row.id));
      for (const id of confirmedFallbacks) expect(stored.has(id), `fallback ${id}`).toBe(true);
      for (const row of fallbacks) expect(() => JSON.parse(row.data_json)).not.toThrow();
      expect(app.server.services.audit.verify().ok).toBe(true);
      console.log(
        'reception crash',
        JSON.stringify({
          kills: ROUNDS,
          confirmedChecks: confirmedChecks.size,
          confirmedFallbacks: confirmedFallbacks.size,
          storedChecks: rows.length,
          unfinishedChecksLeftByKills: unfinished,
          interruptedRequests,
        }),
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 120_000);
});
