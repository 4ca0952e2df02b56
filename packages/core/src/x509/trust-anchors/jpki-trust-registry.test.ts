/**
 * The trust-anchor registry: embedded J-LIS roots equal the published
 * files and fingerprints; validation uses them without any directory; a 2019-generation root is
 * accepted only when self-signed, J-LIS-named, of a known serial and validity, and equal to the
 * operator's fingerprint; a certificate of a missing generation gets TRUST_ANCHOR_MISSING.
 */
import * as nodeCrypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../certificate.js';
import { validateJpkiCertificate } from '../jpki-validation.js';
import { createNodeCryptoVerifier } from '../signature.js';
import { jpkiEndEntity, jpkiRootCertificate } from '../testing/jpki-fixtures.js';
import { rsaTestKey } from '../testing/x509-test-builders.js';
import {
  builtInJpkiRoots,
  checkJpkiRootCandidate,
  createJpkiTrustStore,
  generationMayStillBeValid,
  JPKI_ROOT_GENERATIONS,
  likelyJpkiGeneration,
  normalizeFingerprint,
  sha256Fingerprint,
} from './jpki-trust-registry.js';

const verifier = createNodeCryptoVerifier(nodeCrypto);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const sharedRoots = path.resolve(repoRoot, '../shared/data/jpki-roots');

// A stand-in for J-LIS's 2019 auth root: right name, serial and validity, our own key.
const key2019 = rsaTestKey('auth-2019');
const root2019 = jpkiRootCertificate('auth', key2019, {
  serial: 0x0133c349n,
  notBefore: new Date('2019-09-14T01:23:45Z'),
  notAfter: new Date('2029-09-14T14:59:59Z'),
});
const fingerprint2019 = sha256Fingerprint(root2019);
const issued2021 = jpkiEndEntity({
  purpose: 'auth',
  issuerKey: key2019,
  notBefore: new Date('2021-04-01T01:00:00Z'),
  notAfter: new Date('2026-12-31T14:59:59Z'),
});
const at = new Date('2026-06-01T00:00:00Z');

describe('JPKI trust-anchor registry', () => {
  it('embeds the four published roots byte for byte, with their pinned fingerprints', () => {
    const roots = builtInJpkiRoots();
    expect(roots.map((root) => root.generation.id)).toEqual(['authca01', 'signca01', 'authca03', 'signca03']);
    for (const [id, file] of [
      ['authca01', 'auth_ca_2015.pem'],
      ['signca01', 'sign_ca_2015.pem'],
      ['authca03', 'auth_ca_2023.pem'],
      ['signca03', 'sign_ca_2023.pem'],
    ] as const) {
      const root = roots.find((entry) => entry.generation.id === id)!;
      const published = parseCertificate(readFileSync(path.join(sharedRoots, file), 'utf8'));
      expect(root.certificate.der).toEqual(published.der);
      expect(root.sha256).toBe(root.generation.sha256);
      expect(root.certificate.serialNumberHex.toUpperCase().replace(/^0+/, '')).toBe(
        root.generation.serial.replace(/^0+/, ''),
      );
      expect(root.certificate.notAfter.toISOString().replace('.000', '')).toBe(root.generation.notAfter);
    }
    expect(JPKI_ROOT_GENERATIONS.filter((generation) => generation.pem === undefined)).toEqual([
      expect.objectContaining({
        id: 'authca02',
        serial: '0133C349',
        notBefore: '2019-09-14',
        notAfter: '2029-09-14',
      }),
      expect.objectContaining({
        id: 'signca02',
        serial: '0132C4AB',
        notBefore: '2019-09-14',
        notAfter: '2029-09-14',
      }),
    ]);
  });

  it('validates against the embedded roots by default: a J-LIS-named certificate no root verifies', async () => {
    // Issued in 2024 (2023 generation embedded) but signed by another key: untrusted, not "missing".
    const forged = jpkiEndEntity({
      purpose: 'auth',
      issuerKey: rsaTestKey('forger'),
      notBefore: new Date('2024-05-01T00:00:00Z'),
      notAfter: new Date('2029-05-01T14:59:59Z'),
    });
    const result = await validateJpkiCertificate(forged, { purpose: 'auth', time: at, verifier });
    expect(result.code).toBe('CHAIN_UNTRUSTED');
    expect(result.missingTrustAnchor).toBeUndefined();
  });

  it('names the missing 2019 generation and its file for a certificate issued in 2021', async () => {
    const result = await validateJpkiCertificate(issued2021, { purpose: 'auth', time: at, verifier });
    expect(result.code).toBe('TRUST_ANCHOR_MISSING');
    expect(result.remedy).toBe('cert.trust-anchor-missing');
    expect(result.missingTrustAnchor?.id).toBe('authca02');
    expect(result.message).toMatch(/2019 auth root authca02 .*authca02\.cer/);
    expect(likelyJpkiGeneration(parseCertificate(issued2021), 'sign')?.id).toBe('signca02');
  });

  it('accepts the 2019 root only with the matching fingerprint, then validates through it', async () => {
    const withoutFingerprint = await checkJpkiRootCandidate(root2019, { verifier });
    expect(withoutFingerprint).toMatchObject({
      ok: false,
      code: 'FINGERPRINT_REQUIRED',
      sha256: fingerprint2019,
    });
    const wrong = await checkJpkiRootCandidate(root2019, { verifier, fingerprint: '00'.repeat(32) });
    expect(wrong).toMatchObject({ ok: false, code: 'FINGERPRINT_MISMATCH' });
    const colonSpelling = fingerprint2019.match(/../g)!.join(':').toLowerCase();
    const accepted = await checkJpkiRootCandidate(root2019, { verifier, fingerprint: colonSpelling });
    expect(accepted).toMatchObject({ ok: true, generation: { id: 'authca02' } });

    const store = await createJpkiTrustStore(
      [{ label: 'authca02.cer', der: root2019, fingerprint: fingerprint2019 }],
      {
        verifier,
      },
    );
    expect(store.missing.map((generation) => generation.id)).toEqual(['signca02']);
    const result = await validateJpkiCertificate(issued2021, {
      purpose: 'auth',
      trustAnchors: store.anchors,
      time: at,
      verifier,
    });
    expect(result.checks.find((check) => check.id === 'issuer.signature')?.outcome).toBe('pass');
    expect(result.status).toBe('revocation-unknown');
  });

  it.each([
    [
      'not self-signed',
      () =>
        jpkiRootCertificate('auth', key2019, {
          serial: 0x0133c349n,
          notBefore: new Date('2019-09-14T01:00:00Z'),
          notAfter: new Date('2029-09-14T14:59:59Z'),
        }).map((byte, index, all) => (index === all.length - 5 ? byte ^ 1 : byte)),
      'NOT_SELF_SIGNED',
    ],
    [
      'an unknown serial',
      () =>
        jpkiRootCertificate('auth', key2019, {
          serial: 0x99n,
          notBefore: new Date('2019-09-14T01:00:00Z'),
          notAfter: new Date('2029-09-14T14:59:59Z'),
        }),
      'UNKNOWN_GENERATION',
    ],
    [
      'the wrong validity',
      () =>
        jpkiRootCertificate('auth', key2019, {
          serial: 0x0133c349n,
          notBefore: new Date('2019-09-20T01:00:00Z'),
          notAfter: new Date('2029-09-14T14:59:59Z'),
        }),
      'UNKNOWN_GENERATION',
    ],
    [
      'a 2023 look-alike (pinned fingerprint)',
      () => jpkiRootCertificate('auth', key2019, { serial: 0x06d18006n }),
      'FINGERPRINT_MISMATCH',
    ],
    [
      'not J-LIS',
      () =>
        new Uint8Array(
          readFileSync(
            path.resolve(repoRoot, 'packages/core/src/x509/trust-anchors/jpki-root-certificates.ts'),
          ).subarray(0, 10),
        ),
      'NOT_A_CERTIFICATE',
    ],
  ])('refuses %s', async (_name, make, code) => {
    const der = make();
    const result = await checkJpkiRootCandidate(der, { verifier, fingerprint: sha256Fingerprint(der) });
    expect(result).toMatchObject({ ok: false, code });
  });

  it('re-checks added roots when the store is built (a tampered file is rejected)', async () => {
    const store = await createJpkiTrustStore(
      [{ label: 'authca02.pem', der: root2019, fingerprint: '11'.repeat(32) }],
      { verifier },
    );
    expect(store.rejected).toEqual([
      expect.objectContaining({ label: 'authca02.pem', code: 'FINGERPRINT_MISMATCH' }),
    ]);
    expect(store.anchors).toHaveLength(4);
  });

  it('knows which generations may still have valid certificates', () => {
    const byId = (id: string) => JPKI_ROOT_GENERATIONS.find((generation) => generation.id === id)!;
    expect(generationMayStillBeValid(byId('authca01'), at)).toBe(false);
    expect(generationMayStillBeValid(byId('authca02'), at)).toBe(true);
    expect(generationMayStillBeValid(byId('authca02'), new Date('2028-08-01T00:00:00Z'))).toBe(false);
    expect(normalizeFingerprint('4d:cf c4')).toBeUndefined();
  });
});

describe('JPKI revocation policy', () => {
  it("'required' leaves UNKNOWN unacceptable; 'delegated' accepts it, says so, and never reports GOOD", async () => {
    const anchors = [...builtInJpkiRoots().map((root) => root.certificate), parseCertificate(root2019)];
    const required = await validateJpkiCertificate(issued2021, {
      purpose: 'auth',
      trustAnchors: anchors,
      time: at,
      verifier,
    });
    expect(required).toMatchObject({ status: 'revocation-unknown', valid: false, acceptable: false });
    expect(required.revocationPolicy).toBe('required');
    const delegated = await validateJpkiCertificate(issued2021, {
      purpose: 'auth',
      trustAnchors: anchors,
      time: at,
      verifier,
      revocation: 'delegated',
    });
    expect(delegated).toMatchObject({
      status: 'revocation-unknown',
      valid: false,
      acceptable: true,
      revocationPolicy: 'delegated',
      revocation: { status: 'UNKNOWN' },
    });
    expect(delegated.checks.find((check) => check.id === 'revocation')).toMatchObject({
      outcome: 'unknown',
      message: expect.stringMatching(/delegated/),
    });
    // Delegation never hides a failure: the same certificate after expiry is not acceptable.
    const expired = await validateJpkiCertificate(issued2021, {
      purpose: 'auth',
      trustAnchors: anchors,
      time: new Date('2027-01-02T00:00:00Z'),
      verifier,
      revocation: 'delegated',
    });
    expect(expired).toMatchObject({ status: 'invalid', acceptable: false, code: 'CERT_EXPIRED' });
  });
});
