/**
 * Issue 14 deliver 3 through the real server: with revocation delegated (the app's setting for
 * real cards, where no JPKI CRL is available) a card whose revocation is UNKNOWN is not refused:
 * the result says revocation is left to the qualification service, and the audit log records it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../testing/api-client.js';
import { checkAtPinEntry, readyClient, startTestServer, type TestServer } from '../testing/test-server.js';
import { createJpkiCertificateValidator } from './jpki-certificate-validator.js';

describe('revocation delegated to the qualification service', () => {
  let harness: TestServer;
  let client: ApiClient;

  beforeAll(async () => {
    harness = await startTestServer({
      dbPath: ':memory:',
      // No revocation source at all (as for real cards): delegated, not refused.
      validator: (desk) =>
        createJpkiCertificateValidator({
          trustAnchors: [],
          testAnchors: desk.testAnchors,
          revocation: 'delegated',
        }),
      waitForCardMs: 5_000,
      seed: true,
    });
    client = await readyClient(harness);
  });
  afterAll(() => harness?.close());

  it('answers the check, shows the delegation and audits it', async () => {
    const check = await checkAtPinEntry(harness, client);
    const done = await client.post(`/api/checks/${check.id}/pin`, new TextEncoder().encode('1234'));
    expect(done.json.status).toBe('result');
    expect(done.json.answer.body.qualificationValidity).toBe('1');
    expect(done.json.answer.body.processingResultCode).toBe('KKN-W-2003');
    expect(done.json.certificate).toMatchObject({
      status: 'revocation-unknown',
      valid: false,
      revocationDelegated: true,
      revocation: { status: 'UNKNOWN' },
    });
    const audit = await client.get('/api/audit');
    expect(
      audit.json.events.some(
        (event: { action: string; subject: string }) =>
          event.action === 'check.revocation-delegated' && event.subject === check.id,
      ),
    ).toBe(true);
  });
});
