/**
 * `--transport ble-sim|bridge-sim` with `--card sim[:PROFILE]` (issue 14 Deliver 6): every card
 * command runs through the simulated ACR1255U-J1 (real noble code, reader framing, AES) and
 * through the reference phone relay (real WebSocket + Noise on loopback), in front of the
 * simulator's card. The PC/SC card behind them is tested through pcscd in card-links-pcscd.test.ts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCardSource } from './card-links.js';
import { runCli } from './test-support.js';

describe.each(['ble-sim', 'bridge-sim'] as const)('every card command through %s', (link) => {
  const through = ['--transport', link, '--card', 'sim'];

  it('readers, pin status, cert, check, sign, info, face and pin change', async () => {
    const readers = await runCli(['readers', '--json', ...through]);
    expect(readers.code, readers.stderr).toBe(0);
    const listed = JSON.parse(readers.stdout) as {
      transport: string;
      readers: Array<{ cardPresent: boolean }>;
    };
    expect(listed.transport).toBe(link === 'ble-sim' ? 'ble' : 'bridge');
    expect(listed.readers).toHaveLength(1);
    expect(listed.readers[0]!.cardPresent).toBe(true);

    const status = await runCli(['pin', 'status', '--json', ...through]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ auth: { triesLeft: 3 }, sign: { triesLeft: 5 } });

    const pem = await runCli(['cert', 'auth', ...through]);
    expect(pem.code, pem.stderr).toBe(0);
    expect(pem.stdout).toContain('-----BEGIN CERTIFICATE-----');

    const check = await runCli(['check', '--pin-stdin', '--json', ...through], '1234\n');
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ mode: 'pin', triesLeftBefore: 3 });

    const directory = mkdtempSync(join(tmpdir(), `kakunin-${link}-`));
    const input = join(directory, 'message.txt');
    writeFileSync(input, '紹介状 2026-12-08\n');
    const sign = await runCli(
      [
        'sign',
        '--key',
        'auth',
        '--in',
        input,
        '--out',
        join(directory, 'message.sig'),
        '--pin-stdin',
        ...through,
      ],
      '1234\n',
    );
    expect(sign.code, sign.stderr).toBe(0);
    expect(readFileSync(join(directory, 'message.sig')).length).toBe(256);

    const info = await runCli(['info', '--json', '--pin-stdin', ...through], '1234\n');
    expect(info.code, info.stderr).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ birthDate: '19581017', integrity: true });

    const face = await runCli(['face', '--out', directory, '--pin-stdin', ...through], '33101720358643\n');
    expect(face.code, face.stderr).toBe(0);
    expect(readFileSync(join(directory, 'name.png')).subarray(1, 4).toString()).toBe('PNG');

    // Each command builds a fresh simulator card, so the change is seen by the command itself.
    const change = await runCli(
      ['pin', 'change', 'auth', '--pin-stdin', '--json', ...through],
      '1234\n5678\n',
    );
    expect(change.code, change.stderr).toBe(0);
  });

  it('--card sim:PROFILE picks the simulator profile', async () => {
    const status = await runCli(['pin', 'status', '--json', '--transport', link, '--card', 'sim:blocked']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ auth: { blocked: true } });
  });
});

describe('--card usage errors (exit 2)', () => {
  it.each([
    [
      ['--transport', 'ble-sim', '--card', 'usb:reader'],
      '--card must be sim[:PROFILE] or pcsc:"READER NAME"',
    ],
    [['--transport', 'bridge-sim', '--card', 'pcsc:'], '--card must be'],
    [['--transport', 'ble-sim', '--card', 'sim:nope'], 'unknown --profile nope'],
    [['--transport', 'bridge-sim', '--card', 'sim:child', '--profile', 'plastic'], 'disagree'],
    [['--transport', 'sim', '--card', 'sim'], '--card fronts a card through --transport ble-sim|bridge-sim'],
    [['--card', 'sim'], '--card fronts a card'],
    [['--transport', 'ble-simulated'], 'unknown --transport ble-simulated'],
  ])('%j', async (args, message) => {
    const run = await runCli(['pin', 'status', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('parseCardSource', () => {
    expect(parseCardSource(undefined)).toEqual({ kind: 'sim' });
    expect(parseCardSource('sim:android')).toEqual({ kind: 'sim', profile: 'android' });
    expect(parseCardSource('pcsc:Virtual PCD 00 00')).toEqual({ kind: 'pcsc', reader: 'Virtual PCD 00 00' });
    expect(() => parseCardSource(true)).toThrow('--card must be');
    expect(() => parseCardSource('sim:')).toThrow('--card must be');
  });
});
