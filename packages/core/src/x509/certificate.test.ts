import * as nodeCrypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CardError } from '../transport/card-error.js';
import { bytesToHex } from '../transport/hex.js';
import { Certificate, parseCertificate } from './certificate.js';
import { formatGeneralName } from './general-name.js';
import { identifyJpkiRoot, jpkiRootName } from './jpki-profile.js';
import { selectIssuingRoot } from './jpki-validation.js';
import { Name } from './name.js';
import { OID } from './oids.js';
import { decodePemBlocks, encodePem, pemToDer } from './pem.js';
import {
  createNodeCryptoVerifier,
  createWebCryptoVerifier,
  verifyCertificateSignature,
} from './signature.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const rootsDirectory = path.resolve(repoRoot, '../shared/data/jpki-roots');
const readRoot = (name: string) => readFileSync(path.join(rootsDirectory, `${name}.pem`), 'utf8');
const authCa2015 = parseCertificate(readRoot('auth_ca_2015'));
const authCa2023 = parseCertificate(readRoot('auth_ca_2023'));
const signCa2015 = parseCertificate(readRoot('sign_ca_2015'));
const signCa2023 = parseCertificate(readRoot('sign_ca_2023'));
const ALLOWED_CODES = ['DER_TRUNCATED', 'DER_MALFORMED', 'X509_MALFORMED'];

describe('J-LIS roots (../shared/data/jpki-roots)', () => {
  it.each([
    [
      'auth_ca_2015',
      authCa2015,
      '01',
      '2015-10-20T03:08:13.000Z',
      '2025-10-19T14:59:59.000Z',
      '9567951b5ca70d84a0fff1d85a87f1aab1340385',
      1316,
      'auth',
    ],
    [
      'auth_ca_2023',
      authCa2023,
      '06d18006',
      '2023-07-16T01:01:04.000Z',
      '2033-07-15T14:59:59.000Z',
      '1ac100f596a3bc8c4b3df195e32699249e9e308a',
      1319,
      'auth',
    ],
    [
      'sign_ca_2015',
      signCa2015,
      '01',
      '2015-10-20T02:40:28.000Z',
      '2025-10-19T14:59:59.000Z',
      '0d034cbb34d0714f45e45a1cafd8fd143fab54a7',
      1301,
      'sign',
    ],
    [
      'sign_ca_2023',
      signCa2023,
      '067c6a21',
      '2023-07-16T00:50:27.000Z',
      '2033-07-15T14:59:59.000Z',
      'd21ea55895617e93adbf966b941ab4edf653f08f',
      1304,
      'sign',
    ],
  ] as const)(
    '%s parses to the facts of certificates.md §2.1',
    async (_name, root, serial, notBefore, notAfter, ski, size, purpose) => {
      root.decodeAll();
      expect(root.der.length).toBe(size);
      expect(root.version).toBe(3);
      expect(root.serialNumberHex).toBe(serial);
      expect(root.notBefore.toISOString()).toBe(notBefore);
      expect(root.notAfter.toISOString()).toBe(notAfter);
      expect(bytesToHex(root.subjectKeyIdentifier!)).toBe(ski);
      expect(root.authorityKeyIdentifier).toBeUndefined();
      expect(root.isSelfIssued).toBe(true);
      expect(root.subject.equals(new Name(jpkiRootName(purpose)))).toBe(true);
      expect(root.basicConstraints).toEqual({ ca: true, pathLength: undefined });
      expect(root.keyUsage?.names).toEqual(['keyCertSign', 'cRLSign']);
      expect(root.extension(OID.keyUsage)?.critical).toBe(true);
      expect(root.publicKeyInfo.rsa?.modulusBits).toBe(2048);
      expect(root.publicKeyInfo.rsa?.exponent).toBe(65537n);
      expect(root.signatureAlgorithm.oid).toBe(OID.sha256WithRsaEncryption);
      expect(root.subjectAltName?.map(formatGeneralName)[0]).toMatch(
        purpose === 'auth' ? /公的個人認証サービス利用者証明用/ : /公的個人認証サービス署名用/,
      );
      // cRLDistributionPoints = directoryName of the CA itself (an ARL).
      const point = root.crlDistributionPoints?.[0]?.distributionPoint?.fullName?.[0];
      expect(point?.type === 'directoryName' && point.name.equals(root.subject)).toBe(true);
      expect((await identifyJpkiRoot(root, globalThis.crypto.subtle))?.purpose).toBe(purpose);
    },
  );

  it('selects the issuing root by signature among same-named generations', async () => {
    const roots = [authCa2015, authCa2023, signCa2015, signCa2023];
    for (const verifier of [
      createNodeCryptoVerifier(nodeCrypto),
      createWebCryptoVerifier(globalThis.crypto.subtle),
    ]) {
      expect(authCa2015.subject.equals(authCa2023.subject)).toBe(true);
      expect(await selectIssuingRoot(authCa2023, roots, verifier)).toBe(authCa2023);
      expect(await selectIssuingRoot(authCa2015, roots, verifier)).toBe(authCa2015);
      expect(await selectIssuingRoot(signCa2023, [signCa2015, signCa2023, authCa2023], verifier)).toBe(
        signCa2023,
      );
      expect(await selectIssuingRoot(signCa2023, [signCa2015, authCa2023], verifier)).toBeUndefined();
      expect(await verifyCertificateSignature(authCa2023, authCa2015.publicKeyInfo, verifier)).toBe(false);
    }
  });

  it('identifies the roots by fingerprint', async () => {
    expect((await identifyJpkiRoot(signCa2023, globalThis.crypto.subtle))?.id).toBe('signca03');
    expect((await identifyJpkiRoot(authCa2015, globalThis.crypto.subtle))?.generation).toBe(2015);
  });
});

describe('parseCertificate', () => {
  it('keeps zero-copy views of the DER and the exact TBS bytes', () => {
    const der = authCa2023.der;
    const certificate = new Certificate(der);
    expect(certificate.tbs.buffer).toBe(der.buffer);
    expect(certificate.serialNumber.buffer).toBe(der.buffer);
    expect(certificate.tbs.byteOffset - der.byteOffset).toBe(4);
    expect(certificate.tbs.length).toBe(1035 + 4);
  });

  it('reads PEM text and PEM bytes, and writes PEM back', () => {
    const pem = readRoot('auth_ca_2023');
    const fromBytes = parseCertificate(new TextEncoder().encode(pem));
    expect(bytesToHex(fromBytes.der)).toBe(bytesToHex(authCa2023.der));
    expect(authCa2023.toPem().replace(/\s/g, '')).toBe(pem.replace(/\s/g, ''));
    expect(encodePem('CERTIFICATE', authCa2023.der)).toMatch(
      /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/]{64}\n/,
    );
    expect(decodePemBlocks(`${pem}\n${readRoot('sign_ca_2023')}`).map((block) => block.label)).toEqual([
      'CERTIFICATE',
      'CERTIFICATE',
    ]);
  });

  it.each([
    ['no block', 'hello'],
    ['bad character', '-----BEGIN CERTIFICATE-----\nMII*\n-----END CERTIFICATE-----'],
    ['bad padding', '-----BEGIN CERTIFICATE-----\nMA=A\n-----END CERTIFICATE-----'],
    ['bad length', '-----BEGIN CERTIFICATE-----\nMAA\n-----END CERTIFICATE-----'],
    ['non-canonical bits', '-----BEGIN CERTIFICATE-----\nMAB=\n-----END CERTIFICATE-----'],
  ])('rejects PEM with %s as X509_MALFORMED', (_name, text) => {
    expect(() => pemToDer(text, 'CERTIFICATE')).toThrow(expect.objectContaining({ code: 'X509_MALFORMED' }));
  });

  it('enforces the size cap before parsing', () => {
    expect(() => parseCertificate(authCa2023.der, { maxSize: 1000 })).toThrow(
      expect.objectContaining({ code: 'X509_MALFORMED' }),
    );
    expect(() => parseCertificate(authCa2023.der, { maxElements: 10 })).toThrow(
      expect.objectContaining({ code: 'DER_MALFORMED' }),
    );
  });

  it('asserts its input type', () => {
    expect(() => parseCertificate(42 as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => new Certificate(authCa2023.der, { maxSize: 0 })).toThrow(RangeError);
  });

  it('property: any mutation or truncation yields a certificate or a typed CardError', () => {
    const base = authCa2023.der;
    const touchEverything = (certificate: Certificate) => {
      certificate.decodeAll();
      certificate.subject.toString();
      certificate.issuer.toString();
      void certificate.basicConstraints;
      void certificate.keyUsage;
      void certificate.subjectAltName;
      void certificate.crlDistributionPoints;
      void certificate.certificatePolicies;
    };
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.nat({ max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.nat({ max: base.length }),
        (edits, cut) => {
          const mutated = base.slice();
          for (const [position, value] of edits) mutated[position] = value;
          for (const input of [mutated, base.subarray(0, cut)]) {
            try {
              touchEverything(parseCertificate(input));
            } catch (error) {
              expect(CardError.isInstance(error), String(error)).toBe(true);
              expect(ALLOWED_CODES).toContain((error as CardError).code);
            }
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('property: random bytes never crash the parser', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          parseCertificate(
            Uint8Array.of(0x30, 0x82, bytes.length >> 8, bytes.length & 0xff, ...bytes),
          ).decodeAll();
        } catch (error) {
          expect(ALLOWED_CODES).toContain((error as CardError).code);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
