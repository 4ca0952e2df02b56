// Over 600 lines: client and server of one small local protocol, kept together so both sides change in one place.
/**
 * Reaching a paired phone from another process: `kakunin bridge pair` keeps running and serves its
 * NfcBridgeProvider on a local control socket (a Unix socket in a 0700 directory, or a Windows
 * named pipe); `--transport bridge` commands connect with {@link BridgeControlProvider}. A client
 * proves it runs as the same user by sending a 32-byte key read from a 0600 file next to the
 * socket. Frames: u32 length (capped before allocation) ‖ type ‖ u32 request id ‖ body.
 *
 * @example
 * ```ts
 * // process 1 (kakunin bridge pair)
 * const server = await serveBridgeControl(provider, defaultControlEndpoint(process.env));
 * // process 2 (kakunin readers --transport bridge)
 * await using remote = await BridgeControlProvider.connect(defaultControlEndpoint(process.env));
 * console.log(await remote.listReaders());
 * ```
 */
import { chmod, lstat, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BaseTransport,
  CardError,
  type CloseInfo,
  type ConnectOptions,
  EventHub,
  isErrorCode,
  isRemedyKey,
  type ReaderEvent,
  type ReaderInfo,
  type SignalOptions,
  type Transport,
  type TransportCapabilities,
  TransportErrorCode,
  type TransportProvider,
  throwIfAborted,
} from '@kakunin/core/transport';
import { MAX_FRAME_LENGTH } from '../protocol/protocol-constants.js';

/** Where the control socket and its key live. */
export interface ControlEndpoint {
  /** Unix socket path or Windows pipe name (`\\.\pipe\…`). */
  readonly path: string;
  /** File holding the hex client key (mode 0600). */
  readonly keyPath: string;
}

/**
 * The default endpoint for this user: `$KAKUNIN_BRIDGE_DIR/`, else `$XDG_RUNTIME_DIR/kakunin/`, else
 * `<tmp>/kakunin-<user>/`; on Windows a per-user named pipe with the key in `%LOCALAPPDATA%\kakunin`.
 *
 * @example
 * ```ts
 * defaultControlEndpoint(process.env); // { path: '/run/user/1000/kakunin/bridge.sock', keyPath: … }
 * ```
 */
export function defaultControlEndpoint(
  env: Readonly<Record<string, string | undefined>>,
  platform: string = process.platform,
): ControlEndpoint {
  const override = env.KAKUNIN_BRIDGE_DIR;
  if (override !== undefined && override !== '') {
    const pipe =
      platform === 'win32'
        ? `\\\\.\\pipe\\kakunin-bridge-${override.replace(/[^A-Za-z0-9_.-]/g, '_')}`
        : undefined;
    return { path: pipe ?? join(override, 'bridge.sock'), keyPath: join(override, 'bridge.key') };
  }
  const user = (env.USER ?? env.USERNAME ?? 'user').replace(/[^A-Za-z0-9_.-]/g, '_');
  if (platform === 'win32') {
    const directory = join(env.LOCALAPPDATA ?? tmpdir(), 'kakunin');
    return { path: `\\\\.\\pipe\\kakunin-bridge-${user}`, keyPath: join(directory, 'bridge.key') };
  }
  const directory = env.XDG_RUNTIME_DIR
    ? join(env.XDG_RUNTIME_DIR, 'kakunin')
    : join(tmpdir(), `kakunin-${user}`);
  return { path: join(directory, 'bridge.sock'), keyPath: join(directory, 'bridge.key') };
}

/** Control frame types (local protocol, not the phone protocol). */
const Request = {
  HELLO: 0x01,
  LIST: 0x02,
  CONNECT: 0x03,
  TRANSMIT: 0x04,
  RESET: 0x05,
  DISCONNECT: 0x06,
  WATCH: 0x07,
} as const;
const Reply = { OK: 0x81, ERROR: 0x82, EVENT: 0x83 } as const;
/** u32 length prefix + type + u32 request id. */
const LENGTH_PREFIX = 4;
const HEADER = 5;
const KEY_LENGTH = 32;
/** Largest control frame: an extended APDU or response plus the header. */
const MAX_CONTROL_FRAME = MAX_FRAME_LENGTH;
/** Owner-only permissions for the directory and the key file. */
const PRIVATE_DIRECTORY_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;

function encodeFrame(type: number, requestId: number, body: Uint8Array): Uint8Array {
  const frame = new Uint8Array(LENGTH_PREFIX + HEADER + body.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, HEADER + body.length);
  frame[4] = type;
  view.setUint32(5, requestId);
  frame.set(body, LENGTH_PREFIX + HEADER);
  return frame;
}

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const parse = (body: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(body));

function errorJson(error: unknown): Uint8Array {
  const card = CardError.isInstance(error)
    ? error
    : new CardError(TransportErrorCode.IO, error instanceof Error ? error.message : 'control request failed');
  return json({ code: card.code, message: card.message, remedy: card.remedy, details: card.details });
}

function errorFromJson(body: Uint8Array): CardError {
  try {
    const value = parse(body) as { code?: unknown; message?: unknown; remedy?: unknown; details?: unknown };
    const details =
      typeof value.details === 'object' && value.details !== null
        ? (value.details as Record<string, string | number | boolean | null>)
        : {};
    return new CardError(
      isErrorCode(value.code) ? value.code : TransportErrorCode.IO,
      typeof value.message === 'string' ? value.message : 'bridge control error',
      { ...(isRemedyKey(value.remedy) ? { remedy: value.remedy } : {}), details },
    );
  } catch {
    return new CardError(TransportErrorCode.PROTOCOL, 'bridge control: malformed error');
  }
}

/** Splits a byte stream into frames, refusing a length above the cap before buffering it. */
class FrameReader {
  #buffer = new Uint8Array(0);
  constructor(private readonly onFrame: (type: number, requestId: number, body: Uint8Array) => void) {}
  push(chunk: Uint8Array): void {
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer, 0);
    joined.set(chunk, this.#buffer.length);
    this.#buffer.fill(0);
    let offset = 0;
    while (joined.length - offset >= LENGTH_PREFIX) {
      const view = new DataView(joined.buffer, joined.byteOffset + offset);
      const length = view.getUint32(0);
      if (length < HEADER || length > MAX_CONTROL_FRAME)
        throw new CardError(TransportErrorCode.PROTOCOL, 'bridge control: bad frame length');
      if (joined.length - offset < LENGTH_PREFIX + length) break;
      const type = joined[offset + LENGTH_PREFIX] ?? 0;
      const requestId = view.getUint32(LENGTH_PREFIX + 1);
      const body = joined.slice(offset + LENGTH_PREFIX + HEADER, offset + LENGTH_PREFIX + length);
      offset += LENGTH_PREFIX + length;
      this.onFrame(type, requestId, body);
    }
    this.#buffer = joined.slice(offset);
    joined.fill(0);
  }
}

function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index += 1) difference |= (a[index] ?? 0) ^ (b[index] ?? 0);
  return difference === 0;
}

export interface BridgeControlServer extends AsyncDisposable {
  readonly endpoint: ControlEndpoint;
  close(): Promise<void>;
}

/**
 * Serves `provider` on the control endpoint. Refuses to start (BUSY) when another process already
 * serves it; removes a stale socket left by a crashed run.
 */
export async function serveBridgeControl(
  provider: TransportProvider,
  endpoint: ControlEndpoint,
  options: {
    readonly randomBytes?: (length: number) => Uint8Array;
    /** Time a client has to present the key (default 2000 ms). */
    readonly helloTimeoutMs?: number;
  } = {},
): Promise<BridgeControlServer> {
  const isPipe = endpoint.path.startsWith('\\\\');
  const directory = endpoint.keyPath.slice(
    0,
    Math.max(endpoint.keyPath.lastIndexOf('/'), endpoint.keyPath.lastIndexOf('\\')),
  );
  await mkdir(directory, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  if (!isPipe) await chmod(directory, PRIVATE_DIRECTORY_MODE);
  if (!isPipe) {
    const stale = await lstat(endpoint.path).catch(() => undefined);
    if (stale !== undefined) {
      const alive = await new Promise<boolean>((resolve) => {
        const probe = createConnection(endpoint.path);
        probe.once('connect', () => {
          probe.destroy();
          resolve(true);
        });
        probe.once('error', () => resolve(false));
      });
      if (alive)
        throw new CardError(
          TransportErrorCode.BUSY,
          `bridge control: ${endpoint.path} is served by another process`,
        );
      await rm(endpoint.path, { force: true });
    }
  }
  const key = (options.randomBytes ?? ((length) => crypto.getRandomValues(new Uint8Array(length))))(
    KEY_LENGTH,
  );
  await writeFile(endpoint.keyPath, Buffer.from(key).toString('hex'), { mode: PRIVATE_FILE_MODE });
  await chmod(endpoint.keyPath, PRIVATE_FILE_MODE);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) =>
    serveClient(socket, provider, key, sockets, options.helloTimeoutMs ?? 2000),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(endpoint.path, () => resolve());
  });
  if (!isPipe) await chmod(endpoint.path, PRIVATE_FILE_MODE);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      key.fill(0);
      await rm(endpoint.keyPath, { force: true });
      if (!isPipe) await rm(endpoint.path, { force: true });
    })();
    return closing;
  };
  return { endpoint, close, [Symbol.asyncDispose]: close };
}

function serveClient(
  socket: Socket,
  provider: TransportProvider,
  key: Uint8Array,
  sockets: Set<Socket>,
  helloTimeoutMs: number,
): void {
  sockets.add(socket);
  let authenticated = false;
  let transport: Transport | undefined;
  const watchAbort = new AbortController();
  let queue: Promise<void> = Promise.resolve();
  const send = (type: number, requestId: number, body: Uint8Array): void => {
    if (!socket.destroyed) socket.write(encodeFrame(type, requestId, body));
  };
  const cleanup = (): void => {
    sockets.delete(socket);
    watchAbort.abort();
    void transport?.close().catch(() => undefined);
    transport = undefined;
  };
  socket.on('close', cleanup);
  socket.on('error', () => socket.destroy());
  // An unauthenticated client has a short time to present the key.
  const helloTimer = setTimeout(() => {
    if (!authenticated) socket.destroy();
  }, helloTimeoutMs);
  helloTimer.unref?.();
  const handle = async (type: number, requestId: number, body: Uint8Array): Promise<void> => {
    if (!authenticated) {
      if (type !== Request.HELLO || !timingSafeEqual(body, key)) {
        socket.destroy();
        return;
      }
      authenticated = true;
      clearTimeout(helloTimer);
      send(Reply.OK, requestId, new Uint8Array(0));
      return;
    }
    try {
      switch (type) {
        case Request.LIST: {
          const readers = await provider.listReaders();
          send(Reply.OK, requestId, json(readers.map(readerJson)));
          return;
        }
        case Request.WATCH: {
          send(Reply.OK, requestId, new Uint8Array(0));
          void (async () => {
            for await (const event of provider.watch({ signal: watchAbort.signal })) {
              send(Reply.EVENT, requestId, json(eventJson(event)));
            }
          })().catch(() => undefined);
          return;
        }
        case Request.CONNECT: {
          if (transport !== undefined && !(transport as BaseTransport).isClosed)
            throw new CardError(TransportErrorCode.SHARING_VIOLATION, 'bridge control: already connected');
          const request = parse(body) as { readerId?: unknown; waitForCard?: unknown; timeoutMs?: unknown };
          if (typeof request.readerId !== 'string')
            throw new CardError(TransportErrorCode.PROTOCOL, 'readerId');
          transport = await provider.connect(request.readerId, {
            ...(request.waitForCard === true ? { waitForCard: true } : {}),
            ...(typeof request.timeoutMs === 'number' ? { timeoutMs: request.timeoutMs } : {}),
            signal: watchAbort.signal,
          });
          send(
            Reply.OK,
            requestId,
            json({ atr: Buffer.from(transport.atr).toString('hex'), capabilities: transport.capabilities }),
          );
          return;
        }
        case Request.TRANSMIT: {
          if (transport === undefined)
            throw new CardError(TransportErrorCode.CLOSED, 'bridge control: not connected');
          try {
            const response = await transport.transmit(body);
            send(Reply.OK, requestId, response);
          } finally {
            body.fill(0); // may hold a PIN
          }
          return;
        }
        case Request.RESET: {
          if (transport?.reset === undefined) throw new CardError(TransportErrorCode.NOT_SUPPORTED, 'reset');
          const atr = await transport.reset(body[0] === 1 ? 'cold' : 'warm');
          send(Reply.OK, requestId, atr);
          return;
        }
        case Request.DISCONNECT: {
          await transport?.close();
          transport = undefined;
          send(Reply.OK, requestId, new Uint8Array(0));
          return;
        }
        default:
          throw new CardError(TransportErrorCode.PROTOCOL, `bridge control: unknown request ${type}`);
      }
    } catch (error) {
      send(Reply.ERROR, requestId, errorJson(error));
    }
  };
  const reader = new FrameReader((type, requestId, body) => {
    queue = queue.then(() => handle(type, requestId, body));
  });
  socket.on('data', (chunk: Buffer) => {
    try {
      reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch {
      socket.destroy();
    }
  });
}

function readerJson(reader: ReaderInfo): Record<string, unknown> {
  return {
    id: reader.id,
    label: reader.label,
    cardPresent: reader.cardPresent,
    ...(reader.atr === undefined ? {} : { atr: Buffer.from(reader.atr).toString('hex') }),
  };
}

function readerFromJson(value: Record<string, unknown>): ReaderInfo {
  return {
    id: String(value.id),
    label: String(value.label),
    cardPresent: value.cardPresent === true,
    ...(typeof value.atr === 'string' ? { atr: new Uint8Array(Buffer.from(value.atr, 'hex')) } : {}),
  };
}

function eventJson(event: ReaderEvent): Record<string, unknown> {
  switch (event.type) {
    case 'reader-add':
      return { type: event.type, reader: readerJson(event.reader) };
    case 'card-insert':
      return { type: event.type, readerId: event.readerId, atr: Buffer.from(event.atr).toString('hex') };
    case 'error':
      return { type: event.type, error: JSON.parse(new TextDecoder().decode(errorJson(event.error))) };
    default:
      return { ...event };
  }
}

function eventFromJson(value: Record<string, unknown>): ReaderEvent | undefined {
  switch (value.type) {
    case 'reader-add':
      return { type: 'reader-add', reader: readerFromJson(value.reader as Record<string, unknown>) };
    case 'reader-remove':
      return { type: 'reader-remove', readerId: String(value.readerId) };
    case 'card-insert':
      return {
        type: 'card-insert',
        readerId: String(value.readerId),
        atr: new Uint8Array(Buffer.from(String(value.atr), 'hex')),
      };
    case 'card-remove':
      return { type: 'card-remove', readerId: String(value.readerId) };
    case 'error':
      return { type: 'error', error: errorFromJson(json(value.error)) };
    default:
      return undefined;
  }
}

class ControlTransport extends BaseTransport {
  readonly #client: BridgeControlProvider;
  constructor(client: BridgeControlProvider, atr: Uint8Array, capabilities: TransportCapabilities) {
    super({ kind: 'bridge', atr, capabilities, transmitTimeoutMs: Number.POSITIVE_INFINITY });
    this.#client = client;
  }
  protected exchange(command: Uint8Array, signal: AbortSignal | undefined): Promise<Uint8Array> {
    return this.#client.request(Request.TRANSMIT, command, signal);
  }
  async reset(kind: 'cold' | 'warm', options: SignalOptions = {}): Promise<Uint8Array> {
    this.assertOpen('reset');
    const atr = await this.#client.request(
      Request.RESET,
      Uint8Array.of(kind === 'cold' ? 1 : 2),
      options.signal,
    );
    this.atr = atr;
    return atr;
  }
  protected async release(_info: CloseInfo): Promise<void> {
    await this.#client.request(Request.DISCONNECT, new Uint8Array(0), undefined).catch(() => undefined);
  }
  lost(error: CardError): void {
    this.markClosed({ reason: 'link-lost', error });
  }
}

interface PendingRequest {
  readonly resolve: (body: Uint8Array) => void;
  readonly reject: (error: CardError) => void;
}

/** The provider a second process uses to reach the phone paired by `kakunin bridge pair`. */
export class BridgeControlProvider implements TransportProvider {
  readonly kind = 'bridge';
  readonly #socket: Socket;
  readonly #pending = new Map<number, PendingRequest>();
  readonly #hub = new EventHub<ReaderEvent>();
  #nextId = 1;
  #watching = false;
  #transport: ControlTransport | undefined;
  #failure: CardError | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    const reader = new FrameReader((type, requestId, body) => this.#onFrame(type, requestId, body));
    socket.on('data', (chunk: Buffer) => {
      try {
        reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      } catch (error) {
        this.#fail(error as CardError);
      }
    });
    socket.on('close', () =>
      this.#fail(
        new CardError(TransportErrorCode.LINK_LOST, 'bridge control: `kakunin bridge pair` stopped', {
          remedy: 'bridge.pairing',
        }),
      ),
    );
    socket.on('error', () => undefined);
  }

  /**
   * Connects to a running `kakunin bridge pair`. Without one: SERVICE_UNAVAILABLE (`bridge.pairing`).
   *
   * @example
   * ```ts
   * const provider = await BridgeControlProvider.connect(defaultControlEndpoint(process.env));
   * ```
   */
  static async connect(
    endpoint: ControlEndpoint,
    options: SignalOptions = {},
  ): Promise<BridgeControlProvider> {
    throwIfAborted(options.signal, 'connect');
    const unavailable = (cause: unknown): CardError =>
      new CardError(
        TransportErrorCode.SERVICE_UNAVAILABLE,
        'bridge: no paired phone service; run `kakunin bridge pair` in another terminal first',
        { cause, remedy: 'bridge.pairing' },
      );
    let key: Uint8Array;
    try {
      key = new Uint8Array(Buffer.from((await readFile(endpoint.keyPath, 'utf8')).trim(), 'hex'));
    } catch (cause) {
      throw unavailable(cause);
    }
    const socket = createConnection(endpoint.path);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', (cause) => reject(unavailable(cause)));
    });
    const provider = new BridgeControlProvider(socket);
    try {
      await provider.request(Request.HELLO, key, options.signal);
    } catch (cause) {
      socket.destroy();
      throw unavailable(cause);
    } finally {
      key.fill(0);
    }
    return provider;
  }

  /** @internal One request/response round trip. */
  request(type: number, body: Uint8Array, signal: AbortSignal | undefined): Promise<Uint8Array> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const requestId = this.#nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      const onAbort = (): void => {
        this.#pending.delete(requestId);
        reject(new CardError(TransportErrorCode.ABORTED, 'bridge control: aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(requestId, {
        resolve: (value) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      const frame = encodeFrame(type, requestId, body);
      this.#socket.write(frame, () => frame.fill(0));
    });
  }

  async isSupported(): Promise<boolean> {
    return this.#failure === undefined;
  }

  async listReaders(options: SignalOptions = {}): Promise<ReaderInfo[]> {
    const body = await this.request(Request.LIST, new Uint8Array(0), options.signal);
    return (parse(body) as Record<string, unknown>[]).map(readerFromJson);
  }

  watch(options: SignalOptions = {}): AsyncIterable<ReaderEvent> {
    if (!this.#watching) {
      this.#watching = true;
      void this.request(Request.WATCH, new Uint8Array(0), undefined).catch(() => undefined);
    }
    return this.#hub.watch(() => [], options.signal);
  }

  async connect(readerId: string, options: ConnectOptions = {}): Promise<Transport> {
    if (typeof readerId !== 'string') throw new TypeError('readerId must be a string');
    const body = await this.request(
      Request.CONNECT,
      json({
        readerId,
        waitForCard: options.waitForCard === true,
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      }),
      options.signal,
    );
    const value = parse(body) as { atr: string; capabilities: TransportCapabilities };
    this.#transport = new ControlTransport(
      this,
      new Uint8Array(Buffer.from(value.atr, 'hex')),
      value.capabilities,
    );
    return this.#transport;
  }

  async close(): Promise<void> {
    await this.#transport?.close();
    this.#socket.end();
    this.#fail(new CardError(TransportErrorCode.CLOSED, 'bridge control: closed'));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #onFrame(type: number, requestId: number, body: Uint8Array): void {
    if (type === Reply.EVENT) {
      try {
        const event = eventFromJson(parse(body) as Record<string, unknown>);
        if (event !== undefined) this.#hub.emit(event);
      } catch {
        // Ignore a malformed event.
      }
      return;
    }
    const pending = this.#pending.get(requestId);
    if (pending === undefined) return;
    this.#pending.delete(requestId);
    if (type === Reply.OK) pending.resolve(body);
    else pending.reject(errorFromJson(body));
  }

  #fail(error: CardError): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    this.#transport?.lost(error);
    this.#hub.close();
    this.#socket.destroy();
  }
}
