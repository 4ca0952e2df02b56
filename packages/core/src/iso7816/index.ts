/**
 * `@kakunin/core/iso7816`: APDU codec, status words, CardSession and the BER-TLV reader.
 *
 * @example
 * ```ts
 * import { CardSession, encodeCommand, TlvCursor } from '@kakunin/core/iso7816';
 * ```
 */
export {
  findTlv,
  MAX_TLV_HEADER_LENGTH,
  parseTlvHeader,
  TlvCursor,
  type TlvCursorOptions,
  type TlvErrorReason,
  type TlvHeader,
} from './ber-tlv.js';
export {
  CardSession,
  type CardSessionOptions,
  type Selection,
  selectionKey,
  type TransmitOptions,
} from './card-session.js';
export {
  CLA_CHAINING,
  type CommandApdu,
  type DecodedCommandApdu,
  decodeCommand,
  type EncodeOptions,
  EXTENDED_MAX_LC,
  EXTENDED_MAX_LE,
  encodeCommand,
  encodedCommandLength,
  HEADER_LENGTH,
  needsExtendedLength,
  SHORT_MAX_LC,
  SHORT_MAX_LE,
} from './command-apdu.js';
export { CLA, INS, SECRET_BEARING_INS } from './instructions.js';
export { encodeResponse, formatSw, parseResponse, type ResponseApdu } from './response-apdu.js';
export {
  describeSw,
  isSuccess,
  retryCounter,
  StatusWordError,
  type StatusWordErrorOptions,
  type StatusWordInfo,
  SW,
  SW1_BYTES_AVAILABLE,
  SW1_WRONG_LE,
  statusDetails,
  statusError,
} from './status-words.js';
export type { ApduTraceEvent, SessionTraceEvent, TraceEvent, TraceHook } from './trace.js';
