/**
 * Builds and signs X.509 v3 certificates (RFC 5280 §4.1) with sha256WithRSAEncryption
 * (RFC 4055 §5; NULL parameters as certificates.md §5 step 2 requires).
 *
 * @example
 * ```ts
 * const der = buildCertificate({ serialNumber, issuer, subject, notBefore, notAfter, subjectPublicKey, issuerPrivateKey, extensions });
 * ```
 */
import { createHash, type KeyObject, sign } from 'node:crypto';
import {
  derBitString,
  derContextExplicit,
  derGeneralizedTime,
  derInteger,
  derNull,
  derOid,
  derSequence,
  derUtcTime,
} from '@kakunin/core/der';
import { X509_OID } from './jpki-oids.js';

/** X.509 v3 is encoded as version 2 (RFC 5280 §4.1.2.1). */
const VERSION_V3 = 2;
/** UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
const UTC_TIME_LAST_YEAR = 2049;

/**
 * What goes into a certificate.
 *
 * @example
 * ```ts
 * const input: CertificateInput = { serialNumber: Uint8Array.of(1), issuer, subject, notBefore, notAfter, subjectPublicKey, issuerPrivateKey, extensions: [] };
 * ```
 */
export interface CertificateInput {
  /** Positive serial, big-endian magnitude (≤ 20 bytes, RFC 5280 §4.1.2.2). */
  readonly serialNumber: Uint8Array;
  /** DER Names. */
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly subjectPublicKey: KeyObject;
  readonly issuerPrivateKey: KeyObject;
  /** DER Extension TLVs. */
  readonly extensions: readonly Uint8Array[];
}

/** sha256WithRSAEncryption AlgorithmIdentifier with NULL parameters. */
export function sha256WithRsaAlgorithm(): Uint8Array {
  return derSequence(derOid(X509_OID.SHA256_WITH_RSA), derNull());
}

/** Time as RFC 5280 §4.1.2.5 prescribes. */
export function encodeTime(date: Date): Uint8Array {
  return date.getUTCFullYear() <= UTC_TIME_LAST_YEAR ? derUtcTime(date) : derGeneralizedTime(date);
}

/** SubjectPublicKeyInfo DER of a key. */
export function subjectPublicKeyInfo(publicKey: KeyObject): Uint8Array {
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.buffer, spki.byteOffset, spki.byteLength);
}

/**
 * Key identifier per RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value.
 *
 * @example
 * ```ts
 * keyIdentifier(publicKey).length; // 20 (SHA-1)
 * ```
 */
export function keyIdentifier(publicKey: KeyObject): Uint8Array {
  const rsaPublicKey = publicKey.export({ format: 'der', type: 'pkcs1' });
  return new Uint8Array(createHash('sha1').update(rsaPublicKey).digest());
}

/** Signs `tbs` with RSASSA-PKCS1-v1_5 / SHA-256 and wraps it as Certificate / CertificateList. */
export function signStructure(tbs: Uint8Array, issuerPrivateKey: KeyObject): Uint8Array {
  const signature = sign('sha256', tbs, issuerPrivateKey);
  return derSequence(
    tbs,
    sha256WithRsaAlgorithm(),
    derBitString(new Uint8Array(signature.buffer, signature.byteOffset, signature.byteLength)),
  );
}

/**
 * The DER certificate.
 *
 * @example
 * ```ts
 * buildCertificate({ serialNumber, issuer, subject, notBefore, notAfter, subjectPublicKey, issuerPrivateKey, extensions: [] });
 * ```
 */
export function buildCertificate(input: CertificateInput): Uint8Array {
  const tbs = derSequence(
    derContextExplicit(0, derInteger(VERSION_V3)),
    derInteger(input.serialNumber),
    sha256WithRsaAlgorithm(),
    input.issuer,
    derSequence(encodeTime(input.notBefore), encodeTime(input.notAfter)),
    input.subject,
    subjectPublicKeyInfo(input.subjectPublicKey),
    derContextExplicit(3, derSequence(...input.extensions)),
  );
  return signStructure(tbs, input.issuerPrivateKey);
}
