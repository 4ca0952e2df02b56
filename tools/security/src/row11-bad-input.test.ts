/**
 * Row 11 (app part): bad input must get a 4xx with a typed error, never a 500. Before: HTTP 500
 * for an unknown notice id and an unknown reader id. The sweep sends hostile ids, hostile body
 * values and hostile query values to every route of the table.
 */
import { describe, expect, it } from 'vitest';
import type { Reply } from './support/client.js';
import { DEMO, useReception } from './support/reception.js';
import { BAD_IDS, BAD_VALUES, fill, ROUTES } from './support/routes.js';

describe('row 11: no HTTP 500 on bad input, every error typed', () => {
  const app = useReception();

  const typed = (reply: Reply, label: string): void => {
    expect(reply.status, `${label}: ${reply.body.toString('utf8').slice(0, 200)}`).toBeLessThan(500);
    if (reply.status >= 400) expect(reply.json?.error?.code, label).toMatch(/^[A-Z][A-Z0-9_]+$/);
  };

  it('an unknown notice id is 404 NOTICE_NOT_FOUND', async () => {
    const reply = await app().client.post('/api/notices/987654/read');
    expect(reply.status).toBe(404);
    expect(reply.json.error.code).toBe('NOTICE_NOT_FOUND');
  });

  it('an unknown reader id is a 4xx (settings, checks, stand-in link)', async () => {
    const settings = await app().client.send('PUT', '/api/settings', { readerId: 'no-such-reader' });
    typed(settings, 'PUT /api/settings');
    const link = await app().client.post('/api/stand-in/link', {
      readerId: 'no-such-reader',
      personId: 'p1',
    });
    expect(link.status).toBe(404);
    expect(link.json.error.code).toBe('READER_NOT_FOUND');
    const check = await app().client.post('/api/checks', { readerId: 'no-such-reader', mode: 'pin' });
    typed(check, 'POST /api/checks');
  });

  it(`sweeps ${ROUTES.length} routes × hostile ids, body values and query values`, async () => {
    let requests = 0;
    // Routes that can lock this client out (wrong passcodes / passwords) go last.
    const ordered = [...ROUTES].sort((a, b) => Number(a.public === true) - Number(b.public === true));
    for (const route of ordered) {
      if (route.destructive) continue;
      const ids = route.path.includes(':') ? BAD_IDS : ['-'];
      for (const id of ids) {
        const path = fill(route.path, id);
        if (route.octets) {
          typed(await app().client.post(path, new Uint8Array([0x31, 0x32, 0x33, 0x34])), path);
          requests++;
          continue;
        }
        const plain = await app().client.send(route.method, path, route.method === 'GET' ? undefined : {});
        typed(plain, `${route.method} ${path}`);
        requests++;
        for (const field of route.body ?? []) {
          for (const value of BAD_VALUES) {
            // Never lock the demo account: hostile values only.
            const body = { [field]: value, ...(field === 'accountId' ? {} : { accountId: 'nobody' }) };
            typed(
              await app().client.send(route.method, path, body),
              `${route.method} ${path} ${field}=${String(value).slice(0, 20)}`,
            );
            requests++;
          }
        }
        for (const name of route.query ?? []) {
          for (const value of [
            '',
            'x'.repeat(3000),
            '%00',
            "' OR 1=1 --",
            '-1',
            '1e309',
            '../../etc/passwd',
          ]) {
            const reply = await app().client.get(`${path}?${name}=${encodeURIComponent(value)}`);
            typed(reply, `${path}?${name}=${value.slice(0, 20)}`);
            requests++;
          }
        }
      }
    }
    expect(requests).toBeGreaterThan(400);
    // The server still answers (the passcode sweep may have locked this device, as it should).
    expect((await app().client.get('/api/state')).status).toBe(200);
    expect(DEMO.accountId).toBe('demo');
  });
});
