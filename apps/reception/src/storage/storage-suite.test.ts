/**
 * ONE storage suite, run against both adapters of the storage port: SQLite (a file, the embedded
 * default) and PostgreSQL (a real server started for the suite in a temporary data directory;
 * it fails loudly when it cannot start). Every service goes through the real server over HTTP.
 * The concurrency cases of issue 19 run on both, with two desks (two servers) on one store:
 * the password lockout counts across desks, two desks updating one patient never lose an update
 * (typed 409), the audit chain stays one verifiable chain with concurrent writers, and a desk
 * killed mid-check leaves no torn record and finds the check interrupted when it starts again.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountService } from '../accounts/account-service.js';
import { loadOrCreateAuditKey } from '../audit/audit-key.js';
import { createAuditLog } from '../audit/audit-log.js';
import { openStorage } from '../storage/open-storage.js';
import { ApiClient, settleCheck } from '../testing/api-client.js';
import { startDeskProcess } from '../testing/desk-process.js';
import { STORAGE_BACKENDS, type StorageBackend, type TestStore } from '../testing/storage-backends.js';
import {
  ascii,
  checkAtPinEntry,
  DEMO_PASSWORD as PASSWORD,
  readyClient,
  registeredClient,
  startTestServer,
  type TestServer,
} from '../testing/test-server.js';

async function startDesk(store: TestStore, desk: string): Promise<TestServer> {
  return startTestServer({
    dbPath: store.db,
    desk,
    stateDirectory: store.deskDirectory(desk),
    auditKeyPath: store.auditKeyPath,
    waitForCardMs: 5_000,
    seed: true,
  });
}

/** A desk as its own process (the `kakunin-reception` entry) on `store`. */
const deskProcessOptions = (store: TestStore, desk: string) => ({
  db: store.db,
  desk,
  stateDirectory: store.deskDirectory(desk),
  auditKeyPath: store.auditKeyPath,
  demoPassword: PASSWORD,
});

/** `perClient` fallback records from every client at once; returns the statuses that were not 201. */
async function writeFallbacksAtOnce(
  clients: ApiClient[],
  perClient: number,
  notePrefix: string,
): Promise<number[]> {
  const results = await Promise.all(
    clients.flatMap((client, deskIndex) =>
      Array.from({ length: perClient }, (_, index) =>
        client.post('/api/fallbacks', {
          failureCategory: 1,
          evidence: 'eligibility-certificate',
          data: { insurerNumber: '138057', note: `${notePrefix}${deskIndex}-${index}` },
        }),
      ),
    ),
  );
  return results.map((response) => response.status).filter((status) => status !== 201);
}

/** A PIN-mode check with the desk's plastic card, up to the result. */
async function checkToResult(harness: TestServer, client: ApiClient): Promise<string> {
  const { id } = await checkAtPinEntry(harness, client);
  const done = await client.post(`/api/checks/${id}/pin`, ascii('1234'));
  expect(done.json.status).toBe('result');
  return id as string;
}

describe.each(STORAGE_BACKENDS.map((make) => ({ make, name: make().name })))(
  'storage suite on $name',
  ({ make }) => {
    const backend: StorageBackend = make();
    const desks: TestServer[] = [];
    const children: ChildProcess[] = [];
    let counter = 0;
    const newStore = () => {
      counter += 1;
      return backend.newStore(`suite_${process.pid}_${counter}`);
    };
    const desk = async (store: TestStore, name: string) => {
      const harness = await startDesk(store, name);
      desks.push(harness);
      return harness;
    };

    beforeAll(async () => {
      await backend.start();
    }, 120_000);
    afterAll(async () => {
      for (const child of children) child.kill('SIGKILL');
      for (const harness of desks) await harness.close().catch(() => undefined);
      await backend.stop();
    });

    it('runs every service: accounts, devices, settings, notices, a PIN check, patient record, fallback, audit', async () => {
      const store = await newStore();
      const harness = await desk(store, 'one');
      expect(harness.server.services.database.kind).toBe(backend.name);
      const client = await readyClient(harness, 'demo');
      expect(
        (await client.request('PUT', '/api/settings', { visualCheckAllowed: true })).json.visualCheckAllowed,
      ).toBe(true);
      const notices = await client.get('/api/notices');
      expect(notices.json.notices.length).toBeGreaterThan(0);
      expect((await client.post(`/api/notices/${notices.json.notices[0].id}/read`)).status).toBe(200);
      const checkId = await checkToResult(harness, client);
      const applied = await client.post(`/api/checks/${checkId}/apply`, { resultIndex: 0 });
      expect(applied.status).toBe(200);
      const fallback = await client.post('/api/fallbacks', {
        failureCategory: 1,
        evidence: 'eligibility-certificate',
        data: { insurerNumber: '138057' },
      });
      expect(fallback.status).toBe(201);
      expect((await client.get(`/api/fallbacks/${fallback.json.id}`)).status).toBe(200);
      expect((await client.get('/api/patients?q=P0001')).json.patients[0].version).toBe(2);
      const history = await client.get('/api/check-history');
      expect(history.json.checks.find((check: { id: string }) => check.id === checkId).status).toBe('result');
      const audit = await client.get('/api/audit');
      expect(audit.json.verify.ok).toBe(true);
      expect(audit.json.events.length).toBeGreaterThan(5);
    });

    it('lockout across desks: 5 wrong passwords anywhere lock the account everywhere', async () => {
      const store = await newStore();
      const a = await desk(store, 'a');
      const b = await desk(store, 'b');
      await a.server.services.accounts.createAccount({
        accountId: 'victim',
        displayName: 'v',
        password: PASSWORD,
      });
      const guesses = Array.from({ length: 30 }, (_, index) => ({
        url: (index % 2 === 0 ? a : b).server.url,
        password: index === 29 ? PASSWORD : `wrong-${index}`,
      }));
      const responses = await Promise.all(
        guesses.map(({ url, password }) =>
          new ApiClient(url).post('/api/device/register', {
            accountId: 'victim',
            password,
            deviceName: 'pc',
          }),
        ),
      );
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(0);
      expect(statuses.filter((status) => status === 401)).toHaveLength(4);
      for (const harness of [a, b]) {
        const after = await new ApiClient(harness.server.url).post('/api/device/register', {
          accountId: 'victim',
          password: PASSWORD,
          deviceName: 'pc',
        });
        expect(after.status).toBe(423);
      }
    });

    it('two desks updating one patient never lose an update: the later one gets a typed 409', async () => {
      const store = await newStore();
      const a = await desk(store, 'a');
      const b = await desk(store, 'b');
      const clientA = await readyClient(a, 'demo');
      const clientB = await readyClient(b, 'desk-b');
      const checkA = await checkToResult(a, clientA);
      const checkB = await checkToResult(b, clientB);
      expect((await clientA.post(`/api/checks/${checkA}/apply`, { resultIndex: 0 })).status).toBe(200);
      const lost = await clientB.post(`/api/checks/${checkB}/apply`, { resultIndex: 0 });
      expect(lost.status).toBe(409);
      expect(lost.json.error.code).toBe('PATIENT_RECORD_CHANGED');
      // B checks again (sees A's version) and applies.
      const again = await checkToResult(b, clientB);
      expect((await clientB.post(`/api/checks/${again}/apply`, { resultIndex: 0 })).status).toBe(200);
      expect((await clientA.get('/api/patients?q=P0001')).json.patients[0].version).toBe(3);
    });

    it('the audit chain stays one verifiable chain with concurrent writers on two desks', async () => {
      const store = await newStore();
      const a = await desk(store, 'a');
      const b = await desk(store, 'b');
      const clients = [await readyClient(a, 'demo'), await readyClient(b, 'desk-b')];
      const PER_DESK = 30;
      expect(await writeFallbacksAtOnce(clients, PER_DESK, '')).toEqual([]);
      expect((await clients[0]!.get('/api/fallbacks')).json.fallbacks.length).toBe(2 * PER_DESK);
      for (const harness of [a, b])
        expect(harness.server.services.audit.verify()).toMatchObject({ ok: true });
      const events = a.server.services.audit.list({ limit: 1000 });
      const seqs = events.map((event) => event.seq).sort((x, y) => x - y);
      expect(seqs.at(-1)! - seqs[0]! + 1).toBe(seqs.length);
    });

    it('the audit chain stays one chain with two desk processes writing at once', async () => {
      const store = await newStore();
      loadOrCreateAuditKey(store.auditKeyPath);
      const first = await startDeskProcess(deskProcessOptions(store, 'p1'));
      children.push(first.child);
      const second = await startDeskProcess(deskProcessOptions(store, 'p2'));
      children.push(second.child);
      const admin = openStorage({ db: store.db, desk: 'admin' });
      try {
        const audit = createAuditLog(admin, () => new Date(), {
          key: loadOrCreateAuditKey(store.auditKeyPath),
        });
        await createAccountService({ database: admin, audit, now: () => new Date() }).createAccount({
          accountId: 'desk-p2',
          displayName: 'p2',
          password: PASSWORD,
        });
      } finally {
        admin.close();
      }
      const clients = [
        await registeredClient(first.url, 'demo'),
        await registeredClient(second.url, 'desk-p2'),
      ];
      const PER_DESK = 40;
      expect(await writeFallbacksAtOnce(clients, PER_DESK, 'p')).toEqual([]);
      for (const client of clients) {
        const audit = await client.get('/api/audit');
        expect(audit.json.verify).toMatchObject({ ok: true });
      }
      const fallbacks = (await clients[0]!.get('/api/fallbacks')).json.fallbacks as { id: string }[];
      expect(new Set(fallbacks.map((record) => record.id)).size).toBe(2 * PER_DESK);
      for (const desk of [first, second]) desk.child.kill('SIGTERM');
    });

    it('a desk killed mid-check leaves no torn record; the check is interrupted when that desk starts again', async () => {
      const store = await newStore();
      const { child, url } = await startDeskProcess(deskProcessOptions(store, 'killed'));
      children.push(child);
      const client = await registeredClient(url, 'demo');
      const started = await client.post('/api/checks', { mode: 'pin' });
      expect(started.status).toBe(201);
      expect((await settleCheck(client, started.json.id)).json.status).toBe('pin-entry');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;

      if (backend.name === 'postgres') {
        // Another desk starting does not touch the killed desk's check.
        const other = await desk(store, 'other');
        const row = other.server.services.database.get<{ status: string }>(
          'SELECT status FROM qualification_check WHERE id = ?',
          started.json.id,
        );
        expect(row?.status).toBe('pin-entry');
      }
      const again = await startTestServer({
        dbPath: store.db,
        desk: 'killed',
        stateDirectory: store.deskDirectory('killed'),
      });
      desks.push(again);
      const row = again.server.services.database.get<{
        status: string;
        started_at: string;
        finished_at: string | null;
        error_code: string | null;
        staff_account: string;
      }>(
        'SELECT status, started_at, finished_at, error_code, staff_account FROM qualification_check WHERE id = ?',
        started.json.id,
      );
      expect(row).toMatchObject({ status: 'interrupted', error_code: 'INTERRUPTED', staff_account: 'demo' });
      expect(row!.finished_at).not.toBeNull();
      expect(again.server.services.auditAtStart).toMatchObject({ ok: true });
    });
  },
);
