import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { addJpkiRoot } from '../trust-store/installed-jpki-roots.js';
import { jLisShaped2019Root } from '../trust-store/testing/jlis-shaped-2019.js';
import { sha256Fingerprint } from '../x509/index.js';
import { findStarfieldRoot, runDiagnostics, STARFIELD_G2_COMMON_NAME } from './run-diagnostics.js';

const now = new Date('2026-11-21T00:00:00Z');

function fakeSysfs(blocked: boolean): string {
  const root = mkdtempSync(join(tmpdir(), 'kakunin-sysfs-'));
  mkdirSync(join(root, 'class/bluetooth/hci0'), { recursive: true });
  mkdirSync(join(root, 'class/rfkill/rfkill0'), { recursive: true });
  writeFileSync(join(root, 'class/rfkill/rfkill0/type'), 'bluetooth\n');
  writeFileSync(join(root, 'class/rfkill/rfkill0/soft'), blocked ? '1\n' : '0\n');
  writeFileSync(join(root, 'class/rfkill/rfkill0/hard'), '0\n');
  return root;
}

describe('diagnostics', () => {
  it('finds the Starfield Services G2 root in Node’s bundled store', () => {
    const root = findStarfieldRoot(rootCertificates);
    expect(root).toBeDefined();
    expect(root!.notAfter.getUTCFullYear()).toBeGreaterThanOrEqual(2037);
  });

  it('warns on proxy variables, reports Bluetooth blocked by rfkill, and a missing pcscd', async () => {
    const report = await runDiagnostics({
      env: { HTTPS_PROXY: 'http://proxy.invalid:8080' },
      now,
      appVersion: '9.9.9',
      platform: 'linux',
      pcscSocketPath: join(tmpdir(), 'kakunin-no-such-pcscd.comm'),
      readerKind: 'pcsc',
      listReaders: async () => [],
      sysfsRoot: fakeSysfs(true),
      systemCertificateFiles: [],
    });
    const byId = Object.fromEntries(report.checks.map((check) => [check.id, check]));
    expect(byId.proxy).toMatchObject({ status: 'warning', remedy: 'network.proxy-unsupported' });
    expect(byId.bluetooth).toMatchObject({ status: 'warning', remedy: 'ble.bluetooth-off' });
    expect(byId['pcsc-service']).toMatchObject({ status: 'error', remedy: 'pcsc.service' });
    expect(byId.readers).toMatchObject({ status: 'error', remedy: 'reader.usb-cable' });
    expect(byId['tls-root']).toMatchObject({ status: 'warning' }); // only in Node's store
    expect(byId['app-version']?.detail).toContain('9.9.9');
    expect(report.status).toBe('error');
  });

  it('is all green with a listening PC/SC socket, a reader, Bluetooth on and the root in the system bundle', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kakunin-diag-'));
    const socketPath = join(directory, 'pcscd.comm');
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    const bundle = join(directory, 'bundle.pem');
    writeFileSync(bundle, rootCertificates.join('\n'));
    // Every J-LIS generation whose certificates may still be valid is installed (2019 added).
    const env = { KAKUNIN_CONFIG_DIR: join(directory, 'config') };
    for (const purpose of ['auth', 'sign'] as const) {
      const root = jLisShaped2019Root(purpose);
      expect(await addJpkiRoot(root, { env, fingerprint: sha256Fingerprint(root) })).toMatchObject({
        ok: true,
      });
    }
    try {
      const report = await runDiagnostics({
        env,
        now,
        appVersion: '0.1.0',
        platform: 'linux',
        pcscSocketPath: socketPath,
        readerKind: 'pcsc',
        listReaders: async () => [{ label: 'Virtual PCD 00 00', cardPresent: true }],
        sysfsRoot: fakeSysfs(false),
        systemCertificateFiles: [bundle],
        database: { journalMode: 'wal', sqliteVersion: '3.53.0' },
      });
      expect(report.checks.filter((check) => check.status === 'error' || check.status === 'warning')).toEqual(
        [],
      );
      expect(report.checks.find((check) => check.id === 'tls-root')?.detail).toContain(bundle);
      expect(report.checks.find((check) => check.id === 'jpki-roots')?.detail).toMatch(
        /installed: authca01 \(2015, built-in.*authca02 \(2019, added/,
      );
    } finally {
      server.close();
    }
  });

  it('warns when a J-LIS generation whose certificates may still be valid is missing', async () => {
    const env = { KAKUNIN_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'kakunin-diag-config-')) };
    const report = await runDiagnostics({ env, now: new Date('2026-12-07T00:00:00Z'), appVersion: '0.1.0' });
    const check = report.checks.find((entry) => entry.id === 'jpki-roots');
    expect(check).toMatchObject({ status: 'warning', remedy: 'cert.trust-anchor-missing' });
    expect(check?.detail).toMatch(
      /missing: authca02 \(2019, serial 0133C349.*signca02 \(2019, serial 0132C4AB/,
    );
    // After 2029 no 2019-generation certificate can be valid: no warning.
    const later = await runDiagnostics({ env, now: new Date('2030-01-01T00:00:00Z'), appVersion: '0.1.0' });
    expect(later.checks.find((entry) => entry.id === 'jpki-roots')?.status).toBe('ok');
  });

  it('reports the root missing (E-*-*-W-6401 case) when no store has it', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kakunin-diag-'));
    const bundle = join(directory, 'bundle.pem');
    writeFileSync(
      bundle,
      rootCertificates.filter((pem) => findStarfieldRoot([pem]) === undefined).join('\n'),
    );
    const report = await runDiagnostics({
      env: {},
      now,
      appVersion: '0',
      platform: 'linux',
      systemCertificateFiles: [bundle],
    });
    const tls = report.checks.find((check) => check.id === 'tls-root');
    // Node's bundled store still has it: the check says where it is missing
    expect(tls?.status).toBe('warning');
    expect(tls?.title.en).toContain(STARFIELD_G2_COMMON_NAME);
  });
});
