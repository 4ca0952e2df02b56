/**
 * Every stable error code of kakunin, one closed union ({@link ErrorCode}) built from one table per
 * layer. `CardError.code` is typed with it, so `switch (error.code)` is exhaustive in TypeScript and
 * `details` is typed per code ({@link ErrorDetailsMap}). What each code means and what staff should do
 * about it is the table in `@kakunin/core/remedies` (docs/errors.md is generated from it).
 *
 * Codes are plain strings so they survive JSON. Naming: `<THING>_MALFORMED` / `<THING>_TRUNCATED`
 * for input that does not parse, `<THING>_ABSENT` for something the card does not hold, the ISO 7816-4
 * name for a status word.
 */

/** Transport layer: the link to the reader and the card (architecture.md §3). */
export const TransportErrorCode = {
  /** No PC/SC service / Bluetooth stack / bridge listener is reachable. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** The service runs but no reader is attached. */
  NO_READERS: 'NO_READERS',
  /** The named reader does not exist (any more). */
  READER_NOT_FOUND: 'READER_NOT_FOUND',
  /** The reader exists but cannot be used right now (unplugged during use, driver problem). */
  READER_UNAVAILABLE: 'READER_UNAVAILABLE',
  /** Another process holds the card exclusively. */
  SHARING_VIOLATION: 'SHARING_VIOLATION',
  /** No card in the reader. */
  CARD_ABSENT: 'CARD_ABSENT',
  /** The card left the reader while connected or mid-command. */
  CARD_REMOVED: 'CARD_REMOVED',
  /** The card is present but not powered (reset or power-down by someone else). */
  CARD_UNPOWERED: 'CARD_UNPOWERED',
  /** The card does not answer (wrong way round, damaged chip, poor contact). */
  CARD_UNRESPONSIVE: 'CARD_UNRESPONSIVE',
  /** A second transmit while one is in flight. */
  BUSY: 'BUSY',
  /** The operation did not finish within its time limit. */
  TIMEOUT: 'TIMEOUT',
  /** The caller aborted the operation (AbortSignal). */
  ABORTED: 'ABORTED',
  /** Any other I/O failure of the link. */
  IO: 'IO',
  /** The transport or provider was already closed. */
  CLOSED: 'CLOSED',
  /** A wireless link (BLE, bridge) was lost mid-operation. */
  LINK_LOST: 'LINK_LOST',
  /** The peer broke the framing protocol (bad checksum, bad length, bad MAC). */
  PROTOCOL: 'PROTOCOL',
  /** The operation is not supported by this transport (e.g. control codes over BLE). */
  NOT_SUPPORTED: 'NOT_SUPPORTED',
  /** A command longer than the transport can carry. */
  COMMAND_TOO_LONG: 'COMMAND_TOO_LONG',
  /** Bluetooth is switched off. */
  BLUETOOTH_OFF: 'BLUETOOTH_OFF',
  /** The OS denied Bluetooth/location permission. */
  BLUETOOTH_UNAUTHORIZED: 'BLUETOOTH_UNAUTHORIZED',
  /** The BLE reader rejected the mutual authentication (wrong master key). */
  READER_AUTH_FAILED: 'READER_AUTH_FAILED',
  /** The BLE reader is asleep or in USB mode. */
  READER_ASLEEP: 'READER_ASLEEP',
  /** The bridge peer failed authentication, replayed or tampered with a frame. */
  PEER_REJECTED: 'PEER_REJECTED',
} as const;
export type TransportErrorCode = (typeof TransportErrorCode)[keyof typeof TransportErrorCode];

/**
 * A command answered with a status word other than 90 00 (ISO 7816-4 §5.1.3 tables 5–6). Thrown
 * only as `StatusWordError` (`@kakunin/core/iso7816`), whose `details` are {@link StatusDetails}.
 */
export const StatusWordErrorCode = {
  /** 62 82: end of file reached before Le bytes. */
  END_OF_FILE: 'END_OF_FILE',
  /** 63 00 / 63 Cx: verification failed (`details.counter` = tries left for 63 Cx). */
  VERIFICATION_FAILED: 'VERIFICATION_FAILED',
  /** 64 00. */
  EXECUTION_ERROR: 'EXECUTION_ERROR',
  /** 65 81. */
  MEMORY_FAILURE: 'MEMORY_FAILURE',
  /** 67 00. */
  WRONG_LENGTH: 'WRONG_LENGTH',
  /** 68 81. */
  LOGICAL_CHANNEL_NOT_SUPPORTED: 'LOGICAL_CHANNEL_NOT_SUPPORTED',
  /** 68 82. */
  SECURE_MESSAGING_NOT_SUPPORTED: 'SECURE_MESSAGING_NOT_SUPPORTED',
  /** 69 81. */
  COMMAND_INCOMPATIBLE: 'COMMAND_INCOMPATIBLE',
  /** 69 82: the card wants a PIN first. */
  SECURITY_STATUS_NOT_SATISFIED: 'SECURITY_STATUS_NOT_SATISFIED',
  /** 69 83. */
  AUTH_METHOD_BLOCKED: 'AUTH_METHOD_BLOCKED',
  /** 69 84: the reference data (key, PIN) is blocked. */
  REFERENCE_DATA_NOT_USABLE: 'REFERENCE_DATA_NOT_USABLE',
  /** 69 85. */
  CONDITIONS_NOT_SATISFIED: 'CONDITIONS_NOT_SATISFIED',
  /** 69 86. */
  COMMAND_NOT_ALLOWED: 'COMMAND_NOT_ALLOWED',
  /** 69 87. */
  SM_DATA_MISSING: 'SM_DATA_MISSING',
  /** 69 88. */
  SM_DATA_INCORRECT: 'SM_DATA_INCORRECT',
  /** 6A 80. */
  INCORRECT_DATA: 'INCORRECT_DATA',
  /** 6A 81. */
  FUNCTION_NOT_SUPPORTED: 'FUNCTION_NOT_SUPPORTED',
  /** 6A 82: file or application not found. */
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
  /** 6A 83. */
  RECORD_NOT_FOUND: 'RECORD_NOT_FOUND',
  /** 6A 84. */
  NOT_ENOUGH_MEMORY: 'NOT_ENOUGH_MEMORY',
  /** 6A 86. */
  INCORRECT_P1_P2: 'INCORRECT_P1_P2',
  /** 6A 88. */
  REFERENCED_DATA_NOT_FOUND: 'REFERENCED_DATA_NOT_FOUND',
  /** 6B 00. */
  WRONG_P1_P2: 'WRONG_P1_P2',
  /** 6C xx: wrong Le (the session normally retries with the exact length itself). */
  WRONG_LE: 'WRONG_LE',
  /** 6D 00. */
  INS_NOT_SUPPORTED: 'INS_NOT_SUPPORTED',
  /** 6E 00. */
  CLA_NOT_SUPPORTED: 'CLA_NOT_SUPPORTED',
  /** 6F 00. */
  NO_PRECISE_DIAGNOSIS: 'NO_PRECISE_DIAGNOSIS',
  /** Any other status word, including a warning (62xx/63xx) or a 61xx the caller did not expect. */
  APDU_STATUS: 'APDU_STATUS',
} as const;
export type StatusWordErrorCode = (typeof StatusWordErrorCode)[keyof typeof StatusWordErrorCode];

/** ISO 7816 engine: APDU and BER-TLV codecs, the card session. */
export const Iso7816ErrorCode = {
  /** A command APDU that cannot be encoded or decoded (bad lengths, Lc/Le out of range). */
  APDU_MALFORMED: 'APDU_MALFORMED',
  /** A response shorter than its status word. */
  RESPONSE_MALFORMED: 'RESPONSE_MALFORMED',
  /** A response longer than the session's cap, or an endless 61xx chain. */
  RESPONSE_TOO_LARGE: 'RESPONSE_TOO_LARGE',
  /** BER-TLV data that ends inside a tag, length or value. */
  TLV_TRUNCATED: 'TLV_TRUNCATED',
  /** BER-TLV data that is not well formed (indefinite or over-long length, over-long tag). */
  TLV_MALFORMED: 'TLV_MALFORMED',
} as const;
export type Iso7816ErrorCode = (typeof Iso7816ErrorCode)[keyof typeof Iso7816ErrorCode];

/** The JPKI and card-info applets of the My Number Card. */
export const JpkiErrorCode = {
  /** The card does not hold the JPKI applet: not a My Number Card. */
  NOT_A_MYNUMBER_CARD: 'NOT_A_MYNUMBER_CARD',
  /** A file the applet should hold is not on this card. */
  FILE_ABSENT: 'FILE_ABSENT',
  /** A file's content does not have the expected structure. */
  FILE_MALFORMED: 'FILE_MALFORMED',
  /** The card returned fewer bytes than the file's header announced. */
  FILE_TRUNCATED: 'FILE_TRUNCATED',
  /** The card holds no signing certificate (e.g. issued to a child). */
  CERT_ABSENT: 'CERT_ABSENT',
  /** The certificate read from the card is not usable (e.g. its key is not RSA). */
  CERT_MALFORMED: 'CERT_MALFORMED',
  /** The PIN (or its key) is not on this card. */
  PIN_ABSENT: 'PIN_ABSENT',
  /** The PIN has the wrong length or characters; nothing was sent to the card. */
  PIN_FORMAT: 'PIN_FORMAT',
  /** The card rejected the PIN (`details.triesLeft`). */
  PIN_INCORRECT: 'PIN_INCORRECT',
  /** The PIN is blocked; it must be reset at the municipal office. */
  PIN_BLOCKED: 'PIN_BLOCKED',
  /** One try is left and the caller did not allow spending it. */
  LAST_TRY_REFUSED: 'LAST_TRY_REFUSED',
  /** The card was issued without this PIN (顔認証マイナンバーカード); nothing was sent to the card. */
  PIN_NOT_SET: 'PIN_NOT_SET',
  /** The card's signature does not verify under its own certificate. */
  SIGNATURE_INVALID: 'SIGNATURE_INVALID',
} as const;
export type JpkiErrorCode = (typeof JpkiErrorCode)[keyof typeof JpkiErrorCode];

/** Stable error codes of `@kakunin/core/der`. */
export const DerErrorCode = {
  /** The input ends inside a header or a value (truncation or a length that lies). */
  DER_TRUNCATED: 'DER_TRUNCATED',
  /** Not strict DER: non-minimal length or integer, indefinite length, wrong tag, trailing bytes… */
  DER_MALFORMED: 'DER_MALFORMED',
} as const;
export type DerErrorCode = (typeof DerErrorCode)[keyof typeof DerErrorCode];

/** Stable codes of `@kakunin/core/x509` failures. */
export const X509ErrorCode = {
  /** Well-formed DER that is not a valid X.509 structure (or exceeds a size cap). */
  X509_MALFORMED: 'X509_MALFORMED',
  /** The certificate (or its anchor) is past notAfter at the validation time. */
  CERT_EXPIRED: 'CERT_EXPIRED',
  /** The certificate (or its anchor) is before notBefore at the validation time. */
  CERT_NOT_YET_VALID: 'CERT_NOT_YET_VALID',
  /** No trust anchor verifies the chain (wrong issuer, bad signature, unknown root). */
  CHAIN_UNTRUSTED: 'CHAIN_UNTRUSTED',
  /**
   * Issued under J-LIS's name by a root generation that is not installed (e.g. the 2019 roots):
   * the message names the generation and the file to install (`kakunin trust add`).
   */
  TRUST_ANCHOR_MISSING: 'TRUST_ANCHOR_MISSING',
  /**
   * Path building gave up: the candidate-step or signature-check budget ran out (adversarial
   * bundles of same-named, cross-signing CAs). Bounded time and memory; no path was found.
   */
  PATH_BUILDING_LIMIT: 'PATH_BUILDING_LIMIT',
  /** The certificate is on a valid CRL or the revocation source says so. */
  REVOKED: 'REVOKED',
  /** Revocation status could not be established (never reported as GOOD). */
  REVOCATION_UNKNOWN: 'REVOCATION_UNKNOWN',
  /** The certificate is not acceptable for the requested purpose or profile. */
  PROFILE_VIOLATION: 'PROFILE_VIOLATION',
  /** Algorithm or key outside the accepted set (e.g. SHA-1, RSA-1024, DSA, P-192). */
  UNSUPPORTED_ALGORITHM: 'UNSUPPORTED_ALGORITHM',
  /**
   * A certificate / CRL / root file input was refused before parsing: larger than its cap
   * (checked while reading) or not a regular file (device, FIFO, directory). The CLI maps it to
   * exit 2 (bad input, not a card problem).
   */
  INPUT_REJECTED: 'INPUT_REJECTED',
  /** Summary code for a failed validation (the CLI maps it to exit 6). */
  VALIDATION_FAILED: 'VALIDATION_FAILED',
} as const;
export type X509ErrorCode = (typeof X509ErrorCode)[keyof typeof X509ErrorCode];

/** Recorded APDU transcripts (`@kakunin/simulator/transcripts`): test tooling, never a card. */
export const TranscriptErrorCode = {
  /** The transcript file does not parse or violates its schema. */
  TRANSCRIPT_MALFORMED: 'TRANSCRIPT_MALFORMED',
  /** A replay received a command the transcript does not have next. */
  TRANSCRIPT_MISMATCH: 'TRANSCRIPT_MISMATCH',
  /** A replay received more commands than the transcript holds. */
  TRANSCRIPT_EXHAUSTED: 'TRANSCRIPT_EXHAUSTED',
  /** A replay closed before every recorded command was sent. */
  TRANSCRIPT_INCOMPLETE: 'TRANSCRIPT_INCOMPLETE',
  /** A replay reached an exchange whose bytes were redacted (PIN, signature input). */
  TRANSCRIPT_REDACTED: 'TRANSCRIPT_REDACTED',
} as const;
export type TranscriptErrorCode = (typeof TranscriptErrorCode)[keyof typeof TranscriptErrorCode];

/** Every code, by layer (the order docs/errors.md uses). */
export const ERROR_CODE_LAYERS = {
  transport: TransportErrorCode,
  'status-word': StatusWordErrorCode,
  iso7816: Iso7816ErrorCode,
  jpki: JpkiErrorCode,
  der: DerErrorCode,
  x509: X509ErrorCode,
  transcript: TranscriptErrorCode,
} as const;
export type ErrorLayer = keyof typeof ERROR_CODE_LAYERS;

/** The closed union of every code a `CardError` can carry. */
export type ErrorCode =
  | TransportErrorCode
  | StatusWordErrorCode
  | Iso7816ErrorCode
  | JpkiErrorCode
  | DerErrorCode
  | X509ErrorCode
  | TranscriptErrorCode;

/** Every code, in layer order. */
export const ERROR_CODES: readonly ErrorCode[] = Object.values(ERROR_CODE_LAYERS).flatMap(
  (table) => Object.values(table) as ErrorCode[],
);

/** Type guard for codes that came from JSON or a bridge peer. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** A JSON-able detail value. */
export type DetailValue = string | number | boolean | null;
/** The open part of every code's details: more JSON-able facts for logs (never a PIN). */
export type Details = Readonly<Record<string, DetailValue>>;

/**
 * How every status-word failure names its status and command: `sw` as four hex digits (`'6A82'`),
 * `ins` the instruction byte as a number.
 */
export interface StatusDetails {
  readonly sw: string;
  readonly ins: number;
}

type PinKey = { readonly key: string };

/** The typed part of `details` per code; codes not listed carry {@link Details} only. */
export interface KnownDetails {
  readonly VERIFICATION_FAILED: StatusDetails & { readonly counter?: number };
  readonly PIN_INCORRECT: PinKey & { readonly triesLeft: number };
  readonly PIN_BLOCKED: PinKey & { readonly triesLeft: number };
  readonly LAST_TRY_REFUSED: PinKey & { readonly triesLeft: number };
  readonly PIN_FORMAT: PinKey & { readonly length: number };
  readonly PIN_ABSENT: PinKey;
  readonly PIN_NOT_SET: PinKey;
  readonly DER_TRUNCATED: { readonly reason: string; readonly offset: number };
  readonly DER_MALFORMED: { readonly reason: string; readonly offset: number };
  readonly TLV_TRUNCATED: { readonly reason: string; readonly offset: number };
  readonly TLV_MALFORMED: { readonly reason: string; readonly offset: number };
  readonly X509_MALFORMED: { readonly reason: string; readonly offset?: number };
  readonly INPUT_REJECTED: { readonly path: string; readonly reason: 'too-large' | 'not-a-file' };
}

/** `details` of a CardError with code `C`. */
export type ErrorDetails<C extends ErrorCode = ErrorCode> = C extends keyof KnownDetails
  ? KnownDetails[C] & Details
  : C extends StatusWordErrorCode
    ? StatusDetails & Details
    : Details;
