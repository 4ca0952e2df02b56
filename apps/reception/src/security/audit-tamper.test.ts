/**
 * Issue 15 row 6, through the real server and its database file: deleting the last audit entries,
 * or editing one and recomputing the (formerly unkeyed SHA-256) chain, went undetected. Now the
 * chain is keyed (HMAC, key file outside the database) and a head anchor outside the database
 * catches truncation; the app checks both at start and on the diagnostics page.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileAnchor, loadOrCreateAuditKey } from '../audit/audit-key.js';
import { type AuditRow, auditEntryHash, createAuditLog } from '../audit/audit-log.js';
import { openReceptionDatabase } from '../storage/database.js';
import { ApiClient, type ApiResponse } from '../testing/api-client.js';
import { setupFacility, startTestServer } from '../testing/test-server.js';

/** The 監査 check of the diagnostics page. */
const auditChainCheck = (diagnostics: ApiResponse) =>
  diagnostics.json.checks.find((check: { id: string }) => check.id === 'audit-chain');

describe('audit log tamper evidence', () => {
  let directory: string;
  let dbPath: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'kakunin-audit-'));
    dbPath = join(directory, 'reception.db');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  /** Runs the app once, producing audit events; returns the ready client's cookies. */
  const produceEvents = async (): Promise<string> => {
    await using harness = await startTestServer({ dbPath, keepDirectory: true });
    const client = await setupFacility(harness);
    expect((await client.post('/api/passcode/setup', { passcode: '2468' })).status).toBe(200);
    for (const visualCheckAllowed of [true, false, true])
      expect((await client.request('PUT', '/api/settings', { visualCheckAllowed })).status).toBe(200);
    expect(harness.server.services.audit.verify()).toMatchObject({ ok: true });
    return client.cookieHeader;
  };

  /** The server started again on the same files, and its diagnostics page as seen with `cookies`. */
  const restart = async (cookies: string) => {
    const harness = await startTestServer({ dbPath, keepDirectory: true });
    const client = new ApiClient(harness.server.url);
    const diagnostics = await client.request('GET', '/api/diagnostics', undefined, { cookie: cookies });
    return { harness, diagnostics, [Symbol.asyncDispose]: () => harness.close() };
  };

  it('keeps its HMAC key outside the database, in a 0600 file', async () => {
    await produceEvents();
    const keyFile = join(directory, 'audit.key');
    expect((statSync(keyFile).mode & 0o777).toString(8)).toBe('600');
    const key = readFileSync(keyFile, 'utf8').trim();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(dbPath).includes(Buffer.from(key))).toBe(false);
  });

  it('detects deleting the last entries (truncation), at start and on the diagnostics page', async () => {
    const cookies = await produceEvents();
    const database = new BetterSqlite3(dbPath);
    const before = (database.prepare('SELECT COUNT(*) AS n FROM audit_event').get() as { n: number }).n;
    database.prepare('DELETE FROM audit_event WHERE seq > ?').run(before - 2);
    database.close();
    await using restarted = await restart(cookies);
    const { harness, diagnostics } = restarted;
    expect(harness.server.services.auditAtStart).toMatchObject({ ok: false, reason: 'truncated' });
    expect(diagnostics.status).toBe(200);
    expect(diagnostics.json.status).toBe('error');
    expect(auditChainCheck(diagnostics)).toMatchObject({ status: 'error' });
  });

  it('detects an edited entry with the chain recomputed (no key)', async () => {
    const cookies = await produceEvents();
    const database = new BetterSqlite3(dbPath);
    const rows = database.prepare('SELECT * FROM audit_event ORDER BY seq').all() as AuditRow[];
    // The attacker's recomputation: SHA-256 over the same canonical form the old chain used.
    let previous = '0'.repeat(64);
    const update = database.prepare(
      'UPDATE audit_event SET data_json = ?, prev_hash = ?, hash = ? WHERE seq = ?',
    );
    for (const row of rows) {
      const data = row.action === 'settings.updated' ? '{"visualCheckAllowed":false}' : row.data_json;
      const hash = auditEntryHash(undefined, previous, { ...row, data_json: data });
      update.run(data, previous, hash, row.seq);
      previous = hash;
    }
    database.close();
    await using restarted = await restart(cookies);
    expect(restarted.harness.server.services.auditAtStart.ok).toBe(false);
    expect(auditChainCheck(restarted.diagnostics)).toMatchObject({ status: 'error' });
  });

  it('an untouched log verifies after a restart', async () => {
    const cookies = await produceEvents();
    await using restarted = await restart(cookies);
    expect(restarted.harness.server.services.auditAtStart).toMatchObject({ ok: true });
    expect(auditChainCheck(restarted.diagnostics)).toMatchObject({ status: 'ok' });
  });
});

describe('audit anchor and transactions', () => {
  it('a rolled-back append does not move the anchor (no false truncation alarm)', () => {
    const directory = mkdtempSync(join(tmpdir(), 'kakunin-anchor-'));
    try {
      const database = openReceptionDatabase({ path: join(directory, 'reception.db') });
      const audit = createAuditLog(database, () => new Date(), {
        key: loadOrCreateAuditKey(join(directory, 'audit.key')),
        anchor: createFileAnchor(join(directory, 'reception.db.audit-head')),
      });
      audit.append({ actor: 'a', action: 'kept' });
      expect(() =>
        database.write(() => {
          audit.append({ actor: 'a', action: 'rolled-back' });
          throw new Error('the rest of the write failed');
        }),
      ).toThrow('the rest of the write failed');
      expect(audit.verify()).toEqual({ ok: true, events: 1 });
      database.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
