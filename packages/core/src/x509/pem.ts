/**
 * PEM armour (RFC 7468): `-----BEGIN LABEL-----`, base64 body, `-----END LABEL-----`. Strict
 * base64 (RFC 4648 §4 alphabet, correct padding); headers and other text between blocks are
 * ignored. Inputs above `maxSize` are refused before decoding.
 *
 * @example
 * ```ts
 * const der = pemToDer(pemText, 'CERTIFICATE');
 * const text = encodePem('X509 CRL', crlDer);
 * ```
 */
import { assertBytes } from '../transport/assert-bytes.js';
import { x509Malformed } from './x509-error.js';

/** RFC 4648 §4 base64 alphabet. */
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Line width of encoded PEM bodies (RFC 7468 §2). */
const PEM_LINE_WIDTH = 64;
/** Default cap on PEM text size (characters). */
export const DEFAULT_PEM_MAX_SIZE = 64 * 1024 * 1024;
const BLOCK_PATTERN = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const latin1 = /* @__PURE__ */ new TextDecoder('latin1');

export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

function base64Decode(text: string): Uint8Array {
  const clean = text.replace(/[\r\n\t ]/g, '');
  if (clean.length % 4 !== 0) throw x509Malformed('base64 length is not a multiple of 4');
  let padding = 0;
  if (clean.endsWith('==')) padding = 2;
  else if (clean.endsWith('=')) padding = 1;
  const out = new Uint8Array((clean.length / 4) * 3 - padding);
  let outIndex = 0;
  for (let index = 0; index < clean.length; index += 4) {
    let chunk = 0;
    for (let offset = 0; offset < 4; offset++) {
      const character = clean[index + offset]!;
      let value: number;
      if (character === '=') {
        if (index + 4 !== clean.length || offset < 4 - padding)
          throw x509Malformed('misplaced base64 padding');
        value = 0;
      } else {
        value = BASE64_ALPHABET.indexOf(character);
        if (value < 0) throw x509Malformed('invalid base64 character');
      }
      chunk = (chunk << 6) | value;
    }
    if (outIndex < out.length) out[outIndex++] = (chunk >> 16) & 0xff;
    if (outIndex < out.length) out[outIndex++] = (chunk >> 8) & 0xff;
    if (outIndex < out.length) out[outIndex++] = chunk & 0xff;
    else if (padding > 0 && (chunk & (padding === 2 ? 0xffff : 0xff)) !== 0)
      throw x509Malformed('non-canonical base64 padding bits');
  }
  return out;
}

function base64Encode(bytes: Uint8Array): string {
  let out = '';
  for (let index = 0; index < bytes.length; index += 3) {
    const a = bytes[index]!;
    const b = bytes[index + 1];
    const c = bytes[index + 2];
    const chunk = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += BASE64_ALPHABET[(chunk >> 18) & 63]! + BASE64_ALPHABET[(chunk >> 12) & 63]!;
    out += b === undefined ? '=' : BASE64_ALPHABET[(chunk >> 6) & 63]!;
    out += c === undefined ? '=' : BASE64_ALPHABET[chunk & 63]!;
  }
  return out;
}

function toText(input: string | Uint8Array, maxSize: number): string {
  if (typeof input !== 'string' && !(input instanceof Uint8Array))
    throw new TypeError('PEM input must be a string or Uint8Array');
  if (input.length > maxSize)
    throw x509Malformed(`PEM input of ${input.length} characters exceeds the ${maxSize} cap`);
  return typeof input === 'string' ? input : latin1.decode(input);
}

/**
 * All PEM blocks in `input`, in order.
 *
 * @example
 * ```ts
 * decodePemBlocks(bundle).filter((block) => block.label === 'CERTIFICATE');
 * ```
 */
export function decodePemBlocks(
  input: string | Uint8Array,
  options: { readonly maxSize?: number } = {},
): PemBlock[] {
  const text = toText(input, options.maxSize ?? DEFAULT_PEM_MAX_SIZE);
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK_PATTERN)) {
    const label = match[1]!;
    let body = match[2]!;
    // RFC 1421-style headers ("Proc-Type: …") end at a blank line.
    if (body.includes(':')) {
      const blank = body.search(/\r?\n\r?\n/);
      if (blank >= 0) body = body.slice(blank);
    }
    blocks.push({ label, der: base64Decode(body) });
  }
  return blocks;
}

/**
 * The DER of the first PEM block labelled `label`.
 *
 * @example
 * ```ts
 * pemToDer(text, 'CERTIFICATE');
 * ```
 */
export function pemToDer(
  input: string | Uint8Array,
  label: string,
  options: { readonly maxSize?: number } = {},
): Uint8Array {
  for (const block of decodePemBlocks(input, options)) if (block.label === label) return block.der;
  throw x509Malformed(`no PEM block labelled ${label}`);
}

/**
 * PEM text for `der`, wrapped at 64 characters.
 *
 * @example
 * ```ts
 * encodePem('CERTIFICATE', certificate.der);
 * ```
 */
export function encodePem(label: string, der: Uint8Array): string {
  if (typeof label !== 'string' || !/^[A-Z0-9 ]+$/.test(label))
    throw new RangeError('encodePem: label must be upper-case');
  assertBytes(der, 'encodePem: der');
  const body = base64Encode(der);
  const lines: string[] = [];
  for (let index = 0; index < body.length; index += PEM_LINE_WIDTH)
    lines.push(body.slice(index, index + PEM_LINE_WIDTH));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * True when `bytes` look like PEM text (optional whitespace, then "-----BEGIN").
 *
 * @example
 * ```ts
 * isPemText(fileBytes) ? pemToDer(fileBytes, 'CERTIFICATE') : fileBytes;
 * ```
 */
export function isPemText(bytes: Uint8Array): boolean {
  let index = 0;
  while (
    index < bytes.length &&
    (bytes[index] === 0x20 || bytes[index] === 0x0a || bytes[index] === 0x0d || bytes[index] === 0x09)
  )
    index++;
  const marker = '-----BEGIN';
  if (bytes.length - index < marker.length) return false;
  for (let offset = 0; offset < marker.length; offset++)
    if (bytes[index + offset] !== marker.charCodeAt(offset)) return false;
  return true;
}
