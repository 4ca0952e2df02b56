/**
 * Issue 14 deliver 3 through the real server: with revocation delegated (the app's setting for
 * real cards, where no JPKI CRL is available) a card whose revocation is UNKNOWN is not refused:
 * the result says revocation is left to the qualification service, and the audit log records it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSdkCardReaderFactory } from '../adapters/sdk-card-reader-factory.js';
import { type ReceptionServer, startReceptionServer } from '../server.js';
import { seedDemo } from '../simulator/demo-seed.js';
import { createSimulatorDesk, type SimulatorDesk } from '../simulator/simulator-desk.js';
import { ApiClient, settleCheck } from '../testing/api-client.js';
import { createJpkiCertificateValidator } from './jpki-certificate-validator.js';

const PASSWORD = 'kakunin-demo';

describe('revocation delegated to the qualification service', () => {
  let desk: SimulatorDesk;
  let server: ReceptionServer;
  let client: ApiClient;

  beforeAll(async () => {
    desk = createSimulatorDesk();
    server = await startReceptionServer({
      port: 0,
      dbPath: ':memory:',
      cardReaderFactory: createSdkCardReaderFactory(desk.provider),
      // No revocation source at all (as for real cards): delegated, not refused.
      certificateValidator: createJpkiCertificateValidator({
        trustAnchors: [],
        testAnchors: desk.testAnchors,
        revocation: 'delegated',
      }),
      waitForCardMs: 5_000,
    });
    await seedDemo(server.services, desk, { accountId: 'demo', password: PASSWORD });
    client = new ApiClient(server.url);
    await client.post('/api/device/register', { accountId: 'demo', password: PASSWORD, deviceName: 'pc' });
    expect((await client.post('/api/passcode/setup', { passcode: '2468' })).json.stage).toBe('ready');
  });
  afterAll(async () => {
    await server?.close();
    await desk?.provider.close();
  });

  it('answers the check, shows the delegation and audits it', async () => {
    desk.reset('plastic');
    desk.insert('plastic');
    const started = await client.post('/api/checks', { mode: 'pin' });
    const ready = await settleCheck(client, started.json.id);
    expect(ready.json.status).toBe('pin-entry');
    const done = await client.post(`/api/checks/${started.json.id}/pin`, new TextEncoder().encode('1234'));
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
          event.action === 'check.revocation-delegated' && event.subject === started.json.id,
      ),
    ).toBe(true);
  });
});
