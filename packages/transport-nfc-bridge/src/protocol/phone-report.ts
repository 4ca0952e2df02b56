/**
 * What the phone tells the PC about itself and its failures (docs/protocol.md §6.1, §7), and the
 * mapping of the FAQ's smartphone situations (seeds FAQ Q1 A1-1) to error codes and remedy keys.
 *
 * @example
 * ```ts
 * const report = phoneErrorFor('nfc-off'); // { code: 'SERVICE_UNAVAILABLE', remedy: 'nfc.off' }
 * ```
 */
import {
  CardError,
  type ErrorCode,
  isErrorCode,
  isRemedyKey,
  type RemedyKey,
  TransportErrorCode,
} from '@kakunin/core/transport';

/** The phone's capability report, sent inside the Noise handshake (docs/protocol.md §6.1). */
export interface PhoneCapabilities {
  /** Largest command the phone can transceive (Android `IsoDep.getMaxTransceiveLength()`, default 261). */
  readonly maxTransceiveLength: number;
  /** Largest response (data + SW) the phone returns. */
  readonly maxResponseLength: number;
  /** Extended-length APDUs pass (Android `isExtendedLengthApduSupported()`). */
  readonly extendedLength: boolean;
  /** The card time limit the phone applies when the PC names none (IsoDep `setTimeout`). */
  readonly transceiveTimeoutMs: number;
  /** The longest card time limit the phone can apply. */
  readonly maxTransceiveTimeoutMs: number;
  /** iOS: how long one NFC reader session may last (WWDC19 715: 60 s; reports of 20 s). */
  readonly readerSessionLimitMs?: number;
  /** iOS: AIDs declared in `select-identifiers` (upper-case hex); SELECT of any other fails. */
  readonly aidAllowList?: readonly string[];
}

/** HELLO: who the phone is and what it can do. */
export interface PhoneHello {
  readonly protocol: 1;
  readonly platform: 'android' | 'ios' | 'reference';
  /** Device label for people, e.g. "Pixel 8". Shown as the reader label. */
  readonly device?: string;
  /** App name and version. */
  readonly app?: string;
  readonly capabilities: PhoneCapabilities;
}

/** Situations a phone app detects, each mapped to a code and the FAQ's remedy.
 *
 * @example
 * ```ts
 * PHONE_SITUATIONS['nfc-off'].remedy; // 'nfc.off'
 * ```
 */
export const PHONE_SITUATIONS = {
  /** NFC (おサイフケータイ / Reader-Writer, P2P) switched off. */
  'nfc-off': { code: TransportErrorCode.SERVICE_UNAVAILABLE, remedy: 'nfc.off' },
  /** Airplane mode on (turns NFC off on many phones). */
  'airplane-mode': { code: TransportErrorCode.SERVICE_UNAVAILABLE, remedy: 'nfc.airplane-mode' },
  /** Location services off (required by the FAQ's reading app). */
  'location-off': { code: TransportErrorCode.SERVICE_UNAVAILABLE, remedy: 'nfc.location-off' },
  /** No NFC hardware, no IsoDep, or an OS without ISO 7816 tag reading. */
  'unsupported-device': { code: TransportErrorCode.NOT_SUPPORTED, remedy: 'nfc.unsupported-device' },
  /** A tag answered too weakly or intermittently: typical of a phone case. */
  'weak-field': { code: TransportErrorCode.CARD_UNRESPONSIVE, remedy: 'nfc.phone-case' },
  /** No tag / the card did not answer: place it at the phone's antenna. */
  'card-not-found': { code: TransportErrorCode.CARD_ABSENT, remedy: 'nfc.card-position' },
  /** Tag lost during a command (Android TagLostException, iOS "Tag connection lost"). */
  'tag-lost': { code: TransportErrorCode.CARD_REMOVED, remedy: 'nfc.moved' },
  /** The card took longer than the transceive time limit. */
  'transceive-timeout': { code: TransportErrorCode.TIMEOUT, remedy: 'nfc.moved' },
  /** The tag is not ISO-DEP / not a My Number card. */
  'not-iso-dep': { code: TransportErrorCode.CARD_UNRESPONSIVE, remedy: 'card.not-mynumber' },
  /** The command exceeds the phone's transceive length. */
  'command-too-long': { code: TransportErrorCode.COMMAND_TOO_LONG, remedy: 'nfc.unsupported-device' },
  /** iOS: SELECT of an AID missing from select-identifiers. */
  'aid-not-allowed': { code: TransportErrorCode.NOT_SUPPORTED, remedy: 'nfc.unsupported-device' },
  /** The iOS reader session ran out or was cancelled by the user. */
  'reader-session-ended': { code: TransportErrorCode.CARD_REMOVED, remedy: 'nfc.card-position' },
} as const satisfies Record<string, { code: TransportErrorCode; remedy: RemedyKey }>;
export type PhoneSituation = keyof typeof PHONE_SITUATIONS;

/** An error report from the phone (docs/protocol.md §7). */
export interface PhoneErrorReport {
  readonly code: string;
  readonly remedy?: RemedyKey;
  readonly situation?: PhoneSituation;
  readonly message?: string;
}

/** Codes a phone may report; anything else becomes IO. */
const PHONE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  TransportErrorCode.CARD_REMOVED,
  TransportErrorCode.CARD_ABSENT,
  TransportErrorCode.CARD_UNRESPONSIVE,
  TransportErrorCode.TIMEOUT,
  TransportErrorCode.IO,
  TransportErrorCode.NOT_SUPPORTED,
  TransportErrorCode.COMMAND_TOO_LONG,
  TransportErrorCode.SERVICE_UNAVAILABLE,
  TransportErrorCode.BUSY,
  TransportErrorCode.PROTOCOL,
]);

/** Remedy families a phone may name (its own situations, the card, the bridge). */
const PHONE_REMEDY_PREFIXES = ['nfc.', 'card.', 'bridge.', 'app.'];

/** Longest phone message kept (it reaches logs and UIs). */
const MAX_MESSAGE_LENGTH = 200;

/**
 * The report a phone sends for a situation.
 *
 * @example
 * ```ts
 * phoneErrorFor('tag-lost'); // { code: 'CARD_REMOVED', remedy: 'nfc.moved', situation: 'tag-lost' }
 * ```
 */
export function phoneErrorFor(situation: PhoneSituation, message?: string): PhoneErrorReport {
  const entry = PHONE_SITUATIONS[situation];
  if (entry === undefined) throw new RangeError(`situation: unknown ${String(situation)}`);
  return { code: entry.code, remedy: entry.remedy, situation, ...(message === undefined ? {} : { message }) };
}

/**
 * Turns a (validated) phone report into a CardError on the PC side. Unknown codes become IO,
 * remedies outside the phone's families are dropped, text is cleaned of control characters.
 *
 * @example
 * ```ts
 * throw cardErrorFromPhone({ code: 'CARD_REMOVED', remedy: 'nfc.moved' }, 'transmit');
 * ```
 */
export function cardErrorFromPhone(report: PhoneErrorReport, what: string): CardError {
  const code = isErrorCode(report.code) && PHONE_CODES.has(report.code) ? report.code : TransportErrorCode.IO;
  const remedy =
    report.remedy !== undefined && PHONE_REMEDY_PREFIXES.some((prefix) => report.remedy?.startsWith(prefix))
      ? report.remedy
      : undefined;
  const text = cleanText(report.message ?? '');
  return new CardError(code, `${what}: phone reported ${code}${text === '' ? '' : ` (${text})`}`, {
    ...(remedy === undefined ? {} : { remedy }),
    details: {
      source: 'phone',
      ...(report.situation === undefined ? {} : { situation: report.situation }),
    },
  });
}

/** Strips control characters and caps the length.
 *
 * @example
 * ```ts
 * cleanText('a\u0000b'); // 'a b'
 * ```
 */
export function cleanText(text: string, max = MAX_MESSAGE_LENGTH): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').slice(0, max);
}

/**
 * Maps a local CardError on the phone side (the relay's card transport) to a report.
 *
 * @example
 * ```ts
 * reportFromError(error); // CARD_REMOVED → { code: 'CARD_REMOVED', remedy: 'nfc.moved', ... }
 * ```
 */
export function reportFromError(error: unknown): PhoneErrorReport {
  if (CardError.isInstance(error)) {
    const situation = situationForCode(error.code);
    const remedy =
      error.remedy !== undefined && PHONE_REMEDY_PREFIXES.some((prefix) => error.remedy?.startsWith(prefix))
        ? error.remedy
        : situation === undefined
          ? undefined
          : PHONE_SITUATIONS[situation].remedy;
    return {
      code: PHONE_CODES.has(error.code) ? error.code : TransportErrorCode.IO,
      ...(remedy === undefined ? {} : { remedy }),
      ...(situation === undefined ? {} : { situation }),
      message: cleanText(error.message),
    };
  }
  return { code: TransportErrorCode.IO, message: 'card I/O failed' };
}

function situationForCode(code: string): PhoneSituation | undefined {
  switch (code) {
    case TransportErrorCode.CARD_REMOVED:
      return 'tag-lost';
    case TransportErrorCode.CARD_ABSENT:
      return 'card-not-found';
    case TransportErrorCode.CARD_UNRESPONSIVE:
      return 'weak-field';
    case TransportErrorCode.TIMEOUT:
      return 'transceive-timeout';
    case TransportErrorCode.COMMAND_TOO_LONG:
      return 'command-too-long';
    case TransportErrorCode.SERVICE_UNAVAILABLE:
      return 'nfc-off';
    default:
      return undefined;
  }
}

/** True for a valid remedy key from a peer.
 *
 * @example
 * ```ts
 * isPhoneRemedy('nfc.off'); // true
 * ```
 */
export function isPhoneRemedy(value: unknown): value is RemedyKey {
  return isRemedyKey(value) && PHONE_REMEDY_PREFIXES.some((prefix) => value.startsWith(prefix));
}
