/**
 * The transport phase of a bridge session (docs/protocol.md §5): ChaCha20-Poly1305 with the
 * per-direction keys from Noise Split(), nonce = the frame's explicit 64-bit sequence number, AD =
 * the 18-byte transport header. The receiver accepts exactly the next sequence number: a repeat is
 * a replay, a gap is reordering or loss, a foreign session id is a frame of another session — each
 * kills the channel with PEER_REJECTED (the link is reliable and ordered, so none of these can
 * happen innocently).
 *
 * @example
 * ```ts
 * const channel = new SecureChannel(split);
 * socket.send(channel.seal(plaintext));
 * const message = channel.open(received); // throws PEER_REJECTED on replay / tamper
 * ```
 */
import { assertBytes, CardError, TransportErrorCode } from '@kakunin/core/transport';
import { decodeFrame, encodeTransportHeader } from '../protocol/frame-codec.js';
import { CloseCode, FrameKind, MAX_SEQUENCE, SESSION_ID_LENGTH } from '../protocol/protocol-constants.js';
import { openWithNonce, sealWithNonce } from './noise-cipher-state.js';
import type { NoiseSplit } from './noise-handshake.js';

/** Why a frame was refused. */
export type RejectReason = 'authentication' | 'replay' | 'reorder' | 'session' | 'malformed' | 'closed';

/**
 * WebSocket close code for a rejection reason (docs/protocol.md §8).
 *
 * @example
 * ```ts
 * closeCodeFor('replay'); // 4007
 * ```
 */
export function closeCodeFor(reason: string): number {
  switch (reason) {
    case 'authentication':
      return CloseCode.AUTHENTICATION_FAILED;
    case 'replay':
    case 'reorder':
    case 'session':
      return CloseCode.REPLAY_OR_REORDER;
    case 'too-large':
      return CloseCode.FRAME_TOO_LARGE;
    default:
      return CloseCode.PROTOCOL_ERROR;
  }
}

function rejected(reason: RejectReason, message: string): CardError {
  return new CardError(TransportErrorCode.PEER_REJECTED, `bridge channel: ${message}`, {
    remedy: 'bridge.pairing',
    details: { reason },
  });
}

/**
 * Sequence-numbered AEAD channel of one bridge session.
 *
 * @example
 * ```ts
 * const plaintext = channel.open(frame);
 * ```
 */
export class SecureChannel {
  /** First 8 bytes of the handshake hash; names the session in every frame. */
  readonly sessionId: Uint8Array;
  #sendKey: Uint8Array;
  #receiveKey: Uint8Array;
  #sendSequence = 0;
  #receiveSequence = 0;
  #failure: CardError | undefined;

  constructor(split: NoiseSplit) {
    this.sessionId = split.handshakeHash.slice(0, SESSION_ID_LENGTH);
    this.#sendKey = split.send.key.slice();
    this.#receiveKey = split.receive.key.slice();
    split.send.destroy();
    split.receive.destroy();
  }

  /** Frames sent so far. */
  get sentFrames(): number {
    return this.#sendSequence;
  }

  /** Frames accepted so far. */
  get receivedFrames(): number {
    return this.#receiveSequence;
  }

  /** Encrypts one message into a TRANSPORT frame. The caller may wipe `plaintext` afterwards. */
  seal(plaintext: Uint8Array): Uint8Array {
    assertBytes(plaintext, 'plaintext');
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#sendSequence >= MAX_SEQUENCE)
      throw rejected('closed', 'sequence numbers exhausted; pair again');
    const header = encodeTransportHeader(this.sessionId, this.#sendSequence);
    const ciphertext = sealWithNonce(this.#sendKey, this.#sendSequence, header, plaintext);
    this.#sendSequence += 1;
    const frame = new Uint8Array(header.length + ciphertext.length);
    frame.set(header, 0);
    frame.set(ciphertext, header.length);
    return frame;
  }

  /**
   * Authenticates and decrypts the next frame. Any failure is final: the channel refuses every
   * later frame too, so a hostile peer gets exactly one try.
   */
  open(frame: Uint8Array): Uint8Array {
    if (this.#failure !== undefined) throw this.#failure;
    try {
      const decoded = decodeFrame(frame);
      if (decoded.kind !== FrameKind.TRANSPORT)
        throw rejected('malformed', 'handshake frame after the handshake');
      if (!equalBytes(decoded.sessionId, this.sessionId))
        throw rejected('session', 'frame of another session');
      if (decoded.sequence < this.#receiveSequence)
        throw rejected('replay', `sequence ${decoded.sequence} already seen`);
      if (decoded.sequence > this.#receiveSequence)
        throw rejected('reorder', `sequence ${decoded.sequence} arrived, ${this.#receiveSequence} expected`);
      const plaintext = openWithNonce(this.#receiveKey, decoded.sequence, decoded.header, decoded.ciphertext);
      if (plaintext === undefined) throw rejected('authentication', 'frame failed authentication');
      this.#receiveSequence += 1;
      return plaintext;
    } catch (error) {
      const failure = CardError.isInstance(error)
        ? error.code === TransportErrorCode.PEER_REJECTED
          ? error
          : rejected('malformed', error.message)
        : rejected('malformed', 'undecodable frame');
      this.#fail(failure);
      throw failure;
    }
  }

  /** Wipes both keys; later calls fail with PEER_REJECTED `closed`. */
  destroy(): void {
    this.#fail(rejected('closed', 'channel closed'));
  }

  #fail(failure: CardError): void {
    if (this.#failure === undefined) this.#failure = failure;
    this.#sendKey.fill(0);
    this.#receiveKey.fill(0);
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index += 1) difference |= (a[index] ?? 0) ^ (b[index] ?? 0);
  return difference === 0;
}
