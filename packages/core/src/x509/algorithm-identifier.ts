/**
 * AlgorithmIdentifier (RFC 5280 §4.1.1.2): `SEQUENCE { algorithm OID, parameters ANY OPTIONAL }`.
 *
 * @example
 * ```ts
 * const algorithm = readAlgorithmIdentifier(cursor); // cursor positioned before the SEQUENCE
 * algorithm.oid; // "1.2.840.113549.1.1.11"
 * ```
 */
import type { DerCursor } from '../der/der-cursor.js';
import { TAG_NULL, TAG_OID, TAG_SEQUENCE } from '../der/der-tags.js';

export interface AlgorithmIdentifier {
  /** Dotted OID of the algorithm. */
  readonly oid: string;
  /** The parameters element (TLV view), if present. */
  readonly parameters: Uint8Array | undefined;
  /** The whole AlgorithmIdentifier TLV (for byte comparison). */
  readonly der: Uint8Array;
}

/**
 * Reads one AlgorithmIdentifier at the cursor position (the cursor ends after it).
 *
 * @example
 * ```ts
 * const signatureAlgorithm = readAlgorithmIdentifier(cursor);
 * ```
 */
export function readAlgorithmIdentifier(cursor: DerCursor): AlgorithmIdentifier {
  cursor.read(TAG_SEQUENCE, 'AlgorithmIdentifier');
  const der = cursor.element();
  cursor.enter();
  const oid = cursor.read(TAG_OID, 'algorithm').oid();
  let parameters: Uint8Array | undefined;
  if (cursor.next()) parameters = cursor.element();
  cursor.leave();
  return { oid, parameters, der };
}

/**
 * True when the parameters are absent or an explicit NULL.
 *
 * @example
 * ```ts
 * hasNullOrAbsentParameters(algorithm);
 * ```
 */
export function hasNullOrAbsentParameters(algorithm: AlgorithmIdentifier): boolean {
  const parameters = algorithm.parameters;
  return (
    parameters === undefined || (parameters.length === 2 && parameters[0] === TAG_NULL && parameters[1] === 0)
  );
}

/**
 * True when the parameters are exactly an explicit NULL (as RFC 8017 requires for the
 * PKCS #1 v1.5 signature algorithms and rsaEncryption).
 *
 * @example
 * ```ts
 * hasNullParameters(certificate.signatureAlgorithm);
 * ```
 */
export function hasNullParameters(algorithm: AlgorithmIdentifier): boolean {
  const parameters = algorithm.parameters;
  return (
    parameters !== undefined && parameters.length === 2 && parameters[0] === TAG_NULL && parameters[1] === 0
  );
}
