/**
 * X.509 certificates (RFC 5280 §4.1). {@link parseCertificate} checks the whole input is one
 * strict-DER tree within size, depth and element caps, locates every TBS field, and keeps the
 * raw DER and the exact TBS bytes (what the signature covers). Names, the public key and the
 * extensions are decoded on first access.
 *
 * @example
 * ```ts
 * import { parseCertificate } from '@kakunin/core/x509';
 * const certificate = parseCertificate(derBytes);
 * certificate.subject.toString();     // "C=JP, CN=…"
 * certificate.notAfter.toISOString(); // "2030-02-17T14:59:59.000Z"
 * certificate.keyUsage?.names;        // ["digitalSignature"]
 * ```
 */

import { DerCursor } from '../der/der-cursor.js';
import { checkInteger } from '../der/der-primitives.js';
import { TAG_INTEGER, TAG_SEQUENCE } from '../der/der-tags.js';
import { validateDer } from '../der/der-validate.js';
import { assertBytes } from '../transport/assert-bytes.js';
import { bytesToHex } from '../transport/hex.js';
import { type AlgorithmIdentifier, readAlgorithmIdentifier } from './algorithm-identifier.js';
import {
  type AccessDescription,
  type AuthorityKeyIdentifier,
  type BasicConstraints,
  checkExtensionValue,
  type DistributionPoint,
  decodeAuthorityKeyIdentifier,
  decodeBasicConstraints,
  decodeCertificatePolicies,
  decodeCrlDistributionPoints,
  decodeExtendedKeyUsage,
  decodeGeneralNamesExtension,
  decodeInfoAccess,
  decodeKeyUsage,
  decodeNameConstraints,
  decodePolicyConstraints,
  decodeSubjectKeyIdentifier,
  type Extension,
  type KeyUsage,
  type NameConstraints,
  type PolicyConstraints,
  type PolicyInformation,
} from './extensions.js';
import type { GeneralName } from './general-name.js';
import { Name } from './name.js';
import { OID } from './oids.js';
import { encodePem, isPemText, pemToDer } from './pem.js';
import { type PublicKeyInfo, parsePublicKeyInfo } from './public-key-info.js';
import { decodeExtensionsBlock, readExtensionsBlock, readSignatureTail } from './signed-tail.js';
import { x509Malformed } from './x509-error.js';

/** TBSCertificate field tags (RFC 5280 §4.1, context-specific). */
const TAG_VERSION = 0xa0; // [0] EXPLICIT Version
const TAG_ISSUER_UNIQUE_ID = 0x81; // [1] IMPLICIT UniqueIdentifier
const TAG_SUBJECT_UNIQUE_ID = 0x82; // [2] IMPLICIT UniqueIdentifier
const TAG_EXTENSIONS = 0xa3; // [3] EXPLICIT Extensions
/** Version INTEGER values (RFC 5280 §4.1.2.1): v1 = 0 (DEFAULT, omitted in DER), v2 = 1, v3 = 2. */
const VERSION_V2 = 1;
const VERSION_V3 = 2;

/** Default size cap of {@link parseCertificate} (bytes). JPKI validation uses 4 KiB. */
export const DEFAULT_CERTIFICATE_MAX_SIZE = 65_536;
/** Default element cap of {@link parseCertificate}. */
export const DEFAULT_CERTIFICATE_MAX_ELEMENTS = 8_192;

export interface ParseCertificateOptions {
  /** Reject larger inputs before parsing (default 64 KiB). */
  readonly maxSize?: number;
  /** Element-count cap for the strict DER walk (default 8,192). */
  readonly maxElements?: number;
  /** Nesting cap (default 32). */
  readonly maxDepth?: number;
}

/**
 * A parsed X.509 certificate (see {@link parseCertificate}).
 *
 * @example
 * ```ts
 * const certificate = new Certificate(der, { maxSize: 4096 });
 * certificate.tbs; // the signed bytes
 * ```
 */
export class Certificate {
  /** The certificate DER (a view of the input). */
  readonly der: Uint8Array;
  /** The exact tbsCertificate TLV the signature covers. */
  readonly tbs: Uint8Array;
  /** Outer signatureAlgorithm. */
  readonly signatureAlgorithm: AlgorithmIdentifier;
  /** signatureValue BIT STRING data. */
  readonly signatureValue: Uint8Array;
  /** 1, 2 or 3. */
  readonly version: 1 | 2 | 3;
  /** serialNumber INTEGER content octets as encoded (a view; compare these to CRL entries). */
  readonly serialNumber: Uint8Array;
  /** signature AlgorithmIdentifier inside the TBS. */
  readonly tbsSignatureAlgorithm: AlgorithmIdentifier;
  /** notBefore in epoch milliseconds. */
  readonly notBeforeTime: number;
  /** notAfter in epoch milliseconds. */
  readonly notAfterTime: number;
  readonly #issuerDer: Uint8Array;
  readonly #subjectDer: Uint8Array;
  readonly #publicKeyInfoDer: Uint8Array;
  readonly #extensionsStart: number;
  readonly #extensionsEnd: number;
  #issuer: Name | undefined;
  #subject: Name | undefined;
  #publicKeyInfo: PublicKeyInfo | undefined;
  #extensions: readonly Extension[] | undefined;
  readonly #decoded = new Map<string, unknown>();

  /** Prefer {@link parseCertificate}, which also accepts PEM. */
  constructor(der: Uint8Array, options: ParseCertificateOptions = {}) {
    assertBytes(der, 'Certificate: der');
    const maxSize = options.maxSize ?? DEFAULT_CERTIFICATE_MAX_SIZE;
    if (!Number.isInteger(maxSize) || maxSize < 1)
      throw new RangeError('Certificate: options.maxSize must be a positive integer');
    if (der.length > maxSize)
      throw x509Malformed(`certificate of ${der.length} bytes exceeds the ${maxSize}-byte cap`);
    validateDer(der, {
      maxElements: options.maxElements ?? DEFAULT_CERTIFICATE_MAX_ELEMENTS,
      ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
    });
    this.der = der;
    const cursor = new DerCursor(der);
    cursor.read(TAG_SEQUENCE, 'Certificate').enter();
    cursor.read(TAG_SEQUENCE, 'tbsCertificate');
    this.tbs = cursor.element();
    cursor.enter();
    let version: 1 | 2 | 3 = 1;
    if (cursor.readOptional(TAG_VERSION)) {
      const versionStart = cursor.start;
      cursor.enter();
      const value = cursor.read(TAG_INTEGER, 'version').smallInteger();
      cursor.leave();
      if (value === VERSION_V2) version = 2;
      else if (value === VERSION_V3) version = 3;
      else
        throw x509Malformed(
          value === 0 ? 'explicit v1 version must be omitted in DER' : `unknown version ${value}`,
          versionStart,
        );
    }
    this.version = version;
    cursor.read(TAG_INTEGER, 'serialNumber');
    checkInteger(cursor.bytes, cursor.valueStart, cursor.valueEnd);
    this.serialNumber = cursor.value();
    this.tbsSignatureAlgorithm = readAlgorithmIdentifier(cursor);
    this.#issuerDer = cursor.read(TAG_SEQUENCE, 'issuer').element();
    cursor.read(TAG_SEQUENCE, 'validity').enter();
    this.notBeforeTime = cursor.readTime('notBefore');
    this.notAfterTime = cursor.readTime('notAfter');
    cursor.leave();
    this.#subjectDer = cursor.read(TAG_SEQUENCE, 'subject').element();
    this.#publicKeyInfoDer = cursor.read(TAG_SEQUENCE, 'subjectPublicKeyInfo').element();
    if (cursor.readOptional(TAG_ISSUER_UNIQUE_ID) && version === 1)
      throw x509Malformed('issuerUniqueID in a v1 certificate', cursor.start);
    if (cursor.readOptional(TAG_SUBJECT_UNIQUE_ID) && version === 1)
      throw x509Malformed('subjectUniqueID in a v1 certificate', cursor.start);
    const extensions = readExtensionsBlock(
      cursor,
      TAG_EXTENSIONS,
      'Extensions',
      version === 3,
      'extensions in a certificate below v3',
    );
    this.#extensionsStart = extensions.start;
    this.#extensionsEnd = extensions.end;
    const tail = readSignatureTail(cursor);
    this.signatureAlgorithm = tail.algorithm;
    this.signatureValue = tail.value;
  }

  /** Serial number as lower-case hex of the encoded content octets (e.g. "06d18006"). */
  get serialNumberHex(): string {
    return bytesToHex(this.serialNumber);
  }

  get issuer(): Name {
    this.#issuer ??= new Name(this.#issuerDer);
    return this.#issuer;
  }

  get subject(): Name {
    this.#subject ??= new Name(this.#subjectDer);
    return this.#subject;
  }

  get notBefore(): Date {
    return new Date(this.notBeforeTime);
  }

  get notAfter(): Date {
    return new Date(this.notAfterTime);
  }

  get publicKeyInfo(): PublicKeyInfo {
    this.#publicKeyInfo ??= parsePublicKeyInfo(this.#publicKeyInfoDer);
    return this.#publicKeyInfo;
  }

  /** True when issuer and subject are byte-identical (RFC 5280 §6.1 "self-issued"). */
  get isSelfIssued(): boolean {
    const issuer = this.#issuerDer;
    const subject = this.#subjectDer;
    if (issuer.length !== subject.length) return false;
    for (let index = 0; index < issuer.length; index++) if (issuer[index] !== subject[index]) return false;
    return true;
  }

  /** All extensions in encoded order (duplicates are rejected, RFC 5280 §4.2). */
  get extensions(): readonly Extension[] {
    this.#extensions ??= decodeExtensionsBlock(
      this.der,
      { start: this.#extensionsStart, end: this.#extensionsEnd },
      'extension',
    );
    return this.#extensions;
  }

  /** The extension with `oid`, if present. */
  extension(oid: string): Extension | undefined {
    for (const extension of this.extensions) if (extension.oid === oid) return extension;
    return undefined;
  }

  #decode<T>(oid: string, decode: (value: Uint8Array) => T): T | undefined {
    if (this.#decoded.has(oid)) return this.#decoded.get(oid) as T | undefined;
    const extension = this.extension(oid);
    const value = extension === undefined ? undefined : decode(extension.value);
    this.#decoded.set(oid, value);
    return value;
  }

  get basicConstraints(): BasicConstraints | undefined {
    return this.#decode(OID.basicConstraints, decodeBasicConstraints);
  }

  get keyUsage(): KeyUsage | undefined {
    return this.#decode(OID.keyUsage, decodeKeyUsage);
  }

  /** extKeyUsage purposes as dotted OIDs. */
  get extendedKeyUsage(): readonly string[] | undefined {
    return this.#decode(OID.extendedKeyUsage, decodeExtendedKeyUsage);
  }

  get subjectKeyIdentifier(): Uint8Array | undefined {
    return this.#decode(OID.subjectKeyIdentifier, decodeSubjectKeyIdentifier);
  }

  get authorityKeyIdentifier(): AuthorityKeyIdentifier | undefined {
    return this.#decode(OID.authorityKeyIdentifier, decodeAuthorityKeyIdentifier);
  }

  get certificatePolicies(): readonly PolicyInformation[] | undefined {
    return this.#decode(OID.certificatePolicies, decodeCertificatePolicies);
  }

  get subjectAltName(): readonly GeneralName[] | undefined {
    return this.#decode(OID.subjectAltName, decodeGeneralNamesExtension);
  }

  get issuerAltName(): readonly GeneralName[] | undefined {
    return this.#decode(OID.issuerAltName, decodeGeneralNamesExtension);
  }

  get crlDistributionPoints(): readonly DistributionPoint[] | undefined {
    return this.#decode(OID.crlDistributionPoints, decodeCrlDistributionPoints);
  }

  get authorityInfoAccess(): readonly AccessDescription[] | undefined {
    return this.#decode(OID.authorityInfoAccess, decodeInfoAccess);
  }

  get nameConstraints(): NameConstraints | undefined {
    return this.#decode(OID.nameConstraints, decodeNameConstraints);
  }

  get policyConstraints(): PolicyConstraints | undefined {
    return this.#decode(OID.policyConstraints, decodePolicyConstraints);
  }

  /**
   * Decodes every field and every known extension now, throwing the first `X509_MALFORMED` /
   * `DER_*` error. Validators call this before trusting any field.
   *
   * @example
   * ```ts
   * parseCertificate(bytes).decodeAll();
   * ```
   */
  decodeAll(): this {
    this.issuer.check();
    this.subject.check();
    this.publicKeyInfo;
    for (const extension of this.extensions) checkExtensionValue(extension);
    return this;
  }

  /** PEM armour ("-----BEGIN CERTIFICATE-----"). */
  toPem(): string {
    return encodePem('CERTIFICATE', this.der);
  }
}

/**
 * Parses a certificate from DER bytes or PEM text (the first CERTIFICATE block).
 *
 * @example
 * ```ts
 * const certificate = parseCertificate(await readFile('auth.cer'));
 * ```
 */
export function parseCertificate(
  input: Uint8Array | string,
  options: ParseCertificateOptions = {},
): Certificate {
  if (typeof input === 'string') return new Certificate(pemToDer(input, 'CERTIFICATE'), options);
  if (!(input instanceof Uint8Array))
    throw new TypeError('parseCertificate: input must be a Uint8Array or PEM string');
  if (isPemText(input)) return new Certificate(pemToDer(input, 'CERTIFICATE'), options);
  return new Certificate(input, options);
}
