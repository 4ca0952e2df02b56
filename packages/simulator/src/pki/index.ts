/**
 * `@kakunin/simulator/pki`: the deterministic test PKI (test roots, CAs, end-entity and CV
 * certificates, CRLs) with the same structure as J-LIS's, for tests and demos. Never real keys.
 *
 * @example
 * ```ts
 * import { TestPki } from '@kakunin/simulator/pki';
 * const pki = new TestPki({ keyStore });
 * ```
 */
export { buildCertificate, type CertificateInput, keyIdentifier } from './certificate-builder.js';
export { buildCrl, CRL_REASON, type CrlEntry, type CrlInput, type CrlReason } from './crl-builder.js';
export { createCvCertificate, keyId, verifyPkcs1Sha256 } from './cv-certificate.js';
export { encodeName, formatName, type NameParts } from './distinguished-name.js';
export { JPKI_OID, X509_OID } from './jpki-oids.js';
export { type LargeCrl, type LargeCrlOptions, largeCrl } from './large-crl.js';
export { generateRsaKey, type RsaKeyPair } from './rsa-key-generation.js';
export {
  type CardIssuer,
  type CertificateAuthority,
  type CertificatePurpose,
  type EndEntityCertificate,
  FILLER_EXTENSION_OID,
  type IssueOptions,
  TEST_CPS_URI,
  TEST_ORGANIZATION,
  TestPki,
  type TestPkiOptions,
} from './test-pki.js';
export {
  authorityKeyIdentifier,
  basicConstraintsCa,
  extension,
  type KeyUsageBits,
  keyUsage,
  subjectKeyIdentifier,
} from './x509-extensions.js';
