/**
 * Unpadded base64url (RFC 4648 §5) for the pairing URL. Strict: rejects padding, whitespace and
 * any character outside the alphabet, so one URL has exactly one reading.
 *
 * @example
 * ```ts
 * encodeBase64Url(new Uint8Array([0xfb, 0xff])); // '-_8'
 * ```
 */
import { assertBytes } from '@kakunin/core/transport';

const BASE64URL_PATTERN = /^[A-Za-z0-9_-]*$/;

/**
 * Encodes bytes as unpadded base64url.
 *
 * @example
 * ```ts
 * encodeBase64Url(Uint8Array.of(1, 2, 3)); // 'AQID'
 * ```
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  assertBytes(bytes, 'bytes');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/**
 * Decodes unpadded base64url; returns undefined for anything that is not canonical.
 *
 * @example
 * ```ts
 * decodeBase64Url('AQID'); // Uint8Array [1, 2, 3]
 * ```
 */
export function decodeBase64Url(text: string): Uint8Array | undefined {
  if (typeof text !== 'string' || !BASE64URL_PATTERN.test(text) || text.length % 4 === 1) return undefined;
  const bytes = new Uint8Array(Buffer.from(text, 'base64url'));
  // Canonical form only: unused trailing bits must be zero (RFC 4648 §3.5).
  if (encodeBase64Url(bytes) !== text) return undefined;
  return bytes;
}
