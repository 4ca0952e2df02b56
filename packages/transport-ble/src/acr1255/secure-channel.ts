/**
 * Data-block protection after mutual authentication (transports.md §4.4 step 5): every data block
 * is padded with `FF` to a multiple of 16 and AES-128-CBC encrypted under the session key with a
 * zero IV per frame. There is no MAC: the link gives confidentiality (only with a secret master
 * key), no integrity beyond the XOR checksums.
 *
 * @example
 * ```ts
 * const sealed = sealBlock(cipher, sessionKey, encodeMessage(message));
 * const plain = openBlock(cipher, sessionKey, sealed); // message ‖ FF padding
 * ```
 */
import { CardError, TransportErrorCode } from '@kakunin/core/transport';
import type { AesCbc } from './aes-cbc.js';
import { AES_BLOCK_LENGTH, PADDING_BYTE } from './constants.js';

/**
 * Pads with `FF` and encrypts one data block.
 *
 * @example
 * ```ts
 * sealBlock(cipher, sessionKey, Uint8Array.of(0x62, 0, 0, 0, 1, 0, 0x63)).length; // 16
 * ```
 */
export function sealBlock(cipher: AesCbc, sessionKey: Uint8Array, plain: Uint8Array): Uint8Array {
  const paddedLength = Math.ceil(plain.length / AES_BLOCK_LENGTH) * AES_BLOCK_LENGTH;
  const padded = new Uint8Array(Math.max(paddedLength, AES_BLOCK_LENGTH)).fill(PADDING_BYTE);
  padded.set(plain);
  return cipher.encrypt(sessionKey, padded);
}

/** True when a received data block can be an encrypted one (a whole number of AES blocks). */
export function looksEncrypted(block: Uint8Array): boolean {
  return block.length > 0 && block.length % AES_BLOCK_LENGTH === 0;
}

/**
 * Decrypts one data block; the inner message's own length field then cuts off the padding.
 *
 * @example
 * ```ts
 * const message = decodeMessage(openBlock(cipher, sessionKey, dataBlock));
 * ```
 */
export function openBlock(cipher: AesCbc, sessionKey: Uint8Array, sealed: Uint8Array): Uint8Array {
  if (!looksEncrypted(sealed)) {
    throw new CardError(
      TransportErrorCode.PROTOCOL,
      `encrypted block is ${sealed.length} bytes, not a multiple of 16`,
      { remedy: 'ble.link-lost', details: { length: sealed.length } },
    );
  }
  return cipher.decrypt(sessionKey, sealed);
}
