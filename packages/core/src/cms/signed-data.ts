/**
 * CMS / PKCS#7 detached signatures (RFC 5652 SignedData) built with core's DER writer: no I/O, no
 * card. The signer is an RSA key behind a callback — on a My Number Card, `MyNumberCard.sign(key,
 * signedAttributes)`, which hashes with SHA-256 and signs PKCS#1 v1.5 (RFC 8017 §8.2) — so the card
 * signs the DER of the signed attributes exactly as RFC 5652 §5.4 asks. The result verifies with
 * `openssl cms -verify -binary -inform DER -in FILE.p7s -content FILE -CAfile ROOT.pem`.
 *
 * Profile: SignedData version 1, one SignerInfo version 1 identified by issuerAndSerialNumber,
 * digest SHA-256 (parameters absent, RFC 5754 §2), signature rsaEncryption with NULL parameters
 * (RFC 3370 §3.2), signed attributes contentType, signingTime and messageDigest (RFC 5652 §11),
 * eContentType id-data with the content left out (detached, RFC 5652 §5.2), certificates: the
 * signer's, then any chain certificates given.
 *
 * @example
 * ```ts
 * import { createDetachedSignature } from '@kakunin/core/cms';
 * const p7s = await createDetachedSignature({
 *   content,
 *   certificate: await card.readCertificate('sign'),
 *   sign: (signedAttributes) => card.sign('sign', signedAttributes),
 * });
 * ```
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { DerCursor } from '../der/der-cursor.js';
import { TAG_INTEGER, TAG_SET } from '../der/der-tags.js';
import {
  derContextExplicit,
  derGeneralizedTime,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derSequence,
  derSet,
  derTlv,
  derUtcTime,
} from '../der/der-writer.js';
import { throwIfAborted } from '../transport/abort.js';
import { assertBytes } from '../transport/assert-bytes.js';
import type { SignalOptions } from '../transport/transport.js';
import { parseCertificate } from '../x509/certificate.js';

/** Object identifiers used here, each with where it is defined. */
export const CMS_OID = {
  /** id-data, RFC 5652 §4: { iso(1) member-body(2) us(840) rsadsi(113549) pkcs(1) pkcs7(7) 1 }. */
  data: '1.2.840.113549.1.7.1',
  /** id-signedData, RFC 5652 §5.1: pkcs7 2. */
  signedData: '1.2.840.113549.1.7.2',
  /** id-contentType, RFC 5652 §11.1: pkcs-9 (1.2.840.113549.1.9) 3. */
  contentType: '1.2.840.113549.1.9.3',
  /** id-messageDigest, RFC 5652 §11.2: pkcs-9 4. */
  messageDigest: '1.2.840.113549.1.9.4',
  /** id-signingTime, RFC 5652 §11.3: pkcs-9 5. */
  signingTime: '1.2.840.113549.1.9.5',
  /** id-sha256, RFC 5754 §2 (NIST: 2.16.840.1.101.3.4.2.1). */
  sha256: '2.16.840.1.101.3.4.2.1',
  /** rsaEncryption, RFC 3370 §3.2 / RFC 8017 Appendix A.1: pkcs-1 1. */
  rsaEncryption: '1.2.840.113549.1.1.1',
} as const;

/** CMSVersion 1: issuerAndSerialNumber signer, no attribute certificates, id-data (RFC 5652 §5.1, §5.3). */
const CMS_VERSION_1 = 1;
/** [0] IMPLICIT tag numbers: SignedData.certificates (§5.1) and SignerInfo.signedAttrs (§5.3). */
const CERTIFICATES_TAG = 0;
const SIGNED_ATTRS_TAG = 0;
/** Constructed context-specific [0] identifier octet (X.690 §8.1.2): class 10, constructed, number 0. */
const CONTEXT_CONSTRUCTED_0 = 0xa0;
/** signingTime is UTCTime for 1950–2049 and GeneralizedTime otherwise (RFC 5652 §11.3). */
const UTC_TIME_FIRST_YEAR = 1950;
const UTC_TIME_LAST_YEAR = 2049;
/** A My Number Card signs with RSA-2048: 256-byte signatures. Larger inputs are refused. */
const MAX_SIGNATURE_BYTES = 1024;

const sha256Algorithm = (): Uint8Array => derSequence(derOid(CMS_OID.sha256));

function attribute(type: string, value: Uint8Array): Uint8Array {
  return derSequence(derOid(type), derSet(value));
}

function signingTimeValue(date: Date): Uint8Array {
  const year = date.getUTCFullYear();
  return year >= UTC_TIME_FIRST_YEAR && year <= UTC_TIME_LAST_YEAR
    ? derUtcTime(date)
    : derGeneralizedTime(date);
}

/**
 * The signed attributes as the DER `SET OF Attribute` (tag 0x31) — the exact bytes the signer signs
 * (RFC 5652 §5.4: the SET OF encoding, not the [0] IMPLICIT one stored in SignerInfo).
 *
 * @example
 * ```ts
 * const toSign = signedAttributes(sha256(content), new Date());
 * ```
 */
export function signedAttributes(contentDigest: Uint8Array, signingTime: Date): Uint8Array {
  assertBytes(contentDigest, 'signedAttributes: contentDigest');
  if (contentDigest.length !== 32)
    throw new RangeError('signedAttributes: contentDigest must be a SHA-256 digest (32 bytes)');
  if (!(signingTime instanceof Date) || Number.isNaN(signingTime.getTime()))
    throw new TypeError('signedAttributes: signingTime must be a valid Date');
  return derSet(
    attribute(CMS_OID.contentType, derOid(CMS_OID.data)),
    attribute(CMS_OID.signingTime, signingTimeValue(signingTime)),
    attribute(CMS_OID.messageDigest, derOctetString(contentDigest)),
  );
}

export interface SignedDataParts {
  /** The signer's certificate (DER). */
  readonly certificate: Uint8Array;
  /** More certificates to carry (DER), e.g. the issuing CA. */
  readonly chain?: readonly Uint8Array[];
  /** Output of {@link signedAttributes}. */
  readonly signedAttributes: Uint8Array;
  /** RSA PKCS#1 v1.5 signature over SHA-256(signedAttributes). */
  readonly signature: Uint8Array;
}

/**
 * Assembles ContentInfo { id-signedData, SignedData } from its parts (pure, synchronous).
 *
 * @example
 * ```ts
 * const p7s = assembleSignedData({ certificate, signedAttributes: attrs, signature });
 * ```
 */
export function assembleSignedData(parts: SignedDataParts): Uint8Array {
  assertBytes(parts.certificate, 'assembleSignedData: certificate');
  assertBytes(parts.signedAttributes, 'assembleSignedData: signedAttributes');
  assertBytes(parts.signature, 'assembleSignedData: signature');
  if (parts.signature.length === 0 || parts.signature.length > MAX_SIGNATURE_BYTES)
    throw new RangeError(`assembleSignedData: signature must be 1..${MAX_SIGNATURE_BYTES} bytes`);
  const chain = parts.chain ?? [];
  for (const [index, der] of chain.entries()) assertBytes(der, `assembleSignedData: chain[${index}]`);
  // Parsing checks the certificate and gives issuer + serial for the SignerIdentifier (RFC 5652 §5.3).
  const signer = parseCertificate(parts.certificate);
  const issuerAndSerialNumber = derSequence(signer.issuer.der, derTlv(TAG_INTEGER, signer.serialNumber));
  for (const der of chain) parseCertificate(der);
  const signerInfo = derSequence(
    derInteger(CMS_VERSION_1),
    issuerAndSerialNumber,
    sha256Algorithm(),
    // [0] IMPLICIT SET OF Attribute: the SET's content under the context tag.
    derTlv(CONTEXT_CONSTRUCTED_0 | SIGNED_ATTRS_TAG, setContent(parts.signedAttributes)),
    derSequence(derOid(CMS_OID.rsaEncryption), derNull()),
    derOctetString(parts.signature),
  );
  const signedData = derSequence(
    derInteger(CMS_VERSION_1),
    derSet(sha256Algorithm()),
    // EncapsulatedContentInfo without eContent: a detached signature (RFC 5652 §5.2).
    derSequence(derOid(CMS_OID.data)),
    derTlv(CONTEXT_CONSTRUCTED_0 | CERTIFICATES_TAG, concat([parts.certificate, ...chain])),
    derSet(signerInfo),
  );
  return derSequence(derOid(CMS_OID.signedData), derContextExplicit(0, signedData));
}

export interface DetachedSignatureOptions extends SignalOptions {
  /** The content to sign; it is not included in the output. */
  readonly content: Uint8Array;
  /** The signer's certificate (DER). */
  readonly certificate: Uint8Array;
  /** More certificates to include (DER). */
  readonly chain?: readonly Uint8Array[];
  /** signingTime attribute (default: now). */
  readonly signingTime?: Date;
  /** Signs `signedAttributes` with RSA PKCS#1 v1.5 over its SHA-256 (e.g. `card.sign(key, data)`). */
  readonly sign: (signedAttributes: Uint8Array, options: SignalOptions) => Promise<Uint8Array>;
}

/**
 * A DER CMS SignedData over `content`, detached, signed by the `sign` callback.
 *
 * @example
 * ```ts
 * await writeFile('contract.pdf.p7s', await createDetachedSignature({ content, certificate, sign }));
 * ```
 */
export async function createDetachedSignature(options: DetachedSignatureOptions): Promise<Uint8Array> {
  assertBytes(options.content, 'createDetachedSignature: content');
  if (typeof options.sign !== 'function')
    throw new TypeError('createDetachedSignature: sign must be a function');
  throwIfAborted(options.signal, 'createDetachedSignature');
  const attrs = signedAttributes(sha256(options.content), options.signingTime ?? new Date());
  // Checked before the card is asked to sign, so a bad certificate costs no signature.
  assembleSignedData({
    certificate: options.certificate,
    chain: options.chain ?? [],
    signedAttributes: attrs,
    signature: new Uint8Array(1),
  });
  const signature = await options.sign(attrs, options.signal === undefined ? {} : { signal: options.signal });
  return assembleSignedData({
    certificate: options.certificate,
    chain: options.chain ?? [],
    signedAttributes: attrs,
    signature,
  });
}

/** The content octets of one strict-DER SET TLV (throws DER_MALFORMED / DER_TRUNCATED otherwise). */
function setContent(set: Uint8Array): Uint8Array {
  const cursor = new DerCursor(set);
  cursor.read(TAG_SET, 'signedAttributes');
  const content = cursor.value();
  cursor.finish();
  return content;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
