/**
 * The embedded default through real components: pcscd (started by the repository's harness, or
 * by the app itself), vsmartcard's vpcd driver, the simulator card presented by VpcdConnector,
 * read back through @kakunin/transport-pcsc, and a successful PIN-mode check over the HTTP API.
 * pcscd is shared machine-wide: the harness lock serialises this file with every other pcscd
 * user. If pcscd cannot start, beforeAll rejects and the tests fail (never skip).
 */
import { describe, expect, it } from 'vitest';
import { ensurePcscd, PCSCD_SOCKET, socketAnswers } from '../pcsc/pcscd-service.js';
import { settleCheck } from '../testing/api-client.js';
import { usePcscdHarness } from '../testing/pcscd-suite.js';
import { startReceptionCommand } from '../testing/reception-command.js';
import { startTestApp } from '../testing/test-app.js';
import { registeredClient } from '../testing/test-server.js';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

const readyClient = (url: string) => registeredClient(url);

describe('reception app on the virtual card through real pcscd + vpcd', () => {
  const pcscd = usePcscdHarness();

  it('auto: the desk card reaches pcscd through vpcd and a PIN-mode check succeeds over PC/SC', async () => {
    await using app = await startTestApp('auto', {
      waitForCardMs: 10_000,
    });
    expect(app.transport).toMatchObject({
      requested: 'auto',
      active: 'vpcd',
      readerId: 'Virtual PCD 00 00',
      startedPcscd: false,
      notice: undefined,
    });
    const client = await readyClient(app.server.url);
    const state = await client.get('/api/state');
    expect(state.json.readerKind).toBe('pcsc');
    const readers = await client.get('/api/readers');
    expect(readers.json.readers).toEqual([
      expect.objectContaining({ id: 'Virtual PCD 00 00', kind: 'pcsc', cardPresent: true }),
    ]);
    expect((await client.get('/api/simulator')).json.presentation).toBe('vpcd');

    const checkStarted = performance.now();
    const started = await client.post('/api/checks', { mode: 'pin' });
    const ready = await settleCheck(client, started.json.id, 15_000);
    const detectMs = performance.now() - checkStarted;
    expect(ready.json.status).toBe('pin-entry');
    expect(ready.json.pinStatus).toEqual({ triesLeft: 3, blocked: false });
    const wrong = await client.post(`/api/checks/${started.json.id}/pin`, ascii('9999'));
    expect(wrong.json.pinStatus.triesLeft).toBe(2);
    const pinSubmitted = performance.now();
    const right = await client.post(`/api/checks/${started.json.id}/pin`, ascii('1234'));
    const resultMs = performance.now() - pinSubmitted;
    expect(right.json.status).toBe('result');
    console.log(
      `vpcd check: card detected + counter read in ${detectMs.toFixed(0)} ms; VERIFY + sign + certificate + validation + query in ${resultMs.toFixed(0)} ms (card timings ${JSON.stringify(right.json.timings)})`,
    );
    expect(right.json.answer.body.qualificationValidity).toBe('1');
    expect(right.json.certificate.status).toBe('valid');
    expect(right.json.certificate.revocation.status).toBe('GOOD');

    // the desk's controls drive vpcd: removing the card empties the PC/SC reader …
    await client.post('/api/simulator/remove', {});
    const empty = await client.get('/api/readers');
    expect(empty.json.readers[0]?.cardPresent).toBe(false);
    // … a check then waits, and re-inserting the (revoked) card lets it continue to its refusal
    const waiting = await client.post('/api/checks', { mode: 'pin' });
    expect(waiting.json.status).toBe('waiting-card');
    await client.post('/api/simulator/insert', { profile: 'revoked' });
    const resumed = await settleCheck(client, waiting.json.id, 15_000);
    expect(resumed.json.status, JSON.stringify(resumed.json.guidance)).toBe('pin-entry');
    const revoked = await client.post(`/api/checks/${waiting.json.id}/pin`, ascii('1234'));
    expect(revoked.json.status).toBe('failed');
    expect(revoked.json.guidance.code).toBe('REVOKED');
  });

  it('pcsc: real readers only — the vpcd reader is listed, no desk and no test anchors', async () => {
    await using app = await startTestApp('pcsc');
    expect(app.transport.active).toBe('pcsc');
    expect(app.desk).toBeUndefined();
    const client = await readyClient(app.server.url);
    expect((await client.get('/api/state')).json.simulator).toBe(false);
    expect((await client.get('/api/simulator')).status).toBe(404);
    const readers = await client.get('/api/readers');
    expect(readers.json.kind).toBe('pcsc');
    expect(readers.json.readers.map((reader: { id: string }) => reader.id)).toContain('Virtual PCD 00 00');
  });

  it('the kakunin-reception command on a machine without a running pcscd: starts it, prints the URL, stops it on Ctrl-C', async () => {
    await pcscd.stopService();
    try {
      const app = await startReceptionCommand(['--port', '0', '--db', ':memory:']);
      const { child, exited, url } = app;
      const stdout = app.output();
      expect(app.output()).not.toContain('NOTICE');
      expect(stdout).toContain(
        'card reader: virtual card desk through pcscd + vpcd ("Virtual PCD 00 00", pcscd started by this app)',
      );
      expect(stdout).toMatch(/J-LIS roots: authca01, signca01, authca03, signca03 \(built in;/);
      expect((await fetch(url)).status).toBe(200);
      expect(await socketAnswers(PCSCD_SOCKET)).toBe(true);
      child.kill('SIGINT');
      expect((await exited).code).toBe(0);
      expect(await socketAnswers(PCSCD_SOCKET)).toBe(false);
    } finally {
      await pcscd.startService();
    }
  });

  it('starts pcscd itself when none is running (as root), and stops it on close', async () => {
    await pcscd.stopService();
    try {
      expect(await socketAnswers(PCSCD_SOCKET)).toBe(false);
      const service = await ensurePcscd();
      expect(service.reason).toBeUndefined();
      expect(service.started).toBe(true);
      expect(service.pid).toBeGreaterThan(0);
      expect(await socketAnswers(PCSCD_SOCKET)).toBe(true);
      await service.close();
      expect(await socketAnswers(PCSCD_SOCKET)).toBe(false);

      // the app's auto mode does the same: its own pcscd, the card through vpcd, stopped on close
      const app = await startTestApp('auto', {});
      try {
        expect(app.transport.active).toBe('vpcd');
        expect(app.transport.startedPcscd).toBe(true);
        expect(app.transport.pcscdPid).toBeGreaterThan(0);
        const client = await readyClient(app.server.url);
        expect((await client.get('/api/readers')).json.readers[0]?.cardPresent).toBe(true);
      } finally {
        await app.close();
      }
      expect(await socketAnswers(PCSCD_SOCKET)).toBe(false);
    } finally {
      await pcscd.startService();
    }
  });
});
