/**
 * Card-verifiable certificates as the 券面 APs store them in EF 0004 (jpki-card.md §4):
 * `7F 21` { `5F 4E` body = 16-byte issuer key ID ‖ 16-byte subject key ID ‖ `90` e ‖ `91` n;
 * `5F 37` signature }. The simulator signs the whole `5F 4E` TLV with RSASSA-PKCS1-v1_5 /
 * SHA-256 (the exact signed span of real cards is not public; this choice is documented in the
 * README). For RSA-2048 the certificate is exactly 568 bytes.
 *
 * @example
 * ```ts
 * const cv = createCvCertificate({ issuerKeyId, subjectKeyId, subjectPublicKey, issuerPrivateKey });
 * verifyCvCertificate(cv, issuerPublicKey); // true
 * ```
 */
import { constants, createHash, type KeyObject, publicDecrypt } from 'node:crypto';
import { rsaPublicKeyTlvs } from '../applets/rsa-public-key-tlv.js';
import { sha256, sha256DigestInfo, signPkcs1 } from '../card/rsa-signature.js';
import { berTlv } from '../encoding/ber-tlv-writer.js';

/** Tags (ISO 7816-8 / BSI TR-03110 CV certificate tags, jpki-card.md §4). */
export const TAG_CV_CERTIFICATE = 0x7f21;
export const TAG_CV_BODY = 0x5f4e;
export const TAG_CV_SIGNATURE = 0x5f37;
/** Key identifiers are 16 bytes. */
export const KEY_ID_LENGTH = 16;

export interface CvCertificateInput {
  readonly issuerKeyId: Uint8Array;
  readonly subjectKeyId: Uint8Array;
  readonly subjectPublicKey: KeyObject;
  readonly issuerPrivateKey: KeyObject;
}

/**
 * A 16-byte key identifier: the first 16 bytes of SHA-256 over the SPKI DER.
 *
 * @example
 * ```ts
 * keyId(publicKey).length; // 16
 * ```
 */
export function keyId(publicKey: KeyObject): Uint8Array {
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return new Uint8Array(createHash('sha256').update(spki).digest().subarray(0, KEY_ID_LENGTH));
}

/**
 * Builds the `7F 21` certificate.
 *
 * @example
 * ```ts
 * createCvCertificate({ issuerKeyId, subjectKeyId, subjectPublicKey, issuerPrivateKey }).length; // 568
 * ```
 */
export function createCvCertificate(input: CvCertificateInput): Uint8Array {
  if (input.issuerKeyId.length !== KEY_ID_LENGTH || input.subjectKeyId.length !== KEY_ID_LENGTH) {
    throw new RangeError('key IDs must be 16 bytes');
  }
  const body = berTlv(
    TAG_CV_BODY,
    input.issuerKeyId,
    input.subjectKeyId,
    rsaPublicKeyTlvs(input.subjectPublicKey),
  );
  const signature = signPkcs1(input.issuerPrivateKey, sha256DigestInfo(sha256(body)));
  return berTlv(TAG_CV_CERTIFICATE, body, berTlv(TAG_CV_SIGNATURE, signature));
}

/**
 * Verifies a PKCS#1 v1.5 / SHA-256 signature by re-encoding and comparing the whole encoded
 * message (certificates.md §5 step 7: never recover-and-scan).
 *
 * @example
 * ```ts
 * verifyPkcs1Sha256(issuerPublicKey, signedBytes, signature); // true or false
 * ```
 */
export function verifyPkcs1Sha256(
  publicKey: KeyObject,
  signedBytes: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    const recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
    const expected = sha256DigestInfo(sha256(signedBytes));
    return recovered.length === expected.length && recovered.every((byte, index) => byte === expected[index]);
  } catch {
    return false;
  }
}
