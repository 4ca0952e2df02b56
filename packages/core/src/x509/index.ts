/**
 * `@kakunin/core/x509`: certificate and CRL parsing, JPKI validation and RFC 5280 path
 * validation.
 *
 * @example
 * ```ts
 * import { parseCertificate, validatePath } from '@kakunin/core/x509';
 * const certificate = parseCertificate(pemText);
 * const result = await validatePath(certificate, { trustAnchors: [rootPem] });
 * ```
 */
export type { AlgorithmIdentifier } from './algorithm-identifier.js';
export { Certificate, type ParseCertificateOptions, parseCertificate } from './certificate.js';
export {
  type CertificateProfileOptions,
  type CertificateRole,
  type ConformanceRule,
  certificateProfileProblems,
  type ProfileProblem,
} from './certificate-profile.js';
export {
  CertificateRevocationList,
  type ParseCrlOptions,
  type ParseCrlStreamOptions,
  parseCrl,
  parseCrlStream,
  type RevokedEntry,
} from './crl.js';
export {
  type AccessDescription,
  type AuthorityKeyIdentifier,
  type BasicConstraints,
  CRL_REASONS,
  type CrlReason,
  type DistributionPoint,
  type DistributionPointName,
  type Extension,
  type IssuingDistributionPoint,
  KEY_USAGE,
  type KeyUsage,
  type KeyUsageName,
  type NameConstraints,
  type PolicyConstraints,
  type PolicyInformation,
  type PolicyMapping,
  type PolicyQualifier,
} from './extensions.js';
export { formatGeneralName, type GeneralName } from './general-name.js';
export {
  identifyJpkiRoot,
  JPKI_POLICY,
  JPKI_ROOTS,
  type JpkiPurpose,
  type JpkiRootFact,
  jpkiRootName,
} from './jpki-profile.js';
export {
  decodeJpkiSubjectAltName,
  type JapaneseEra,
  type JpkiBirthDate,
  type JpkiHolderAttributes,
  type JpkiSex,
} from './jpki-subject-alt-name.js';
export {
  type JpkiCheck,
  type JpkiCheckId,
  type JpkiCheckOutcome,
  type JpkiValidationOptions,
  type JpkiValidationResult,
  jpkiValidationError,
  selectIssuingRoot,
  validateJpkiCertificate,
} from './jpki-validation.js';
export { Name, type NameAttribute, type RelativeDistinguishedName } from './name.js';
export { OID } from './oids.js';
export {
  DEFAULT_MAX_PATH_CANDIDATES,
  DEFAULT_MAX_SIGNATURE_CHECKS,
  type PathBuildingStats,
  type PathFailure,
  type PathFinding,
  type PathValidationOptions,
  type PathValidationResult,
  validatePath,
} from './path-validation.js';
export { decodePemBlocks, encodePem, isPemText, type PemBlock, pemToDer } from './pem.js';
export {
  type PublicKeyInfo,
  type PublicKeyType,
  parsePublicKeyInfo,
  type RsaPublicKeyFacts,
} from './public-key-info.js';
export {
  type CrlRevocationSourceOptions,
  checkRevocationSafely,
  combineRevocationSources,
  createCrlRevocationSource,
  createUnknownRevocationSource,
  type RevocationQuery,
  type RevocationSource,
  type RevocationStatus,
} from './revocation.js';
export {
  createNodeCryptoVerifier,
  createWebCryptoVerifier,
  type HashName,
  type NodeCryptoLike,
  type SignatureScheme,
  type SignatureVerificationRequest,
  type SignatureVerifier,
  verifyCertificateSignature,
} from './signature.js';
export {
  type AddedJpkiRoot,
  builtInJpkiRoots,
  checkJpkiRootCandidate,
  createJpkiTrustStore,
  generationMayStillBeValid,
  type InstalledJpkiRoot,
  JPKI_ROOT_GENERATIONS,
  type JpkiRootCandidateOptions,
  type JpkiRootCandidateResult,
  type JpkiRootGeneration,
  type JpkiRootGenerationYear,
  type JpkiRootRefusal,
  type JpkiRootSource,
  type JpkiTrustStore,
  likelyJpkiGeneration,
  normalizeFingerprint,
  sha256Fingerprint,
} from './trust-anchors/jpki-trust-registry.js';
export { X509ErrorCode } from './x509-error.js';
