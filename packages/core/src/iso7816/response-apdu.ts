/**
 * Response APDU: data ‖ SW1 SW2 (ISO 7816-4 §5.1).
 *
 * @example
 * ```ts
 * const response = parseResponse(raw);
 * if (response.sw === SW.SUCCESS) use(response.data);
 * ```
 */
import { assertBytes } from '../transport/assert-bytes.js';
import { CardError } from '../transport/card-error.js';

export interface ResponseApdu {
  /** Response data, a view into the received bytes. */
  readonly data: Uint8Array;
  /** SW1 << 8 | SW2. */
  readonly sw: number;
  readonly sw1: number;
  readonly sw2: number;
}

/** Splits raw response bytes into data and status word (zero-copy). */
export function parseResponse(raw: Uint8Array): ResponseApdu {
  assertBytes(raw, 'raw');
  if (raw.length < 2) {
    throw new CardError('RESPONSE_MALFORMED', `response of ${raw.length} bytes has no status word`, {
      remedy: 'card.moved',
      details: { length: raw.length },
    });
  }
  const sw1 = raw[raw.length - 2]!;
  const sw2 = raw[raw.length - 1]!;
  return { data: raw.subarray(0, raw.length - 2), sw: (sw1 << 8) | sw2, sw1, sw2 };
}

/** Builds raw response bytes (used by the simulator and tests). */
export function encodeResponse(data: Uint8Array, sw: number): Uint8Array {
  assertBytes(data, 'data');
  if (!Number.isInteger(sw) || sw < 0 || sw > 0xffff) throw new RangeError(`sw must be 0..0xFFFF, got ${sw}`);
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}

/** Formats a status word as 4 upper-case hex digits. */
export function formatSw(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}
