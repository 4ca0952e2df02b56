import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSyntheticPerson } from '../person/synthetic-person.js';
import { keyStore, profile } from '../test-support/fixtures.js';
import { openssl, pem, withFiles } from '../test-support/openssl.js';
import { buildCrl } from './crl-builder.js';
import { largeCrl } from './large-crl.js';
import { TestPki } from './test-pki.js';

const issuedAt = new Date('2025-10-27T01:00:00Z');
const person = createSyntheticPerson('kakunin', { issuedOn: '20251027' });
const pki = new TestPki({ seed: 'kakunin', keyStore });

function text(der: Uint8Array, kind: 'x509' | 'crl' = 'x509'): string {
  return withFiles({ 'in.der': der }, (path) => {
    const result = openssl([
      kind,
      '-inform',
      'DER',
      '-in',
      path('in.der'),
      '-noout',
      '-text',
      '-nameopt',
      'utf8',
    ]);
    expect(result.status).toBe(0);
    return result.output;
  });
}

/** `openssl crl -CAfile ca` over a DER CRL: its output says "verify OK" when `ca` signed it. */
function verifyCrl(ca: Uint8Array, crl: Uint8Array): string {
  return withFiles(
    { 'ca.pem': pem(ca), 'crl.der': crl },
    (path) =>
      openssl(['crl', '-inform', 'DER', '-in', path('crl.der'), '-CAfile', path('ca.pem'), '-noout']).output,
  );
}

describe('TestPki (certificates.md §2–§3)', () => {
  it('is deterministic: the same seed gives byte-identical certificates', () => {
    const again = new TestPki({ seed: 'kakunin', keyStore });
    expect(Buffer.from(again.authCa.certificate).equals(Buffer.from(pki.authCa.certificate))).toBe(true);
    const a = pki.issueAuthCertificate(person, { issuedAt }).certificate;
    const b = again.issueAuthCertificate(person, { issuedAt }).certificate;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('roots: self-signed test authorities, never J-LIS; KU keyCertSign+cRLSign, CA, SKI, no AKI', () => {
    for (const ca of [pki.authCa, pki.signCa]) {
      const certificate = new X509Certificate(ca.certificate);
      expect(certificate.verify(certificate.publicKey)).toBe(true);
      expect(certificate.ca).toBe(true);
      expect(certificate.subject).toContain('O=kakunin Test JPKI');
      expect(certificate.subject).not.toMatch(/Japan Agency|J-LIS/);
      const dump = text(ca.certificate);
      expect(dump).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
      expect(dump).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
      expect(dump).toContain('Subject Key Identifier');
      expect(dump).not.toContain('Authority Key Identifier');
    }
    expect(new X509Certificate(pki.authCa.certificate).subject).toContain('OU=JPKI for user authentication');
    expect(new X509Certificate(pki.signCa.certificate).subject).toContain('OU=JPKI for digital signature');
  });

  it('another generation keeps the DN and changes the key', () => {
    const second = new TestPki({ seed: 'kakunin', keyStore, generation: 2 });
    expect(Buffer.from(second.authCa.name).equals(Buffer.from(pki.authCa.name))).toBe(true);
    expect(Buffer.from(second.authCa.keyIdentifier).equals(Buffer.from(pki.authCa.keyIdentifier))).toBe(
      false,
    );
  });

  it('auth end entity: C=JP + opaque CN, KU digitalSignature, policy …1.0.30, CRL DP per municipality', () => {
    const auth = pki.issueAuthCertificate(person, { issuedAt });
    const certificate = new X509Certificate(auth.certificate);
    expect(certificate.verify(new X509Certificate(pki.authCa.certificate).publicKey)).toBe(true);
    expect(certificate.subject).toMatch(/^C=JP\nCN=[0-9A-F]{8}[A-Z]{6}[0-9]{8}A$/);
    const dump = text(auth.certificate);
    expect(dump).toMatch(/Key Usage: critical\s+Digital Signature\n/);
    expect(dump).toContain('Policy: 1.2.392.200149.8.5.1.0.30');
    expect(dump).toContain(
      `OU = ${person.municipality.prefectureRomaji}, CN = ${person.municipality.cityRomaji} CRLDP`,
    );
    expect(dump).toContain(
      'O = kakunin Test JPKI, OU = JPKI for user authentication, OU = CRL Distribution Points',
    );
    expect(dump).not.toContain('1.2.392.200149.8.5.5.1');
    expect(dump).toContain('Public-Key: (2048 bit)');
    expect(dump).toContain('Exponent: 65537');
  });

  it('sign end entity: L=prefecture, L=city, SAN otherNames 5.5.1–5.5.6, critical policy …1.0.20, KU +nonRepudiation', () => {
    const sign = pki.issueSignCertificate(person, { issuedAt });
    const dump = text(sign.certificate);
    expect(dump).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation/);
    expect(dump).toMatch(/Certificate Policies: critical\s+Policy: 1\.2\.392\.200149\.8\.5\.1\.0\.20/);
    expect(dump).toContain(`L=${person.municipality.prefectureRomaji}, L=${person.municipality.cityRomaji}`);
    expect(dump).toContain(`1.2.392.200149.8.5.5.1::${person.name}`);
    expect(dump).toContain(`1.2.392.200149.8.5.5.5::${person.address}`);
    expect(dump).toMatch(/1\.2\.392\.200149\.8\.5\.5\.4::[1-5][0-9]{8}/);
    expect(dump).toMatch(/1\.2\.392\.200149\.8\.5\.5\.3::[123]/);
    // The name starts with a surname outside JIS X 0208: the substitute map marks its first character.
    expect(dump).toMatch(/1\.2\.392\.200149\.8\.5\.5\.2::1[01]*/);
    const production = new TestPki({ seed: 'kakunin', keyStore, policies: 'production' });
    expect(text(production.issueSignCertificate(person, { issuedAt }).certificate)).toContain(
      'Policy: 1.2.392.200149.8.5.1.1.20',
    );
  });

  it('validity: from issuance to the 5th birthday after it, 14:59:59Z (23:59:59 JST)', () => {
    const auth = pki.issueAuthCertificate(person, { issuedAt });
    expect(auth.notBefore.toISOString()).toBe(issuedAt.toISOString());
    const birthday = person.birthDate.slice(4);
    const iso = auth.notAfter.toISOString();
    expect(iso.slice(5, 7) + iso.slice(8, 10)).toBe(birthday === '0229' ? '0228' : birthday);
    expect(iso.endsWith('T14:59:59.000Z')).toBe(true);
    const years = auth.notAfter.getUTCFullYear() - issuedAt.getUTCFullYear();
    expect(years === 4 || years === 5).toBe(true);
    expect(TestPki.defaultNotAfter('19800217', new Date('2025-10-27T00:00:00Z')).toISOString()).toBe(
      '2030-02-17T14:59:59.000Z',
    );
    expect(TestPki.defaultNotAfter('19800217', new Date('2025-02-17T00:00:00Z')).toISOString()).toBe(
      '2030-02-17T14:59:59.000Z',
    );
  });

  it('openssl verifies the chain at a time inside validity and rejects the expired profile now', () => {
    const plastic = profile();
    const expired = profile('expired');
    withFiles(
      {
        'ca.pem': pem(plastic.pki.authCa.certificate),
        'ee.pem': pem(plastic.authCertificate.certificate),
        'old.pem': pem(expired.authCertificate.certificate),
      },
      (path) => {
        const at = String(Math.floor(new Date('2026-01-01T00:00:00Z').getTime() / 1000));
        expect(openssl(['verify', '-attime', at, '-CAfile', path('ca.pem'), path('ee.pem')]).status).toBe(0);
        const old = openssl(['verify', '-attime', at, '-CAfile', path('ca.pem'), path('old.pem')]);
        expect(old.status).not.toBe(0);
        expect(old.output).toContain('expired');
      },
    );
  });
});

describe('CRLs (certificates.md §4)', () => {
  it('buildCrl: v2, reasons, AKI, CRL number, partition IDP; openssl verifies the signature', () => {
    const auth = pki.issueAuthCertificate(person, { issuedAt });
    const crl = buildCrl({
      issuer: pki.authCa,
      thisUpdate: new Date('2026-01-01T00:00:00Z'),
      nextUpdate: new Date('2026-01-02T00:00:00Z'),
      entries: [
        {
          serialNumber: auth.serialNumber,
          revokedAt: new Date('2025-12-31T00:00:00Z'),
          reason: 'keyCompromise',
        },
        { serialNumber: Uint8Array.of(0x01, 0x02), revokedAt: new Date('2025-12-30T00:00:00Z') },
      ],
      crlNumber: 42,
      partition: auth.crlPartition,
    });
    expect(verifyCrl(pki.authCa.certificate, crl)).toContain('verify OK');
    const dump = text(crl, 'crl');
    expect(dump).toContain('Version 2');
    expect(dump).toContain('Key Compromise');
    expect(dump).toContain(Buffer.from(auth.serialNumber).toString('hex').toUpperCase());
    expect(dump).toMatch(/CRL Number:\s+42/);
    expect(dump).toContain('Issuing Distribution Point: critical');
  });

  it('largeCrl: exact byteLength, chunks equal toBytes, every entry listed, signature verifies', () => {
    const crl = largeCrl({
      issuer: pki.signCa,
      entries: 2_500,
      chunkEntries: 1_000,
      thisUpdate: new Date('2026-01-01T00:00:00Z'),
      nextUpdate: new Date('2026-01-08T00:00:00Z'),
    });
    const bytes = crl.toBytes();
    expect(bytes.length).toBe(crl.byteLength);
    const chunks = [...crl.chunks()];
    expect(chunks.length).toBeGreaterThan(3);
    expect(Buffer.concat(chunks).equals(Buffer.from(bytes))).toBe(true);
    expect(verifyCrl(pki.signCa.certificate, bytes)).toContain('verify OK');
    const listing = text(bytes, 'crl');
    expect(listing.match(/Serial Number:/g)?.length).toBe(2_500);
    expect(listing).toContain(Buffer.from(crl.serialNumber(2_499)).toString('hex').toUpperCase());
    expect(crl.byteLength / crl.entryCount).toBeLessThan(45);
  });

  it('largeCrl sizes 100k and 1M without building them', () => {
    const options = {
      issuer: pki.authCa,
      thisUpdate: new Date('2026-01-01T00:00:00Z'),
      nextUpdate: new Date('2026-01-08T00:00:00Z'),
    };
    const hundredThousand = largeCrl({ ...options, entries: 100_000 });
    const million = largeCrl({ ...options, entries: 1_000_000 });
    const difference = million.byteLength - hundredThousand.byteLength;
    // 41 bytes per entry; the three enclosing length fields grow by one byte each.
    expect(difference).toBe(900_000 * 41 + 3);
    expect(() => largeCrl({ ...options, entries: 0 })).toThrow(RangeError);
  });
});
