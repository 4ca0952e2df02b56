/**
 * Row 3: DNS rebinding. Before: every route answered a foreign Host, and the CSRF check compared
 * Origin to Host, so a forged matching pair (Host: evil.example, Origin: http://evil.example)
 * passed. Must be: Host outside the allow-list refused before routing (static files included);
 * Origin compared to the allow-list; `--host` / allowedHosts extend it; a warning beyond loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './support/client.js';
import { DEMO, type ReceptionUnderTest, startReception } from './support/reception.js';

const FOREIGN_HOSTS = [
  'evil.example',
  'evil.example:PORT',
  'localhost.evil.example:PORT',
  '127.0.0.1.nip.io:PORT',
  '127.0.0.2:PORT',
  '0.0.0.0:PORT',
  'localhost:1',
  'LOCALHOST:PORT@evil.example',
];

describe('row 3: Host allow-list against DNS rebinding', () => {
  let app: ReceptionUnderTest;
  let port: string;
  const warnings: string[] = [];
  beforeAll(async () => {
    app = await startReception({ allowedHosts: ['reception.clinic.test'], warn: (m) => warnings.push(m) });
    port = String(app.server.port);
  });
  afterAll(async () => {
    await app?.close();
  });

  it(`refuses ${FOREIGN_HOSTS.length} foreign Host values on an API route, a static file and a POST`, async () => {
    for (const raw of FOREIGN_HOSTS) {
      const host = raw.replace('PORT', port);
      for (const [method, path] of [
        ['GET', '/api/state'],
        ['GET', '/'],
        ['GET', '/app.js'],
        ['GET', '/api/audit'],
        ['POST', '/api/lock'],
      ] as const) {
        const reply = await app.client.send(method, path, method === 'POST' ? {} : undefined, { host });
        expect(reply.status, `${method} ${path} Host=${host}`).toBe(421);
        expect(reply.json?.error?.code).toBe('HOST_NOT_ALLOWED');
      }
    }
  });

  it('refuses the forged pair Host: evil / Origin: http://evil that the old Origin==Host check passed', async () => {
    const reply = await app.client.post(
      '/api/lock',
      {},
      {
        host: `evil.example:${port}`,
        origin: `http://evil.example:${port}`,
      },
    );
    expect(reply.status).toBe(421);
  });

  it('compares Origin to the allow-list, not to Host', async () => {
    for (const origin of [
      `http://evil.example:${port}`,
      'null',
      `http://127.0.0.1:${Number(port) + 1}`,
      `http://localhost:${port}.evil.example`,
    ]) {
      const reply = await app.client.post('/api/settings', {}, { origin });
      expect(reply.status, origin).toBe(403);
      expect(reply.json.error.code).toBe('CROSS_ORIGIN');
    }
    const crossSite = await app.client.post('/api/lock', {}, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
  });

  it('serves the loopback names and the configured extra name', async () => {
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LocalHost:${port}`,
      `reception.clinic.test:${port}`,
    ]) {
      const reply = await app.client.get('/api/state', { host });
      expect(reply.status, host).toBe(200);
    }
    const sameOrigin = await app.client.send('GET', '/api/settings', undefined, {
      origin: `http://localhost:${port}`,
    });
    expect(sameOrigin.status).toBe(200);
    expect(warnings).toEqual([]);
  });

  it('warns when bound beyond loopback and then accepts the bound address', async () => {
    const seen: string[] = [];
    await using wide = await startReception({ host: '0.0.0.0', warn: (m) => seen.push(m) });
    expect(seen.join('')).toMatch(/WARNING: listening on 0\.0\.0\.0.*TLS/s);
    const client = new Client(`http://127.0.0.1:${wide.server.port}/`);
    client.cookies.clear();
    expect((await client.get('/api/state')).status).toBe(200);
    expect((await client.get('/api/state', { host: `attacker.example:${wide.server.port}` })).status).toBe(
      421,
    );
    expect(DEMO.accountId).toBe('demo');
  });
});
