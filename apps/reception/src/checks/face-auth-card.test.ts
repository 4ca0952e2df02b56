/**
 * 顔認証マイナンバーカード (issue 14 Deliver 4): a card issued without a PIN goes straight to
 * face / visual confirmation — the PIN screen is never shown and no VERIFY is sent (the SDK's
 * PIN_NOT_SET guard); with visual confirmation switched off the check fails with that guidance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSdkCardReaderFactory } from '../adapters/sdk-card-reader-factory.js';
import { createSimulatorModule } from '../demo/simulator-module.js';
import { type ReceptionServer, startReceptionServer } from '../server.js';
import { seedDemo } from '../simulator/demo-seed.js';
import { createDeskCertificateValidator } from '../simulator/desk-certificate-validator.js';
import { createSimulatorDesk, type SimulatorDesk } from '../simulator/simulator-desk.js';
import { ApiClient, settleCheck } from '../testing/api-client.js';

const PASSWORD = 'kakunin-demo';

describe('face-auth card in the reception check flow', () => {
  let desk: SimulatorDesk;
  let server: ReceptionServer;
  let client: ApiClient;

  beforeAll(async () => {
    desk = createSimulatorDesk();
    server = await startReceptionServer({
      port: 0,
      dbPath: ':memory:',
      cardReaderFactory: createSdkCardReaderFactory(desk.provider),
      certificateValidator: createDeskCertificateValidator(desk),
      modules: [createSimulatorModule(desk)],
      waitForCardMs: 5_000,
    });
    await seedDemo(server.services, desk, { accountId: 'demo', password: PASSWORD });
    client = new ApiClient(server.url);
    await client.post('/api/device/register', { accountId: 'demo', password: PASSWORD, deviceName: 'pc' });
    await client.post('/api/passcode/setup', { passcode: '2468' });
  });
  afterAll(async () => {
    await server?.close();
    await desk?.provider.close();
  });

  it('visual confirmation off: fails before any PIN entry with the PIN_NOT_SET guidance', async () => {
    desk.insert('face-auth');
    const started = await client.post('/api/checks', { mode: 'pin' });
    const settled = await settleCheck(client, started.json.id);
    expect(settled.json.status).toBe('failed');
    expect(settled.json.guidance.code).toBe('PIN_NOT_SET');
    expect(settled.json.guidance.remedyKey).toBe('pin.not-set');
  });

  it('visual confirmation on: a PIN-mode start is routed to visual attestation, never to PIN entry', async () => {
    await client.request('PUT', '/api/settings', { visualCheckAllowed: true });
    desk.insert('face-auth');
    const started = await client.post('/api/checks', { mode: 'pin' });
    const settled = await settleCheck(client, started.json.id);
    expect(settled.json.status).toBe('visual-attest');
    expect(settled.json.mode).toBe('visual');
    expect(settled.json.pinStatus.pinNotSet).toBe(true);
    const pin = await client.post(`/api/checks/${started.json.id}/pin`, new TextEncoder().encode('1234'));
    expect(pin.status).toBe(409);
    const attested = await client.post(`/api/checks/${started.json.id}/visual`, { staffId: 'nurse-07' });
    expect(attested.json.visual.staffId).toBe('nurse-07');
  });
});
