/**
 * Certificate sizes (README "Certificate sizes"): a profile's auth and sign certificates can be
 * built to an exact DER length, still signed by the test CA, the filler extension non-critical.
 */
import { X509Certificate } from 'node:crypto';
import { parseCertificate } from '@kakunin/core/x509';
import { describe, expect, it } from 'vitest';
import { defaultKeyCacheDirectory, TestKeyStore } from '../pki/test-key-store.js';
import { FILLER_EXTENSION_OID } from '../pki/test-pki.js';
import { createCardProfile } from './card-profile.js';

const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });

describe('certificate lengths', () => {
  it.each([1120, 1391, 1500, 1837])('builds a %i-byte auth certificate the CA signed', (length) => {
    const profile = createCardProfile('plastic', { keyStore, authCertificateLength: length });
    const der = profile.authCertificate.certificate;
    expect(der).toHaveLength(length);
    const certificate = new X509Certificate(der);
    expect(certificate.verify(new X509Certificate(profile.pki.authCa.certificate).publicKey)).toBe(true);
  });

  it('builds the 1,837-byte sign certificate seen on a real card; the filler is non-critical', () => {
    const profile = createCardProfile('plastic', { keyStore, signCertificateLength: 1837 });
    const der = profile.signCertificate!.certificate;
    expect(der).toHaveLength(1837);
    const filler = parseCertificate(der).extensions.filter((entry) => entry.oid === FILLER_EXTENSION_OID);
    expect(filler).toEqual([expect.objectContaining({ critical: false })]);
    expect(
      new X509Certificate(der).verify(new X509Certificate(profile.pki.signCa.certificate).publicKey),
    ).toBe(true);
  });

  it('refuses a length below the compact shape', () => {
    expect(() => createCardProfile('plastic', { keyStore, authCertificateLength: 900 })).toThrow(RangeError);
  });

  it('leaves the natural size alone when no length is given', () => {
    expect(createCardProfile('plastic', { keyStore }).authCertificate.certificate).toHaveLength(1391);
  });
});
