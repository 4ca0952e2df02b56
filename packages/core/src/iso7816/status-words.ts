/**
 * Status-word catalogue (ISO 7816-4 §5.1.3 tables 5–6; JPKI observations from
 * ../shared/spec/jpki-card.md §8) and the typed error for a failed command.
 *
 * @example
 * ```ts
 * describeSw(0x6a82); // { code: 'FILE_NOT_FOUND', name: 'File or application not found' }
 * throw statusError(0x63c2, 0x20); // StatusWordError code VERIFICATION_FAILED, counter 2
 * ```
 */
import { CardError } from '../transport/card-error.js';
import type { Details, StatusDetails, StatusWordErrorCode } from '../transport/error-codes.js';
import type { RemedyKey } from '../transport/remedy-keys.js';
import { formatSw } from './response-apdu.js';

/** Named status words used by kakunin. */
export const SW = {
  SUCCESS: 0x9000,
  /** 62 82: end of file reached before Le bytes (jpki-card.md §8). */
  END_OF_FILE_WARNING: 0x6282,
  /** 63 00: verification failed, no counter (jpki-card.md §8: "no retry limit"). */
  VERIFICATION_FAILED_NO_COUNTER: 0x6300,
  /** 63 Cx base. */
  COUNTER_BASE: 0x63c0,
  EXECUTION_ERROR: 0x6400,
  MEMORY_FAILURE: 0x6581,
  WRONG_LENGTH: 0x6700,
  LOGICAL_CHANNEL_NOT_SUPPORTED: 0x6881,
  SECURE_MESSAGING_NOT_SUPPORTED: 0x6882,
  COMMAND_INCOMPATIBLE: 0x6981,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  AUTHENTICATION_METHOD_BLOCKED: 0x6983,
  REFERENCE_DATA_NOT_USABLE: 0x6984,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  COMMAND_NOT_ALLOWED: 0x6986,
  SM_DATA_MISSING: 0x6987,
  SM_DATA_INCORRECT: 0x6988,
  INCORRECT_DATA: 0x6a80,
  FUNCTION_NOT_SUPPORTED: 0x6a81,
  FILE_NOT_FOUND: 0x6a82,
  RECORD_NOT_FOUND: 0x6a83,
  NOT_ENOUGH_MEMORY: 0x6a84,
  INCORRECT_P1_P2: 0x6a86,
  REFERENCED_DATA_NOT_FOUND: 0x6a88,
  WRONG_P1_P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  NO_PRECISE_DIAGNOSIS: 0x6f00,
} as const;

/** SW1 of "SW2 more bytes available, use GET RESPONSE" (ISO 7816-4 §5.1.3). */
export const SW1_BYTES_AVAILABLE = 0x61;
/** SW1 of "wrong Le; SW2 is the exact length" (ISO 7816-4 §5.1.3). */
export const SW1_WRONG_LE = 0x6c;

/** Mask that keeps SW1 and the high nibble of SW2: `63 Cx` → `63 C0`. */
const COUNTER_MASK = 0xfff0;
/** Low nibble of SW2 in `63 Cx`: the counter. */
const COUNTER_VALUE = 0x0f;

/**
 * The one decoder of `63 Cx` (ISO 7816-4 §5.1.3 table 6; jpki-card.md §8): the retry counter x
 * (tries left), or undefined for any other status word.
 *
 * @example
 * ```ts
 * retryCounter(0x63c2); // 2
 * retryCounter(0x9000); // undefined
 * ```
 */
export function retryCounter(sw: number): number | undefined {
  return (sw & COUNTER_MASK) === SW.COUNTER_BASE ? sw & COUNTER_VALUE : undefined;
}

export interface StatusWordInfo {
  /** Stable error code a failure with this status carries (`SUCCESS`/warnings: see describeSw). */
  readonly code: StatusWordErrorCode;
  /** English name. */
  readonly name: string;
  readonly remedy?: RemedyKey;
}

const CATALOGUE = new Map<number, StatusWordInfo>([
  [SW.END_OF_FILE_WARNING, { code: 'END_OF_FILE', name: 'End of file reached before reading Le bytes' }],
  [
    SW.VERIFICATION_FAILED_NO_COUNTER,
    { code: 'VERIFICATION_FAILED', name: 'Verification failed (no retry counter)' },
  ],
  [
    SW.EXECUTION_ERROR,
    { code: 'EXECUTION_ERROR', name: 'Execution error, state of non-volatile memory unchanged' },
  ],
  [SW.MEMORY_FAILURE, { code: 'MEMORY_FAILURE', name: 'Memory failure', remedy: 'card.damaged' }],
  [SW.WRONG_LENGTH, { code: 'WRONG_LENGTH', name: 'Wrong length' }],
  [
    SW.LOGICAL_CHANNEL_NOT_SUPPORTED,
    { code: 'LOGICAL_CHANNEL_NOT_SUPPORTED', name: 'Logical channel not supported' },
  ],
  [
    SW.SECURE_MESSAGING_NOT_SUPPORTED,
    { code: 'SECURE_MESSAGING_NOT_SUPPORTED', name: 'Secure messaging not supported' },
  ],
  [
    SW.COMMAND_INCOMPATIBLE,
    { code: 'COMMAND_INCOMPATIBLE', name: 'Command incompatible with file structure' },
  ],
  [
    SW.SECURITY_STATUS_NOT_SATISFIED,
    { code: 'SECURITY_STATUS_NOT_SATISFIED', name: 'Security status not satisfied' },
  ],
  [
    SW.AUTHENTICATION_METHOD_BLOCKED,
    { code: 'AUTH_METHOD_BLOCKED', name: 'Authentication method blocked', remedy: 'pin.blocked' },
  ],
  [
    SW.REFERENCE_DATA_NOT_USABLE,
    {
      code: 'REFERENCE_DATA_NOT_USABLE',
      name: 'Reference data not usable (key blocked)',
      remedy: 'pin.blocked',
    },
  ],
  [
    SW.CONDITIONS_NOT_SATISFIED,
    { code: 'CONDITIONS_NOT_SATISFIED', name: 'Conditions of use not satisfied' },
  ],
  [SW.COMMAND_NOT_ALLOWED, { code: 'COMMAND_NOT_ALLOWED', name: 'Command not allowed (no current EF)' }],
  [SW.SM_DATA_MISSING, { code: 'SM_DATA_MISSING', name: 'Expected secure-messaging data objects missing' }],
  [SW.SM_DATA_INCORRECT, { code: 'SM_DATA_INCORRECT', name: 'Incorrect secure-messaging data objects' }],
  [SW.INCORRECT_DATA, { code: 'INCORRECT_DATA', name: 'Incorrect parameters in the data field' }],
  [SW.FUNCTION_NOT_SUPPORTED, { code: 'FUNCTION_NOT_SUPPORTED', name: 'Function not supported' }],
  [SW.FILE_NOT_FOUND, { code: 'FILE_NOT_FOUND', name: 'File or application not found' }],
  [SW.RECORD_NOT_FOUND, { code: 'RECORD_NOT_FOUND', name: 'Record not found' }],
  [SW.NOT_ENOUGH_MEMORY, { code: 'NOT_ENOUGH_MEMORY', name: 'Not enough memory space in the file' }],
  [SW.INCORRECT_P1_P2, { code: 'INCORRECT_P1_P2', name: 'Incorrect parameters P1-P2' }],
  [SW.REFERENCED_DATA_NOT_FOUND, { code: 'REFERENCED_DATA_NOT_FOUND', name: 'Referenced data not found' }],
  [SW.WRONG_P1_P2, { code: 'WRONG_P1_P2', name: 'Wrong parameters P1-P2 (offset beyond end of file)' }],
  [SW.INS_NOT_SUPPORTED, { code: 'INS_NOT_SUPPORTED', name: 'Instruction not supported' }],
  [SW.CLA_NOT_SUPPORTED, { code: 'CLA_NOT_SUPPORTED', name: 'Class not supported' }],
  [
    SW.NO_PRECISE_DIAGNOSIS,
    { code: 'NO_PRECISE_DIAGNOSIS', name: 'No precise diagnosis', remedy: 'card.damaged' },
  ],
]);

/**
 * Name and error code of a status word, including the patterned ones (61xx, 63Cx, 6Cxx). Statuses
 * that are not failures (90 00, 61xx, other warnings) have no code of their own: if one reaches a
 * caller as an error it is `APDU_STATUS`.
 *
 * @example
 * ```ts
 * describeSw(0x63c1).code; // 'VERIFICATION_FAILED'
 * ```
 */
export function describeSw(sw: number): StatusWordInfo {
  const known = CATALOGUE.get(sw);
  if (known !== undefined) return known;
  const sw1 = sw >> 8;
  if (sw === SW.SUCCESS) return { code: 'APDU_STATUS', name: 'Success' };
  if (sw1 === SW1_BYTES_AVAILABLE)
    return { code: 'APDU_STATUS', name: `${sw & 0xff || 256} bytes still available` };
  const counter = retryCounter(sw);
  if (counter !== undefined)
    return { code: 'VERIFICATION_FAILED', name: `Verification failed, counter ${counter}` };
  if (sw1 === SW1_WRONG_LE) return { code: 'WRONG_LE', name: `Wrong Le; exact length ${sw & 0xff || 256}` };
  if (sw1 === 0x62 || sw1 === 0x63) return { code: 'APDU_STATUS', name: 'Warning' };
  return { code: 'APDU_STATUS', name: 'Unrecognised status' };
}

/** True for 90 00 only. */
export function isSuccess(sw: number): boolean {
  return sw === SW.SUCCESS;
}

/**
 * The one scheme for naming a status word and its command in `details`: `sw` as four hex digits,
 * `ins` the instruction byte.
 *
 * @example
 * ```ts
 * statusDetails(0x6982, 0xb0); // { sw: '6982', ins: 0xb0 }
 * ```
 */
export function statusDetails(sw: number, ins: number): StatusDetails {
  return { sw: formatSw(sw), ins };
}

/** What a layer above adds to a status-word failure: its own message, remedy and facts. */
export interface StatusWordErrorOptions {
  readonly message?: string | undefined;
  readonly remedy?: RemedyKey | undefined;
  readonly details?: Details;
  readonly cause?: unknown;
}

/**
 * A command answered with a status other than success: the only class that carries a status-word
 * code. `sw` and `ins` are on the error and, as {@link statusDetails}, in `details`.
 */
export class StatusWordError extends CardError<StatusWordErrorCode> {
  readonly sw: number;
  readonly ins: number;
  /** For 63Cx: the retry counter; otherwise undefined. */
  readonly counter: number | undefined;

  constructor(sw: number, ins: number, options: string | StatusWordErrorOptions = {}) {
    const { message, remedy, details, cause } = typeof options === 'string' ? { message: options } : options;
    const info = describeSw(sw);
    const counter = retryCounter(sw);
    const chosenRemedy = remedy ?? info.remedy;
    super(
      info.code,
      message ?? `${info.name} (SW ${formatSw(sw)}, INS ${ins.toString(16).toUpperCase().padStart(2, '0')})`,
      {
        ...(chosenRemedy === undefined ? {} : { remedy: chosenRemedy }),
        ...(cause === undefined ? {} : { cause }),
        details: { ...details, ...statusDetails(sw, ins), ...(counter === undefined ? {} : { counter }) },
      },
    );
    this.name = 'StatusWordError';
    this.sw = sw;
    this.ins = ins;
    this.counter = counter;
  }
}

/**
 * The typed error for a status word returned to instruction `ins`.
 *
 * @example
 * ```ts
 * if (response.sw !== SW.SUCCESS) throw statusError(response.sw, INS.READ_BINARY);
 * ```
 */
export function statusError(sw: number, ins: number): StatusWordError {
  return new StatusWordError(sw, ins);
}
