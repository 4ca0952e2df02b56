/**
 * Test fixture: a hand-driven phone built from the protocol's own building blocks, so tests can
 * play a hostile or misbehaving peer (replay, tamper, oversize, silence) over a real WebSocket.
 *
 * @example
 * ```ts
 * const phone = await RawPhone.pair(offer.url);
 * phone.sendRaw(phone.sentFrames[0]!); // replay
 * ```
 */
import WebSocket from 'ws';
import { NoiseHandshake } from '../noise/noise-handshake.js';
import { SecureChannel } from '../noise/secure-channel.js';
import {
  type BridgeMessage,
  decodeMessage,
  encodeMessage,
  type SessionWelcome,
} from '../protocol/bridge-messages.js';
import { decodeFrame, encodeHandshakeInit } from '../protocol/frame-codec.js';
import { parsePairingUrl, webSocketUrl } from '../protocol/pairing-url.js';
import type { PhoneHello } from '../protocol/phone-report.js';
import { FrameKind, NOISE_PROLOGUE_TEXT, WEBSOCKET_SUBPROTOCOL } from '../protocol/protocol-constants.js';

export const RAW_HELLO: PhoneHello = {
  protocol: 1,
  platform: 'android',
  device: 'Raw test phone',
  capabilities: {
    maxTransceiveLength: 261,
    maxResponseLength: 258,
    extendedLength: false,
    transceiveTimeoutMs: 5000,
    maxTransceiveTimeoutMs: 10000,
  },
};

export interface RawPhoneOptions {
  readonly hello?: PhoneHello;
  /** Replace the token from the URL (wrong-token tests). */
  readonly token?: Uint8Array;
  /** Answer PINGs automatically (default true). */
  readonly answerPings?: boolean;
}

export class RawPhone {
  readonly socket: WebSocket;
  readonly channel: SecureChannel;
  readonly welcome: SessionWelcome;
  /** Every frame this phone sent after the handshake (for replays). */
  readonly sentFrames: Uint8Array[] = [];
  /** Messages received, in order. */
  readonly received: BridgeMessage[] = [];
  readonly closed: Promise<number>;
  #waiters: Array<(message: BridgeMessage) => void> = [];
  answerPings: boolean;

  private constructor(
    socket: WebSocket,
    channel: SecureChannel,
    welcome: SessionWelcome,
    answerPings: boolean,
  ) {
    this.socket = socket;
    this.channel = channel;
    this.welcome = welcome;
    this.answerPings = answerPings;
    this.closed = new Promise((resolve) => socket.on('close', (code) => resolve(code)));
    socket.on('error', () => undefined);
    socket.on('message', (data) => {
      let message: BridgeMessage;
      try {
        message = decodeMessage(this.channel.open(new Uint8Array(data as Buffer)));
      } catch {
        return;
      }
      if (message.type === 'ping' && this.answerPings) this.send({ type: 'pong', counter: message.counter });
      this.received.push(message);
      for (const waiter of this.#waiters.splice(0)) waiter(message);
    });
  }

  /** Opens a socket and sends the given first frame; resolves with the close code or the first reply. */
  static async open(url: string): Promise<WebSocket> {
    const socket = new WebSocket(webSocketUrl(parsePairingUrl(url)), WEBSOCKET_SUBPROTOCOL, {
      maxPayload: 1 << 20,
    });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return socket;
  }

  /** Pairs; rejects with `close <code>` when the PC refuses. */
  static async pair(url: string, options: RawPhoneOptions = {}): Promise<RawPhone> {
    const fields = parsePairingUrl(url);
    const handshake = new NoiseHandshake({
      pattern: 'NKpsk0',
      initiator: true,
      prologue: new TextEncoder().encode(NOISE_PROLOGUE_TEXT),
      remoteStaticPublicKey: fields.publicKey,
      psk: options.token ?? fields.token,
    });
    const socket = await RawPhone.open(url);
    const reply = new Promise<Uint8Array>((resolve, reject) => {
      socket.once('message', (data) => resolve(new Uint8Array(data as Buffer)));
      socket.once('close', (code) => reject(new Error(`close ${code}`)));
    });
    socket.send(
      encodeHandshakeInit(
        fields.pairingId,
        handshake.writeMessage(encodeMessage({ type: 'hello', hello: options.hello ?? RAW_HELLO })),
      ),
    );
    const frame = decodeFrame(await reply);
    if (frame.kind !== FrameKind.HANDSHAKE_RESPONSE) throw new Error('unexpected frame');
    const welcome = decodeMessage(handshake.readMessage(frame.noiseMessage));
    if (welcome.type !== 'welcome') throw new Error('expected WELCOME');
    socket.removeAllListeners();
    return new RawPhone(
      socket,
      new SecureChannel(handshake.split()),
      welcome.welcome,
      options.answerPings ?? true,
    );
  }

  send(message: BridgeMessage): Uint8Array {
    const frame = this.channel.seal(encodeMessage(message));
    this.sentFrames.push(frame);
    this.socket.send(frame);
    return frame;
  }

  sendRaw(bytes: Uint8Array): void {
    this.socket.send(bytes);
  }

  /** Resolves with the next received message matching `type`. */
  next<T extends BridgeMessage['type']>(type: T): Promise<Extract<BridgeMessage, { type: T }>> {
    return new Promise((resolve) => {
      const check = (message: BridgeMessage): void => {
        if (message.type === type) resolve(message as Extract<BridgeMessage, { type: T }>);
        else this.#waiters.push(check);
      };
      this.#waiters.push(check);
    });
  }
}
