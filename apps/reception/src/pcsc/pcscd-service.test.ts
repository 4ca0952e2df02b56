/**
 * The app's pcscd step without touching the machine's pcscd: fake sockets, fake ports and fake
 * "pcscd" binaries in a temporary directory. (The real pcscd path is covered by
 * src/startup/reception-app-vpcd.test.ts under the harness lock.)
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePcscd, listeningTcpPorts, socketAnswers } from './pcscd-service.js';

const listen = (server: Server, target: string | number): Promise<void> =>
  new Promise((resolve) => {
    if (typeof target === 'string') server.listen(target, resolve);
    else server.listen(target, '127.0.0.1', resolve);
  });
const close = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

describe('ensurePcscd (fakes)', () => {
  let directory: string;
  let fakeSocket: Server;
  let fakeVpcd: Server;
  let socketPath: string;
  let vpcdPort: number;
  const missingSocket = () => join(directory, 'missing.comm');

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'kakunin-pcscd-service-'));
    socketPath = join(directory, 'pcscd.comm');
    fakeSocket = createServer((socket) => socket.end());
    await listen(fakeSocket, socketPath);
    fakeVpcd = createServer((socket) => socket.end());
    await listen(fakeVpcd, 0);
    vpcdPort = (fakeVpcd.address() as { port: number }).port;
  });
  afterAll(async () => {
    await close(fakeSocket);
    await close(fakeVpcd);
    rmSync(directory, { recursive: true, force: true });
  });

  it('probes a unix socket and the listening TCP ports', async () => {
    expect(await socketAnswers(socketPath)).toBe(true);
    expect(await socketAnswers(missingSocket())).toBe(false);
    expect((await listeningTcpPorts()).has(vpcdPort)).toBe(true);
  });

  it('uses a running pcscd whose vpcd port listens (and does not stop it on close)', async () => {
    const service = await ensurePcscd({ socketPath, vpcdPort, lockPath: null });
    expect(service).toMatchObject({ available: true, started: false, pid: undefined, reason: undefined });
    await service.close();
    expect(await socketAnswers(socketPath)).toBe(true);
  });

  it('refuses a running pcscd without the vpcd driver', async () => {
    const free = createServer();
    await listen(free, 0);
    const port = (free.address() as { port: number }).port;
    await close(free);
    const service = await ensurePcscd({ socketPath, vpcdPort: port, lockPath: null });
    expect(service.available).toBe(false);
    expect(service.reason).toContain(`vpcd does not listen on port ${port}`);
  });

  it('stays away while another live process holds the harness lock', async () => {
    const lockPath = join(directory, 'pcscd.lock');
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeFileSync(lockPath, `${other.pid} some-token`);
      const service = await ensurePcscd({ socketPath, vpcdPort, lockPath });
      expect(service.available).toBe(false);
      expect(service.reason).toContain(`pid ${other.pid}`);
    } finally {
      other.kill();
    }
    // our own lock, an ancestor's (a test running the app as a child) or a dead holder's is no obstacle
    for (const holder of [process.pid, process.ppid, 2 ** 22 + 17]) {
      writeFileSync(lockPath, `${holder} token`);
      expect((await ensurePcscd({ socketPath, vpcdPort, lockPath })).available, String(holder)).toBe(true);
    }
  });

  /** ensurePcscd with no pcscd running and a fake pcscd binary: a shell script with `body`. */
  const startFake = (
    name: string,
    body: string,
    options: { mayStart?: boolean; readyTimeoutMs?: number } = {},
  ) => {
    const script = join(directory, name);
    writeFileSync(script, `#!/bin/sh\n${body}\n`);
    chmodSync(script, 0o755);
    return ensurePcscd({
      socketPath: missingSocket(),
      vpcdPort,
      binaries: [script],
      lockPath: null,
      mayStart: true,
      ...options,
    });
  };

  it('explains why it cannot start pcscd: not installed, not allowed', async () => {
    const none = await ensurePcscd({ socketPath: missingSocket(), vpcdPort, binaries: [], lockPath: null });
    expect(none.reason).toContain('not installed');
    const notRoot = await startFake('never-started', 'exit 0', { mayStart: false });
    expect(notRoot.reason).toContain('only root can start it');
  });

  it('reports a pcscd that dies at start-up, and one that never becomes ready (then stops it)', async () => {
    const died = await startFake('dying-pcscd', 'echo "cannot open reader.conf" >&2\nexit 1');
    expect(died.available).toBe(false);
    expect(died.reason).toContain('exited during start-up');

    const pidFile = join(directory, 'stuck.pid');
    const slow = await startFake('stuck-pcscd', `echo $$ > ${pidFile}\nexec sleep 30`, {
      readyTimeoutMs: 300,
    });
    expect(slow.available).toBe(false);
    expect(slow.reason).toContain('did not become ready within 300 ms');
    const { readFileSync } = await import('node:fs');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow(); // the child was stopped
  });

  it('asserts its options', async () => {
    await expect(ensurePcscd({ vpcdPort: 0 })).rejects.toThrow(RangeError);
    await expect(ensurePcscd(null as never)).rejects.toThrow(TypeError);
  });
});
