/**
 * AES-128-CBC with a zero IV and no padding: the only cipher the ACR1255U-J1 protocol uses
 * (transports.md §4.4: mutual authentication under the master key, data blocks under the session
 * key). Passed in so that tests and other runtimes can supply their own; the default uses
 * `node:crypto` (noble itself only runs on Node).
 *
 * @example
 * ```ts
 * const cipher = nodeAesCbc();
 * const sealed = cipher.encrypt(key16, new Uint8Array(32));
 * cipher.decrypt(key16, sealed); // 32 zero bytes
 * ```
 */

import { createCipheriv, createDecipheriv } from 'node:crypto';
import { assertBytes } from '@kakunin/core/transport';
import { AES_BLOCK_LENGTH } from './constants.js';

export interface AesCbc {
  /** AES-128-CBC encrypt, zero IV, `data.length` a multiple of 16. */
  encrypt(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** AES-128-CBC decrypt, zero IV, `data.length` a multiple of 16. */
  decrypt(key: Uint8Array, data: Uint8Array): Uint8Array;
}

/** Zero IV per frame (FIDOk `buildSessionKey`; obniz `encrypt`; transports.md §4.4). */
const ZERO_IV = new Uint8Array(AES_BLOCK_LENGTH);

function check(key: Uint8Array, data: Uint8Array, what: string): void {
  assertBytes(key, `${what}: key`);
  assertBytes(data, `${what}: data`);
  if (key.length !== AES_BLOCK_LENGTH)
    throw new RangeError(`${what}: key must be 16 bytes, got ${key.length}`);
  if (data.length % AES_BLOCK_LENGTH !== 0)
    throw new RangeError(`${what}: data must be a multiple of 16 bytes, got ${data.length}`);
}

function run(
  cipher: ReturnType<typeof createCipheriv> | ReturnType<typeof createDecipheriv>,
  data: Uint8Array,
): Uint8Array {
  cipher.setAutoPadding(false);
  const head = cipher.update(data);
  const tail = cipher.final();
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

/**
 * The default cipher over `node:crypto`.
 *
 * @example
 * ```ts
 * const provider = new BleTransportProvider({ cipher: nodeAesCbc() });
 * ```
 */
export function nodeAesCbc(): AesCbc {
  return {
    encrypt(key, data) {
      check(key, data, 'AesCbc.encrypt');
      return run(createCipheriv('aes-128-cbc', key, ZERO_IV), data);
    },
    decrypt(key, data) {
      check(key, data, 'AesCbc.decrypt');
      return run(createDecipheriv('aes-128-cbc', key, ZERO_IV), data);
    },
  };
}
