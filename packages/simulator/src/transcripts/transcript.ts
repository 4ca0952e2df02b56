/**
 * APDU transcripts: a JSON file format for recorded card conversations, so a field bug can be
 * replayed in a test. Secret-bearing commands (VERIFY, CHANGE REFERENCE DATA, RESET RETRY
 * COUNTER, JICSAP CHANGE KEY — `SECRET_BEARING_INS` of `@kakunin/core/iso7816`) keep only their
 * header and Lc: the data is never written (its length is). Responses can be kept whole, or
 * reduced to their status words when they hold personal data that must not leave the site.
 *
 * ```json
 * { "format": "kakunin-apdu-transcript", "version": 1, "atr": "3be000ff8131fe4514",
 *   "entries": [
 *     { "type": "exchange", "command": "00a4040c0ad392f000260100000001", "response": "9000" },
 *     { "type": "exchange", "command": "0020008004", "redactedLength": 4, "response": "63c2" },
 *     { "type": "reset", "kind": "cold", "atr": "3be000ff8131fe4514" },
 *     { "type": "error", "command": "00b0000000", "error": { "code": "CARD_REMOVED", "message": "…" } } ] }
 * ```
 *
 * @example
 * ```ts
 * const text = serializeTranscript(recorder.transcript());
 * const again = parseTranscript(text); // validates; CardError TRANSCRIPT_MALFORMED on bad input
 * ```
 */
import { SECRET_BEARING_INS } from '@kakunin/core/iso7816';
import { bytesToHex, CardError, hexToBytes } from '@kakunin/core/transport';

/**
 * Format marker and version of the JSON file.
 *
 * @example
 * ```ts
 * transcript.format === TRANSCRIPT_FORMAT;
 * ```
 */
export const TRANSCRIPT_FORMAT = 'kakunin-apdu-transcript';
/**
 * Current transcript file version.
 *
 * @example
 * ```ts
 * transcript.version === TRANSCRIPT_VERSION;
 * ```
 */
export const TRANSCRIPT_VERSION = 1;
/** Header (4) + one Lc byte; extended Lc adds two. */
const SHORT_PREFIX = 5;
const EXTENDED_PREFIX = 7;

/**
 * One command and its response.
 *
 * @example
 * ```ts
 * const entry: ExchangeEntry = { type: 'exchange', command: '00a4040c', response: '9000' };
 * ```
 */
export interface ExchangeEntry {
  readonly type: 'exchange';
  /** Hex; for redacted commands only header ‖ Lc. */
  readonly command: string;
  /** Present when the data field was removed: its length. */
  readonly redactedLength?: number;
  /** Hex of the raw response (data ‖ SW), or only the SW when recorded with `responses: 'status-only'`. */
  readonly response: string;
  /** Response data length when only the SW was kept. */
  readonly responseDataLength?: number;
  readonly durationMs?: number;
}

/**
 * A reset and the ATR it returned.
 *
 * @example
 * ```ts
 * const entry: ResetEntry = { type: 'reset', kind: 'cold', atr: '3be000ff8131fe4514' };
 * ```
 */
export interface ResetEntry {
  readonly type: 'reset';
  readonly kind: 'cold' | 'warm';
  readonly atr: string;
}

/**
 * A transmit that failed, with the error code.
 *
 * @example
 * ```ts
 * const entry: ErrorEntry = { type: 'error', command: '00b00000', error: { code: 'CARD_REMOVED', message: 'gone' } };
 * ```
 */
export interface ErrorEntry {
  readonly type: 'error';
  readonly command: string;
  readonly redactedLength?: number;
  readonly error: { readonly code: string; readonly message: string };
}

/**
 * One transcript entry.
 *
 * @example
 * ```ts
 * for (const entry of transcript.entries) if (entry.type === 'reset') console.log(entry.kind);
 * ```
 */
export type TranscriptEntry = ExchangeEntry | ResetEntry | ErrorEntry;

/**
 * A recorded conversation.
 *
 * @example
 * ```ts
 * const transcript: Transcript = recorder.transcript();
 * ```
 */
export interface Transcript {
  readonly format: typeof TRANSCRIPT_FORMAT;
  readonly version: typeof TRANSCRIPT_VERSION;
  readonly atr: string;
  readonly transport?: string;
  readonly description?: string;
  readonly recordedAt?: string;
  readonly entries: readonly TranscriptEntry[];
}

/**
 * A command as it may be stored: secrets cut off after Lc.
 *
 * @example
 * ```ts
 * redactCommand(command).redactedLength;
 * ```
 */
export interface RedactedCommand {
  readonly command: string;
  readonly redactedLength?: number;
}

function malformed(message: string): CardError {
  return new CardError('TRANSCRIPT_MALFORMED', `transcript: ${message}`);
}

/**
 * Hex of `command` with the data of secret-bearing instructions removed (header ‖ Lc kept).
 *
 * @example
 * ```ts
 * redactCommand(hexToBytes('002000800431323334')); // { command: '0020008004', redactedLength: 4 }
 * ```
 */
export function redactCommand(command: Uint8Array): RedactedCommand {
  if (command.length > SHORT_PREFIX && SECRET_BEARING_INS.has(command[1]!)) {
    const extended = command[4] === 0x00 && command.length >= EXTENDED_PREFIX;
    const prefix = extended ? EXTENDED_PREFIX : SHORT_PREFIX;
    const length = extended ? (command[5]! << 8) | command[6]! : command[4]!;
    return { command: bytesToHex(command.subarray(0, prefix)), redactedLength: length };
  }
  return { command: bytesToHex(command) };
}

/**
 * True when a live command is the one a (possibly redacted) entry recorded.
 *
 * @example
 * ```ts
 * commandMatches({ command: '0020009804', redactedLength: 4 }, command); // any 4-byte PIN
 * ```
 */
export function commandMatches(entry: RedactedCommand, command: Uint8Array): boolean {
  const live = redactCommand(command);
  return live.command === entry.command.toLowerCase() && live.redactedLength === entry.redactedLength;
}

/**
 * Pretty JSON (two-space indent, one entry per line block).
 *
 * @example
 * ```ts
 * await writeFile('t.json', serializeTranscript(recorder.transcript()));
 * ```
 */
export function serializeTranscript(transcript: Transcript): string {
  return `${JSON.stringify(transcript, null, 2)}\n`;
}

function isHex(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    hexToBytes(value);
    return true;
  } catch {
    return false;
  }
}

function checkEntry(entry: unknown, index: number): TranscriptEntry {
  if (typeof entry !== 'object' || entry === null) throw malformed(`entries[${index}] is not an object`);
  const record = entry as Record<string, unknown>;
  const optionalLength = (name: string): void => {
    const value = record[name];
    if (value !== undefined && (!Number.isInteger(value) || (value as number) < 0)) {
      throw malformed(`entries[${index}].${name} must be a non-negative integer`);
    }
  };
  switch (record.type) {
    case 'exchange':
      if (!isHex(record.command) || (record.command as string).length < 8) {
        throw malformed(`entries[${index}].command must be hex of at least 4 bytes`);
      }
      if (!isHex(record.response) || (record.response as string).length < 4) {
        throw malformed(`entries[${index}].response must be hex of at least 2 bytes`);
      }
      optionalLength('redactedLength');
      optionalLength('responseDataLength');
      return record as unknown as ExchangeEntry;
    case 'reset':
      if (record.kind !== 'cold' && record.kind !== 'warm')
        throw malformed(`entries[${index}].kind must be cold|warm`);
      if (!isHex(record.atr)) throw malformed(`entries[${index}].atr must be hex`);
      return record as unknown as ResetEntry;
    case 'error': {
      if (!isHex(record.command)) throw malformed(`entries[${index}].command must be hex`);
      optionalLength('redactedLength');
      const error = record.error as Record<string, unknown> | undefined;
      if (
        typeof error !== 'object' ||
        error === null ||
        typeof error.code !== 'string' ||
        typeof error.message !== 'string'
      ) {
        throw malformed(`entries[${index}].error must have code and message strings`);
      }
      return record as unknown as ErrorEntry;
    }
    default:
      throw malformed(`entries[${index}].type must be exchange|reset|error`);
  }
}

/**
 * Parses and validates a transcript file's text.
 *
 * @example
 * ```ts
 * const transcript = parseTranscript(await readFile('field-bug.json', 'utf8'));
 * ```
 */
export function parseTranscript(text: string): Transcript {
  if (typeof text !== 'string') throw new TypeError('text must be a string');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CardError('TRANSCRIPT_MALFORMED', 'transcript: not JSON', { cause: error });
  }
  if (typeof value !== 'object' || value === null) throw malformed('not an object');
  const record = value as Record<string, unknown>;
  if (record.format !== TRANSCRIPT_FORMAT) throw malformed(`format must be ${TRANSCRIPT_FORMAT}`);
  if (record.version !== TRANSCRIPT_VERSION) throw malformed(`unsupported version ${String(record.version)}`);
  if (!isHex(record.atr)) throw malformed('atr must be hex');
  if (!Array.isArray(record.entries)) throw malformed('entries must be an array');
  const entries = record.entries.map(checkEntry);
  return { ...(record as unknown as Transcript), entries };
}
