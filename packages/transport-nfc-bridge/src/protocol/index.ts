/**
 * `@kakunin/transport-nfc-bridge/protocol`: the bridge's wire format (docs/protocol.md) for phone
 * apps written in other code and for test tools: constants, frames, messages, the pairing URL,
 * phone situation reports and the short authentication string both ends show.
 *
 * @example
 * ```ts
 * import { decodeMessage, parsePairingUrl } from '@kakunin/transport-nfc-bridge/protocol';
 * const fields = parsePairingUrl(scannedText);
 * ```
 */
export { shortAuthenticationString } from '../noise/short-authentication-string.js';
export { decodeBase64Url, encodeBase64Url } from './base64url.js';
export {
  type BridgeMessage,
  type CardInsertInfo,
  decodeMessage,
  encodeMessage,
  MessageType,
  type PhoneStatus,
  type SessionWelcome,
  validateHello,
} from './bridge-messages.js';
export {
  type DecodedFrame,
  decodeFrame,
  encodeHandshakeInit,
  encodeHandshakeResponse,
  encodeTransportHeader,
} from './frame-codec.js';
export {
  formatPairingUrl,
  MAX_PAIRING_URL_LENGTH,
  type PairingUrlFields,
  parsePairingUrl,
  webSocketUrl,
} from './pairing-url.js';
export {
  PHONE_SITUATIONS,
  type PhoneCapabilities,
  type PhoneErrorReport,
  type PhoneHello,
  type PhoneSituation,
  phoneErrorFor,
  reportFromError,
} from './phone-report.js';
export {
  CloseCode,
  DEFAULT_CARD_TIMEOUT_MS,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_PAIRING_TIMEOUT_MS,
  DEFAULT_SESSION_LIFETIME_MS,
  FrameKind,
  MAX_FRAME_LENGTH,
  NOISE_PROLOGUE_TEXT,
  NOISE_PROTOCOL_NAME,
  PAIRING_URL_SCHEME,
  PROTOCOL_VERSION,
  WEBSOCKET_PATH,
  WEBSOCKET_SUBPROTOCOL,
} from './protocol-constants.js';
