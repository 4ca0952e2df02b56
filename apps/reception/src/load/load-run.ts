/**
 * Load run (issue 19 Deliver 3; NOT part of the test suite): N desks (separate `kakunin-reception`
 * processes, each with its in-process virtual card) on one store, each desk running one PIN-mode
 * check every 5 s for a given time. It measures the server-side part of a check (the two
 * requests the server answers with work: POST /api/checks and POST /api/checks/:id/pin, on
 * loopback; polling excluded), then verifies nothing was lost (every check a desk saw finish is a
 * `result` row; no row left unfinished) and the audit chain (every desk verifies it).
 *
 *   pnpm --filter @kakunin/reception load-run -- [--backend postgres|sqlite] [--desks 10]
 *       [--minutes 10] [--interval-ms 5000] [--restart-at-minutes 5] [--out result.json]
 *
 * With `--restart-at-minutes`, PostgreSQL is stopped (fast) and started again at that point, down
 * for `--down-ms` (default 5000); the desks recover by themselves.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { createAccountService } from '../accounts/account-service.js';
import { loadOrCreateAuditKey } from '../audit/audit-key.js';
import { createAuditLog } from '../audit/audit-log.js';
import { openStorage } from '../storage/open-storage.js';
import { ApiClient } from '../testing/api-client.js';
import { startDeskProcess } from '../testing/desk-process.js';
import { type PostgresServer, startPostgres } from '../testing/postgres-harness.js';

const PASSWORD = 'load-run-password';
const PIN = new TextEncoder().encode('1234');

interface CheckSample {
  readonly desk: number;
  readonly at: number;
  readonly id: string | undefined;
  readonly ok: boolean;
  readonly serverMs: number;
  readonly failure?: string;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function startDesk(db: string, desk: string, stateDirectory: string, auditKeyPath: string) {
  const started = await startDeskProcess({ db, desk, stateDirectory, auditKeyPath, demoPassword: PASSWORD });
  started.child.stdout!.resume();
  started.child.stderr!.resume();
  return started;
}

async function oneCheck(client: ApiClient, desk: number): Promise<CheckSample> {
  const at = Date.now();
  let serverMs = 0;
  let id: string | undefined;
  const failed = (failure: string): CheckSample => ({ desk, at, id, ok: false, serverMs, failure });
  try {
    const t0 = performance.now();
    const started = await client.post('/api/checks', { mode: 'pin' });
    serverMs += performance.now() - t0;
    if (started.status !== 201) return failed(`start ${started.status} ${started.json?.error?.code}`);
    id = started.json.id as string;
    const deadline = Date.now() + 30_000;
    let view = started.json;
    while (view.status === 'waiting-card' || view.status === 'querying') {
      if (Date.now() > deadline) return failed('no pin-entry in 30 s');
      await sleep(20);
      const polled = await client.get(`/api/checks/${id}`);
      if (polled.status !== 200) return failed(`poll ${polled.status}`);
      view = polled.json;
    }
    if (view.status !== 'pin-entry') return failed(`state ${view.status}`);
    const t1 = performance.now();
    const done = await client.post(`/api/checks/${id}/pin`, PIN);
    serverMs += performance.now() - t1;
    if (done.status !== 200 || done.json.status !== 'result')
      return failed(`pin ${done.status} ${done.json?.status ?? done.json?.error?.code}`);
    return { desk, at, id, ok: true, serverMs };
  } catch (error) {
    return failed((error as Error).message);
  }
}

export async function loadRun(argv: readonly string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      backend: { type: 'string', default: 'postgres' },
      desks: { type: 'string', default: '10' },
      minutes: { type: 'string', default: '10' },
      'interval-ms': { type: 'string', default: '5000' },
      'restart-at-minutes': { type: 'string' },
      'down-ms': { type: 'string', default: '5000' },
      out: { type: 'string' },
    },
    strict: true,
  });
  const backend = values.backend === 'sqlite' ? 'sqlite' : 'postgres';
  const deskCount = Number(values.desks);
  const durationMs = Number(values.minutes) * 60_000;
  const intervalMs = Number(values['interval-ms']);
  const restartAtMs =
    values['restart-at-minutes'] === undefined ? undefined : Number(values['restart-at-minutes']) * 60_000;
  const downMs = Number(values['down-ms']);
  const work = mkdtempSync(join(tmpdir(), 'kakunin-load-'));
  let postgres: PostgresServer | undefined;
  const children: ChildProcess[] = [];
  const log = (line: string) => process.stderr.write(`[load-run ${new Date().toISOString()}] ${line}\n`);
  try {
    let db: string;
    if (backend === 'postgres') {
      postgres = await startPostgres();
      db = await postgres.createDatabase('load');
      log(`PostgreSQL ${postgres.version} at ${postgres.socketDirectory}`);
    } else db = join(work, 'sqlite', 'reception.db');
    // One audit key for every desk of the store.
    const keyPath = join(work, 'audit.key');
    loadOrCreateAuditKey(keyPath);
    const stateOf = (index: number): string => join(work, `desk-${index}`);
    // Desk 0 first (it seeds the facility and the demo data), then the others together.
    const urls: string[] = [];
    const first = await startDesk(
      db,
      'load-0',
      backend === 'sqlite' ? join(work, 'sqlite') : stateOf(0),
      keyPath,
    );
    children.push(first.child);
    urls.push(first.url);
    const rest = await Promise.all(
      Array.from({ length: deskCount - 1 }, (_, index) =>
        startDesk(db, `load-${index + 1}`, stateOf(index + 1), keyPath),
      ),
    );
    for (const desk of rest) {
      children.push(desk.child);
      urls.push(desk.url);
    }
    log(`${urls.length} desk(s) up`);
    // Accounts desk0…: one active device per account.
    const storage = openStorage({ db, desk: 'load-admin' });
    const audit = createAuditLog(storage, () => new Date(), {
      key: loadOrCreateAuditKey(keyPath),
    });
    const accounts = createAccountService({ database: storage, audit, now: () => new Date() });
    for (let index = 0; index < deskCount; index += 1) {
      await accounts.createAccount({
        accountId: `desk${index}`,
        displayName: `desk${index}`,
        password: PASSWORD,
      });
    }
    storage.close();
    const clients: ApiClient[] = [];
    for (const [index, url] of urls.entries()) {
      const client = new ApiClient(url);
      const registered = await client.post('/api/device/register', {
        accountId: `desk${index}`,
        password: PASSWORD,
        deviceName: `desk${index}`,
      });
      if (registered.status !== 200) throw new Error(`desk ${index}: register ${registered.status}`);
      const unlocked = await client.post('/api/passcode/setup', { passcode: '2468' });
      if (unlocked.status !== 200) throw new Error(`desk ${index}: passcode ${unlocked.status}`);
      clients.push(client);
    }
    const samples: CheckSample[] = [];
    const start = Date.now();
    const end = start + durationMs;
    let restarted: { at: number; downMs: number; tookMs: number } | undefined;
    const restartTask =
      restartAtMs === undefined || postgres === undefined
        ? Promise.resolve()
        : (async () => {
            await sleep(start + restartAtMs - Date.now());
            log('restarting PostgreSQL');
            const t0 = Date.now();
            await postgres!.restart({ downMs });
            restarted = { at: t0 - start, downMs, tookMs: Date.now() - t0 };
            log(`PostgreSQL back after ${Date.now() - t0} ms`);
          })();
    const progress = setInterval(() => {
      const ok = samples.filter((sample) => sample.ok).length;
      log(`${Math.round((Date.now() - start) / 1000)} s: ${ok} ok, ${samples.length - ok} failed`);
    }, 60_000);
    await Promise.all(
      clients.map(async (client, index) => {
        for (let next = start + (index * intervalMs) / deskCount; next < end; next += intervalMs) {
          await sleep(next - Date.now());
          samples.push(await oneCheck(client, index));
        }
      }),
    );
    clearInterval(progress);
    await restartTask;
    // Verification: every desk verifies the one chain; every finished check is a result row.
    const verifications = await Promise.all(clients.map((client) => client.get('/api/audit')));
    const chain = verifications.map(
      (response) => response.json?.verify ?? { ok: false, status: response.status },
    );
    let rows: { id: string; status: string }[];
    if (postgres !== undefined) {
      const client = new pg.Client({ connectionString: db });
      await client.connect();
      rows = (await client.query('SELECT id, status FROM qualification_check')).rows;
      await client.end();
    } else {
      const sqlite = new BetterSqlite3(db, { readonly: true });
      rows = sqlite.prepare('SELECT id, status FROM qualification_check').all() as typeof rows;
      sqlite.close();
    }
    const byId = new Map(rows.map((row) => [row.id, row.status]));
    const ok = samples.filter((sample) => sample.ok);
    const lost = ok.filter((sample) => byId.get(sample.id!) !== 'result');
    const unfinished = rows.filter(
      (row) => !['result', 'failed', 'cancelled', 'interrupted'].includes(row.status),
    );
    const server = ok.map((sample) => sample.serverMs);
    const failures: Record<string, number> = {};
    for (const sample of samples.filter((entry) => !entry.ok))
      failures[sample.failure ?? '?'] = (failures[sample.failure ?? '?'] ?? 0) + 1;
    const summary = {
      backend,
      serverVersion: postgres === undefined ? 'SQLite (better-sqlite3)' : `PostgreSQL ${postgres.version}`,
      desks: deskCount,
      minutes: durationMs / 60_000,
      intervalMs,
      restarted: restarted ?? null,
      checks: samples.length,
      succeeded: ok.length,
      failedVisibly: samples.length - ok.length,
      failures,
      serverSideMs: {
        p50: Math.round(percentile(server, 50) * 10) / 10,
        p99: Math.round(percentile(server, 99) * 10) / 10,
        max: Math.round(Math.max(...server) * 10) / 10,
      },
      rows: rows.length,
      lost: lost.length,
      unfinishedRows: unfinished.length,
      auditChain: {
        verifiedByEveryDesk: chain.every((entry: { ok: boolean }) => entry.ok),
        events: chain[0]?.events ?? null,
      },
    };
    if (values.out !== undefined) writeFileSync(values.out, `${JSON.stringify(summary, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await sleep(500);
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await postgres?.stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  loadRun(process.argv.slice(2)).then(
    (summary) => {
      process.exitCode =
        summary.lost === 0 && (summary.auditChain as { verifiedByEveryDesk: boolean }).verifiedByEveryDesk
          ? 0
          : 1;
    },
    (error) => {
      process.stderr.write(`load-run failed: ${(error as Error).stack ?? error}\n`);
      process.exitCode = 1;
    },
  );
}
