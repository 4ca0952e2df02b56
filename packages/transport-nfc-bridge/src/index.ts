/**
 * `@kakunin/transport-nfc-bridge`: use a smartphone's NFC as the card reader. The PC shows a QR
 * code; the phone pairs over an end-to-end encrypted WebSocket (Noise NKpsk0, ChaCha20-Poly1305)
 * and relays APDUs to the card. The PC side is a normal kakunin TransportProvider; the phone side
 * has a runnable reference relay. Protocol: docs/protocol.md; phone apps: docs/phone-guide.md.
 *
 * @example
 * ```ts
 * import { NfcBridgeProvider, renderPairingQr } from '@kakunin/transport-nfc-bridge';
 * await using provider = await NfcBridgeProvider.listen();
 * const offer = provider.createPairing();
 * console.log(await renderPairingQr(offer.url, 'terminal'));
 * const reader = await offer.paired;
 * ```
 */
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
  type BridgeServerEvent,
  NfcBridgeProvider,
  type NfcBridgeProviderOptions,
  type PairingOffer,
} from './bridge-provider.js';
export {
  BridgeRelay,
  type BridgeRelayOptions,
  DEFAULT_PHONE_CAPABILITIES,
  errorForCloseCode,
  type RelayCloseInfo,
  type RelayEvent,
} from './bridge-relay.js';
export { BRIDGE_LINK_SECURITY, BridgeTransport } from './bridge-transport.js';
export {
  BridgeControlProvider,
  type BridgeControlServer,
  type ControlEndpoint,
  defaultControlEndpoint,
  serveBridgeControl,
} from './control-socket.js';
export {
  type DecodedFrame,
  decodeFrame,
  encodeHandshakeInit,
  encodeHandshakeResponse,
  encodeTransportHeader,
} from './frame-codec.js';
export { lanAddress } from './network-address.js';
export { CipherState, noiseHkdf, noiseNonce, SymmetricState } from './noise-cipher-state.js';
export {
  generateKeyPair,
  NoiseHandshake,
  type NoiseHandshakeOptions,
  type NoisePatternName,
  type NoiseSplit,
  type X25519KeyPair,
} from './noise-handshake.js';
export { type PairingQrFormat, pairingQrModules, renderPairingQr } from './pairing-qr.js';
export {
  formatPairingUrl,
  MAX_PAIRING_URL_LENGTH,
  type PairingUrlFields,
  parsePairingUrl,
  webSocketUrl,
} from './pairing-url.js';
export {
  cardErrorFromPhone,
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
export { closeCodeFor, type RejectReason, SecureChannel } from './secure-channel.js';
export { shortAuthenticationString } from './short-authentication-string.js';
