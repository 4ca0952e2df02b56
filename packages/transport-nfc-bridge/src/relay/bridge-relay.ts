/**
 * The phone side of the bridge, as a runnable reference: it pairs with a PC from a pairing URL and
 * relays APDUs to any local kakunin Transport (a PC/SC reader, the simulator) exactly the way a
 * phone app relays them to IsoDep / Core NFC. A phone app implements the same steps
 * (docs/phone-guide.md); this class is what the protocol tests and `kakunin bridge relay` run.
 *
 * It never re-sends a command, answers one APDU at a time in order, reports tag events and maps
 * local failures to the FAQ's remedy keys.
 *
 * @example
 * ```ts
 * const relay = await BridgeRelay.connect(pairingUrl, { provider: localProvider });
 * console.log(`paired as ${relay.readerId}, code ${relay.sas}`);
 * await relay.closed;
 * ```
 */
import {
  CardError,
  type ReaderEvent,
  type Transport,
  TransportErrorCode,
  type TransportProvider,
} from '@kakunin/core/transport';
import WebSocket from 'ws';
import { NoiseHandshake } from '../noise/noise-handshake.js';
import { closeCodeFor, SecureChannel } from '../noise/secure-channel.js';
import { shortAuthenticationString } from '../noise/short-authentication-string.js';
import {
  type BridgeMessage,
  decodeMessage,
  encodeMessage,
  type SessionWelcome,
} from '../protocol/bridge-messages.js';
import { decodeFrame, encodeHandshakeInit } from '../protocol/frame-codec.js';
import { parsePairingUrl, webSocketUrl } from '../protocol/pairing-url.js';
import {
  type PhoneCapabilities,
  type PhoneHello,
  phoneErrorFor,
  reportFromError,
} from '../protocol/phone-report.js';
import {
  CloseCode,
  FrameKind,
  MAX_FRAME_LENGTH,
  NOISE_PROLOGUE_TEXT,
  WEBSOCKET_SUBPROTOCOL,
} from '../protocol/protocol-constants.js';

/** Conservative defaults: an Android phone without chip-specific configuration (transports.md §6.1).
 *
 * @example
 * ```ts
 * BridgeRelay.connect(url, { provider, capabilities: { ...DEFAULT_PHONE_CAPABILITIES, extendedLength: true } });
 * ```
 */
export const DEFAULT_PHONE_CAPABILITIES: PhoneCapabilities = {
  maxTransceiveLength: 261,
  maxResponseLength: 258,
  extendedLength: false,
  transceiveTimeoutMs: 5000,
  maxTransceiveTimeoutMs: 30_000,
};

export interface BridgeRelayOptions {
  /** Where the card is (the "phone's NFC"): any kakunin provider. */
  readonly provider: TransportProvider;
  /** Reader to relay (default: the first one the provider reports). */
  readonly readerId?: string;
  readonly platform?: PhoneHello['platform'];
  /** Device label shown on the PC. */
  readonly device?: string;
  readonly app?: string;
  /** Overrides of the capability report (default {@link DEFAULT_PHONE_CAPABILITIES}). */
  readonly capabilities?: Partial<PhoneCapabilities>;
  readonly randomBytes?: (length: number) => Uint8Array;
  /** Gives up pairing after this long (default 10 000 ms). */
  readonly connectTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Progress for UIs and logs; never carries APDU bytes. */
  readonly onEvent?: (event: RelayEvent) => void;
}

export type RelayEvent =
  | { readonly type: 'card-insert'; readonly atr: Uint8Array }
  | { readonly type: 'card-remove' }
  | { readonly type: 'apdu'; readonly length: number }
  | { readonly type: 'error'; readonly error: CardError };

/** How a relay session ended. */
export interface RelayCloseInfo {
  /** WebSocket close code (docs/protocol.md §8) or 0 when the link just dropped. */
  readonly code: number;
  readonly error?: CardError;
}

/** RFC 6455 §7.4.1: "message too big" (sent by `ws` when a frame exceeds maxPayload). */
const WEBSOCKET_MESSAGE_TOO_BIG = 1009;

/** Maps a PC close code to the error the phone shows (docs/protocol.md §8).
 *
 * @example
 * ```ts
 * errorForCloseCode(4002).remedy; // 'bridge.pairing'
 * ```
 */
export function errorForCloseCode(code: number): CardError {
  const pairing = { remedy: 'bridge.pairing' as const, details: { closeCode: code } };
  switch (code) {
    case CloseCode.AUTHENTICATION_FAILED:
      return new CardError(
        TransportErrorCode.PEER_REJECTED,
        'the PC refused the pairing (wrong QR code?)',
        pairing,
      );
    case CloseCode.PAIRING_UNAVAILABLE:
      return new CardError(
        TransportErrorCode.PEER_REJECTED,
        'this QR code was already used or has expired',
        pairing,
      );
    case CloseCode.BUSY:
      return new CardError(TransportErrorCode.BUSY, 'another phone is already paired with this PC', pairing);
    case CloseCode.SESSION_EXPIRED:
      return new CardError(
        TransportErrorCode.LINK_LOST,
        'the bridge session expired; scan a new QR code',
        pairing,
      );
    case CloseCode.REPLAY_OR_REORDER:
    case CloseCode.PROTOCOL_ERROR:
    case CloseCode.FRAME_TOO_LARGE:
    case WEBSOCKET_MESSAGE_TOO_BIG:
      return new CardError(
        TransportErrorCode.PEER_REJECTED,
        `the PC rejected a frame (close ${code})`,
        pairing,
      );
    case CloseCode.HANDSHAKE_TIMEOUT:
    case CloseCode.IDLE_TIMEOUT:
      return new CardError(TransportErrorCode.LINK_LOST, `the bridge timed out (close ${code})`, {
        remedy: 'bridge.network',
        details: { closeCode: code },
      });
    default:
      return new CardError(TransportErrorCode.LINK_LOST, `the bridge link closed (close ${code})`, {
        remedy: 'bridge.network',
        details: { closeCode: code },
      });
  }
}

/**
 * The reference phone: pairs from a URL and relays APDUs to a local provider's card.
 *
 * @example
 * ```ts
 * await using relay = await BridgeRelay.connect(url, { provider: simulator });
 * ```
 */
export class BridgeRelay implements AsyncDisposable {
  /** Reader id the PC gave this phone. */
  readonly readerId: string;
  /** 6-digit code to compare with the PC's. */
  readonly sas: string;
  readonly welcome: SessionWelcome;
  readonly closed: Promise<RelayCloseInfo>;
  readonly #socket: WebSocket;
  readonly #channel: SecureChannel;
  readonly #options: BridgeRelayOptions;
  readonly #capabilities: PhoneCapabilities;
  readonly #watchAbort = new AbortController();
  #resolveClosed!: (info: RelayCloseInfo) => void;
  #localReaderId: string | undefined;
  #local: Transport | undefined;
  #queue: Promise<void> = Promise.resolve();
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #ended = false;

  private constructor(
    socket: WebSocket,
    channel: SecureChannel,
    welcome: SessionWelcome,
    sas: string,
    capabilities: PhoneCapabilities,
    options: BridgeRelayOptions,
  ) {
    this.#socket = socket;
    this.#channel = channel;
    this.welcome = welcome;
    this.readerId = welcome.readerId;
    this.sas = sas;
    this.#capabilities = capabilities;
    this.#options = options;
    this.#localReaderId = options.readerId;
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    socket.on('message', (data, isBinary) => this.#onFrame(data, isBinary));
    socket.on('close', (code) => this.#end({ code, error: errorForCloseCode(code) }));
    socket.on('error', () => this.#end({ code: 0, error: errorForCloseCode(0) }));
    options.signal?.addEventListener('abort', () => void this.close(), { once: true });
    this.#touch();
    void this.#watchCards();
  }

  /**
   * Pairs with the PC named by `pairingUrl` and starts relaying. Rejects with PEER_REJECTED
   * (remedy `bridge.pairing`) when the PC refuses the token, BUSY when another phone is paired,
   * SERVICE_UNAVAILABLE / LINK_LOST (`bridge.network`) when the PC cannot be reached.
   */
  static async connect(pairingUrl: string, options: BridgeRelayOptions): Promise<BridgeRelay> {
    if (typeof options?.provider?.watch !== 'function')
      throw new TypeError('options.provider must be a TransportProvider');
    const fields = parsePairingUrl(pairingUrl);
    const capabilities: PhoneCapabilities = { ...DEFAULT_PHONE_CAPABILITIES, ...options.capabilities };
    const hello: PhoneHello = {
      protocol: 1,
      platform: options.platform ?? 'reference',
      ...(options.device === undefined ? {} : { device: options.device }),
      ...(options.app === undefined ? {} : { app: options.app }),
      capabilities,
    };
    const randomBytes =
      options.randomBytes ?? ((length: number) => crypto.getRandomValues(new Uint8Array(length)));
    const handshake = new NoiseHandshake({
      pattern: 'NKpsk0',
      initiator: true,
      prologue: new TextEncoder().encode(NOISE_PROLOGUE_TEXT),
      remoteStaticPublicKey: fields.publicKey,
      psk: fields.token,
      generateSecretKey: () => randomBytes(32),
    });
    fields.token.fill(0);
    const timeoutMs = options.connectTimeoutMs ?? 10_000;
    const socket = new WebSocket(webSocketUrl(fields), WEBSOCKET_SUBPROTOCOL, {
      maxPayload: MAX_FRAME_LENGTH,
      perMessageDeflate: false,
      handshakeTimeout: timeoutMs,
    });
    try {
      const response = await new Promise<Uint8Array>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new CardError(TransportErrorCode.TIMEOUT, 'pairing: the PC did not answer', {
                remedy: 'bridge.network',
              }),
            ),
          timeoutMs,
        );
        const onAbort = (): void => reject(new CardError(TransportErrorCode.ABORTED, 'pairing: aborted'));
        options.signal?.addEventListener('abort', onAbort, { once: true });
        const finish = (): void => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
        };
        socket.once('open', () => {
          const message1 = encodeMessage({ type: 'hello', hello });
          socket.send(encodeHandshakeInit(fields.pairingId, handshake.writeMessage(message1)));
        });
        socket.once('message', (data, isBinary) => {
          finish();
          if (!isBinary || !(data instanceof Uint8Array)) reject(errorForCloseCode(CloseCode.PROTOCOL_ERROR));
          else resolve(new Uint8Array(data));
        });
        socket.once('close', (code) => {
          finish();
          reject(errorForCloseCode(code));
        });
        socket.once('error', (cause) => {
          finish();
          reject(
            new CardError(TransportErrorCode.SERVICE_UNAVAILABLE, 'pairing: cannot reach the PC', {
              cause,
              remedy: 'bridge.network',
            }),
          );
        });
      });
      const frame = decodeFrame(response);
      if (frame.kind !== FrameKind.HANDSHAKE_RESPONSE) throw errorForCloseCode(CloseCode.PROTOCOL_ERROR);
      const payload = handshake.readMessage(frame.noiseMessage);
      const message = decodeMessage(payload);
      if (message.type !== 'welcome') throw errorForCloseCode(CloseCode.PROTOCOL_ERROR);
      const split = handshake.split();
      const sas = shortAuthenticationString(split.handshakeHash);
      socket.removeAllListeners();
      return new BridgeRelay(socket, new SecureChannel(split), message.welcome, sas, capabilities, options);
    } catch (error) {
      handshake.destroy();
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      throw error;
    }
  }

  /** Ends the session politely and releases the local card. */
  async close(): Promise<void> {
    if (!this.#ended) {
      this.#send({ type: 'close', reason: 'phone-closing' });
      try {
        this.#socket.close(CloseCode.NORMAL, 'phone-closing');
      } catch {
        this.#socket.terminate();
      }
    }
    this.#end({ code: CloseCode.NORMAL });
    await this.closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #emit(event: RelayEvent): void {
    try {
      this.#options.onEvent?.(event);
    } catch {
      // UI callbacks never break the relay.
    }
  }

  #end(info: RelayCloseInfo): void {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#watchAbort.abort();
    this.#channel.destroy();
    const local = this.#local;
    this.#local = undefined;
    // The session is over however it ended (PC gone, tampered frame, network cut): drop the field
    // first, as a phone's NFC does, so no PIN verified in it outlives it (reliability finding).
    void (async () => {
      await local?.reset?.('cold').catch(() => undefined);
      await local?.close();
    })().catch(() => undefined);
    setTimeout(() => this.#socket.terminate(), 500).unref?.();
    this.#resolveClosed(info);
  }

  #fail(error: CardError, code: number): void {
    if (this.#ended) return;
    try {
      this.#socket.close(code, String(error.details.reason ?? '').slice(0, 100));
    } catch {
      this.#socket.terminate();
    }
    this.#end({ code, error });
  }

  #send(message: BridgeMessage): void {
    if (this.#ended) return;
    const plaintext = encodeMessage(message);
    try {
      this.#socket.send(this.#channel.seal(plaintext));
    } catch {
      // The close handler reports the failure.
    } finally {
      plaintext.fill(0);
    }
  }

  #touch(): void {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      this.#fail(
        new CardError(TransportErrorCode.LINK_LOST, 'no word from the PC', {
          remedy: 'bridge.network',
          details: { reason: 'idle' },
        }),
        CloseCode.IDLE_TIMEOUT,
      );
    }, this.welcome.idleTimeoutMs);
    this.#idleTimer.unref?.();
  }

  #onFrame(data: unknown, isBinary: boolean): void {
    if (this.#ended) return;
    if (!isBinary || !(data instanceof Uint8Array)) {
      this.#fail(errorForCloseCode(CloseCode.PROTOCOL_ERROR), CloseCode.PROTOCOL_ERROR);
      return;
    }
    let plaintext: Uint8Array;
    let message: BridgeMessage;
    try {
      plaintext = this.#channel.open(data);
    } catch (error) {
      const failure = error as CardError;
      this.#fail(failure, closeCodeFor(String(failure.details?.reason)));
      return;
    }
    this.#touch();
    try {
      message = decodeMessage(plaintext);
    } catch (error) {
      plaintext.fill(0);
      this.#fail(error as CardError, CloseCode.PROTOCOL_ERROR);
      return;
    }
    switch (message.type) {
      case 'apdu': {
        const { requestId, timeoutMs, command } = message;
        this.#enqueue(async () => {
          try {
            await this.#relayApdu(requestId, timeoutMs, command);
          } finally {
            plaintext.fill(0); // the command (maybe a PIN) lived in this buffer
          }
        });
        return;
      }
      case 'reset': {
        const { requestId, kind } = message;
        this.#enqueue(() => this.#reset(requestId, kind));
        return;
      }
      case 'release':
        if (message.unpower) this.#enqueue(() => this.#unpower());
        return;
      case 'ping':
        this.#send({ type: 'pong', counter: message.counter });
        return;
      case 'pong':
        return;
      case 'close':
        this.#end({
          code: CloseCode.NORMAL,
          error: new CardError(TransportErrorCode.LINK_LOST, `the PC ended the session (${message.reason})`, {
            remedy: message.remedy ?? 'bridge.network',
          }),
        });
        return;
      default:
        this.#fail(
          new CardError(TransportErrorCode.PEER_REJECTED, `unexpected ${message.type} from the PC`, {
            details: { reason: 'malformed' },
          }),
          CloseCode.PROTOCOL_ERROR,
        );
    }
  }

  #enqueue(task: () => Promise<void>): void {
    this.#queue = this.#queue.then(task).catch(() => undefined);
  }

  async #relayApdu(requestId: number, timeoutMs: number, command: Uint8Array): Promise<void> {
    const local = this.#local;
    if (local === undefined) {
      this.#send({ type: 'error', requestId, report: phoneErrorFor('card-not-found') });
      return;
    }
    if (command.length > this.#capabilities.maxTransceiveLength) {
      this.#send({ type: 'error', requestId, report: phoneErrorFor('command-too-long') });
      return;
    }
    this.#emit({ type: 'apdu', length: command.length });
    // IsoDep.setTimeout(max(timeoutMs, default)) — capped at what the phone can do.
    const limit = Math.min(Math.max(timeoutMs, 1), this.#capabilities.maxTransceiveTimeoutMs);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), limit);
    try {
      const response = await local.transmit(command, { signal: controller.signal });
      this.#send({ type: 'apdu-response', requestId, response });
    } catch (error) {
      const report = controller.signal.aborted ? phoneErrorFor('transceive-timeout') : reportFromError(error);
      this.#send({ type: 'error', requestId, report });
      if (CardError.isInstance(error, TransportErrorCode.CARD_REMOVED)) this.#cardRemoved(local);
    } finally {
      clearTimeout(timer);
    }
  }

  async #reset(requestId: number, kind: 'cold' | 'warm'): Promise<void> {
    const local = this.#local;
    if (local?.reset === undefined) {
      this.#send({
        type: 'error',
        requestId,
        report:
          local === undefined ? phoneErrorFor('card-not-found') : { code: TransportErrorCode.NOT_SUPPORTED },
      });
      return;
    }
    try {
      const atr = await local.reset(kind);
      this.#send({ type: 'reset-result', requestId, atr });
    } catch (error) {
      this.#send({ type: 'error', requestId, report: reportFromError(error) });
    }
  }

  async #unpower(): Promise<void> {
    // A phone drops the RF field; the relay cold-resets its local card.
    await this.#local?.reset?.('cold').catch(() => undefined);
  }

  #cardRemoved(local: Transport): void {
    if (this.#local !== local) return;
    this.#local = undefined;
    void local.close().catch(() => undefined);
    this.#send({ type: 'card-remove', remedy: 'nfc.moved' });
    this.#emit({ type: 'card-remove' });
  }

  async #watchCards(): Promise<void> {
    const provider = this.#options.provider;
    try {
      for await (const event of provider.watch({ signal: this.#watchAbort.signal })) {
        if (this.#ended) return;
        await this.#onReaderEvent(event);
      }
    } catch (error) {
      if (this.#ended) return;
      const report = reportFromError(error);
      this.#send({ type: 'phone-status', status: { ready: false, ...report, situation: 'nfc-off' } });
    }
  }

  async #onReaderEvent(event: ReaderEvent): Promise<void> {
    switch (event.type) {
      case 'reader-add':
        this.#localReaderId ??= event.reader.id;
        return;
      case 'card-insert': {
        if (event.readerId !== this.#localReaderId || this.#local !== undefined) return;
        let local: Transport;
        try {
          local = await this.#options.provider.connect(event.readerId, {
            share: 'exclusive',
            signal: this.#watchAbort.signal,
          });
        } catch (error) {
          this.#send({ type: 'error', requestId: 0, report: reportFromError(error) });
          return;
        }
        if (this.#ended) {
          await local.close();
          return;
        }
        this.#local = local;
        void local.closed.then((info) => {
          if (info.reason === 'card-removed' || info.reason === 'reader-removed') this.#cardRemoved(local);
        });
        this.#send({
          type: 'card-insert',
          card: {
            atr: local.atr,
            maxTransceiveLength: Math.min(
              local.capabilities.maxCommandLength,
              this.#capabilities.maxTransceiveLength,
            ),
            extendedLength: local.capabilities.extendedLength && this.#capabilities.extendedLength,
          },
        });
        this.#emit({ type: 'card-insert', atr: local.atr.slice() });
        return;
      }
      case 'card-remove':
      case 'reader-remove': {
        const readerId = event.type === 'card-remove' ? event.readerId : event.readerId;
        if (readerId !== this.#localReaderId) return;
        const local = this.#local;
        if (local !== undefined) this.#cardRemoved(local);
        return;
      }
      case 'error':
        this.#emit({ type: 'error', error: event.error });
        return;
    }
  }
}
