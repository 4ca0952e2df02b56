/**
 * What a certificate and a CRL share around their TBS part (RFC 5280 §4.1, §5.1): the optional
 * `[3] EXPLICIT Extensions` block at its end (read, then decoded on first use), and the tail `signatureAlgorithm, signatureValue`
 * after it. One reader each, for certificate.ts and crl.ts.
 *
 * @example
 * ```ts
 * const extensions = readExtensionsBlock(cursor, TAG_EXTENSIONS, 'Extensions', version === 3, 'extensions below v3');
 * const { algorithm, value } = readSignatureTail(cursor);
 * ```
 */
import { DerCursor } from '../der/der-cursor.js';
import { TAG_BIT_STRING, TAG_SEQUENCE } from '../der/der-tags.js';
import { type AlgorithmIdentifier, readAlgorithmIdentifier } from './algorithm-identifier.js';
import { type Extension, readExtensions } from './extensions.js';
import { x509Malformed } from './x509-error.js';

/** Byte range of an extensions SEQUENCE within the input; -1/-1 when absent. */
export interface ExtensionsBlock {
  readonly start: number;
  readonly end: number;
}

/**
 * Reads the optional explicitly tagged extensions block (`tag`), which must hold one SEQUENCE;
 * `allowed` false (wrong version) makes its presence `X509_MALFORMED` with `notAllowed`.
 */
export function readExtensionsBlock(
  cursor: DerCursor,
  tag: number,
  name: string,
  allowed: boolean,
  notAllowed: string,
): ExtensionsBlock {
  if (!cursor.readOptional(tag)) return { start: -1, end: -1 };
  if (!allowed) throw x509Malformed(notAllowed, cursor.start);
  cursor.enter();
  cursor.read(TAG_SEQUENCE, name);
  const block = { start: cursor.start, end: cursor.valueEnd };
  cursor.leave();
  return block;
}

/**
 * The extensions inside `block` (from {@link readExtensionsBlock}) in encoded order; none when the
 * block is absent. A repeated extnID (RFC 5280 §4.2) is `X509_MALFORMED` ("duplicate `what` OID").
 */
export function decodeExtensionsBlock(der: Uint8Array, block: ExtensionsBlock, what: string): Extension[] {
  if (block.start < 0) return [];
  const cursor = new DerCursor(der, block.start, block.end);
  cursor.next();
  const list = readExtensions(cursor);
  const seen = new Set<string>();
  for (const extension of list) {
    if (seen.has(extension.oid)) throw x509Malformed(`duplicate ${what} ${extension.oid}`, extension.offset);
    seen.add(extension.oid);
  }
  return list;
}

/**
 * Leaves the TBS SEQUENCE, reads `signatureAlgorithm` and `signatureValue` (no unused bits), and
 * checks that the outer SEQUENCE is the whole input.
 */
export function readSignatureTail(cursor: DerCursor): { algorithm: AlgorithmIdentifier; value: Uint8Array } {
  cursor.leave();
  const algorithm = readAlgorithmIdentifier(cursor);
  const signature = cursor.read(TAG_BIT_STRING, 'signatureValue').bitString();
  if (signature.unusedBits !== 0) throw x509Malformed('signatureValue with unused bits', cursor.start);
  cursor.leave();
  cursor.finish();
  return { algorithm, value: signature.bytes };
}
