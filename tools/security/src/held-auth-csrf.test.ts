/**
 * Held attacks, replayed: route-by-route authentication (every API route without a session and
 * with forged sessions) and CSRF from other origins. Each must stay refused.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Client } from './support/client.js';
import { useReception } from './support/reception.js';
import { fill, ROUTES } from './support/routes.js';

describe('held: authentication on every route, CSRF', () => {
  const app = useReception();

  const realDevice = (): string => app().client.cookies.get('kakunin_device')!;
  const realSession = (): string => app().client.cookies.get('kakunin_session')!;
  const forgeries = (): Record<string, string>[] => [
    {},
    { kakunin_session: realSession() }, // a stolen session without its device
    { kakunin_device: realDevice() }, // the device without a session
    { kakunin_device: realDevice(), kakunin_session: randomBytes(24).toString('base64url') },
    { kakunin_device: randomBytes(16).toString('hex'), kakunin_session: realSession() },
    { kakunin_device: "x' OR '1'='1", kakunin_session: "x' OR '1'='1" },
    { kakunin_device: 'a'.repeat(4096), kakunin_session: 'b'.repeat(4096) },
  ];

  it(`refuses every protected route (${ROUTES.filter((r) => !r.public).length}) without or with forged sessions`, async () => {
    let tries = 0;
    for (const route of ROUTES) {
      if (route.public) continue;
      for (const cookies of forgeries()) {
        const client = new Client(app().server.url);
        for (const [name, value] of Object.entries(cookies)) client.cookies.set(name, value);
        const path = fill(route.path, 'x1');
        const reply = await client.send(
          route.method,
          path,
          route.octets ? new Uint8Array([0x31, 0x32, 0x33, 0x34]) : route.method === 'GET' ? undefined : {},
        );
        tries++;
        expect(reply.status, `${route.method} ${path} ${Object.keys(cookies).join('+')}`).toBe(401);
        expect(reply.json.error.code).toBe('LOGIN_REQUIRED');
      }
    }
    expect(tries).toBe(ROUTES.filter((r) => !r.public).length * forgeries().length);
    // the real session still works
    expect((await app().client.get('/api/settings')).status).toBe(200);
  });

  it('CSRF: a cross-origin form post, a simple text/plain request and a forged Origin are refused', async () => {
    const origin = 'http://evil.example';
    const form = await app().client.send('POST', '/api/lock', 'a=b', {
      origin,
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(403);
    const plain = await app().client.send('PUT', '/api/settings', '{"visualCheckAllowed":true}', {
      'content-type': 'text/plain',
    });
    expect(plain.status).toBe(415);
    const site = await app().client.send(
      'PUT',
      '/api/settings',
      { visualCheckAllowed: true },
      {
        'sec-fetch-site': 'cross-site',
      },
    );
    expect(site.status).toBe(403);
    expect((await app().client.get('/api/settings')).json.visualCheckAllowed).toBe(false);
  });

  it('cookies are HttpOnly and SameSite=Strict; responses carry the security headers', async () => {
    const client = new Client(app().server.url);
    const reply = await client.post('/api/device/register', { accountId: 'nobody', password: 'x' });
    expect(reply.status).toBe(401);
    const state = await app().client.get('/api/state');
    expect(state.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(state.headers['x-frame-options']).toBe('DENY');
    expect(state.headers['cache-control']).toBe('no-store');
  });
});
