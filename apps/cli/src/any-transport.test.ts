/**
 * `--transport any` end to end through the CLI: the simulated Bluetooth reader answers, PC/SC (no
 * pcscd at the socket) and the bridge (no `kakunin bridge pair` running) are warnings on stderr, and
 * the command still lists the Bluetooth reader with its kind and reads the card through it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from './test-support.js';

const directory = mkdtempSync(join(tmpdir(), 'kakunin-any-'));
const saved = { ...process.env };
let stderr: string[] = [];

beforeAll(() => {
  // pcsc-lite reads its socket path once per process: this worker's PC/SC finds no pcscd here.
  process.env.PCSCLITE_CSOCK_NAME = join(directory, 'no-pcscd.comm');
  process.env.KAKUNIN_BRIDGE_DIR = join(directory, 'no-bridge');
  process.env.KAKUNIN_BLE_SIMULATOR = '1';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
});

afterAll(() => {
  vi.restoreAllMocks();
  process.env = saved;
  rmSync(directory, { recursive: true, force: true });
});

describe('kakunin --transport any', () => {
  it('readers lists the Bluetooth reader with its kind; PC/SC and the bridge are warnings, not failures', async () => {
    stderr = [];
    const run = await runCli(['readers', '--transport', 'any', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const listed = JSON.parse(run.stdout) as {
      transport: string;
      readers: Array<{ id: string; kind: string }>;
    };
    expect(listed.transport).toBe('any');
    expect(listed.readers).toHaveLength(1);
    expect(listed.readers[0]?.kind).toBe('ble');
    expect(listed.readers[0]?.id).toMatch(/^ble:/);
    const warnings = stderr.join('');
    expect(warnings).toMatch(/warning: pcsc: SERVICE_UNAVAILABLE/);
    expect(warnings).toMatch(/warning: bridge: /);
  });

  it('readers in text form prefixes each reader with its transport', async () => {
    const run = await runCli(['readers', '--transport', 'any']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\[ble\] sim:ACR1255U-J1-SIM001 .*\tカードあり/m);
  });

  it('cert reads the card through the Bluetooth reader it found', async () => {
    const run = await runCli(['cert', 'auth', '--transport', 'any']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('an unknown --transport names any among the choices', async () => {
    const run = await runCli(['readers', '--transport', 'bogus']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/pcsc\|sim\|ble\|bridge\|.*any/);
  });
});
