/**
 * Character-string decoding for the string types X.509 names use (X.680 §41; RFC 5280
 * §4.1.2.4 DirectoryString): UTF8String, PrintableString, IA5String, VisibleString,
 * NumericString (7-bit), TeletexString (decoded as Latin-1), BMPString (UCS-2/UTF-16BE) and
 * UniversalString (UCS-4). Invalid encodings are DER_MALFORMED.
 *
 * @example
 * ```ts
 * decodeString(TAG_UTF8_STRING, bytes, start, end); // "公的個人認証サービス"
 * ```
 */
import { derError } from './der-error.js';
import {
  TAG_BMP_STRING,
  TAG_IA5_STRING,
  TAG_NUMERIC_STRING,
  TAG_PRINTABLE_STRING,
  TAG_TELETEX_STRING,
  TAG_UNIVERSAL_STRING,
  TAG_UTF8_STRING,
  TAG_VISIBLE_STRING,
} from './der-tags.js';

/** Identifier octets of the character-string types {@link decodeString} accepts. */
export const STRING_TAGS: ReadonlySet<number> = new Set([
  TAG_UTF8_STRING,
  TAG_PRINTABLE_STRING,
  TAG_IA5_STRING,
  TAG_VISIBLE_STRING,
  TAG_NUMERIC_STRING,
  TAG_TELETEX_STRING,
  TAG_BMP_STRING,
  TAG_UNIVERSAL_STRING,
]);

const utf8Decoder = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function ascii(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let index = start; index < end; index++) {
    const byte = bytes[index]!;
    if (byte > 0x7f) throw derError('invalid-string', index, 'non-ASCII octet in a 7-bit string');
    out += String.fromCharCode(byte);
  }
  return out;
}

/** Offset of the first invalid UTF-8 sequence in `bytes[start, end)` (RFC 3629 §4), or -1. */
function invalidUtf8At(bytes: Uint8Array, start: number, end: number): number {
  let index = start;
  while (index < end) {
    const lead = bytes[index]!;
    if (lead < 0x80) {
      index++;
      continue;
    }
    let count: number;
    let minimum: number;
    let code: number;
    if (lead >= 0xc2 && lead <= 0xdf) {
      count = 1;
      minimum = 0x80;
      code = lead & 0x1f;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      count = 2;
      minimum = 0x800;
      code = lead & 0x0f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      count = 3;
      minimum = 0x10000;
      code = lead & 0x07;
    } else return index;
    if (index + count >= end) return index;
    for (let offset = 1; offset <= count; offset++) {
      const continuation = bytes[index + offset]!;
      if ((continuation & 0xc0) !== 0x80) return index;
      code = (code << 6) | (continuation & 0x3f);
    }
    if (code < minimum || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return index;
    index += count + 1;
  }
  return -1;
}

/**
 * Validates a character string of type `tag` without building it (used by the strict DER
 * walk): UTF-8 well-formedness, 7-bit alphabets, BMP/Universal lengths and code points.
 *
 * @example
 * ```ts
 * checkString(TAG_UTF8_STRING, bytes, start, end);
 * ```
 */
export function checkString(tag: number, bytes: Uint8Array, start: number, end: number): void {
  switch (tag) {
    case TAG_UTF8_STRING: {
      const bad = invalidUtf8At(bytes, start, end);
      if (bad >= 0) throw derError('invalid-string', bad, 'invalid UTF-8');
      return;
    }
    case TAG_PRINTABLE_STRING:
    case TAG_IA5_STRING:
    case TAG_VISIBLE_STRING:
    case TAG_NUMERIC_STRING:
      for (let index = start; index < end; index++)
        if (bytes[index]! > 0x7f)
          throw derError('invalid-string', index, 'non-ASCII octet in a 7-bit string');
      return;
    case TAG_TELETEX_STRING:
      return;
    default:
      decodeString(tag, bytes, start, end);
  }
}

/**
 * Decodes a character string of type `tag`.
 *
 * @example
 * ```ts
 * decodeString(0x13, new TextEncoder().encode('JP'), 0, 2); // "JP"
 * ```
 */
export function decodeString(tag: number, bytes: Uint8Array, start: number, end: number): string {
  switch (tag) {
    case TAG_UTF8_STRING: {
      // Fast path: pure ASCII needs no decoder (most X.509 strings).
      let ascii7 = true;
      for (let index = start; index < end; index++)
        if (bytes[index]! > 0x7f) {
          ascii7 = false;
          break;
        }
      if (ascii7) return ascii(bytes, start, end);
      try {
        return utf8Decoder.decode(bytes.subarray(start, end));
      } catch {
        throw derError('invalid-string', start, 'invalid UTF-8');
      }
    }
    case TAG_PRINTABLE_STRING:
    case TAG_IA5_STRING:
    case TAG_VISIBLE_STRING:
    case TAG_NUMERIC_STRING:
      return ascii(bytes, start, end);
    case TAG_TELETEX_STRING: {
      let out = '';
      for (let index = start; index < end; index++) out += String.fromCharCode(bytes[index]!);
      return out;
    }
    case TAG_BMP_STRING: {
      if ((end - start) % 2 !== 0) throw derError('invalid-string', start, 'BMPString of odd length');
      let out = '';
      for (let index = start; index < end; index += 2)
        out += String.fromCharCode((bytes[index]! << 8) | bytes[index + 1]!);
      return out;
    }
    case TAG_UNIVERSAL_STRING: {
      if ((end - start) % 4 !== 0)
        throw derError('invalid-string', start, 'UniversalString length not a multiple of 4');
      let out = '';
      for (let index = start; index < end; index += 4) {
        const code =
          ((bytes[index]! << 24) |
            (bytes[index + 1]! << 16) |
            (bytes[index + 2]! << 8) |
            bytes[index + 3]!) >>>
          0;
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
          throw derError('invalid-string', index, 'invalid code point');
        out += String.fromCodePoint(code);
      }
      return out;
    }
    default:
      throw derError('unexpected-tag', start, `0x${tag.toString(16)} is not a character string type`);
  }
}
