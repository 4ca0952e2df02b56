/**
 * Shift_JIS (Windows-31J / CP932, the WHATWG "shift_jis" encoding) for the 資格確認端末's file
 * interface, without a dependency (docs/decisions/0009-shift-jis-table-from-platform-decoder.md):
 * - decoding uses the platform's `TextDecoder('shift_jis')` (Node with full ICU, the default of the
 *   official builds);
 * - encoding uses a table built once, lazily, by decoding every lead/trail byte pair through that
 *   same decoder — so both directions agree by construction. Where CP932 has two codes for one
 *   character (NEC row 13 vs IBM extensions), the lower code wins, except that IBM extension
 *   kanji (0xFA40–0xFC4B) win over their NEC-selected duplicates (0xED40–0xEEFC), as Windows does.
 * Characters with no Shift_JIS code are replaced by a substitute (default 〓 U+3013, the geta mark)
 * and counted, never dropped silently.
 *
 * @example
 * ```ts
 * const { bytes, substituted } = encodeShiftJis('試験　太郎');
 * decodeShiftJis(bytes); // '試験　太郎'
 * ```
 */

/** 〓 GETA MARK: the conventional Japanese mark for a character that cannot be shown. */
export const GETA_MARK = '〓';

export class ShiftJisUnavailableError extends Error {
  override readonly name = 'ShiftJisUnavailableError';
  readonly code = 'SHIFT_JIS_UNAVAILABLE';
  constructor() {
    super('this Node.js has no shift_jis TextDecoder (build without full ICU); use an official Node build');
  }
}

let decoder: TextDecoder | undefined;
let table: Map<number, number> | undefined;

function shiftJisDecoder(): TextDecoder {
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder('shift_jis', { fatal: false });
    } catch {
      throw new ShiftJisUnavailableError();
    }
  }
  return decoder;
}

const isLead = (byte: number): boolean => (byte >= 0x81 && byte <= 0x9f) || (byte >= 0xe0 && byte <= 0xfc);
const isNecSelectedIbm = (code: number): boolean => code >= 0xed40 && code <= 0xeefc;

/** code point → Shift_JIS code (1 byte ≤ 0xFF, 2 bytes otherwise). */
function encodeTable(): Map<number, number> {
  if (table !== undefined) return table;
  const strict = new TextDecoder(shiftJisDecoder().encoding, { fatal: true });
  const built = new Map<number, number>();
  for (let byte = 0; byte <= 0xdf; byte += 1) {
    if (byte >= 0x80 && byte <= 0xa0) continue;
    try {
      const text = strict.decode(new Uint8Array([byte]));
      const point = text.codePointAt(0)!;
      if (text.length === 1 && !built.has(point)) built.set(point, byte);
    } catch {
      // not a single-byte code
    }
  }
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfc; lead += 1) {
    if (!isLead(lead)) continue;
    for (let trail = 0x40; trail <= 0xfc; trail += 1) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      let text: string;
      try {
        text = strict.decode(pair);
      } catch {
        continue;
      }
      if (text.length !== 1) continue;
      const point = text.codePointAt(0)!;
      const code = (lead << 8) | trail;
      const existing = built.get(point);
      if (existing === undefined || (isNecSelectedIbm(existing) && code >= 0xfa40)) built.set(point, code);
    }
  }
  table = built;
  return built;
}

/** Decodes Shift_JIS bytes; invalid sequences become U+FFFD. */
export function decodeShiftJis(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decodeShiftJis: bytes must be a Uint8Array');
  return shiftJisDecoder().decode(bytes);
}

/** True when every character of `text` has a Shift_JIS code. */
export function isShiftJisEncodable(text: string): boolean {
  const codes = encodeTable();
  for (const char of text) if (!codes.has(char.codePointAt(0)!)) return false;
  return true;
}

export interface EncodedShiftJis {
  readonly bytes: Uint8Array;
  /** How many characters were replaced by the substitute. */
  readonly substituted: number;
}

/** Encodes `text`; characters without a code become `substitute` (which must itself be encodable). */
export function encodeShiftJis(text: string, substitute: string = GETA_MARK): EncodedShiftJis {
  if (typeof text !== 'string') throw new TypeError('encodeShiftJis: text must be a string');
  const codes = encodeTable();
  const substituteCode = [...substitute].length === 1 ? codes.get(substitute.codePointAt(0)!) : undefined;
  if (substituteCode === undefined)
    throw new RangeError('encodeShiftJis: substitute must be one character with a Shift_JIS code');
  const out = new Uint8Array(text.length * 2);
  let length = 0;
  let substituted = 0;
  for (const char of text) {
    let code = codes.get(char.codePointAt(0)!);
    if (code === undefined) {
      code = substituteCode;
      substituted += 1;
    }
    if (code > 0xff) out[length++] = code >> 8;
    out[length++] = code & 0xff;
  }
  return { bytes: out.slice(0, length), substituted };
}
