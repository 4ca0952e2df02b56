/**
 * The trust-root setting through the real server: listed generations, a 2019-shaped root refused
 * without its fingerprint (422 with the file's SHA-256), accepted with it, audited, and listed as
 * added; unauthenticated requests are refused.
 */
import { encodePem, sha256Fingerprint } from '@kakunin/core/x509';
import { jLisShaped2019 } from '@kakunin/simulator/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../testing/api-client.js';
import { readyClient, startTestServer, type TestServer } from '../../testing/test-server.js';

describe('trust-root setting (/api/trust-roots)', () => {
  let harness: TestServer;
  let client: ApiClient;

  beforeAll(async () => {
    harness = await startTestServer({ dbPath: ':memory:', configDirectory: true, seed: true });
    client = await readyClient(harness);
  });
  afterAll(() => harness?.close());

  it('refuses anonymous callers', async () => {
    const anonymous = new ApiClient(harness.server.url);
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
