/**
 * Command APDU codec for ISO/IEC 7816-4 §5.1 (cases 1–4, short and extended length; ISO 7816-3
 * §12.1.3 for the decoding rules).
 *
 * Encoding a command the caller built wrong is a programming error: TypeError / RangeError naming
 * the argument. Decoding bytes from a peer is input: malformed bytes give a CardError
 * `APDU_MALFORMED` with the offending offset.
 *
 * @example
 * ```ts
 * const bytes = encodeCommand({ cla: 0x00, ins: 0xb0, p1: 0x00, p2: 0x00, le: 256 }); // 00 B0 00 00 00
 * const apdu = decodeCommand(bytes); // { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256, extended: false, … }
 * ```
 */
import { assertBytes } from '../transport/assert-bytes.js';
import { CardError } from '../transport/card-error.js';

/** Short Lc max (ISO 7816-4 §5.1: Lc 1..255 in one byte). */
export const SHORT_MAX_LC = 255;
/** Short Le max (Le byte 00 means 256). */
export const SHORT_MAX_LE = 256;
/** Extended Lc max (two bytes after a 00 marker). */
export const EXTENDED_MAX_LC = 65_535;
/** Extended Le max (Le 00 00 means 65 536). */
export const EXTENDED_MAX_LE = 65_536;
/** Header length: CLA INS P1 P2. */
export const HEADER_LENGTH = 4;
/** CLA bit for command chaining (ISO 7816-4 §5.4.1: b5 = 1 "not the last command of a chain"). */
export const CLA_CHAINING = 0x10;

export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  /** Command data (Nc = data.length); absent or empty for cases 1 and 2. */
  readonly data?: Uint8Array;
  /** Expected response length Ne (1..65536); absent for cases 1 and 3. */
  readonly le?: number;
}

export interface DecodedCommandApdu extends CommandApdu {
  readonly data: Uint8Array;
  readonly case: 1 | 2 | 3 | 4;
  readonly extended: boolean;
}

export interface EncodeOptions {
  /** `auto` (default): short when it fits, else extended. `true` forces extended, `false` forbids it. */
  readonly extended?: boolean | 'auto';
}

function assertByte(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new TypeError(`${name} must be an integer byte`);
  if (value < 0 || value > 0xff) throw new RangeError(`${name} must be 0..255, got ${value}`);
}

/** Whether an APDU with these lengths needs the extended form. */
export function needsExtendedLength(dataLength: number, le: number | undefined): boolean {
  return dataLength > SHORT_MAX_LC || (le !== undefined && le > SHORT_MAX_LE);
}

/**
 * Length in bytes of the encoded command: header, Lc field and data, Le field (ISO 7816-4 §5.1).
 *
 * @example
 * ```ts
 * encodedCommandLength(10, 256, false); // 4 + 1 + 10 + 1 = 16
 * ```
 */
export function encodedCommandLength(dataLength: number, le: number | undefined, extended: boolean): number {
  let length = HEADER_LENGTH;
  if (dataLength > 0) length += (extended ? 3 : 1) + dataLength;
  if (le !== undefined) length += extended ? (dataLength > 0 ? 2 : 3) : 1;
  return length;
}

/**
 * Encodes a command APDU. Returns a fresh buffer (callers may zero it after use).
 *
 * @example
 * ```ts
 * encodeCommand({ cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: aid });
 * encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 65536 }, { extended: true }); // 00 B0 00 00 00 00 00
 * ```
 */
export function encodeCommand(apdu: CommandApdu, options: EncodeOptions = {}): Uint8Array {
  if (typeof apdu !== 'object' || apdu === null) throw new TypeError('apdu must be an object');
  assertByte(apdu.cla, 'apdu.cla');
  assertByte(apdu.ins, 'apdu.ins');
  assertByte(apdu.p1, 'apdu.p1');
  assertByte(apdu.p2, 'apdu.p2');
  const data = apdu.data ?? new Uint8Array(0);
  assertBytes(data, 'apdu.data');
  const nc = data.length;
  if (nc > EXTENDED_MAX_LC)
    throw new RangeError(`apdu.data is ${nc} bytes; at most ${EXTENDED_MAX_LC} fit an APDU`);
  const le = apdu.le;
  if (le !== undefined) {
    if (!Number.isInteger(le)) throw new TypeError('apdu.le must be an integer');
    if (le < 1 || le > EXTENDED_MAX_LE)
      throw new RangeError(`apdu.le must be 1..${EXTENDED_MAX_LE}, got ${le}`);
  }
  const mode = options.extended ?? 'auto';
  const needed = needsExtendedLength(nc, le);
  if (mode === false && needed)
    throw new RangeError(`apdu needs extended length (Nc=${nc}, Ne=${le ?? 0}) but extended is disabled`);
  const extended = mode === true || (mode === 'auto' && needed);

  const out = new Uint8Array(encodedCommandLength(nc, le, extended));
  out[0] = apdu.cla;
  out[1] = apdu.ins;
  out[2] = apdu.p1;
  out[3] = apdu.p2;
  let offset = HEADER_LENGTH;
  if (nc > 0) {
    if (extended) {
      out[offset++] = 0x00;
      out[offset++] = nc >> 8;
      out[offset++] = nc & 0xff;
    } else {
      out[offset++] = nc;
    }
    out.set(data, offset);
    offset += nc;
  }
  if (le !== undefined) {
    if (extended) {
      if (nc === 0) out[offset++] = 0x00;
      const encoded = le === EXTENDED_MAX_LE ? 0 : le;
      out[offset++] = encoded >> 8;
      out[offset++] = encoded & 0xff;
    } else {
      out[offset++] = le === SHORT_MAX_LE ? 0 : le;
    }
  }
  return out;
}

function malformed(reason: string, offset: number, length: number): CardError {
  return new CardError(
    'APDU_MALFORMED',
    `command APDU malformed: ${reason} (offset ${offset}, ${length} bytes)`,
    {
      details: { reason, offset, length },
    },
  );
}

/** Builds the decoded form with one object shape (keeps V8 monomorphic). */
function decoded(
  bytes: Uint8Array,
  dataStart: number,
  dataEnd: number,
  le: number | undefined,
  apduCase: 1 | 2 | 3 | 4,
  extended: boolean,
): DecodedCommandApdu {
  const result: { -readonly [K in keyof DecodedCommandApdu]: DecodedCommandApdu[K] } = {
    cla: bytes[0]!,
    ins: bytes[1]!,
    p1: bytes[2]!,
    p2: bytes[3]!,
    data: bytes.subarray(dataStart, dataEnd),
    case: apduCase,
    extended,
  };
  if (le !== undefined) result.le = le;
  return result;
}

/**
 * Strictly decodes a command APDU (ISO 7816-3 §12.1.3). The returned `data` is a zero-copy view.
 * Anything that is not exactly one of the seven legal shapes is rejected with `APDU_MALFORMED`.
 *
 * @example
 * ```ts
 * decodeCommand(new Uint8Array([0x00, 0x20, 0x00, 0x80])); // case 1: retry-counter query
 * ```
 */
export function decodeCommand(bytes: Uint8Array): DecodedCommandApdu {
  assertBytes(bytes, 'bytes');
  const length = bytes.length;
  if (length < HEADER_LENGTH) throw malformed('shorter than the 4-byte header', length, length);
  if (length === HEADER_LENGTH) return decoded(bytes, 4, 4, undefined, 1, false);
  const b1 = bytes[4]!;
  if (length === 5) return decoded(bytes, 5, 5, b1 === 0 ? SHORT_MAX_LE : b1, 2, false);
  if (b1 !== 0) {
    if (length === 5 + b1) return decoded(bytes, 5, 5 + b1, undefined, 3, false);
    if (length === 6 + b1) {
      const le = bytes[5 + b1]!;
      return decoded(bytes, 5, 5 + b1, le === 0 ? SHORT_MAX_LE : le, 4, false);
    }
    throw malformed(`short Lc=${b1} disagrees with the body length`, 4, length);
  }
  // b1 === 0: extended form.
  if (length < 7) throw malformed('extended marker without a two-byte length', 5, length);
  const value = (bytes[5]! << 8) | bytes[6]!;
  if (length === 7) return decoded(bytes, 7, 7, value === 0 ? EXTENDED_MAX_LE : value, 2, true);
  if (value === 0) throw malformed('extended Lc of zero', 5, length);
  if (length === 7 + value) return decoded(bytes, 7, 7 + value, undefined, 3, true);
  if (length === 9 + value) {
    const le = (bytes[7 + value]! << 8) | bytes[8 + value]!;
    return decoded(bytes, 7, 7 + value, le === 0 ? EXTENDED_MAX_LE : le, 4, true);
  }
  throw malformed(`extended Lc=${value} disagrees with the body length`, 5, length);
}
