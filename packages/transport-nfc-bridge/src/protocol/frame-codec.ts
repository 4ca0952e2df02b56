/**
 * Outer frames: one WebSocket binary message is one frame (docs/protocol.md §3).
 *
 *   HANDSHAKE_INIT      01 01 ‖ pairing id (8) ‖ Noise message 1
 *   HANDSHAKE_RESPONSE  01 02 ‖ Noise message 2
 *   TRANSPORT           01 03 ‖ session id (8) ‖ sequence (8, big-endian) ‖ ciphertext ‖ tag (16)
 *
 * The transport header (18 bytes) is the AEAD associated data, so version, kind, session id and
 * sequence number are all authenticated.
 *
 * @example
 * ```ts
 * const frame = decodeFrame(bytes);
 * if (frame.kind === FrameKind.TRANSPORT) channel.open(frame);
 * ```
 */
import { assertBytes, CardError, TransportErrorCode } from '@kakunin/core/transport';
import {
  AEAD_TAG_LENGTH,
  FRAME_PREFIX_LENGTH,
  FrameKind,
  MAX_FRAME_LENGTH,
  MAX_SEQUENCE,
  PAIRING_ID_LENGTH,
  PROTOCOL_VERSION,
  SESSION_ID_LENGTH,
  TRANSPORT_HEADER_LENGTH,
  X25519_KEY_LENGTH,
} from './protocol-constants.js';

export type DecodedFrame =
  | {
      readonly kind: typeof FrameKind.HANDSHAKE_INIT;
      readonly pairingId: Uint8Array;
      readonly noiseMessage: Uint8Array;
    }
  | { readonly kind: typeof FrameKind.HANDSHAKE_RESPONSE; readonly noiseMessage: Uint8Array }
  | {
      readonly kind: typeof FrameKind.TRANSPORT;
      /** The 18 authenticated header bytes (AEAD associated data). */
      readonly header: Uint8Array;
      readonly sessionId: Uint8Array;
      readonly sequence: number;
      readonly ciphertext: Uint8Array;
    };

function malformed(message: string, reason = 'malformed'): CardError {
  return new CardError(TransportErrorCode.PROTOCOL, `bridge frame: ${message}`, {
    remedy: 'bridge.network',
    details: { reason },
  });
}

/** Decodes a frame header into zero-copy views; throws PROTOCOL for anything malformed.
 *
 * @example
 * ```ts
 * const frame = decodeFrame(bytes);
 * ```
 */
export function decodeFrame(frame: Uint8Array): DecodedFrame {
  assertBytes(frame, 'frame');
  if (frame.length > MAX_FRAME_LENGTH) throw malformed(`${frame.length} bytes is too large`, 'too-large');
  if (frame.length < FRAME_PREFIX_LENGTH) throw malformed('shorter than its prefix');
  if (frame[0] !== PROTOCOL_VERSION) throw malformed(`unsupported version ${frame[0]}`, 'version');
  const kind = frame[1];
  if (kind === FrameKind.HANDSHAKE_INIT) {
    if (frame.length < FRAME_PREFIX_LENGTH + PAIRING_ID_LENGTH + X25519_KEY_LENGTH + AEAD_TAG_LENGTH)
      throw malformed('handshake init too short');
    return {
      kind,
      pairingId: frame.subarray(FRAME_PREFIX_LENGTH, FRAME_PREFIX_LENGTH + PAIRING_ID_LENGTH),
      noiseMessage: frame.subarray(FRAME_PREFIX_LENGTH + PAIRING_ID_LENGTH),
    };
  }
  if (kind === FrameKind.HANDSHAKE_RESPONSE) {
    if (frame.length < FRAME_PREFIX_LENGTH + X25519_KEY_LENGTH + AEAD_TAG_LENGTH)
      throw malformed('handshake response too short');
    return { kind, noiseMessage: frame.subarray(FRAME_PREFIX_LENGTH) };
  }
  if (kind === FrameKind.TRANSPORT) {
    if (frame.length < TRANSPORT_HEADER_LENGTH + AEAD_TAG_LENGTH)
      throw malformed('transport frame too short');
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const high = view.getUint32(FRAME_PREFIX_LENGTH + SESSION_ID_LENGTH);
    const low = view.getUint32(FRAME_PREFIX_LENGTH + SESSION_ID_LENGTH + 4);
    const sequence = high * 0x1_0000_0000 + low;
    if (sequence > MAX_SEQUENCE) throw malformed('sequence number out of range', 'sequence');
    return {
      kind,
      header: frame.subarray(0, TRANSPORT_HEADER_LENGTH),
      sessionId: frame.subarray(FRAME_PREFIX_LENGTH, FRAME_PREFIX_LENGTH + SESSION_ID_LENGTH),
      sequence,
      ciphertext: frame.subarray(TRANSPORT_HEADER_LENGTH),
    };
  }
  throw malformed(`unknown kind ${kind}`, 'kind');
}

/** Builds a HANDSHAKE_INIT frame.
 *
 * @example
 * ```ts
 * socket.send(encodeHandshakeInit(pairingId, message1));
 * ```
 */
export function encodeHandshakeInit(pairingId: Uint8Array, noiseMessage: Uint8Array): Uint8Array {
  if (pairingId.length !== PAIRING_ID_LENGTH) throw new RangeError('pairingId must be 8 bytes');
  const frame = new Uint8Array(FRAME_PREFIX_LENGTH + PAIRING_ID_LENGTH + noiseMessage.length);
  frame[0] = PROTOCOL_VERSION;
  frame[1] = FrameKind.HANDSHAKE_INIT;
  frame.set(pairingId, FRAME_PREFIX_LENGTH);
  frame.set(noiseMessage, FRAME_PREFIX_LENGTH + PAIRING_ID_LENGTH);
  return frame;
}

/** Builds a HANDSHAKE_RESPONSE frame.
 *
 * @example
 * ```ts
 * socket.send(encodeHandshakeResponse(message2));
 * ```
 */
export function encodeHandshakeResponse(noiseMessage: Uint8Array): Uint8Array {
  const frame = new Uint8Array(FRAME_PREFIX_LENGTH + noiseMessage.length);
  frame[0] = PROTOCOL_VERSION;
  frame[1] = FrameKind.HANDSHAKE_RESPONSE;
  frame.set(noiseMessage, FRAME_PREFIX_LENGTH);
  return frame;
}

/** Builds the 18-byte transport header (also the AEAD associated data).
 *
 * @example
 * ```ts
 * const header = encodeTransportHeader(sessionId, 0);
 * ```
 */
export function encodeTransportHeader(sessionId: Uint8Array, sequence: number): Uint8Array {
  if (sessionId.length !== SESSION_ID_LENGTH) throw new RangeError('sessionId must be 8 bytes');
  if (!Number.isSafeInteger(sequence) || sequence < 0) throw new RangeError('sequence out of range');
  const header = new Uint8Array(TRANSPORT_HEADER_LENGTH);
  header[0] = PROTOCOL_VERSION;
  header[1] = FrameKind.TRANSPORT;
  header.set(sessionId, FRAME_PREFIX_LENGTH);
  const view = new DataView(header.buffer);
  view.setUint32(FRAME_PREFIX_LENGTH + SESSION_ID_LENGTH, Math.floor(sequence / 0x1_0000_0000));
  view.setUint32(FRAME_PREFIX_LENGTH + SESSION_ID_LENGTH + 4, sequence % 0x1_0000_0000);
  return header;
}
