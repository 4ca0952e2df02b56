/**
 * Every number of the kakunin NFC bridge protocol, version 1, in one place. Each constant names the
 * section of docs/protocol.md that defines it; a phone app implements the same values.
 *
 * @example
 * ```ts
 * import { PROTOCOL_VERSION, WEBSOCKET_SUBPROTOCOL } from '@kakunin/transport-nfc-bridge/protocol';
 * new WebSocket(url, WEBSOCKET_SUBPROTOCOL); // 'kakunin-bridge.v1'
 * ```
 */

/** Protocol version carried in the first byte of every frame (docs/protocol.md §3). */
export const PROTOCOL_VERSION = 1;

/** WebSocket subprotocol the phone offers and the PC requires (docs/protocol.md §2). */
export const WEBSOCKET_SUBPROTOCOL = 'kakunin-bridge.v1';

/** URL scheme of the pairing URL inside the QR code (docs/protocol.md §1). */
export const PAIRING_URL_SCHEME = 'kakunin-bridge:';

/** HTTP path the PC serves the WebSocket on (docs/protocol.md §1). */
export const WEBSOCKET_PATH = '/v1';

/** Noise protocol name (Noise spec rev 34 §8; docs/protocol.md §4). */
export const NOISE_PROTOCOL_NAME = 'Noise_NKpsk0_25519_ChaChaPoly_SHA256';

/** Noise prologue: binds the protocol and its version into the handshake hash (docs/protocol.md §4). */
export const NOISE_PROLOGUE_TEXT = 'kakunin-bridge/1';

/** Length of an X25519 public or private key (RFC 7748 §5). */
export const X25519_KEY_LENGTH = 32;

/** Length of the one-time pairing token, used as the Noise PSK (Noise spec §9: PSKs are 32 bytes). */
export const PAIRING_TOKEN_LENGTH = 32;

/** Length of the public pairing id that names one QR offer (docs/protocol.md §1). */
export const PAIRING_ID_LENGTH = 8;

/** Length of the session id: the first bytes of the Noise handshake hash (docs/protocol.md §5). */
export const SESSION_ID_LENGTH = 8;

/** Poly1305 tag length (RFC 8439 §2.8). */
export const AEAD_TAG_LENGTH = 16;

/** Frame kinds, byte 1 of every frame (docs/protocol.md §3). */
export const FrameKind = {
  /** Phone → PC: pairing id ‖ Noise message 1 (`psk, e, es` + encrypted HELLO). */
  HANDSHAKE_INIT: 0x01,
  /** PC → phone: Noise message 2 (`e, ee` + encrypted WELCOME). */
  HANDSHAKE_RESPONSE: 0x02,
  /** Either way after the handshake: session id ‖ sequence ‖ AEAD ciphertext. */
  TRANSPORT: 0x03,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

/** Frame header: version (1) ‖ kind (1). */
export const FRAME_PREFIX_LENGTH = 2;
/** Transport header: prefix ‖ session id (8) ‖ sequence (8, big-endian). Used as AEAD associated data. */
export const TRANSPORT_HEADER_LENGTH = FRAME_PREFIX_LENGTH + SESSION_ID_LENGTH + 8;

/**
 * Largest frame either side accepts, checked from the WebSocket length header before the payload is
 * buffered: an extended APDU (4 + 3 + 65 535 + 2 = 65 544 bytes, ISO 7816-4 §5.1) or response
 * (65 536 + 2) plus message and frame overhead, rounded up.
 */
export const MAX_FRAME_LENGTH = 66_560;

/** Largest HELLO / WELCOME / JSON control body (docs/protocol.md §6). */
export const MAX_CONTROL_BODY_LENGTH = 4096;

/** Largest sequence number before the session must be re-paired (2^53 − 1 keeps JS numbers exact). */
export const MAX_SEQUENCE = Number.MAX_SAFE_INTEGER;

/** WebSocket close codes (RFC 6455 §7.4.2 private range 4000–4999; docs/protocol.md §8). */
export const CloseCode = {
  NORMAL: 1000,
  /** Malformed frame, wrong version, unexpected kind. */
  PROTOCOL_ERROR: 4000,
  /** Noise handshake or AEAD authentication failed (wrong token, tampered frame). */
  AUTHENTICATION_FAILED: 4001,
  /** Pairing id unknown, already used or expired. */
  PAIRING_UNAVAILABLE: 4002,
  /** A phone is already paired and only one is allowed. */
  BUSY: 4003,
  /** The session reached its lifetime. */
  SESSION_EXPIRED: 4004,
  /** Nothing authenticated arrived within the idle timeout. */
  IDLE_TIMEOUT: 4005,
  /** Frame larger than MAX_FRAME_LENGTH or the negotiated limit. */
  FRAME_TOO_LARGE: 4006,
  /** Sequence number repeated or skipped (replay, reordering, frame of another session). */
  REPLAY_OR_REORDER: 4007,
  /** The handshake did not complete in time. */
  HANDSHAKE_TIMEOUT: 4008,
  /** The PC side is shutting down. */
  SERVER_CLOSING: 4009,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Default time a QR offer stays valid (docs/protocol.md §1). */
export const DEFAULT_PAIRING_TIMEOUT_MS = 120_000;
/** Default time from TCP accept to the end of the Noise handshake (slowloris guard). */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 3_000;
/** Default time without any authenticated frame before the session is dropped. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
/** Default interval of PC → phone PING messages. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;
/** Default session lifetime: one clinic day. */
export const DEFAULT_SESSION_LIFETIME_MS = 8 * 60 * 60 * 1000;
/**
 * Default per-command card time limit the PC asks the phone to apply: RSA signing over NFC takes
 * seconds; JPKI apps set IsoDep to 5000 ms (jpki-card.md §13, transports.md §6.1).
 */
export const DEFAULT_CARD_TIMEOUT_MS = 5_000;
