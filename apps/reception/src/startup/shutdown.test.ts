/**
 * Bounded shutdown of the built `kakunin-reception` command over real pcscd + vpcd: SIGTERM while
 * idle and in the middle of a check (the card connected exclusively at the PIN screen, and a check
 * waiting for a card) must end the process within {@link EXIT_BOUND_MS}, with exit code 0, the
 * vpcd slot released (pcscd sees no card; another presenter can insert one) and a pcscd the app
 * started stopped. It once kept running for over 20 s, holding pcscd and the vpcd slot.
 * pcscd is shared machine-wide: the harness lock serialises this file with every other user.
 */
import { readFileSync } from 'node:fs';
import { createPcscProvider } from '@kakunin/transport-pcsc';
import { describe, expect, it } from 'vitest';
import { PCSCD_SOCKET, socketAnswers } from '../pcsc/pcscd-service.js';
import { ApiClient, settleCheck } from '../testing/api-client.js';
import { usePcscdHarness } from '../testing/pcscd-suite.js';
import { type ReceptionCommand, startReceptionCommand } from '../testing/reception-command.js';
import { startReceptionApp } from './start-reception-app.js';

const PASSWORD = 'shutdown-demo-password';
/** How long SIGTERM may take to end the app, pcscd and the card worker included. */
const EXIT_BOUND_MS = 5000;
const VPCD_READER = 'Virtual PCD 00 00';

const startCommand = (): Promise<ReceptionCommand> =>
  startReceptionCommand(['--port', '0', '--db', ':memory:', '--demo-password', PASSWORD]);

async function readyClient(url: string): Promise<ApiClient> {
  const client = new ApiClient(url);
  await client.post('/api/device/register', { accountId: 'demo', password: PASSWORD, deviceName: 'stop' });
  expect((await client.post('/api/passcode/setup', { passcode: '1357' })).json.stage).toBe('ready');
  return client;
}

/** Sends SIGTERM; resolves with the milliseconds until the process was gone (or throws past the bound + margin). */
async function terminate(
  running: ReceptionCommand,
): Promise<{ ms: number; code: number | null; signal: NodeJS.Signals | null }> {
  const started = performance.now();
  running.child.kill('SIGTERM');
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => {
      running.child.kill('SIGKILL');
      reject(new Error(`still running ${EXIT_BOUND_MS * 3} ms after SIGTERM:\n${running.output()}`));
    }, EXIT_BOUND_MS * 3),
  );
  const result = await Promise.race([running.exited, timeout]);
  return { ms: performance.now() - started, ...result };
}

/** Whether pcscd shows a card in the vpcd reader, polled until `expected` or 3 s. */
async function vpcdCardPresent(expected: boolean): Promise<boolean> {
  const provider = createPcscProvider();
  try {
    const deadline = Date.now() + 3000;
    for (;;) {
      const readers = await provider.listReaders();
      const present = readers.find((reader) => reader.id === VPCD_READER)?.cardPresent ?? false;
      if (present === expected || Date.now() > deadline) return present;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await provider.close();
  }
}

describe('kakunin-reception stops within a bound on SIGTERM (real pcscd + vpcd)', () => {
  const pcscd = usePcscdHarness();

  it('idle: exits 0 within the bound and releases the vpcd slot; another app can present its card', async () => {
    const running = await startCommand();
    expect(await vpcdCardPresent(true)).toBe(true);
    const stopped = await terminate(running);
    console.log(`SIGTERM idle: exited in ${stopped.ms.toFixed(0)} ms`);
    expect(stopped).toMatchObject({ code: 0, signal: null });
    expect(stopped.ms).toBeLessThan(EXIT_BOUND_MS);
    expect(await vpcdCardPresent(false)).toBe(false);
    // the slot is free: a new presenter inserts its card
    await using app = await startReceptionApp({
      transport: 'auto',
      port: 0,
      dbPath: ':memory:',
      demoPassword: PASSWORD,
    });
    expect(app.transport.active).toBe('vpcd');
    expect(await vpcdCardPresent(true)).toBe(true);
  });

  it('mid-check: the card held exclusively at the PIN screen, and a check waiting for a card — exits within the bound', async () => {
    const running = await startCommand();
    const client = await readyClient(running.url);
    const started = await client.post('/api/checks', { mode: 'pin' });
    expect((await settleCheck(client, started.json.id, 15_000)).json.status).toBe('pin-entry');
    const stopped = await terminate(running);
    console.log(`SIGTERM at the PIN screen: exited in ${stopped.ms.toFixed(0)} ms`);
    expect(stopped).toMatchObject({ code: 0, signal: null });
    expect(stopped.ms).toBeLessThan(EXIT_BOUND_MS);
    expect(await vpcdCardPresent(false)).toBe(false);

    const waitingApp = await startCommand();
    const waitingClient = await readyClient(waitingApp.url);
    await waitingClient.post('/api/simulator/remove', {});
    const waiting = await waitingClient.post('/api/checks', { mode: 'pin' });
    expect(waiting.json.status).toBe('waiting-card');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stoppedWaiting = await terminate(waitingApp);
    console.log(`SIGTERM while waiting for a card: exited in ${stoppedWaiting.ms.toFixed(0)} ms`);
    expect(stoppedWaiting).toMatchObject({ code: 0, signal: null });
    expect(stoppedWaiting.ms).toBeLessThan(EXIT_BOUND_MS);
  });

  it('with the pcscd it started: SIGTERM mid-check stops that pcscd too, within the bound', async () => {
    await pcscd.stopService();
    try {
      const running = await startCommand();
      expect(running.output()).toContain('pcscd started by this app');
      const client = await readyClient(running.url);
      const started = await client.post('/api/checks', { mode: 'pin' });
      expect((await settleCheck(client, started.json.id, 15_000)).json.status).toBe('pin-entry');
      const stopped = await terminate(running);
      console.log(`SIGTERM with its own pcscd: exited in ${stopped.ms.toFixed(0)} ms`);
      expect(stopped).toMatchObject({ code: 0, signal: null });
      expect(stopped.ms).toBeLessThan(EXIT_BOUND_MS);
      expect(await socketAnswers(PCSCD_SOCKET)).toBe(false);
    } finally {
      await pcscd.startService();
    }
  });

  it('with its pcscd wedged (stopped) mid-check: still exits within the bound, says so, and kills that pcscd', async () => {
    await pcscd.stopService();
    let pcscdPid: number | undefined;
    try {
      const running = await startCommand();
      const match = /pcscd: pid (\d+)/.exec(running.output());
      expect(match, running.output()).not.toBeNull();
      pcscdPid = Number(match![1]);
      const client = await readyClient(running.url);
      const started = await client.post('/api/checks', { mode: 'pin' });
      expect((await settleCheck(client, started.json.id, 15_000)).json.status).toBe('pin-entry');
      // pcscd stops answering (as a hung daemon would): every PC/SC call of the app now waits
      process.kill(pcscdPid, 'SIGSTOP');
      const stopped = await terminate(running);
      console.log(`SIGTERM with a wedged pcscd: exited in ${stopped.ms.toFixed(0)} ms`);
      expect(stopped.ms).toBeLessThan(EXIT_BOUND_MS);
      expect(stopped.code).toBe(1);
      expect(running.output()).toContain('did not close within');
      expect(processGone(pcscdPid)).toBe(true);
      expect(await socketAnswers(PCSCD_SOCKET)).toBe(false);
    } finally {
      // never leave a stopped pcscd holding the socket for the next user
      if (pcscdPid !== undefined && !processGone(pcscdPid)) {
        process.kill(pcscdPid, 'SIGCONT');
        process.kill(pcscdPid, 'SIGKILL');
      }
      await pcscd.startService();
    }
  });
});

/** A process that no longer exists or is a zombie (dead, not yet reaped by its new parent). */
function processGone(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return /^State:\s+Z/m.test(status);
  } catch {
    return true;
  }
}
