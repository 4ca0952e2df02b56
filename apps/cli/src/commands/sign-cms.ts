/**
 * `kakunin sign --cms`: a detached CMS SignedData (RFC 5652, `.p7s`) over a file, signed on the card
 * (@kakunin/core/cms builds it; the card signs the signed attributes). Verify with
 * `openssl cms -verify -binary -inform DER -in FILE.p7s -content FILE -CAfile <J-LIS root PEM>`.
 */
import { createDetachedSignature } from '@kakunin/core/cms';
import type { MyNumberCard, SigningKey } from '@kakunin/core/jpki';

export type CmsFormat = 'der' | 'pem';

/** The certificates of each key: the signer's and its issuing CA on the card. */
const CERTIFICATES = {
  auth: { signer: 'auth', ca: 'authCA' },
  sign: { signer: 'sign', ca: 'signCA' },
} as const;

/** Reads the key's certificate (and with `chain` its CA certificate) and has the card sign. */
export async function signCms(
  card: MyNumberCard,
  key: SigningKey,
  content: Uint8Array,
  options: { readonly chain: boolean; readonly signal: AbortSignal },
): Promise<Uint8Array> {
  const { signal } = options;
  const names = CERTIFICATES[key];
  const certificate = await card.readCertificate(names.signer, { signal });
  const chain = options.chain ? [await card.readCertificate(names.ca, { signal })] : [];
  return createDetachedSignature({
    content,
    certificate,
    chain,
    signal,
    // The card hashes the DER of the signed attributes with SHA-256 and signs PKCS#1 v1.5;
    // `verify` checks the signature against the card's certificate before it is written.
    sign: (signedAttributes) => card.sign(key, signedAttributes, { verify: true, signal }),
  });
}
