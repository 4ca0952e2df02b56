import * as nodeCrypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  derContextExplicit,
  derContextImplicit,
  derInteger,
  derNull,
  derOid,
  derSequence,
  derUtf8String,
} from '../der/der-writer.js';
import { parseCertificate } from './certificate.js';
import { jpkiRootName } from './jpki-profile.js';
import { decodeJpkiSubjectAltName } from './jpki-subject-alt-name.js';
import {
  type JpkiCheckId,
  type JpkiValidationOptions,
  jpkiValidationError,
  validateJpkiCertificate,
} from './jpki-validation.js';
import { OID } from './oids.js';
import { createCrlRevocationSource, type RevocationSource } from './revocation.js';
import { createNodeCryptoVerifier, createWebCryptoVerifier } from './signature.js';
import {
  jpkiEndEntity,
  jpkiRootCertificate,
  KU_DIGITAL_SIGNATURE,
  KU_KEY_CERT_SIGN,
  KU_NON_REPUDIATION,
  otherNameUtf8,
  partitionName,
  SYNTHETIC_HOLDER,
} from './testing/jpki-fixtures.js';
import {
  buildCrl,
  buildExtension,
  buildName,
  fakeRsaPublicKey,
  rsaTestKey,
  SHA1_WITH_RSA,
} from './testing/x509-test-builders.js';

const verifier = createNodeCryptoVerifier(nodeCrypto);
const auth2015Key = rsaTestKey('auth-2015');
const auth2023Key = rsaTestKey('auth-2023');
const sign2023Key = rsaTestKey('sign-2023');
const authRoot2015 = jpkiRootCertificate('auth', auth2015Key, {
  notBefore: new Date('2015-10-20T03:08:13Z'),
  notAfter: new Date('2025-10-19T14:59:59Z'),
});
const authRoot2023 = jpkiRootCertificate('auth', auth2023Key, { serial: 0x06d18006n });
const signRoot2023 = jpkiRootCertificate('sign', sign2023Key, { serial: 0x067c6a21n });
const anchors = [authRoot2015, authRoot2023, signRoot2023];
const NOW = new Date('2026-06-01T03:00:00Z');

function options(overrides: Partial<JpkiValidationOptions> = {}): JpkiValidationOptions {
  return { purpose: 'auth', trustAnchors: anchors, time: NOW, verifier, ...overrides };
}

const goodSource: RevocationSource = {
  async check() {
    return { status: 'GOOD', source: 'test operator' };
  },
};

function outcome(result: Awaited<ReturnType<typeof validateJpkiCertificate>>, id: JpkiCheckId) {
  return result.checks.find((check) => check.id === id)!;
}

describe('validateJpkiCertificate', () => {
  const auth = jpkiEndEntity({ purpose: 'auth', issuerKey: auth2023Key });
  const sign = jpkiEndEntity({ purpose: 'sign', issuerKey: sign2023Key });

  it('accepts a well-formed auth certificate; revocation defaults to UNKNOWN, never GOOD', async () => {
    const result = await validateJpkiCertificate(auth, options());
    expect(result.checks.filter((check) => check.outcome !== 'pass').map((check) => check.id)).toEqual([
      'revocation',
    ]);
    expect(result.status).toBe('revocation-unknown');
    expect(result.valid).toBe(false);
    expect(result.code).toBe('REVOCATION_UNKNOWN');
    expect(result.remedy).toBe('cert.revocation-unknown');
    expect(result.revocation?.status).toBe('UNKNOWN');
    expect(result.issuingRoot?.serialNumberHex).toBe('06d18006');
    expect(result.checks.map((check) => check.id)).toHaveLength(15);
  });

  it('is valid with a GOOD verdict and reports days until expiry in JST calendar days', async () => {
    const result = await validateJpkiCertificate(auth, options({ revocation: goodSource }));
    expect(result.status).toBe('valid');
    expect(result.valid).toBe(true);
    expect(result.remedy).toBeUndefined();
    // 2026-06-01 (JST) → 2030-02-17 (JST).
    expect(result.daysUntilExpiry).toBe(1357);
    expect(jpkiValidationError(result)).toBeUndefined();
  });

  it('accepts a sign certificate and decodes the holder attributes', async () => {
    const result = await validateJpkiCertificate(sign, options({ purpose: 'sign', revocation: goodSource }));
    expect(result.status).toBe('valid');
    expect(result.holder).toMatchObject({
      name: '架空　花子',
      sex: 'female',
      address: SYNTHETIC_HOLDER.address,
    });
    expect(result.holder?.birthDate).toMatchObject({
      era: 'showa',
      year: 1980,
      month: 4,
      day: 1,
      iso: '1980-04-01',
    });
  });

  it('works with the WebCrypto verifier too', async () => {
    const result = await validateJpkiCertificate(
      auth,
      options({ verifier: createWebCryptoVerifier(globalThis.crypto.subtle), revocation: goodSource }),
    );
    expect(result.status).toBe('valid');
  });

  describe('each check fails on its own', () => {
    const cases: [string, () => Uint8Array | string, Partial<JpkiValidationOptions>, JpkiCheckId, string][] =
      [
        [
          'oversized certificate',
          () =>
            jpkiEndEntity({
              purpose: 'auth',
              issuerKey: auth2023Key,
              extraExtensions: [buildExtension('1.2.3.4', new Uint8Array(4000).fill(4))],
            }),
          {},
          'input.size',
          'X509_MALFORMED',
        ],
        ['trailing byte', () => Uint8Array.of(...auth, 0), {}, 'input.der', 'DER_MALFORMED'],
        ['truncated', () => auth.subarray(0, auth.length - 1), {}, 'input.der', 'DER_TRUNCATED'],
        [
          'lying length',
          () => Uint8Array.of(auth[0]!, auth[1]!, auth[2]! + 1, ...auth.subarray(3)),
          {},
          'input.der',
          'DER_TRUNCATED',
        ],
        [
          'v1 certificate',
          () =>
            jpkiEndEntity({ purpose: 'auth', issuerKey: auth2023Key, version: null, extraExtensions: [] }),
          {},
          'input.der',
          'X509_MALFORMED',
        ],
        [
          'v2 certificate',
          () =>
            jpkiEndEntity({
              purpose: 'auth',
              issuerKey: auth2023Key,
              version: 1,
              keyUsageBits: null,
              policies: [],
              holder: null,
            }),
          {},
          'input.der',
          'X509_MALFORMED',
        ],
        [
          'SHA-1 signature',
          () => jpkiEndEntity({ purpose: 'auth', issuerKey: auth2023Key, hash: 'sha1' }),
          {},
          'structure.signature-algorithm',
          'UNSUPPORTED_ALGORITHM',
        ],
        [
          'outer and inner algorithms differ',
          () =>
            jpkiEndEntity({
              purpose: 'auth',
              issuerKey: auth2023Key,
              outerSignatureAlgorithm: SHA1_WITH_RSA,
            }),
          {},
          'structure.signature-algorithm',
          'X509_MALFORMED',
        ],
        [
          'sha256WithRSA without NULL parameters',
          () =>
            jpkiEndEntity({
              purpose: 'auth',
              issuerKey: auth2023Key,
              signatureAlgorithm: derSequence(derOid(OID.sha256WithRsaEncryption)),
            }),
          {},
          'structure.signature-algorithm',
          'UNSUPPORTED_ALGORITHM',
        ],
        [
          'RSA-1024 key',
          () =>
            jpkiEndEntity({ purpose: 'auth', issuerKey: auth2023Key, subjectKey: fakeRsaPublicKey(1024) }),
          {},
          'structure.public-key',
          'UNSUPPORTED_ALGORITHM',
        ],
        [
          'RSA-4096 key',
          () =>
            jpkiEndEntity({ purpose: 'auth', issuerKey: auth2023Key, subjectKey: fakeRsaPublicKey(4096) }),
          {},
          'structure.public-key',
          'UNSUPPORTED_ALGORITHM',
        ],
        [
          'e = 3',
          () =>
            jpkiEndEntity({
              purpose: 'auth',
              issuerKey: auth2023Key,
              subjectKey: fakeRsaPublicKey(2048, 3n),
            }),
          {},
          'structure.public-key',
          'UNSUPPORTED_ALGORITHM',
        ],

        [
          'unknown issuer DN',
          () =>
            jpkiEndEntity({
              purpose: 'auth',
              issuerKey: auth2023Key,
              issuerName: buildName([[OID.commonName, 'Somebody CA']]),
            }),
          {},
          'purpose.issuer',
          'CHAIN_UNTRUSTED',
        ],
        [
          'cA TRUE',
          () => jpkiEndEntity({ purpose: 'auth', issuerKey: auth2023Key, basicConstraints: 'ca-true' }),
          {},
          'purpose.basic-constraints',
          'PROFILE_VIOLATION',
        ],
        [
          'keyUsage missing',
          () => jpkiEndEntity({ purpose: 'auth', issuerKey: auth2023Key, keyUsageBits: null }),
          {},
          'purpose.key-usage',
          'PROFILE_VIOLATION',
        ],
        [
          'keyUsage not critical',
          () => jpkiEndEntity({ purpose: 'auth', issuerKey: auth2023Key, keyUsageCritical: false }),
          {},
          'purpose.key-usage',
          'PROFILE_VIOLATION',
        ],
        [
          'auth with nonRepudiation',
          () =>
            jpkiEndEntity({
              purpose: 'auth',
              issuerKey: auth2023Key,
              keyUsageBits: [KU_DIGITAL_SIGNATURE, KU_NON_REPUDIATION],
            }),
          {},
          'purpose.key-usage',
          'PROFILE_VIOLATION',
        ],
        [
          'sign without nonRepudiation',
          () =>
            jpkiEndEntity({ purpose: 'sign', issuerKey: sign2023Key, keyUsageBits: [KU_DIGITAL_SIGNATURE] }),
          { purpose: 'sign' },
          'purpose.key-usage',
          'PROFILE_VIOLATION',
        ],
        [
          'keyCertSign on an end entity',
          () =>
            jpkiEndEntity({
              purpose: 'auth',
              issuerKey: auth2023Key,
              keyUsageBits: [KU_DIGITAL_SIGNATURE, KU_KEY_CERT_SIGN],
            }),
          {},
          'purpose.key-usage',
          'PROFILE_VIOLATION',
        ],
        [
          'no certificatePolicies',
          () => jpkiEndEntity({ purpose: 'auth', issuerKey: auth2023Key, policies: [] }),
          {},
          'purpose.certificate-policies',
          'PROFILE_VIOLATION',
        ],
        [
          'sign policy on auth',
          () => jpkiEndEntity({ purpose: 'auth', issuerKey: auth2023Key, policies: [OID.jpkiSignPolicy] }),
          {},
          'purpose.certificate-policies',
          'PROFILE_VIOLATION',
        ],
        [
          'test policy without opt-in',
          () =>
            jpkiEndEntity({
              purpose: 'sign',
              issuerKey: sign2023Key,
              policies: ['1.2.392.200149.8.5.1.0.20'],
            }),
          { purpose: 'sign' },
          'purpose.certificate-policies',
          'PROFILE_VIOLATION',
        ],
        [
          'two policies',
          () =>
            jpkiEndEntity({
              purpose: 'auth',
              issuerKey: auth2023Key,
              policies: [OID.jpkiAuthPolicy, '1.2.3.4'],
            }),
          {},
          'purpose.certificate-policies',
          'PROFILE_VIOLATION',
        ],
        [
          'unknown critical extension',
          () =>
            jpkiEndEntity({
              purpose: 'auth',
              issuerKey: auth2023Key,
              extraExtensions: [buildExtension('1.3.6.1.4.1.55738.666.1', derNull(), true)],
            }),
          {},
          'purpose.critical-extensions',
          'PROFILE_VIOLATION',
        ],
        [
          'sign without holder attributes',
          () => jpkiEndEntity({ purpose: 'sign', issuerKey: sign2023Key, holder: null }),
          { purpose: 'sign' },
          'purpose.holder-attributes',
          'PROFILE_VIOLATION',
        ],
        [
          'sign with a duplicate birth date',
          () =>
            jpkiEndEntity({
              purpose: 'sign',
              issuerKey: sign2023Key,
              holder: { ...SYNTHETIC_HOLDER, extra: [otherNameUtf8(OID.jpkiBirthDate, '319800402')] },
            }),
          { purpose: 'sign' },
          'purpose.holder-attributes',
          'X509_MALFORMED',
        ],
        [
          'sign without a birth date',
          () =>
            jpkiEndEntity({
              purpose: 'sign',
              issuerKey: sign2023Key,
              holder: { ...SYNTHETIC_HOLDER, birthDate: undefined },
            }),
          { purpose: 'sign' },
          'purpose.holder-attributes',
          'X509_MALFORMED',
        ],
        [
          'sign with a 201-character address',
          () =>
            jpkiEndEntity({
              purpose: 'sign',
              issuerKey: sign2023Key,
              holder: { ...SYNTHETIC_HOLDER, address: '町'.repeat(201) },
            }),
          { purpose: 'sign' },
          'purpose.holder-attributes',
          'X509_MALFORMED',
        ],
        [
          'signed by an unknown key under the real DN',
          () => jpkiEndEntity({ purpose: 'auth', issuerKey: rsaTestKey('rogue') }),
          {},
          'issuer.signature',
          'CHAIN_UNTRUSTED',
        ],
        [
          'issuing generation missing from the store',
          () => auth,
          { trustAnchors: [authRoot2015, signRoot2023] },
          'issuer.signature',
          'TRUST_ANCHOR_MISSING',
        ],
        [
          'expired one second ago (14:59:59Z + 1 s)',
          () => auth,
          { time: new Date('2030-02-17T15:00:00Z') },
          'time.certificate',
          'CERT_EXPIRED',
        ],
        [
          'not yet valid',
          () => auth,
          { time: new Date('2025-10-27T00:59:59Z') },
          'time.certificate',
          'CERT_NOT_YET_VALID',
        ],
        [
          'root expired (2015 generation)',
          () =>
            jpkiEndEntity({
              purpose: 'auth',
              issuerKey: auth2015Key,
              notBefore: new Date('2020-01-01T00:00:00Z'),
              notAfter: new Date('2026-12-31T14:59:59Z'),
            }),
          {},
          'time.anchor',
          'CERT_EXPIRED',
        ],
      ];

    it.each(
      cases.map(
        ([name, make, overrides, failingCheck, code]) => [name, failingCheck, code, make, overrides] as const,
      ),
    )('%s → %s %s', async (_name, failingCheck, code, make, overrides) => {
      const result = await validateJpkiCertificate(make(), options({ revocation: goodSource, ...overrides }));
      const failed = result.checks.filter((check) => check.outcome === 'fail');
      expect(failed.map((check) => check.id)).toEqual([failingCheck]);
      expect(failed[0]!.code).toBe(code);
      expect(result.status).toBe('invalid');
      expect(result.code).toBe(code);
      // Later groups are skipped, never silently passed.
      const index = result.checks.findIndex((check) => check.id === failingCheck);
      const group = failingCheck.split('.')[0]!;
      for (const later of result.checks.slice(index + 1))
        if (!later.id.startsWith(group)) expect(later.outcome, later.id).toBe('skip');
      expect(result.revocation).toBeUndefined();
      const error = jpkiValidationError(result);
      expect(error?.code).toBe('VALIDATION_FAILED');
      expect(error?.details.failedChecks).toBe(failingCheck);
    });

    it.each([
      ['sign certificate presented as auth', 'auth', 'sign'],
      ['auth certificate presented as sign', 'sign', 'auth'],
    ] as const)('%s: issuer, key usage and policy all fail', async (_name, purpose, actual) => {
      const result = await validateJpkiCertificate(
        actual === 'auth' ? auth : sign,
        options({ purpose, revocation: goodSource }),
      );
      expect(result.checks.filter((check) => check.outcome === 'fail').map((check) => check.id)).toEqual([
        'purpose.issuer',
        'purpose.key-usage',
        'purpose.certificate-policies',
        ...(purpose === 'sign' ? ['purpose.holder-attributes'] : []),
      ]);
      expect(outcome(result, 'purpose.issuer').message).toMatch(
        `a ${actual} certificate presented as ${purpose}`,
      );
      expect(outcome(result, 'issuer.signature').outcome).toBe('skip');
    });
  });

  it('treats a throwing revocation source as UNKNOWN, never GOOD', async () => {
    const failing: RevocationSource = {
      async check() {
        throw new Error('operator unreachable');
      },
    };
    const result = await validateJpkiCertificate(auth, options({ revocation: failing }));
    expect(result.status).toBe('revocation-unknown');
    expect(outcome(result, 'revocation').message).toMatch(/operator unreachable/);
  });

  it('maps expiry to the flyer fallback remedy and exact 14:59:59Z to still valid', async () => {
    const lastSecond = await validateJpkiCertificate(
      auth,
      options({ time: new Date('2030-02-17T14:59:59.999Z'), revocation: goodSource }),
    );
    expect(lastSecond.status).toBe('valid');
    expect(lastSecond.daysUntilExpiry).toBe(0);
    expect(lastSecond.expiringSoon).toBe(true);
    expect(lastSecond.remedy).toBe('cert.expiring-soon');
    const firstSecond = await validateJpkiCertificate(
      auth,
      options({ time: new Date('2025-10-27T01:00:00Z'), revocation: goodSource }),
    );
    expect(firstSecond.status).toBe('valid');
    const expired = await validateJpkiCertificate(
      auth,
      options({ time: new Date('2030-02-17T15:00:00Z'), revocation: goodSource }),
    );
    expect(expired.remedy).toBe('cert.expired');
    expect(expired.daysUntilExpiry).toBe(-1); // 00:00 JST on the 18th
    expect(expired.expiringSoon).toBe(false);
  });

  it('warns within 3 months of expiry and not before', async () => {
    const inside = await validateJpkiCertificate(
      auth,
      options({ time: new Date('2029-11-17T15:00:00Z'), revocation: goodSource }),
    );
    expect(inside.expiringSoon).toBe(true);
    expect(inside.remedy).toBe('cert.expiring-soon');
    const outside = await validateJpkiCertificate(
      auth,
      options({ time: new Date('2029-11-16T14:00:00Z'), revocation: goodSource }),
    );
    expect(outside.expiringSoon).toBe(false);
    expect(outside.remedy).toBeUndefined();
  });

  it('chooses the issuing root by signature among generations with one DN', async () => {
    const by2015 = jpkiEndEntity({
      purpose: 'auth',
      issuerKey: auth2015Key,
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2025-01-01T14:59:59Z'),
    });
    const old = await validateJpkiCertificate(
      by2015,
      options({
        time: new Date('2024-06-01T00:00:00Z'),
        trustAnchors: [authRoot2023, authRoot2015],
        revocation: goodSource,
      }),
    );
    expect(old.status).toBe('valid');
    expect(old.issuingRoot?.notBefore.toISOString()).toBe('2015-10-20T03:08:13.000Z');
    const current = await validateJpkiCertificate(
      auth,
      options({ trustAnchors: [authRoot2015, authRoot2023], revocation: goodSource }),
    );
    expect(current.issuingRoot?.serialNumberHex).toBe('06d18006');
  });

  it('accepts the test hierarchy only when its anchors are passed in', async () => {
    const testRootName = buildName([
      [OID.countryName, 'JP', 'printable'],
      [OID.organizationName, 'JPKI-TEST'],
      [OID.organizationalUnitName, 'JPKI for digital signature'],
    ]);
    const testKey = rsaTestKey('test-sign');
    const { buildCertificate } = await import('./testing/x509-test-builders.js');
    const testRoot = buildCertificate({
      issuer: testRootName,
      subject: testRootName,
      notBefore: new Date('2024-01-01T00:00:00Z'),
      notAfter: new Date('2034-01-01T00:00:00Z'),
      subjectKey: testKey,
      issuerKey: testKey,
      extensions: [buildExtension(OID.basicConstraints, derSequence(Uint8Array.of(0x01, 0x01, 0xff)), true)],
    });
    const testCertificate = jpkiEndEntity({
      purpose: 'sign',
      issuerKey: testKey,
      issuerName: testRootName,
      policies: ['1.2.392.200149.8.5.1.0.20'],
    });
    const without = await validateJpkiCertificate(
      testCertificate,
      options({ purpose: 'sign', revocation: goodSource }),
    );
    expect(outcome(without, 'purpose.issuer').outcome).toBe('fail');
    const withAnchors = await validateJpkiCertificate(
      testCertificate,
      options({ purpose: 'sign', testAnchors: [testRoot], revocation: goodSource }),
    );
    expect(withAnchors.status).toBe('valid');
    expect(withAnchors.testHierarchy).toBe(true);
    // A production policy under the test hierarchy is refused.
    const mixed = jpkiEndEntity({ purpose: 'sign', issuerKey: testKey, issuerName: testRootName });
    const mixedResult = await validateJpkiCertificate(
      mixed,
      options({ purpose: 'sign', testAnchors: [testRoot], revocation: goodSource }),
    );
    expect(outcome(mixedResult, 'purpose.certificate-policies').outcome).toBe('fail');
  });

  describe('revocation through CRLs', () => {
    const tokyo = partitionName('auth', 'Chiyoda-ku', 'Tokyo-to');
    const osaka = partitionName('auth', 'Kita-ku', 'Osaka-fu');
    const partitioned = jpkiEndEntity({
      purpose: 'auth',
      issuerKey: auth2023Key,
      crlPartition: tokyo,
      serial: 0x5151n,
    });
    const idp = (name: Uint8Array) =>
      buildExtension(
        OID.issuingDistributionPoint,
        derSequence(derContextImplicit(0, derContextImplicit(0, derContextExplicit(4, name), true), true)),
        true,
      );
    const crl = (
      partition: Uint8Array,
      serials: bigint[],
      overrides: { key?: ReturnType<typeof rsaTestKey>; nextUpdate?: Date } = {},
    ) =>
      buildCrl({
        issuer: jpkiRootName('auth'),
        issuerKey: overrides.key ?? auth2023Key,
        thisUpdate: new Date('2026-05-31T15:00:00Z'),
        nextUpdate: overrides.nextUpdate ?? new Date('2026-06-02T15:00:00Z'),
        entries: serials.map((serial) => ({
          serial,
          revocationDate: new Date('2026-05-01T00:00:00Z'),
          reason: 1,
        })),
        extensions: [buildExtension(OID.crlNumber, derInteger(7)), idp(partition)],
      });
    const check = (crls: Uint8Array[]) =>
      validateJpkiCertificate(
        partitioned,
        options({ revocation: createCrlRevocationSource(crls, { verifier }) }),
      );

    it('GOOD from the matching partition', async () => {
      const result = await check([crl(tokyo, [0x1n, 0x2n])]);
      expect(result.status).toBe('valid');
      expect(result.revocation).toMatchObject({ status: 'GOOD', source: 'crl' });
    });

    it('REVOKED with reason', async () => {
      const result = await check([crl(tokyo, [0x1n, 0x5151n])]);
      expect(result.status).toBe('invalid');
      expect(result.code).toBe('REVOKED');
      expect(result.remedy).toBe('cert.revoked');
      expect(result.revocation).toMatchObject({ status: 'REVOKED', reason: 'keyCompromise' });
    });

    it('UNKNOWN when only another partition, a stale CRL or a CRL signed by another generation is available', async () => {
      for (const [crls, detail] of [
        [[crl(osaka, [0x5151n])], /partition/],
        [[crl(tokyo, [], { nextUpdate: new Date('2026-06-01T02:59:59Z') })], /stale/],
        [[crl(tokyo, [], { key: auth2015Key })], /signature/],
      ] as const) {
        const result = await check([...crls]);
        expect(result.status).toBe('revocation-unknown');
        expect(result.revocation?.status).toBe('UNKNOWN');
        expect(result.revocation?.status === 'UNKNOWN' && result.revocation.detail).toMatch(detail);
      }
    });
  });

  it('asserts its options', async () => {
    await expect(validateJpkiCertificate(auth, { ...options(), purpose: 'x' as 'auth' })).rejects.toThrow(
      RangeError,
    );
    await expect(
      validateJpkiCertificate(auth, { ...options(), trustAnchors: 'x' as unknown as [] }),
    ).rejects.toThrow(TypeError);
    await expect(validateJpkiCertificate(42 as unknown as Uint8Array, options())).rejects.toThrow(TypeError);
    await expect(validateJpkiCertificate(auth, { ...options(), time: new Date(Number.NaN) })).rejects.toThrow(
      TypeError,
    );
  });
});

describe('decodeJpkiSubjectAltName', () => {
  const sign2023 = rsaTestKey('sign-2023');
  const holderOf = (holder: Parameters<typeof jpkiEndEntity>[0]['holder']) =>
    decodeJpkiSubjectAltName(
      parseCertificate(jpkiEndEntity({ purpose: 'sign', issuerKey: sign2023, holder })),
    );

  it('decodes era digit 0 (unknown), substitute maps and a 200-character address', () => {
    const holder = holderOf({
      ...SYNTHETIC_HOLDER,
      birthDate: '019700000',
      nameSubstitute: '01000',
      address: '町'.repeat(200),
      sex: '3',
    });
    expect(holder?.birthDate).toMatchObject({ era: 'unknown', year: 1970, month: 0, day: 0, iso: undefined });
    expect(holder?.nameSubstituteMap).toBe('01000');
    expect(holder?.address).toHaveLength(200);
    expect(holder?.sex).toBe('unknown');
  });

  it.each([
    ['Reiwa', '520200229', 'reiwa', '2020-02-29'],
    ['Meiji', '119000101', 'meiji', '1900-01-01'],
    ['Heisei', '420000229', 'heisei', '2000-02-29'],
  ])('decodes %s birth dates', (_era, raw, era, iso) => {
    expect(holderOf({ ...SYNTHETIC_HOLDER, birthDate: raw })?.birthDate).toMatchObject({ era, iso });
  });

  it.each([
    ['gender 9 (text-AP code)', { sex: '9' }],
    ['era digit 6', { birthDate: '619800401' }],
    ['short birth date', { birthDate: '31980041' }],
    ['bad substitute map', { nameSubstitute: '0102' }],
  ])('rejects %s', (_name, change) => {
    expect(() => holderOf({ ...SYNTHETIC_HOLDER, ...change })).toThrow(/JPKI/);
  });

  it('returns undefined for certificates without holder attributes', () => {
    expect(
      decodeJpkiSubjectAltName(
        parseCertificate(jpkiEndEntity({ purpose: 'auth', issuerKey: rsaTestKey('auth-2023') })),
      ),
    ).toBeUndefined();
    expect(decodeJpkiSubjectAltName([{ type: 'dNSName', value: 'example.jp' }])).toBeUndefined();
  });

  it('rejects a non-string value', () => {
    const names = [{ type: 'otherName' as const, typeId: OID.jpkiName, value: derInteger(5) }];
    expect(() => decodeJpkiSubjectAltName(names)).toThrow(/not a string/);
    expect(derUtf8String('x')).toBeDefined();
  });
});
