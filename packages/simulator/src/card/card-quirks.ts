/**
 * Checks a {@link CardQuirks} value coming from outside (the CLI's `KAKUNIN_SIM_QUIRKS` JSON, a
 * test's options) and returns it typed; anything out of range is a RangeError naming the field.
 *
 * @example
 * ```ts
 * createVirtualCard('plastic', { quirks: parseCardQuirks(JSON.parse('{"getResponse":{"piece":100}}')) });
 * ```
 */
import type { CardQuirks } from './card-file.js';

/** Largest response a short APDU carries (ISO 7816-4 §5.1: Le 00 = 256). */
const MAX_SHORT_RESPONSE = 256;
const PROPRIETARY_GET_RESPONSE_SW = [0x6d00, 0x6e00] as const;
const END_OF_FILE = ['data-6282', 'wrong-le'] as const;
const KEYS = new Set(['getResponse', 'responseCap', 'endOfFile', 'emptyVerifyAnswers9000WhenVerified']);

function byteCount(value: unknown, name: string): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_SHORT_RESPONSE)
    throw new RangeError(`${name} must be an integer 1..${MAX_SHORT_RESPONSE}`);
  return value as number;
}

export function parseCardQuirks(value: unknown): CardQuirks {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError('quirks must be an object');
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) if (!KEYS.has(key)) throw new RangeError(`unknown quirk ${key}`);
  const out: {
    -readonly [K in keyof CardQuirks]: CardQuirks[K];
  } = {};
  if (input.getResponse !== undefined) {
    const getResponse = input.getResponse as Record<string, unknown>;
    if (typeof getResponse !== 'object' || getResponse === null)
      throw new TypeError('getResponse must be an object');
    const sw = getResponse.proprietaryClassSw;
    if (sw !== undefined && !(PROPRIETARY_GET_RESPONSE_SW as readonly unknown[]).includes(sw))
      throw new RangeError('getResponse.proprietaryClassSw must be 0x6D00 or 0x6E00');
    out.getResponse = {
      ...(getResponse.piece === undefined
        ? {}
        : { piece: byteCount(getResponse.piece, 'getResponse.piece') }),
      ...(sw === undefined ? {} : { proprietaryClassSw: sw as 0x6d00 | 0x6e00 }),
    };
  }
  if (input.responseCap !== undefined) out.responseCap = byteCount(input.responseCap, 'responseCap');
  if (input.endOfFile !== undefined) {
    if (!(END_OF_FILE as readonly unknown[]).includes(input.endOfFile))
      throw new RangeError(`endOfFile must be ${END_OF_FILE.join(' or ')}`);
    out.endOfFile = input.endOfFile as 'data-6282' | 'wrong-le';
  }
  if (input.emptyVerifyAnswers9000WhenVerified !== undefined) {
    if (typeof input.emptyVerifyAnswers9000WhenVerified !== 'boolean')
      throw new TypeError('emptyVerifyAnswers9000WhenVerified must be a boolean');
    out.emptyVerifyAnswers9000WhenVerified = input.emptyVerifyAnswers9000WhenVerified;
  }
  return out;
}
