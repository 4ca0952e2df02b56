import * as nodeCrypto from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createCrlRevocationSource,
  createNodeCryptoVerifier,
  parseCertificate,
  parseCrl,
} from '@kakunin/core/x509';
import { TestKeyStore } from '@kakunin/simulator';
import { encodeName, TestPki } from '@kakunin/simulator/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSimulatorDesk,
  REVOKED_CARD_REVOKED_AT,
  type SimulatorDesk,
} from '../simulator/simulator-desk.js';
import { createTestCrlPublisher } from '../simulator/test-crl-publisher.js';
import { createJpkiCertificateValidator } from './jpki-certificate-validator.js';
import { loadJpkiTrustAnchors } from './jpki-trust-anchors.js';

const DAY = 86_400_000;
const verifier = createNodeCryptoVerifier(nodeCrypto);

describe('JPKI certificate validator (@kakunin/core/x509) on the desk’s test hierarchy', () => {
  let desk: SimulatorDesk;
  let jLisRoots: readonly Uint8Array[];
  const now = new Date();

  beforeAll(async () => {
    desk = createSimulatorDesk();
    jLisRoots = (await loadJpkiTrustAnchors({ env: { KAKUNIN_CONFIG_DIR: join(tmpdir(), 'kakunin-none') } }))
      .anchors;
  });

  const deskValidator = () =>
    createJpkiCertificateValidator({
      trustAnchors: jLisRoots,
      testAnchors: desk.testAnchors,
      revocation: desk.revocationSource({ verifier }),
      verifier,
    });

  it('uses the compiled-in J-LIS roots: no directory, nothing from ../shared', async () => {
    const roots = await loadJpkiTrustAnchors({ env: { KAKUNIN_CONFIG_DIR: join(tmpdir(), 'kakunin-none') } });
    expect(roots.loaded.map((root) => root.id).sort()).toEqual([
      'authca01',
      'authca03',
      'signca01',
      'signca03',
    ]);
    expect(roots.loaded.every((root) => root.source === 'built-in')).toBe(true);
    expect(roots.missing.map((root) => root.id)).toEqual(['authca02', 'signca02']);
    expect(roots.skipped).toEqual([]);
  });

  it('validates a card’s auth certificate: all 15 checks pass and the CRL answers GOOD', async () => {
    const report = await deskValidator().validate(desk.authCertificate('plastic'), {
      at: now,
      purpose: 'auth',
    });
    expect(report.status).toBe('valid');
    expect(report.valid).toBe(true);
    expect(report.checks).toHaveLength(15);
    expect(report.checks.filter((check) => check.outcome !== 'pass')).toEqual([]);
    expect(report.revocation).toMatchObject({ status: 'GOOD', source: 'crl' });
    expect(report.testHierarchy).toBe(true);
    expect(report.code).toBeUndefined();
    expect(report.daysUntilExpiry).toBeGreaterThan(0);
    expect(report.serialNumber).toMatch(/^[0-9A-F]+$/);
  });

  it('never reports UNKNOWN revocation as valid: without a source the status is revocation-unknown', async () => {
    const validator = createJpkiCertificateValidator({
      trustAnchors: jLisRoots,
      testAnchors: desk.testAnchors,
      verifier,
    });
    const report = await validator.validate(desk.authCertificate('plastic'), { at: now, purpose: 'auth' });
    expect(report.status).toBe('revocation-unknown');
    expect(report.valid).toBe(false);
    expect(report.code).toBe('REVOCATION_UNKNOWN');
    expect(report.remedy).toBe('cert.revocation-unknown');
    expect(report.checks.at(-1)).toMatchObject({ name: 'revocation', outcome: 'unknown', ok: false });
    expect(report.revocation?.status).toBe('UNKNOWN');
  });

  it('refuses the test hierarchy unless it is opted in as test anchors', async () => {
    const production = createJpkiCertificateValidator({
      trustAnchors: [...jLisRoots, ...desk.testAnchors],
      revocation: desk.revocationSource({ verifier }),
      verifier,
    });
    const report = await production.validate(desk.authCertificate('plastic'), { at: now, purpose: 'auth' });
    expect(report.status).toBe('invalid');
    expect(report.code).toBe('CHAIN_UNTRUSTED');
    expect(report.remedy).toBe('cert.untrusted');
    expect(report.checks.find((check) => check.name === 'purpose.issuer')?.outcome).toBe('fail');
    expect(report.checks.find((check) => check.name === 'revocation')?.outcome).toBe('skip');
  });

  it('refuses a certificate of a foreign test CA with the same name (signature check)', async () => {
    const other = createSimulatorDesk({ seed: 'another-pki' });
    const report = await deskValidator().validate(other.authCertificate('plastic'), {
      at: now,
      purpose: 'auth',
    });
    expect(report.code).toBe('CHAIN_UNTRUSTED');
    expect(report.checks.find((check) => check.name === 'issuer.signature')?.outcome).toBe('fail');
  });

  it('reports the revoked card as REVOKED from the CRL partition it names (reason and date)', async () => {
    const certificate = desk.authCertificate('revoked');
    const report = await deskValidator().validate(certificate, { at: now, purpose: 'auth' });
    expect(report.status).toBe('invalid');
    expect(report.code).toBe('REVOKED');
    expect(report.remedy).toBe('cert.revoked');
    expect(report.revocation).toMatchObject({
      status: 'REVOKED',
      reason: 'keyCompromise',
      revokedAt: REVOKED_CARD_REVOKED_AT.toISOString(),
    });
    // the CRL that answered is partitioned: its issuingDistributionPoint names the certificate's CDP
    const parsed = parseCertificate(certificate);
    const points = parsed.crlDistributionPoints ?? [];
    const crls = desk.crlsAt(now).map((der) => parseCrl(der));
    const listing = crls.filter((crl) => crl.lookup(parsed.serialNumber) !== undefined);
    expect(listing).toHaveLength(1);
    const idp = listing[0]!.issuingDistributionPoint?.distributionPoint?.fullName?.[0];
    const cdp = points[0]?.distributionPoint?.fullName?.[0];
    expect(idp?.type).toBe('directoryName');
    expect(cdp?.type).toBe('directoryName');
    expect(idp?.type === 'directoryName' && cdp?.type === 'directoryName' && idp.name.equals(cdp.name)).toBe(
      true,
    );
    // a day before the revocation was published the same certificate was still good
    const before = await deskValidator().validate(certificate, {
      at: new Date(REVOKED_CARD_REVOKED_AT.getTime() - DAY),
      purpose: 'auth',
    });
    expect(before.status).toBe('valid');
  });

  it('answers UNKNOWN when the only CRL is for another partition, or stale', async () => {
    const certificate = desk.authCertificate('plastic');
    const pki = new TestPki({
      seed: 'kakunin',
      keyStore: new TestKeyStore({ directory: join(tmpdir(), 'kakunin-simulator-keys') }),
    });
    const elsewhere = createTestCrlPublisher({
      issuer: pki.authCa,
      partitions: () => [
        encodeName([
          ['C', 'JP'],
          ['O', 'kakunin Test JPKI'],
          ['CN', 'Nowhere CRLDP'],
        ]),
      ],
      revocations: () => [],
    });
    const wrongPartition = await createJpkiCertificateValidator({
      trustAnchors: [],
      testAnchors: desk.testAnchors,
      revocation: elsewhere.revocationSource({ verifier }),
      verifier,
    }).validate(certificate, { at: now, purpose: 'auth' });
    expect(wrongPartition.status).toBe('revocation-unknown');
    expect(wrongPartition.revocation?.detail).toContain('issuingDistributionPoint');

    const lastWeek = createCrlRevocationSource([...desk.crlsAt(new Date(now.getTime() - 7 * DAY))], {
      verifier,
    });
    const stale = await createJpkiCertificateValidator({
      trustAnchors: [],
      testAnchors: desk.testAnchors,
      revocation: lastWeek,
      verifier,
    }).validate(certificate, { at: now, purpose: 'auth' });
    expect(stale.status).toBe('revocation-unknown');
    expect(stale.revocation?.detail).toContain('stale');
  });

  it('an expired certificate: CERT_EXPIRED with the flyer’s PDF remedy, negative JST days, revocation not asked', async () => {
    const report = await deskValidator().validate(desk.authCertificate('expired'), {
      at: now,
      purpose: 'auth',
    });
    expect(report.code).toBe('CERT_EXPIRED');
    expect(report.remedy).toBe('cert.expired');
    expect(report.daysUntilExpiry).toBeLessThan(0);
    expect(report.checks.find((check) => check.name === 'time.certificate')).toMatchObject({
      outcome: 'fail',
      code: 'CERT_EXPIRED',
    });
    expect(report.checks.find((check) => check.name === 'revocation')?.outcome).toBe('skip');
    expect(report.revocation).toBeUndefined();
  });

  it('a certificate within 3 months of expiry: valid (GOOD from that day’s CRL) with the renewal remedy', async () => {
    const certificate = desk.authCertificate('expired');
    const notAfter = parseCertificate(certificate).notAfter;
    const report = await deskValidator().validate(certificate, {
      at: new Date(notAfter.getTime() - 30 * DAY),
      purpose: 'auth',
    });
    expect(report.status).toBe('valid');
    expect(report.expiringSoon).toBe(true);
    expect(report.remedy).toBe('cert.expiring-soon');
    expect(report.daysUntilExpiry).toBe(30);
    expect(report.revocation?.status).toBe('GOOD');
  });

  it('malformed bytes: input.der fails with a cert.invalid remedy, the rest is skipped', async () => {
    const bytes = desk.authCertificate('plastic').slice(0, 200);
    const report = await deskValidator().validate(bytes, { at: now, purpose: 'auth' });
    expect(report.status).toBe('invalid');
    expect(report.remedy).toBe('cert.invalid');
    expect(report.checks.find((check) => check.name === 'input.der')?.outcome).toBe('fail');
    expect(report.checks.filter((check) => check.outcome === 'skip')).toHaveLength(13);
  });

  it('asserts its inputs', async () => {
    expect(() => createJpkiCertificateValidator({} as never)).toThrow(TypeError);
    const validator = deskValidator();
    await expect(validator.validate('x' as never, { at: now, purpose: 'auth' })).rejects.toThrow(TypeError);
    await expect(
      validator.validate(new Uint8Array(1), { at: new Date(Number.NaN), purpose: 'auth' }),
    ).rejects.toThrow(TypeError);
  });

  afterAll(async () => {
    await desk?.provider.close();
  });
});
