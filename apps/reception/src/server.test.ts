import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceptionServer } from './server.js';
import type { SimulatorDesk } from './simulator/simulator-desk.js';
import { type ApiClient, settleCheck } from './testing/api-client.js';
import {
  ascii,
  checkAtPinEntry,
  readyClient,
  settledCheck,
  startTestServer,
  type TestServer,
} from './testing/test-server.js';

describe('reception server API over the simulator card and the SDK', () => {
  let harness: TestServer;
  let desk: SimulatorDesk;
  let server: ReceptionServer;
  let client: ApiClient;

  beforeAll(async () => {
    harness = await startTestServer({
      dbPath: ':memory:',
      simulatorModule: true,
      waitForCardMs: 5_000,
      seed: true,
    });
    ({ desk, server } = harness);
    client = await readyClient(harness);
  });
  afterAll(() => harness?.close());

  it('runs a PIN-mode check: wrong PIN (tries shown), then success with the qualification and reconciliation', async () => {
    const check = await checkAtPinEntry(harness, client);
    expect(check.pinStatus).toEqual({ triesLeft: 3, blocked: false });

    const wrong = await client.post(`/api/checks/${check.id}/pin`, ascii('9999'));
    expect(wrong.json.status).toBe('pin-entry');
    expect(wrong.json.pinStatus.triesLeft).toBe(2);
    expect(wrong.json.guidance.remedyKey).toBe('pin.incorrect');

    const right = await client.post(`/api/checks/${check.id}/pin`, ascii('1234'));
    expect(right.json.status).toBe('result');
    expect(right.json.answer.standIn).toBe(true);
    expect(right.json.answer.body.qualificationValidity).toBe('1');
    expect(right.json.answer.body.resultList[0].insurerNumber).toBe('138057');
    expect(right.json.certificate.valid).toBe(true);
    expect(right.json.certificate.status).toBe('valid');
    expect(right.json.certificate.revocation).toMatchObject({ status: 'GOOD', source: 'crl' });
    expect(right.json.certificate.checks).toHaveLength(15);
    expect(
      (right.json.certificate.checks as { outcome: string }[]).every((check) => check.outcome === 'pass'),
    ).toBe(true);
    const fields = right.json.reconciliation[0].fields as { field: string; status: string }[];
    expect(fields.find((field) => field.field === 'insurerNumber')?.status).toBe('format');
    expect(right.json.reconciliation[0].status).toBe('match');
    // the stored check row carries the outcome but no PIN
    const row = server.services.database.get<Record<string, unknown>>(
      'SELECT * FROM qualification_check WHERE id = ?',
      check.id,
    );
    expect(row?.status).toBe('result');
    expect(JSON.stringify(row)).not.toContain('1234"');
  });

  it('refuses the last try without explicit confirmation and never touches the counter', async () => {
    const check = await checkAtPinEntry(harness, client);
    await client.post(`/api/checks/${check.id}/pin`, ascii('0000'));
    const second = await client.post(`/api/checks/${check.id}/pin`, ascii('0001'));
    expect(second.json.pinStatus.triesLeft).toBe(1);
    expect(second.json.guidance.remedyKey).toBe('pin.last-try');
    const refused = await client.post(`/api/checks/${check.id}/pin`, ascii('0002'));
    expect(refused.json.status).toBe('pin-entry');
    expect(refused.json.guidance.code).toBe('LAST_TRY_REFUSED');
    expect(refused.json.pinStatus.triesLeft).toBe(1);
    const confirmed = await client.post(`/api/checks/${check.id}/pin`, ascii('1234'), {
      'x-kakunin-confirm-last-try': 'yes',
    });
    expect(confirmed.json.status).toBe('result');
  });

  it('reports a blocked card before any PIN entry, with the fallback category', async () => {
    const settled = await settledCheck(harness, client, 'blocked');
    expect(settled.status).toBe('failed');
    expect(settled.guidance).toMatchObject({ code: 'PIN_BLOCKED', failureCategory: 2 });
  });

  it('refuses a card whose certificate the CA revoked: REVOKED, category ②, every check in the detail', async () => {
    const check = await checkAtPinEntry(harness, client, 'revoked');
    const settled = await client.post(`/api/checks/${check.id}/pin`, ascii('1234'));
    expect(settled.json.status).toBe('failed');
    expect(settled.json.guidance.code).toBe('REVOKED');
    expect(settled.json.guidance.remedyKey).toBe('cert.revoked');
    expect(settled.json.guidance.failureCategory).toBe(2);
    expect(settled.json.certificate.status).toBe('invalid');
    expect(settled.json.certificate.revocation).toMatchObject({ status: 'REVOKED', reason: 'keyCompromise' });
    const revocation = (settled.json.certificate.checks as { name: string; outcome: string }[]).find(
      (check) => check.name === 'revocation',
    );
    expect(revocation?.outcome).toBe('fail');
    expect(settled.json.answer.body.processingResultMessage).toContain('失効');
  });

  it('refuses visual mode unless the security setting allows it, and records staff id and time', async () => {
    desk.insert('plastic');
    const refused = await client.post('/api/checks', { mode: 'visual' });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('VISUAL_NOT_ALLOWED');
    await client.request('PUT', '/api/settings', { visualCheckAllowed: true });
    const started = await client.post('/api/checks', { mode: 'visual' });
    expect((await settleCheck(client, started.json.id)).json.status).toBe('visual-attest');
    const attested = await client.post(`/api/checks/${started.json.id}/visual`, { staffId: 'nurse-07' });
    expect(attested.json.status).toBe('result');
    expect(attested.json.visual.staffId).toBe('nurse-07');
    const audit = server.services.audit.list({ subject: started.json.id });
    expect(
      audit.some((event) => event.action === 'check.visual-attested' && event.data.staffId === 'nurse-07'),
    ).toBe(true);
    await client.request('PUT', '/api/settings', { visualCheckAllowed: false });
  });

  it('guides with the wired-reader checklist when the reader is unplugged while waiting', async () => {
    desk.remove();
    const started = await client.post('/api/checks', { mode: 'pin' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    desk.unplug();
    const settled = await settleCheck(client, started.json.id);
    desk.plug();
    expect(settled.json.status).toBe('failed');
    expect(settled.json.guidance.code).toBe('READER_UNAVAILABLE');
    expect(settled.json.guidance.setup).toBe('wired-reader');
    const focused = (settled.json.guidance.checklist as { id: string; focus: boolean }[]).filter(
      (item) => item.focus,
    );
    expect(focused.map((item) => item.id)).toContain('usb-cable');
  });

  it('keeps the audit chain intact', () => {
    expect(server.services.audit.verify().ok).toBe(true);
  });
});
