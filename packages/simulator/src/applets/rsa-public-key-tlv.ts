/**
 * The card's raw RSA public-key encoding: `90` public exponent ‖ `91` modulus (jpki-card.md §4
 * EF 0004, §5.1 DF12/DF24/DF42). For RSA-2048 and e = 65537 it is exactly 265 bytes.
 *
 * @example
 * ```ts
 * rsaPublicKeyTlvs(publicKey); // 90 03 01 00 01 91 82 01 00 <256 bytes>
 * ```
 */

import type { KeyObject } from 'node:crypto';
import { concatBytes } from '@kakunin/core/transport';
import { berTlv } from '../encoding/ber-tlv-writer.js';

/** Tag of the public exponent (jpki-card.md §4). */
export const TAG_PUBLIC_EXPONENT = 0x90;
/** Tag of the modulus. */
export const TAG_MODULUS = 0x91;

/**
 * Big-endian modulus and exponent bytes of an RSA public key.
 *
 * @example
 * ```ts
 * const { modulus, exponent } = rsaPublicNumbers(publicKey);
 * ```
 */
export function rsaPublicNumbers(publicKey: KeyObject): { modulus: Uint8Array; exponent: Uint8Array } {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.n === undefined || jwk.e === undefined) throw new TypeError('publicKey must be an RSA key');
  const decode = (value: string): Uint8Array => {
    const buffer = Buffer.from(value, 'base64url');
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  };
  return { modulus: decode(jwk.n), exponent: decode(jwk.e) };
}

/**
 * `90 e ‖ 91 n`.
 *
 * @example
 * ```ts
 * rsaPublicKeyTlvs(publicKey).length; // 265 for RSA-2048, e = 65537
 * ```
 */
export function rsaPublicKeyTlvs(publicKey: KeyObject): Uint8Array {
  const { modulus, exponent } = rsaPublicNumbers(publicKey);
  return concatBytes(berTlv(TAG_PUBLIC_EXPONENT, exponent), berTlv(TAG_MODULUS, modulus));
}
