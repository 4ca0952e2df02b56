import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jLisShaped2019 } from './jlis-shaped.js';

describe('jLisShaped2019', () => {
  it('makes a self-signed root with J-LIS 2019 serial and validity, and a leaf it signed', () => {
    for (const [purpose, serial] of [
      ['auth', '0133C349'],
      ['sign', '0132C4AB'],
    ] as const) {
      const { root, leaf } = jLisShaped2019(purpose);
      const rootCertificate = new X509Certificate(root);
      const leafCertificate = new X509Certificate(leaf);
      expect(rootCertificate.serialNumber).toBe(serial);
      expect(rootCertificate.subject).toBe(rootCertificate.issuer);
      expect(rootCertificate.ca).toBe(true);
      expect(rootCertificate.verify(rootCertificate.publicKey)).toBe(true);
      expect(new Date(rootCertificate.validTo).toISOString()).toBe('2029-09-14T14:59:59.000Z');
      expect(leafCertificate.checkIssued(rootCertificate)).toBe(true);
      expect(leafCertificate.verify(rootCertificate.publicKey)).toBe(true);
    }
  });
});
