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
export * from './algorithm-identifier.js';
export * from './algorithm-policy.js';
export * from './certificate.js';
export * from './certificate-profile.js';
export * from './crl.js';
export * from './extensions.js';
export * from './general-name.js';
export * from './jpki-profile.js';
export * from './jpki-subject-alt-name.js';
export * from './jpki-validation.js';
export * from './limbo.js';
export * from './name.js';
export * from './oids.js';
export * from './path-validation.js';
export * from './pem.js';
export * from './public-key-info.js';
export * from './revocation.js';
export * from './signature.js';
export * from './trust-anchors/jpki-trust-registry.js';
export * from './x509-error.js';
