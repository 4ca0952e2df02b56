/**
 * The `kakunin` card commands against the in-process virtual card (`--transport sim`): the CLI
 * contract of issue 5 (names, output, exit codes 0/2/3/4/5/6), PIN never in argv, traces redacted.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, signMessage } from '../test-support.js';

const sim = ['--transport', 'sim'];

describe('kakunin card commands (virtual card)', () => {
  it('readers lists the virtual reader with its card', async () => {
    const run = await runCli(['readers', '--json', ...sim]);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { readers: { cardPresent: boolean; atr?: string }[] };
    expect(json.readers[0]?.cardPresent).toBe(true);
    expect(json.readers[0]?.atr).toMatch(/^3B/);
  });

  it('pin status --json reports every counter without spending a try', async () => {
    const run = await runCli(['pin', 'status', '--json', ...sim]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      auth: { triesLeft: 3, blocked: false },
      sign: { triesLeft: 5, blocked: false },
      text: { triesLeft: 3, blocked: false },
    });
    const blocked = await runCli(['pin', 'status', '--json', ...sim, '--profile', 'blocked']);
    expect(JSON.parse(blocked.stdout).auth).toEqual({ triesLeft: 0, blocked: true });
  });

  it('check --pin-stdin succeeds; a wrong PIN exits 4 with tries left; a blocked card exits 5', async () => {
    const ok = await runCli(['check', '--pin-stdin', '--json', ...sim], '1234\n');
    expect(ok.code).toBe(0);
    const result = JSON.parse(ok.stdout) as { apduCount: number; triesLeftBefore: number };
    expect(result.apduCount).toBe(5);
    expect(result.triesLeftBefore).toBe(3);

    const wrong = await runCli(['check', '--pin-stdin', ...sim], '9999\n');
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toContain('PIN_INCORRECT');
    expect(wrong.stderr).toMatch(/tries left: 2/);
    expect(wrong.stderr).toContain('pin.incorrect');
    expect(wrong.stderr + wrong.stdout).not.toContain('9999');

    const blocked = await runCli(['check', '--pin-stdin', ...sim, '--profile', 'blocked'], '1234\n');
    expect(blocked.code).toBe(5);
    expect(blocked.stderr).toContain('PIN_BLOCKED');
    expect(blocked.stderr).toContain('市区町村');
  });

  it('a PIN is never accepted as an argument', async () => {
    const run = await runCli(['check', '--pin', '1234', ...sim]);
    expect(run.code).toBe(2);
  });

  it('cert auth prints PEM that openssl parses; cert sign needs the password; der needs --out', async () => {
    const pem = await runCli(['cert', 'auth', ...sim]);
    expect(pem.code).toBe(0);
    expect(pem.stdout).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const parsed = spawnSync('openssl', ['x509', '-noout', '-subject', '-issuer'], {
      input: pem.stdout,
      encoding: 'utf8',
    });
    expect(parsed.status).toBe(0);
    expect(parsed.stdout).toContain('kakunin Test JPKI');

    const directory = mkdtempSync(join(tmpdir(), 'kakunin-cli-'));
    const der = await runCli(
      ['cert', 'sign', '--format', 'der', '--out', join(directory, 'sign.der'), '--pin-stdin', ...sim],
      'KAKUNIN1\n',
    );
    expect(der.code).toBe(0);
    expect(readFileSync(join(directory, 'sign.der'))[0]).toBe(0x30);
    expect((await runCli(['cert', 'auth', '--format', 'der', ...sim])).code).toBe(2);
  });

  it('sign produces a PKCS#1 v1.5 signature over SHA-256(FILE) that openssl verifies', async () => {
    const { run, directory, input, signature } = await signMessage('処方箋 2026-11-21\n', sim);
    expect(run.code).toBe(0);
    const certificate = join(directory, 'auth.pem');
    writeFileSync(certificate, (await runCli(['cert', 'auth', ...sim])).stdout);
    const publicKey = join(directory, 'auth.pub');
    expect(
      spawnSync('openssl', ['x509', '-in', certificate, '-pubkey', '-noout', '-out', publicKey]).status,
    ).toBe(0);
    const check = spawnSync(
      'openssl',
      ['dgst', '-sha256', '-verify', publicKey, '-signature', signature, input],
      { encoding: 'utf8' },
    );
    expect(check.stdout).toContain('Verified OK');
  });

  it('info --json reads the basic four and my number with integrity checked', async () => {
    const run = await runCli(['info', '--json', '--pin-stdin', ...sim], '1234\n');
    expect(run.code).toBe(0);
    const info = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(info).toMatchObject({ name: '𠮷川　誠', birthDate: '19581017', sex: 'male', integrity: true });
    expect(info.myNumber).toMatch(/^[0-9]{12}$/);
  });

  it('face --out writes the card-face images via 照合番号B', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kakunin-face-'));
    const run = await runCli(['face', '--out', directory, '--pin-stdin', ...sim], '33101720358643\n');
    expect(run.code).toBe(0);
    expect(readFileSync(join(directory, 'name.png')).subarray(1, 4).toString()).toBe('PNG');
    expect(JSON.parse(readFileSync(join(directory, 'fields.json'), 'utf8'))).toMatchObject({
      birthDate: '19581017',
      expiry: '20351017',
    });
  });

  it('--trace writes JSON-lines APDU events with the VERIFY data redacted', async () => {
    const run = await runCli(['check', '--pin-stdin', '--trace', ...sim], '1234\n');
    expect(run.code).toBe(0);
    const events = run.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map(
        (line) => JSON.parse(line) as { type: string; header?: string; redacted?: boolean; data?: string },
      );
    const verify = events.find((event) => event.header === '00200098' && event.redacted === true);
    expect(verify).toBeDefined();
    expect(verify?.data).toBeUndefined();
    expect(run.stderr).not.toContain('31323334');
  });

  it('the child card has no signing certificate (exit 3 with the remedy)', async () => {
    const run = await runCli(['cert', 'sign', '--pin-stdin', ...sim, '--profile', 'child'], 'KAKUNIN1\n');
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('CERT_ABSENT');
    expect(run.stderr).toContain('cert.sign-absent');
    const status = await runCli(['pin', 'status', '--json', ...sim, '--profile', 'child']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).sign).toEqual({ triesLeft: null, blocked: false, absent: true });
  });

  it('the Android profile needs the auth PIN to read the auth certificate', async () => {
    const run = await runCli(['cert', 'auth', '--pin-stdin', ...sim, '--profile', 'android'], '1234\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('BEGIN CERTIFICATE');
  });
});
