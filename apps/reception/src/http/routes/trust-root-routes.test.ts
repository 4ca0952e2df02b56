/**
 * The trust-root setting through the real server: listed generations, a 2019-shaped root refused
 * without its fingerprint (422 with the file's SHA-256), accepted with it, audited, and listed as
 * added; unauthenticated requests are refused.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePem, sha256Fingerprint } from '@kakunin/core/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSdkCardReaderFactory } from '../../adapters/sdk-card-reader-factory.js';
import { jLisShaped2019 } from '../../certificates/jlis-shaped-test-certificates.js';
import { type ReceptionServer, startReceptionServer } from '../../server.js';
import { seedDemo } from '../../simulator/demo-seed.js';
import { createDeskCertificateValidator } from '../../simulator/desk-certificate-validator.js';
import { createSimulatorDesk, type SimulatorDesk } from '../../simulator/simulator-desk.js';
import { ApiClient } from '../../testing/api-client.js';

const PASSWORD = 'kakunin-demo';

describe('trust-root setting (/api/trust-roots)', () => {
  let desk: SimulatorDesk;
  let server: ReceptionServer;
  let client: ApiClient;
  const env = { ...process.env, KAKUNIN_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'kakunin-app-config-')) };

  beforeAll(async () => {
    desk = createSimulatorDesk();
    server = await startReceptionServer({
      port: 0,
      dbPath: ':memory:',
      cardReaderFactory: createSdkCardReaderFactory(desk.provider),
      certificateValidator: createDeskCertificateValidator(desk),
      env,
    });
    await seedDemo(server.services, desk, { accountId: 'demo', password: PASSWORD });
    client = new ApiClient(server.url);
    await client.post('/api/device/register', { accountId: 'demo', password: PASSWORD, deviceName: 'pc' });
    expect((await client.post('/api/passcode/setup', { passcode: '2468' })).json.stage).toBe('ready');
  });
  afterAll(async () => {
    await server?.close();
    await desk?.close();
  });

  it('refuses anonymous callers', async () => {
    const anonymous = new ApiClient(server.url);
    expect((await anonymous.get('/api/trust-roots')).status).toBe(401);
  });

  it('lists, refuses without fingerprint, adds with it, audits', async () => {
    const listed = await client.get('/api/trust-roots');
    expect(listed.status).toBe(200);
    const status = (json: { roots: { id: string; status: string }[] }) =>
      Object.fromEntries(json.roots.map((root) => [root.id, root.status]));
    expect(status(listed.json)).toMatchObject({ authca02: 'missing', authca03: 'built-in' });

    const { root } = jLisShaped2019('auth');
    const pem = encodePem('CERTIFICATE', root);
    const refused = await client.post('/api/trust-roots', { certificate: pem });
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({
      error: { reason: 'FINGERPRINT_REQUIRED' },
      sha256: sha256Fingerprint(root),
    });

    const added = await client.post('/api/trust-roots', {
      certificate: Buffer.from(root).toString('base64'),
      fingerprint: sha256Fingerprint(root),
    });
    expect(added.status).toBe(200);
    expect(added.json).toMatchObject({ ok: true, id: 'authca02', restartRequired: true });
    expect(status((await client.get('/api/trust-roots')).json)).toMatchObject({ authca02: 'added' });
    const audit = await client.get('/api/audit');
    expect(audit.json.events.some((event: { action: string }) => event.action === 'trust.root-added')).toBe(
      true,
    );
  });
});
