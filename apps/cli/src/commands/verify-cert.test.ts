import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSyntheticPerson, defaultKeyCacheDirectory, TestKeyStore } from '@kakunin/simulator';
import { buildCrl, TestPki } from '@kakunin/simulator/pki';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { captureIo } from '../test-support.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const rootsDirectory = path.resolve(repoRoot, '../shared/data/jpki-roots');

const io = () => captureIo();

// The simulator's deterministic test PKI (test hierarchy: O=kakunin Test JPKI, policies …1.0.x).
const pki = new TestPki({
  seed: 'cli-verify-cert',
  keyStore: new TestKeyStore({ directory: defaultKeyCacheDirectory() }),
});
const person = createSyntheticPerson('cli-verify-cert');
const issuedAt = new Date('2025-10-27T01:00:00Z');
const auth = pki.issueAuthCertificate(person, { issuedAt });
const directory = mkdtempSync(path.join(tmpdir(), 'kakunin-verify-cert-'));
const testTrust = path.join(directory, 'test-trust');
const authFile = path.join(directory, 'auth.der');
const at = '2026-06-01T00:00:00Z';
mkdirSync(testTrust);
writeFileSync(path.join(testTrust, 'auth-ca.der'), pki.authCa.certificate);
writeFileSync(authFile, auth.certificate);

describe('kakunin verify-cert', () => {
  it('validates a simulator auth certificate: revocation UNKNOWN → exit 6 unless allowed', async () => {
    const streams = io();
    expect(
      await main(['verify-cert', authFile, '--test-trust', testTrust, '--at', at, '--json'], streams),
    ).toBe(6);
    const report = JSON.parse(streams.out());
    expect(report).toMatchObject({
      kind: 'jpki',
      purpose: 'auth',
      status: 'revocation-unknown',
      remedy: 'cert.revocation-unknown',
      testHierarchy: true,
    });
    expect(report.checks.filter((check: { outcome: string }) => check.outcome === 'fail')).toEqual([]);
    const allowed = io();
    expect(
      await main(
        ['verify-cert', authFile, '--test-trust', testTrust, '--at', at, '--allow-revocation-unknown'],
        allowed,
      ),
    ).toBe(0);
    expect(allowed.out()).toMatch(/✓ issuer.signature/);
    expect(allowed.out()).toMatch(/資格確認サービスに委任/);
  });

  it('reads a partitioned CRL: GOOD → exit 0, listed → REVOKED exit 6', async () => {
    const crlFor = (revoked: boolean) => {
      const file = path.join(directory, `${revoked}.crl`);
      writeFileSync(
        file,
        buildCrl({
          issuer: pki.authCa,
          thisUpdate: new Date('2026-05-31T15:00:00Z'),
          nextUpdate: new Date('2026-06-01T15:00:00Z'),
          entries: revoked
            ? [
                {
                  serialNumber: auth.serialNumber,
                  revokedAt: new Date('2026-05-01T00:00:00Z'),
                  reason: 'keyCompromise',
                },
              ]
            : [],
          partition: auth.crlPartition,
        }),
      );
      return file;
    };
    const good = io();
    expect(
      await main(
        ['verify-cert', authFile, '--test-trust', testTrust, '--crl', crlFor(false), '--at', at],
        good,
      ),
    ).toBe(0);
    expect(good.out()).toMatch(/JPKI .*: valid/);
    const revoked = io();
    expect(
      await main(
        ['verify-cert', authFile, '--test-trust', testTrust, '--crl', crlFor(true), '--at', at, '--json'],
        revoked,
      ),
    ).toBe(6);
    expect(JSON.parse(revoked.out())).toMatchObject({
      status: 'invalid',
      code: 'REVOKED',
      remedy: 'cert.revoked',
    });
  });

  it('reports expiry with the fallback remedy (exit 6)', async () => {
    const streams = io();
    const expiredAt = new Date(auth.notAfter.getTime() + 1000).toISOString();
    expect(await main(['verify-cert', authFile, '--test-trust', testTrust, '--at', expiredAt], streams)).toBe(
      6,
    );
    expect(streams.out()).toMatch(/✗ time.certificate/);
    expect(streams.out()).toMatch(/cert\.expired/);
  });

  it('refuses the test hierarchy without opt-in and an auth certificate as sign', async () => {
    const untrusted = io();
    expect(
      await main(['verify-cert', authFile, '--trust', rootsDirectory, '--at', at, '--json'], untrusted),
    ).toBe(6);
    expect(
      JSON.parse(untrusted.out()).checks.find((check: { id: string }) => check.id === 'purpose.issuer')
        .outcome,
    ).toBe('fail');
    const wrongPurpose = io();
    expect(
      await main(
        ['verify-cert', authFile, '--purpose', 'sign', '--test-trust', testTrust, '--at', at, '--json'],
        wrongPurpose,
      ),
    ).toBe(6);
  });

  it('validates a non-JPKI chain (leaf + intermediates in FILE) as general RFC 5280', async () => {
    const limbo = JSON.parse(
      readFileSync(path.resolve(repoRoot, '../shared/data/x509-limbo/limbo-public.json'), 'utf8'),
    ) as {
      testcases: {
        id: string;
        trusted_certs: string[];
        untrusted_intermediates: string[];
        peer_certificate: string;
      }[];
    };
    const write = (id: string) => {
      const testcase = limbo.testcases.find((candidate) => candidate.id === id)!;
      const caseDirectory = mkdtempSync(path.join(directory, 'limbo-'));
      mkdirSync(path.join(caseDirectory, 'trust'));
      for (const [index, pem] of testcase.trusted_certs.entries())
        writeFileSync(path.join(caseDirectory, 'trust', `${index}.pem`), pem);
      writeFileSync(
        path.join(caseDirectory, 'chain.pem'),
        [testcase.peer_certificate, ...testcase.untrusted_intermediates].join('\n'),
      );
      return { chain: path.join(caseDirectory, 'chain.pem'), trust: path.join(caseDirectory, 'trust') };
    };
    const good = write('webpki::cryptographydotio-chain');
    const streams = io();
    expect(
      await main(
        ['verify-cert', good.chain, '--trust', good.trust, '--at', '2023-07-10T00:00:00Z', '--json'],
        streams,
      ),
    ).toBe(0);
    expect(JSON.parse(streams.out())).toMatchObject({ kind: 'rfc5280', valid: true });
    expect(JSON.parse(streams.out()).chain).toHaveLength(3);
    const expired = write('rfc5280::validity::expired-leaf');
    const failing = io();
    expect(
      await main(
        ['verify-cert', expired.chain, '--trust', expired.trust, '--at', '2022-01-01T00:00:00Z'],
        failing,
      ),
    ).toBe(6);
    expect(failing.out()).toMatch(/CERT_EXPIRED/);
    expect(failing.out()).toMatch(/cert\.expired/);
  });

  it('rejects bad usage with exit 2', async () => {
    expect(await main(['verify-cert'], io())).toBe(2);
    expect(await main(['verify-cert', authFile, '--purpose', 'both'], io())).toBe(2);
    expect(await main(['verify-cert', authFile, '--at', 'yesterday'], io())).toBe(2);
  });
});
