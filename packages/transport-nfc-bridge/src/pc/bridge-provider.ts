// Over 600 lines: the PC-side server (listener, pairing, sessions, limits) is one lifecycle; parts already live in pc/ and protocol/.
/**
 * The PC side of the NFC bridge: a WebSocket server that pairs phones by QR code and presents each
 * paired phone as a reader (`phone-1`, …). Card insert/remove come from the phone's tag events.
 *
 * Hardening (docs/protocol.md §9): frames are capped by the WebSocket length header before any
 * payload is buffered; a connection has `handshakeTimeoutMs` from TCP accept to a finished Noise
 * handshake (slowloris); unauthenticated sockets are capped per source address
 * (`maxPendingPerSource`) and in total (`maxPendingConnections`), and a new connection over
 * either cap evicts the oldest pending socket of the busiest source instead of being refused — so
 * sockets held open by an attacker can never starve a phone's pairing;
 * a pairing token works once and expires; one phone at a time unless `maxPhones` says otherwise.
 *
 * @example
 * ```ts
 * await using provider = await NfcBridgeProvider.listen({ port: 47321 });
 * const offer = provider.createPairing();
 * console.log(await renderPairingQr(offer.url, 'terminal'));
 * const reader = await offer.paired;
 * await using transport = await provider.connect(reader.id, { waitForCard: true });
 * ```
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import {
  bytesToHex,
  CardError,
  type CloseInfo,
  type ConnectOptions,
  EventHub,
  type ReaderEvent,
  type ReaderInfo,
  type SignalOptions,
  TransportErrorCode,
  type TransportProvider,
  throwIfAborted,
} from '@kakunin/core/transport';
import { type WebSocket, WebSocketServer } from 'ws';
import { generateKeyPair, NoiseHandshake, type X25519KeyPair } from '../noise/noise-handshake.js';
import { SecureChannel } from '../noise/secure-channel.js';
import { shortAuthenticationString } from '../noise/short-authentication-string.js';
import { decodeMessage, encodeMessage } from '../protocol/bridge-messages.js';
import { decodeFrame, encodeHandshakeResponse } from '../protocol/frame-codec.js';
import { formatPairingUrl } from '../protocol/pairing-url.js';
import { PHONE_SITUATIONS, type PhoneHello } from '../protocol/phone-report.js';
import {
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
  PAIRING_ID_LENGTH,
  PAIRING_TOKEN_LENGTH,
  WEBSOCKET_PATH,
  WEBSOCKET_SUBPROTOCOL,
} from '../protocol/protocol-constants.js';
import { BridgeTransport } from './bridge-transport.js';
import { lanAddress } from './network-address.js';
import { PhoneSession, type PhoneSessionEvent } from './phone-session.js';

export interface NfcBridgeProviderOptions {
  /** Listen address (default `0.0.0.0`: the phone is on the LAN). */
  readonly host?: string;
  /** Listen port (default 0: any free port). */
  readonly port?: number;
  /** Host written into the pairing URL (default: the listen host, or the first LAN IPv4). */
  readonly advertiseHost?: string;
  /** The PC's static X25519 key pair (default: a fresh one per provider). */
  readonly staticKeyPair?: X25519KeyPair;
  /** Random source (default `crypto.getRandomValues`). */
  readonly randomBytes?: (length: number) => Uint8Array;
  /** Clock in ms since the epoch (default `Date.now`). */
  readonly now?: () => number;
  /** Phones paired at once (default 1). */
  readonly maxPhones?: number;
  readonly pairingTimeoutMs?: number;
  readonly handshakeTimeoutMs?: number;
  readonly idleTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly sessionLifetimeMs?: number;
  /** Card time limit per command asked of the phone (default 5000 ms). */
  readonly cardTimeoutMs?: number;
  /** Extra time for the network round trip (default 5000 ms). */
  readonly networkSlackMs?: number;
  /** Unauthenticated sockets allowed at once, all sources together (default 64). */
  readonly maxPendingConnections?: number;
  /** Unauthenticated sockets allowed at once from one remote address (default 4). */
  readonly maxPendingPerSource?: number;
  /** Largest frame accepted (default and maximum 66 560 bytes). */
  readonly maxFrameLength?: number;
  /** Security and lifecycle events, for logs (never carries key material or APDUs). */
  readonly onEvent?: (event: BridgeServerEvent) => void;
}

export type BridgeServerEvent =
  | { readonly type: 'rejected'; readonly reason: string; readonly remoteAddress: string | undefined }
  | {
      readonly type: 'paired';
      readonly readerId: string;
      readonly platform: string;
      readonly device: string | undefined;
      /** 6-digit code the phone shows too. */
      readonly sas: string;
    }
  | {
      readonly type: 'session-closed';
      readonly readerId: string;
      readonly code: string;
      readonly reason: string;
    };

/** One QR offer. The token inside `url` works once, until `expiresAt`. */
export interface PairingOffer {
  /** Public pairing id (hex). */
  readonly id: string;
  readonly url: string;
  readonly expiresAt: number;
  /** Resolves with the phone's reader once it pairs; rejects with TIMEOUT after expiry. */
  readonly paired: Promise<ReaderInfo>;
  /** Withdraws the offer. */
  cancel(): void;
}

interface OfferState {
  readonly id: string;
  readonly token: Uint8Array;
  readonly expiresAt: number;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly resolve: (reader: ReaderInfo) => void;
  readonly reject: (error: CardError) => void;
}

interface Admission {
  authenticated: boolean;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly source: string;
}

/** Default caps on unauthenticated sockets (an attacker's idle sockets must not starve pairing). */
const DEFAULT_MAX_PENDING_CONNECTIONS = 64;
const DEFAULT_MAX_PENDING_PER_SOURCE = 4;

interface CardWaiter {
  readonly resolve: () => void;
  readonly reject: (error: CardError) => void;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

/**
 * The PC-side provider: every paired phone is a reader.
 *
 * @example
 * ```ts
 * await using provider = await NfcBridgeProvider.listen({ host: '127.0.0.1' });
 * const offer = provider.createPairing();
 * ```
 */
export class NfcBridgeProvider implements TransportProvider {
  readonly kind = 'bridge';
  readonly #options: NfcBridgeProviderOptions;
  readonly #staticKeyPair: X25519KeyPair;
  readonly #randomBytes: (length: number) => Uint8Array;
  readonly #now: () => number;
  readonly #prologue = new TextEncoder().encode(NOISE_PROLOGUE_TEXT);
  readonly #offers = new Map<string, OfferState>();
  readonly #sessions = new Map<string, PhoneSession>();
  readonly #transports = new Map<string, BridgeTransport>();
  readonly #cardWaiters = new Map<string, Set<CardWaiter>>();
  readonly #admissions = new WeakMap<Socket, Admission>();
  readonly #sockets = new Set<Socket>();
  readonly #hub = new EventHub<ReaderEvent>();
  readonly #server: Server;
  readonly #webSocketServer: WebSocketServer;
  /** Unauthenticated sockets, oldest first. */
  readonly #pending = new Set<Socket>();
  #closed = false;
  #port = 0;

  private constructor(options: NfcBridgeProviderOptions) {
    this.#options = options;
    this.#randomBytes = options.randomBytes ?? ((length) => crypto.getRandomValues(new Uint8Array(length)));
    this.#now = options.now ?? Date.now;
    this.#staticKeyPair = options.staticKeyPair ?? generateKeyPair(this.#randomBytes);
    const maxFrameLength = options.maxFrameLength ?? MAX_FRAME_LENGTH;
    if (!Number.isInteger(maxFrameLength) || maxFrameLength < 256 || maxFrameLength > MAX_FRAME_LENGTH)
      throw new RangeError(`maxFrameLength must be 256..${MAX_FRAME_LENGTH}`);
    this.#server = createServer((_request, response) => {
      response.writeHead(426, { 'content-type': 'text/plain', connection: 'close' });
      response.end('kakunin NFC bridge: WebSocket only\n');
    });
    this.#server.headersTimeout = this.#handshakeTimeoutMs;
    this.#server.requestTimeout = this.#handshakeTimeoutMs;
    this.#server.maxHeadersCount = 32;
    this.#webSocketServer = new WebSocketServer({
      noServer: true,
      maxPayload: maxFrameLength,
      perMessageDeflate: false,
      clientTracking: false,
      handleProtocols: (protocols) => (protocols.has(WEBSOCKET_SUBPROTOCOL) ? WEBSOCKET_SUBPROTOCOL : false),
    });
    this.#server.on('connection', (socket: Socket) => this.#admit(socket));
    this.#server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) =>
      this.#upgrade(request, socket, head),
    );
  }

  /**
   * Starts listening and resolves with the provider.
   *
   * @example
   * ```ts
   * const provider = await NfcBridgeProvider.listen({ host: '127.0.0.1', port: 0 });
   * ```
   */
  static async listen(options: NfcBridgeProviderOptions = {}): Promise<NfcBridgeProvider> {
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 0xffff) throw new RangeError('port must be 0..65535');
    const maxPhones = options.maxPhones ?? 1;
    if (!Number.isInteger(maxPhones) || maxPhones < 1) throw new RangeError('maxPhones must be ≥ 1');
    const provider = new NfcBridgeProvider(options);
    await new Promise<void>((resolve, reject) => {
      provider.#server.once('error', (cause) =>
        reject(
          new CardError(TransportErrorCode.SERVICE_UNAVAILABLE, `bridge: cannot listen on port ${port}`, {
            cause,
            remedy: 'bridge.network',
          }),
        ),
      );
      provider.#server.listen(port, options.host ?? '0.0.0.0', () => resolve());
    });
    const address = provider.#server.address();
    provider.#port = typeof address === 'object' && address !== null ? address.port : port;
    return provider;
  }

  /** The TCP port the bridge listens on. */
  get port(): number {
    return this.#port;
  }

  /** The PC's static public key (also in every pairing URL). */
  get publicKey(): Uint8Array {
    return this.#staticKeyPair.publicKey.slice();
  }

  get #handshakeTimeoutMs(): number {
    return this.#options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
  }

  /**
   * Creates a one-time QR offer. With `maxPhones` phones already paired it throws BUSY.
   *
   * @example
   * ```ts
   * const offer = provider.createPairing({ timeoutMs: 60_000 });
   * ```
   */
  createPairing(options: { readonly timeoutMs?: number } = {}): PairingOffer {
    this.#assertOpen('createPairing');
    if (this.#sessions.size >= (this.#options.maxPhones ?? 1))
      throw new CardError(TransportErrorCode.BUSY, 'bridge: a phone is already paired', {
        remedy: 'bridge.pairing',
      });
    const timeoutMs = options.timeoutMs ?? this.#options.pairingTimeoutMs ?? DEFAULT_PAIRING_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError('timeoutMs must be > 0');
    const pairingId = this.#randomBytes(PAIRING_ID_LENGTH);
    const token = this.#randomBytes(PAIRING_TOKEN_LENGTH);
    const id = bytesToHex(pairingId);
    const expiresAt = this.#now() + timeoutMs;
    let resolve!: (reader: ReaderInfo) => void;
    let reject!: (error: CardError) => void;
    const paired = new Promise<ReaderInfo>((onResolve, onReject) => {
      resolve = onResolve;
      reject = onReject;
    });
    paired.catch(() => undefined);
    const timer = setTimeout(
      () =>
        this.#withdraw(
          id,
          new CardError(TransportErrorCode.TIMEOUT, 'bridge: the QR code expired before a phone paired', {
            remedy: 'bridge.pairing',
          }),
        ),
      timeoutMs,
    );
    this.#offers.set(id, { id, token, expiresAt, timer, resolve, reject });
    const url = formatPairingUrl({
      host: this.#advertiseHost(),
      port: this.#port,
      pairingId,
      publicKey: this.#staticKeyPair.publicKey,
      token,
      expiresAt,
    });
    return {
      id,
      url,
      expiresAt,
      paired,
      cancel: () =>
        this.#withdraw(
          id,
          new CardError(TransportErrorCode.ABORTED, 'bridge: pairing cancelled', {
            remedy: 'bridge.pairing',
          }),
        ),
    };
  }

  async isSupported(options: SignalOptions = {}): Promise<boolean> {
    throwIfAborted(options.signal, 'isSupported');
    return !this.#closed;
  }

  async listReaders(options: SignalOptions = {}): Promise<ReaderInfo[]> {
    throwIfAborted(options.signal, 'listReaders');
    this.#assertOpen('listReaders');
    return [...this.#sessions.values()].map((session) => this.#readerInfo(session));
  }

  watch(options: SignalOptions = {}): AsyncIterable<ReaderEvent> {
    return this.#hub.watch(() => {
      const events: ReaderEvent[] = [];
      for (const session of this.#sessions.values()) {
        events.push({ type: 'reader-add', reader: this.#readerInfo(session) });
        const card = session.card;
        if (card !== undefined)
          events.push({ type: 'card-insert', readerId: session.readerId, atr: card.atr.slice() });
      }
      return events;
    }, options.signal);
  }

  async connect(readerId: string, options: ConnectOptions = {}): Promise<BridgeTransport> {
    if (typeof readerId !== 'string') throw new TypeError('readerId must be a string');
    throwIfAborted(options.signal, 'connect');
    this.#assertOpen('connect');
    const session = this.#sessions.get(readerId);
    if (session === undefined)
      throw new CardError(TransportErrorCode.READER_NOT_FOUND, `bridge: no paired phone ${readerId}`, {
        remedy: 'bridge.pairing',
        details: { readerId },
      });
    if (this.#transports.has(readerId))
      throw new CardError(TransportErrorCode.SHARING_VIOLATION, `bridge: ${readerId} is already connected`, {
        remedy: 'card.busy-elsewhere',
      });
    if (session.card === undefined) {
      const status = session.status;
      if (!status.ready) throw this.#statusError(status);
      if (options.waitForCard !== true)
        throw new CardError(TransportErrorCode.CARD_ABSENT, 'bridge: no card on the phone', {
          remedy: 'nfc.card-position',
        });
      await this.#waitForCard(readerId, options.timeoutMs, options.signal);
    }
    const card = session.card;
    if (card === undefined || !session.isOpen)
      throw (
        session.failure ??
        new CardError(TransportErrorCode.CARD_ABSENT, 'bridge: no card', { remedy: 'nfc.card-position' })
      );
    if (this.#transports.has(readerId))
      throw new CardError(TransportErrorCode.SHARING_VIOLATION, `bridge: ${readerId} is already connected`);
    const transport = new BridgeTransport({
      session,
      card,
      cardTimeoutMs: this.#options.cardTimeoutMs ?? DEFAULT_CARD_TIMEOUT_MS,
      networkSlackMs: this.#options.networkSlackMs ?? 5000,
      onClose: (_info: CloseInfo) => {
        if (this.#transports.get(readerId) === transport) this.#transports.delete(readerId);
      },
    });
    this.#transports.set(readerId, transport);
    return transport;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const id of [...this.#offers.keys()])
      this.#withdraw(
        id,
        new CardError(TransportErrorCode.CLOSED, 'bridge: provider closed', { remedy: 'bridge.pairing' }),
      );
    for (const session of [...this.#sessions.values()])
      session.close('server-closing', CloseCode.SERVER_CLOSING);
    this.#hub.close();
    this.#webSocketServer.close();
    const closing = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    // Give polite closes a moment, then cut whatever is left.
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (const socket of this.#sockets) socket.destroy();
    await closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #assertOpen(what: string): void {
    if (this.#closed) throw new CardError(TransportErrorCode.CLOSED, `${what}: bridge provider is closed`);
  }

  #advertiseHost(): string {
    if (this.#options.advertiseHost !== undefined) return this.#options.advertiseHost;
    const host = this.#options.host ?? '0.0.0.0';
    if (!WILDCARD_HOSTS.has(host)) return host;
    return lanAddress(networkInterfaces()) ?? '127.0.0.1';
  }

  #readerInfo(session: PhoneSession): ReaderInfo {
    const card = session.card;
    const device = session.hello.device ?? session.hello.platform;
    return {
      id: session.readerId,
      label: `${device} (NFC bridge)`,
      cardPresent: card !== undefined,
      ...(card === undefined ? {} : { atr: card.atr.slice() }),
    };
  }

  #statusError(status: { situation?: string; remedy?: CardError['remedy']; message?: string }): CardError {
    const situation = status.situation as keyof typeof PHONE_SITUATIONS | undefined;
    const entry = situation === undefined ? undefined : PHONE_SITUATIONS[situation];
    const remedy = status.remedy ?? entry?.remedy;
    return new CardError(
      entry?.code ?? TransportErrorCode.SERVICE_UNAVAILABLE,
      'bridge: the phone cannot read cards now',
      {
        ...(remedy === undefined ? {} : { remedy }),
        details: { source: 'phone', ...(situation === undefined ? {} : { situation }) },
      },
    );
  }

  #withdraw(id: string, error: CardError): void {
    const offer = this.#offers.get(id);
    if (offer === undefined) return;
    this.#offers.delete(id);
    clearTimeout(offer.timer);
    offer.token.fill(0);
    offer.reject(error);
  }

  #event(event: BridgeServerEvent): void {
    try {
      this.#options.onEvent?.(event);
    } catch {
      // A logging callback never breaks the bridge.
    }
  }

  #admit(socket: Socket): void {
    this.#sockets.add(socket);
    const source = socket.remoteAddress ?? '?';
    socket.once('close', () => {
      this.#sockets.delete(socket);
      this.#pending.delete(socket);
      const admission = this.#admissions.get(socket);
      if (admission !== undefined && !admission.authenticated) clearTimeout(admission.timer);
    });
    if (this.#closed) {
      socket.destroy();
      return;
    }
    // Over a cap, the newest connection wins: the oldest pending socket of the same source (per
    // source cap) or of the busiest source (total cap) is dropped. A phone's handshake takes one
    // round trip, so a phone is never the oldest; held-open sockets only evict each other.
    const perSource = this.#options.maxPendingPerSource ?? DEFAULT_MAX_PENDING_PER_SOURCE;
    const total = this.#options.maxPendingConnections ?? DEFAULT_MAX_PENDING_CONNECTIONS;
    const sameSource = [...this.#pending].filter((other) => this.#admissions.get(other)?.source === source);
    if (sameSource.length >= perSource) this.#evict(sameSource[0]!);
    else if (this.#pending.size >= total) this.#evict(this.#oldestOfBusiestSource());
    const timer = setTimeout(() => {
      this.#event({ type: 'rejected', reason: 'handshake-timeout', remoteAddress: socket.remoteAddress });
      socket.destroy();
    }, this.#handshakeTimeoutMs);
    timer.unref?.();
    this.#admissions.set(socket, { authenticated: false, timer, source });
    this.#pending.add(socket);
  }

  #evict(socket: Socket): void {
    this.#pending.delete(socket);
    const admission = this.#admissions.get(socket);
    if (admission !== undefined) clearTimeout(admission.timer);
    this.#event({ type: 'rejected', reason: 'too-many-pending', remoteAddress: socket.remoteAddress });
    socket.destroy();
  }

  #oldestOfBusiestSource(): Socket {
    const counts = new Map<string, number>();
    for (const socket of this.#pending) {
      const source = this.#admissions.get(socket)?.source ?? '?';
      counts.set(source, (counts.get(source) ?? 0) + 1);
    }
    const busiest = Math.max(...counts.values());
    for (const socket of this.#pending)
      if (counts.get(this.#admissions.get(socket)?.source ?? '?') === busiest) return socket;
    return this.#pending.values().next().value as Socket;
  }

  #upgrade(request: IncomingMessage, socket: Socket, head: Buffer): void {
    const path = (request.url ?? '').split('?')[0];
    if (this.#closed || path !== WEBSOCKET_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      this.#event({ type: 'rejected', reason: 'wrong-path', remoteAddress: socket.remoteAddress });
      return;
    }
    this.#webSocketServer.handleUpgrade(request, socket, head, (webSocket) =>
      this.#onWebSocket(webSocket, socket),
    );
  }

  #onWebSocket(webSocket: WebSocket, socket: Socket): void {
    const remoteAddress = socket.remoteAddress;
    const refuse = (code: number, reason: string): void => {
      this.#event({ type: 'rejected', reason, remoteAddress });
      webSocket.close(code, reason);
      setTimeout(() => webSocket.terminate(), 500).unref?.();
    };
    webSocket.on('error', () => webSocket.terminate());
    if (webSocket.protocol !== WEBSOCKET_SUBPROTOCOL) {
      refuse(CloseCode.PROTOCOL_ERROR, 'subprotocol');
      return;
    }
    webSocket.once('message', (data, isBinary) => {
      if (!isBinary || !(data instanceof Uint8Array)) {
        refuse(CloseCode.PROTOCOL_ERROR, 'text-frame');
        return;
      }
      this.#handshake(webSocket, socket, data, refuse);
    });
  }

  #handshake(
    webSocket: WebSocket,
    socket: Socket,
    data: Uint8Array,
    refuse: (code: number, reason: string) => void,
  ): void {
    let frame: ReturnType<typeof decodeFrame>;
    try {
      frame = decodeFrame(data);
    } catch {
      refuse(CloseCode.PROTOCOL_ERROR, 'malformed');
      return;
    }
    if (frame.kind !== FrameKind.HANDSHAKE_INIT) {
      // E.g. a transport frame of an old session replayed on a new connection.
      refuse(CloseCode.PROTOCOL_ERROR, 'not-a-handshake');
      return;
    }
    const offer = this.#offers.get(bytesToHex(frame.pairingId));
    if (offer === undefined || offer.expiresAt <= this.#now()) {
      refuse(CloseCode.PAIRING_UNAVAILABLE, 'pairing-unavailable');
      return;
    }
    if (this.#sessions.size >= (this.#options.maxPhones ?? 1)) {
      refuse(CloseCode.BUSY, 'busy');
      return;
    }
    const handshake = new NoiseHandshake({
      pattern: 'NKpsk0',
      initiator: false,
      prologue: this.#prologue,
      staticKeyPair: this.#staticKeyPair,
      psk: offer.token,
      generateSecretKey: () => this.#randomBytes(32),
    });
    let hello: PhoneHello;
    try {
      const payload = handshake.readMessage(frame.noiseMessage);
      const message = decodeMessage(payload);
      payload.fill(0);
      if (message.type !== 'hello') throw new Error('expected HELLO');
      hello = message.hello;
    } catch (error) {
      handshake.destroy();
      const authentication = CardError.isInstance(error) && error.code === TransportErrorCode.PEER_REJECTED;
      refuse(
        authentication ? CloseCode.AUTHENTICATION_FAILED : CloseCode.PROTOCOL_ERROR,
        authentication ? 'authentication-failed' : 'bad-hello',
      );
      return;
    }
    // The token is spent before anything else can run: a second phone with the same QR fails.
    this.#offers.delete(offer.id);
    clearTimeout(offer.timer);
    offer.token.fill(0);
    const readerId = this.#allocateReaderId();
    const expiresAt = this.#now() + (this.#options.sessionLifetimeMs ?? DEFAULT_SESSION_LIFETIME_MS);
    const idleTimeoutMs = this.#options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    const heartbeatIntervalMs = this.#options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    const welcome = encodeMessage({
      type: 'welcome',
      welcome: {
        readerId,
        sessionExpiresAt: expiresAt,
        idleTimeoutMs,
        heartbeatIntervalMs,
        maxFrameLength: this.#options.maxFrameLength ?? MAX_FRAME_LENGTH,
      },
    });
    webSocket.send(encodeHandshakeResponse(handshake.writeMessage(welcome)));
    const split = handshake.split();
    const sas = shortAuthenticationString(split.handshakeHash);
    const channel = new SecureChannel(split);
    const admission = this.#admissions.get(socket);
    if (admission !== undefined && !admission.authenticated) {
      admission.authenticated = true;
      clearTimeout(admission.timer);
      this.#pending.delete(socket);
    }
    const session = new PhoneSession({
      socket: webSocket,
      channel,
      hello,
      readerId,
      expiresAt,
      idleTimeoutMs,
      heartbeatIntervalMs,
      now: this.#now,
      onEvent: (event) => this.#onSessionEvent(session, event),
    });
    this.#sessions.set(readerId, session);
    const reader = this.#readerInfo(session);
    this.#hub.emit({ type: 'reader-add', reader });
    this.#event({ type: 'paired', readerId, platform: hello.platform, device: hello.device, sas });
    offer.resolve(reader);
  }

  #allocateReaderId(): string {
    for (let index = 1; ; index += 1) {
      const id = `phone-${index}`;
      if (!this.#sessions.has(id)) return id;
    }
  }

  #waitForCard(
    readerId: string,
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiters = this.#cardWaiters.get(readerId) ?? new Set<CardWaiter>();
      this.#cardWaiters.set(readerId, waiters);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = (): void => {
        waiters.delete(waiter);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: CardWaiter = {
        resolve: () => {
          done();
          resolve();
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      const onAbort = (): void =>
        waiter.reject(
          new CardError(TransportErrorCode.ABORTED, 'connect: aborted', { cause: signal?.reason }),
        );
      waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined && Number.isFinite(timeoutMs))
        timer = setTimeout(
          () =>
            waiter.reject(
              new CardError(TransportErrorCode.TIMEOUT, `connect: no card within ${timeoutMs} ms`, {
                remedy: 'nfc.card-position',
              }),
            ),
          timeoutMs,
        );
    });
  }

  #onSessionEvent(session: PhoneSession, event: PhoneSessionEvent): void {
    const readerId = session.readerId;
    switch (event.type) {
      case 'card-insert':
        this.#hub.emit({ type: 'card-insert', readerId, atr: event.card.atr.slice() });
        for (const waiter of [...(this.#cardWaiters.get(readerId) ?? [])]) waiter.resolve();
        return;
      case 'card-remove':
        this.#transports.get(readerId)?.cardGone(event.error);
        this.#hub.emit({ type: 'card-remove', readerId });
        return;
      case 'status':
        if (!event.status.ready || event.status.remedy !== undefined)
          this.#hub.emit({ type: 'error', error: this.#statusError(event.status) });
        return;
      case 'closed': {
        if (this.#sessions.get(readerId) !== session) return;
        this.#sessions.delete(readerId);
        this.#transports.get(readerId)?.cardGone(event.error);
        for (const waiter of [...(this.#cardWaiters.get(readerId) ?? [])]) waiter.reject(event.error);
        this.#hub.emit({ type: 'reader-remove', readerId });
        this.#event({
          type: 'session-closed',
          readerId,
          code: event.error.code,
          reason: String(event.error.details.reason ?? ''),
        });
        return;
      }
    }
  }
}
