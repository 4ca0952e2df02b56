/**
 * Hex helpers for traces, CLIs and tests.
 *
 * @example
 * ```ts
 * bytesToHex(new Uint8Array([0x90, 0x00])); // "9000"
 * hexToBytes('00 A4 04 0C'); // Uint8Array [0, 164, 4, 12]
 * ```
 */
import { assertBytes } from './assert-bytes.js';

const HEX = '0123456789abcdef';

export function bytesToHex(bytes: Uint8Array, separator = ''): string {
  assertBytes(bytes, 'bytesToHex: bytes');
  let out = '';
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index]!;
    if (index > 0 && separator !== '') out += separator;
    out += HEX[byte >> 4]! + HEX[byte & 0x0f]!;
  }
  return out;
}

/** Parses hex, ignoring whitespace and colons. */
export function hexToBytes(hex: string): Uint8Array {
  if (typeof hex !== 'string') throw new TypeError('hexToBytes: hex must be a string');
  const clean = hex.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean))
    throw new RangeError('hexToBytes: not an even-length hex string');
  const out = new Uint8Array(clean.length / 2);
  for (let index = 0; index < out.length; index++)
    out[index] = Number.parseInt(clean.slice(index * 2, index * 2 + 2), 16);
  return out;
}
