/**
 * Held attacks, replayed: SQL injection in the parameters that reach SQL (login, patient search,
 * ids, cookies) and path-traversal forms against static serving.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Client } from './support/client.js';
import { useReception } from './support/reception.js';

const SQL = [
  "' OR '1'='1",
  "' OR 1=1 --",
  '" OR ""="',
  "'; DROP TABLE patient_record; --",
  "%' OR '%'='",
  '1; SELECT * FROM account --',
  "' UNION SELECT password_hash, 1, 1 FROM account --",
  '\\',
  "'",
  '%',
  '_',
];

/** 23 traversal forms (raw request targets). */
const TRAVERSAL = [
  '/../../../../etc/passwd',
  '/..%2f..%2f..%2fetc%2fpasswd',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/%252e%252e/%252e%252e/etc/passwd',
  '/..\\..\\..\\etc\\passwd',
  '/..%5c..%5cetc%5cpasswd',
  '/....//....//etc/passwd',
  '/.%2e/.%2e/etc/passwd',
  '/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
  '/app().js/../../package.json',
  '/../package.json',
  '/../src/server.ts',
  '/..;/..;/etc/passwd',
  '/%00../../etc/passwd',
  '/index.html%00.js',
  '//etc/passwd',
  '/./../../etc/passwd',
  '/static/../../../../etc/passwd',
  '/%2e%2e%2f%2e%2e%2fetc%2fpasswd.js',
  '/../../../../etc/passwd.css',
  '/..%2f..%2f..%2fproc%2fself%2fenviron',
  'file:///etc/passwd',
  '/../../../../root/.ssh/id_rsa.png',
];

function rawGet(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

describe('held: SQL injection, path traversal', () => {
  const app = useReception();

  it(`${SQL.length} injection strings in login, patient search and ids change nothing and return nothing extra`, async () => {
    const database = app().server.services.database;
    const count = (table: string): number =>
      database.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)!.n;
    const before = { patients: count('patient_record'), accounts: count('account') };
    const everyone = (await app().client.get('/api/patients?q=')).json.patients.length as number;
    for (const text of SQL) {
      const login = await new Client(app().server.url).post('/api/device/register', {
        accountId: text,
        password: text,
      });
      expect(login.status).toBe(401);
      const search = await app().client.get(`/api/patients?q=${encodeURIComponent(text)}`);
      expect(search.status).toBe(200);
      // Parameterised LIKE: a quote matches nothing; % and _ are only LIKE wildcards (as an empty search).
      if (/['"]/.test(text)) expect(search.json.patients, text).toEqual([]);
      else expect(search.json.patients.length).toBeLessThanOrEqual(everyone);
      expect((await app().client.get(`/api/fallbacks/${encodeURIComponent(text)}`)).status).toBe(404);
    }
    expect({ patients: count('patient_record'), accounts: count('account') }).toEqual(before);
    expect((await app().client.get('/api/audit')).json.verify.ok).toBe(true);
  });

  it(`${TRAVERSAL.length} traversal forms never serve a file outside public/`, async () => {
    expect(TRAVERSAL).toHaveLength(23);
    for (const target of TRAVERSAL) {
      const reply = await rawGet(app().server.port, target);
      const status = Number(reply.split(' ')[1]);
      expect(status, target).toBeGreaterThanOrEqual(400);
      expect(status, target).toBeLessThan(500);
      expect(reply, target).not.toMatch(/root:x?:0:0|"name": "@kakunin|PRIVATE KEY|startReceptionServer/);
    }
  });
});
