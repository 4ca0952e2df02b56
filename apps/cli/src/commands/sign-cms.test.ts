/**
 * `kakunin sign --cms` on the virtual card: the card signs a detached CMS SignedData that
 * `openssl cms -verify` accepts against the card's own CA (the simulator's J-LIS-shaped root), and
 * rejects when one byte of the content changes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support.js';

const sim = ['--transport', 'sim'];
/** The virtual card's signing password and auth PIN (simulator 'plastic' profile). */
const SIGN_PASSWORD = 'KAKUNIN1\n';
const AUTH_PIN = '1234\n';

function opensslCmsVerify(p7s: string, content: string, caFile: string, inform = 'DER') {
  return spawnSync(
    'openssl',
    [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      inform,
      '-in',
      p7s,
      '-content',
      content,
      '-CAfile',
      caFile,
      '-out',
      '/dev/null',
    ],
    { encoding: 'utf8' },
  );
}

describe('kakunin sign --cms', () => {
  it('the sign key makes a .p7s that openssl cms -verify accepts and that fails on a changed byte', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kakunin-cms-'));
    const input = join(directory, 'contract.txt');
    writeFileSync(input, '契約書 2026-12-08: 合成データ\n');
    const p7s = join(directory, 'contract.txt.p7s');
    const run = await runCli(
      ['sign', '--cms', '--key', 'sign', '--in', input, '--out', p7s, '--pin-stdin', ...sim],
      SIGN_PASSWORD,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(p7s)[0]).toBe(0x30);
    const ca = join(directory, 'sign-ca.pem');
    writeFileSync(ca, (await runCli(['cert', 'sign-ca', ...sim])).stdout);

    const ok = opensslCmsVerify(p7s, input, ca);
    expect(ok.stderr).toContain('Verification successful');
    expect(ok.status).toBe(0);

    const changed = readFileSync(input);
    changed[0] = (changed[0] ?? 0) ^ 0x01;
    const tampered = join(directory, 'tampered.txt');
    writeFileSync(tampered, changed);
    const bad = opensslCmsVerify(p7s, tampered, ca);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/Verification failure/);
  });

  it('--key auth --format pem --chain writes PEM carrying both certificates; openssl verifies it', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kakunin-cms-'));
    const input = join(directory, 'challenge.bin');
    writeFileSync(
      input,
      Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff),
    );
    const run = await runCli(
      ['sign', '--cms', '--key', 'auth', '--format', 'pem', '--chain', '--in', input, '--pin-stdin', ...sim],
      AUTH_PIN,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^-----BEGIN CMS-----\n/);
    const p7s = join(directory, 'challenge.p7s');
    writeFileSync(p7s, run.stdout);
    const printed = spawnSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'PEM', '-in', p7s], {
      encoding: 'utf8',
    });
    expect(printed.stdout.match(/cert_info:/g)).toHaveLength(2);
    const ca = join(directory, 'auth-ca.pem');
    writeFileSync(ca, (await runCli(['cert', 'auth-ca', ...sim])).stdout);
    const ok = opensslCmsVerify(p7s, input, ca, 'PEM');
    expect(ok.stderr).toContain('Verification successful');
  });

  it('--format without --cms is a usage error; a wrong password spends one try and writes nothing', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kakunin-cms-'));
    const input = join(directory, 'x.txt');
    writeFileSync(input, 'x');
    expect((await runCli(['sign', '--key', 'sign', '--format', 'pem', '--in', input, ...sim])).code).toBe(2);
    expect(
      (await runCli(['sign', '--cms', '--format', 'xml', '--key', 'sign', '--in', input, ...sim])).code,
    ).toBe(2);
    const out = join(directory, 'x.p7s');
    const wrong = await runCli(
      ['sign', '--cms', '--key', 'sign', '--in', input, '--out', out, '--pin-stdin', ...sim],
      'WRONG99\n',
    );
    expect(wrong.code).toBe(4);
    expect(() => readFileSync(out)).toThrow();
  });
});
