/**
 * PIN references, formats and safe handling (jpki-card.md §8). A PIN is validated before anything
 * is sent, encoded into a private buffer, and that buffer is zeroed after use. Strings cannot be
 * wiped in JavaScript; pass a Uint8Array when you can (it is zeroed too).
 *
 * @example
 * ```ts
 * const encoded = encodePin('sign', 'kakunin1'); // upper-cased: "KAKUNIN1"
 * try { await send(encoded); } finally { encoded.fill(0); }
 * ```
 */
import { CardError } from '../transport/card-error.js';
import { AID, type ElementaryFile, FACE_EF, JPKI_EF, TEXT_EF } from './constants.js';

/** Every PIN-like credential of the card. */
export type PinKey = 'auth' | 'sign' | 'text' | 'textA' | 'textB' | 'faceA' | 'faceB' | 'faceBirth';

export interface PinSpec {
  readonly key: PinKey;
  readonly aid: Uint8Array;
  readonly ef: ElementaryFile;
  readonly minLength: number;
  readonly maxLength: number;
  /** A–Z allowed besides 0–9 (and lower case is upper-cased). */
  readonly letters: boolean;
  /** Retry limit when documented (jpki-card.md §8); undefined where unsettled. */
  readonly maxTries: number | undefined;
  readonly description: string;
}

/** PIN specifications (jpki-card.md §3.1, §4, §5.1, §8). */
export const PIN_SPECS: Readonly<Record<PinKey, PinSpec>> = {
  auth: {
    key: 'auth',
    aid: AID.JPKI,
    ef: JPKI_EF.AUTH_PIN,
    minLength: 4,
    maxLength: 4,
    letters: false,
    maxTries: 3,
    description: '利用者証明用暗証番号 (4 digits)',
  },
  sign: {
    key: 'sign',
    aid: AID.JPKI,
    ef: JPKI_EF.SIGN_PIN,
    minLength: 6,
    maxLength: 16,
    letters: true,
    maxTries: 5,
    description: '署名用パスワード (6–16 A–Z 0–9)',
  },
  text: {
    key: 'text',
    aid: AID.TEXT,
    ef: TEXT_EF.PIN,
    minLength: 4,
    maxLength: 4,
    letters: false,
    maxTries: 3,
    description: '券面事項入力補助用暗証番号 (4 digits)',
  },
  textA: {
    key: 'textA',
    aid: AID.TEXT,
    ef: TEXT_EF.PIN_A,
    minLength: 12,
    maxLength: 12,
    letters: false,
    maxTries: undefined,
    description: '照合番号A (12 digits)',
  },
  textB: {
    key: 'textB',
    aid: AID.TEXT,
    ef: TEXT_EF.PIN_B,
    minLength: 14,
    maxLength: 14,
    letters: false,
    maxTries: undefined,
    description: '照合番号B (14 digits)',
  },
  faceA: {
    key: 'faceA',
    aid: AID.FACE,
    ef: FACE_EF.PIN_A,
    minLength: 12,
    maxLength: 12,
    letters: false,
    maxTries: undefined,
    description: '照合番号A (12 digits)',
  },
  faceB: {
    key: 'faceB',
    aid: AID.FACE,
    ef: FACE_EF.PIN_B,
    minLength: 14,
    maxLength: 14,
    letters: false,
    maxTries: undefined,
    description: '照合番号B (14 digits)',
  },
  faceBirth: {
    key: 'faceBirth',
    aid: AID.FACE,
    ef: FACE_EF.BIRTH_KEY,
    minLength: 6,
    maxLength: 6,
    letters: false,
    maxTries: undefined,
    description: 'birth-date key (6 digits, era YYMMDD)',
  },
};

/** ASCII 'a'..'z' → 'A'..'Z' offset. */
const LOWER_TO_UPPER = 0x20;

/**
 * Validates and encodes a PIN into a fresh ASCII buffer. The caller must zero the result.
 * A Uint8Array input is zeroed here once copied. Throws PIN_FORMAT (never echoing the PIN).
 */
export function encodePin(key: PinKey, pin: string | Uint8Array): Uint8Array {
  const spec = PIN_SPECS[key];
  if (spec === undefined) throw new RangeError(`unknown PIN key ${String(key)}`);
  let encoded: Uint8Array;
  if (typeof pin === 'string') {
    encoded = new Uint8Array(pin.length);
    for (let index = 0; index < pin.length; index++) {
      const code = pin.charCodeAt(index);
      encoded[index] = code > 0x7f ? 0xff : code;
    }
  } else if (pin instanceof Uint8Array) {
    encoded = Uint8Array.from(pin);
    pin.fill(0);
  } else {
    throw new TypeError('pin must be a string or a Uint8Array');
  }
  if (spec.letters) {
    for (let index = 0; index < encoded.length; index++) {
      const byte = encoded[index]!;
      if (byte >= 0x61 && byte <= 0x7a) encoded[index] = byte - LOWER_TO_UPPER;
    }
  }
  if (!matches(spec, encoded)) {
    const length = encoded.length;
    encoded.fill(0);
    throw new CardError(
      'PIN_FORMAT',
      `${spec.description}: the value has the wrong format (${length} characters given)`,
      {
        remedy: 'pin.format',
        details: { key, length },
      },
    );
  }
  return encoded;
}

/** Checks length and character class byte by byte, without building a string of the PIN. */
function matches(spec: PinSpec, encoded: Uint8Array): boolean {
  if (encoded.length < spec.minLength || encoded.length > spec.maxLength) return false;
  for (const byte of encoded) {
    const digit = byte >= 0x30 && byte <= 0x39;
    const letter = byte >= 0x41 && byte <= 0x5a;
    if (!digit && !(spec.letters && letter)) return false;
  }
  return true;
}
