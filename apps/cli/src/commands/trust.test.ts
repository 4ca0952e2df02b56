/**
 * `kakunin trust` and the registry-backed `verify-cert` (issue 14 deliver 2): no trust directory
 * is needed; a certificate of the missing 2019 generation is TRUST_ANCHOR_MISSING naming the file
 * to install; `trust add` refuses without the fingerprint (showing it), installs with it, and
 * `verify-cert` then chains through the added root. `doctor` warns while the generation is missing.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { jLisShaped2019 } from '@kakunin/simulator/pki';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { captureIo } from '../test-support.js';

const io = (env: Record<string, string>) => captureIo('', env);

// A stand-in for J-LIS's 2019 auth root (its name, serial and validity; our key) and a card
// certificate it issued in 2021.
const { root, leaf } = jLisShaped2019('auth');
const fingerprint = createHash('sha256').update(root).digest('hex').toUpperCase();
const directory = mkdtempSync(path.join(tmpdir(), 'kakunin-trust-'));
const rootFile = path.join(directory, 'authca02.cer');
const leafFile = path.join(directory, 'card-auth.der');
writeFileSync(rootFile, root);
writeFileSync(leafFile, leaf);
const at = '2026-06-01T00:00:00Z';

describe('kakunin trust / verify-cert with the compiled-in registry', () => {
  it('verify-cert needs no directory: a 2021 card certificate is TRUST_ANCHOR_MISSING (2019, authca02.cer)', async () => {
    const env = { KAKUNIN_CONFIG_DIR: mkdtempSync(path.join(tmpdir(), 'kakunin-config-')) };
    const streams = io(env);
    expect(await main(['verify-cert', leafFile, '--at', at, '--json'], streams)).toBe(6);
    const report = JSON.parse(streams.out());
    expect(report).toMatchObject({
      code: 'TRUST_ANCHOR_MISSING',
      remedy: 'cert.trust-anchor-missing',
      missingTrustAnchor: { id: 'authca02', generation: 2019, file: 'authca02.cer' },
    });
  });

  it('trust add refuses without --fingerprint (showing it), installs with it; verify-cert then chains', async () => {
    const env = { KAKUNIN_CONFIG_DIR: mkdtempSync(path.join(tmpdir(), 'kakunin-config-')) };
    const bare = io(env);
    expect(await main(['trust', 'add', rootFile], bare)).toBe(2);
    expect(bare.err()).toContain(fingerprint.match(/../g)!.join(':'));
    const wrong = io(env);
    expect(await main(['trust', 'add', rootFile, '--fingerprint', 'AA'.repeat(32)], wrong)).toBe(6);
    expect(wrong.err()).toMatch(/FINGERPRINT_MISMATCH/);

    const added = io(env);
    expect(await main(['trust', 'add', rootFile, '--fingerprint', fingerprint.toLowerCase()], added)).toBe(0);
    expect(added.out()).toMatch(/authca02/);

    const list = io(env);
    expect(await main(['trust', 'list', '--json'], list)).toBe(0);
    const rows = JSON.parse(list.out()).roots as { id: string; status: string }[];
    expect(Object.fromEntries(rows.map((row) => [row.id, row.status]))).toEqual({
      authca01: 'built-in',
      signca01: 'built-in',
      authca02: 'added',
      signca02: 'missing',
      authca03: 'built-in',
      signca03: 'built-in',
    });

    const verified = io(env);
    expect(await main(['verify-cert', leafFile, '--at', at, '--json'], verified)).toBe(6);
    const report = JSON.parse(verified.out());
    expect(report.status).toBe('revocation-unknown');
    expect(report.issuingRoot).toMatchObject({ serialNumber: '0133c349' });
    const delegated = io(env);
    expect(await main(['verify-cert', leafFile, '--at', at, '--revocation', 'delegated'], delegated)).toBe(0);
    expect(delegated.out()).toMatch(/資格確認サービスに委任/);
  });

  it('doctor lists the installed generations and warns while the 2019 ones are missing', async () => {
    const env = { KAKUNIN_CONFIG_DIR: mkdtempSync(path.join(tmpdir(), 'kakunin-config-')) };
    const streams = io(env);
    await main(['doctor', '--transport', 'sim', '--json'], streams);
    const check = (JSON.parse(streams.out()).checks as { id: string; status: string; detail: string }[]).find(
      (entry) => entry.id === 'jpki-roots',
    );
    expect(check?.status).toBe('warning');
    expect(check?.detail).toMatch(/installed: authca01 .*authca03/);
    expect(check?.detail).toMatch(/missing: authca02 .*signca02/);
    expect(check?.detail).not.toMatch(/missing: .*authca01/);
  });

  it('rejects bad usage', async () => {
    const env = { KAKUNIN_CONFIG_DIR: directory };
    expect(await main(['trust'], io(env))).toBe(2);
    expect(await main(['trust', 'remove', rootFile], io(env))).toBe(2);
    expect(await main(['verify-cert', leafFile, '--revocation', 'maybe'], io(env))).toBe(2);
  });
});
