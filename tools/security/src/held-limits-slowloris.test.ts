/**
 * Held attacks, replayed: body limits (a 1 GiB declared body, a streamed body past the limit, an
 * over-long PIN) and slowloris (a bounded count of connections trickling headers) — the server
 * refuses in bounded time and keeps answering real requests.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReceptionUnderTest, startReception } from './support/reception.js';

const SLOW_CONNECTIONS = 300;

/** Sends a raw request; resolves with the reply and the time to its first byte. */
function rawRequest(
  port: number,
  head: string,
  body?: (socket: Socket) => void,
): Promise<{ text: string; firstByteMs: number }> {
  const started = Date.now();
  let firstByteMs = -1;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      body?.(socket);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => {
      if (firstByteMs < 0) firstByteMs = Date.now() - started;
      chunks.push(chunk);
    });
    socket.on('close', () => resolve({ text: Buffer.concat(chunks).toString('latin1'), firstByteMs }));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error),
    );
  });
}

describe('held: body limits and slowloris', () => {
  let app: ReceptionUnderTest;
  let cookie: string;
  beforeAll(async () => {
    app = await startReception();
    cookie = app.client.cookieHeader;
  });
  afterAll(async () => {
    await app?.close();
  });
  const head = (method: string, path: string, extra: string): string =>
    `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${app.server.port}\r\nCookie: ${cookie}\r\n${extra}\r\n`;

  it('a declared 1 GiB JSON body is refused (413) before any of it is read', async () => {
    const reply = await rawRequest(
      app.server.port,
      head('PUT', '/api/settings', `Content-Type: application/json\r\nContent-Length: ${2 ** 30}\r\n`),
    );
    expect(reply.text).toMatch(/^HTTP\/1\.1 413/);
    expect(reply.text).toContain('BODY_TOO_LARGE');
    expect(reply.firstByteMs).toBeLessThan(2_000);
  });

  it('a chunked body streamed past the limit (8 MiB offered) is cut off with 413', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const reply = await rawRequest(
      app.server.port,
      head('PUT', '/api/settings', 'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n'),
      (socket) => {
        const pump = (): void => {
          while (sent < 8 * 1024 * 1024 && !socket.destroyed) {
            sent += chunk.length;
            if (!socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`)) {
              socket.once('drain', pump);
              return;
            }
          }
          if (!socket.destroyed) socket.end('0\r\n\r\n');
        };
        pump();
      },
    );
    expect(reply.text).toMatch(/^HTTP\/1\.1 413/);
  });

  it('a PIN body over 16 bytes is refused (413), never reaching the card', async () => {
    const started = await app.client.post('/api/checks', { mode: 'pin' });
    const reply = await app.client.post(`/api/checks/${started.json.id}/pin`, new Uint8Array(17).fill(0x31));
    expect(reply.status).toBe(413);
    await app.client.post(`/api/checks/${started.json.id}/cancel`);
  });

  it(`${SLOW_CONNECTIONS} slowloris connections trickling headers do not stop real requests`, async () => {
    const sockets: Socket[] = [];
    for (let index = 0; index < SLOW_CONNECTIONS; index++) {
      const socket = connect(app.server.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(`GET /api/state HTTP/1.1\r\nHost: 127.0.0.1:${app.server.port}\r\n`);
      sockets.push(socket);
    }
    const trickle = setInterval(() => {
      for (const socket of sockets) if (!socket.destroyed) socket.write('X-a: b\r\n');
    }, 100);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (let round = 0; round < 5; round++) {
        const started = Date.now();
        const reply = await app.client.get('/api/state');
        expect(reply.status).toBe(200);
        expect(Date.now() - started).toBeLessThan(2_000);
      }
    } finally {
      clearInterval(trickle);
      for (const socket of sockets) socket.destroy();
    }
  });
});
