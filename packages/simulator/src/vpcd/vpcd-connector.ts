/**
 * Makes a virtual card appear in a real pcscd through vsmartcard's vpcd reader driver
 * (transports.md §3). vpcd listens on TCP 35963 + slot; the card connects to it ("normal mode").
 * Connecting is inserting the card, closing the socket is removing it (§3.3): pcscd notices
 * within its 400 ms presence poll.
 *
 * A card that announces its own removal (a {@link RemovalSource}, e.g. a `FaultyCardEndpoint`
 * whose `remove` rule fired) is taken out of the reader the same way; call `insert()` again after
 * the card was restored.
 *
 * vpcd binds every interface without authentication (§3.1): keep it firewalled, and point this
 * connector at the loopback address (the default).
 *
 * @example
 * ```ts
 * import { VpcdConnector } from '@kakunin/simulator';
 *
 * await using connector = new VpcdConnector({ card, slot: 0 });
 * await connector.insert();
 * console.log(`card present in "${connector.readerName}"`); // Virtual PCD 00 00
 * await connector.remove();
 * ```
 */
import { connect, type Socket } from 'node:net';
import { CardError, throwIfAborted } from '@kakunin/core/transport';
import type { VirtualCardEndpoint } from '../card-endpoint.js';
import { isRemovalSource } from '../card-removal.js';
import {
  encodeVpcdFrame,
  VPCD_BASE_PORT,
  VPCD_DEFAULT_SLOTS,
  VPCD_MAX_ATR,
  VPCD_MAX_FRAME,
  VpcdControl,
  VpcdFrameReader,
} from './vpcd-protocol.js';

/** Friendly name Debian's /etc/reader.conf.d/vpcd gives the driver ("Virtual PCD"). */
export const VPCD_FRIENDLY_NAME = 'Virtual PCD';

/** Get ATR polls after which a card counts as present even if pcscd did not power it. */
const PRESENCE_POLLS_WITHOUT_POWER = 3;
/** Time pcscd needs after the driver's power-up returns to publish the new reader state, ms. */
const PUBLISH_GRACE_MS = 20;

/** SW 6F 00 "no precise diagnosis" (ISO/IEC 7816-4 §5.6): answered if the card itself fails. */
const SW_NO_PRECISE_DIAGNOSIS = Uint8Array.of(0x6f, 0x00);

/**
 * The PC/SC reader name pcscd gives vpcd's slot with Debian's configuration:
 * FRIENDLYNAME, reader index `00`, slot number (transports.md §3.1).
 *
 * @example
 * ```ts
 * vpcdReaderName(1); // 'Virtual PCD 00 01'
 * ```
 */
export function vpcdReaderName(slot: number, readerIndex = 0): string {
  const two = (value: number): string => value.toString(16).toUpperCase().padStart(2, '0');
  return `${VPCD_FRIENDLY_NAME} ${two(readerIndex)} ${two(slot)}`;
}

/** What the connector reports while it runs. */
export type VpcdConnectorEvent =
  | { readonly type: 'connected' }
  | { readonly type: 'power-on' }
  | { readonly type: 'power-off' }
  | { readonly type: 'reset' }
  | { readonly type: 'apdu'; readonly commandLength: number; readonly responseLength: number }
  | {
      readonly type: 'disconnected';
      /** `removed`: remove()/close(); `peer-closed`: vpcd or pcscd went away; `error`: I/O error. */
      readonly reason: 'removed' | 'peer-closed' | 'error';
      readonly error?: CardError;
    }
  | { readonly type: 'error'; readonly error: CardError };

export interface VpcdConnectorOptions {
  /** The virtual card to present. */
  readonly card: VirtualCardEndpoint;
  /** vpcd slot: 0 → port 35963, 1 → 35964 (default 0). */
  readonly slot?: number;
  /** vpcd host (default 127.0.0.1). */
  readonly host?: string;
  /** Overrides the port derived from the slot. */
  readonly port?: number;
  /** How long insert() waits for pcscd to notice and power the card, ms (default 5000; pcscd polls every 400 ms). */
  readonly presenceTimeoutMs?: number;
  /**
   * When set, the card re-inserts itself this many ms after vpcd/pcscd dropped it (pcscd restart).
   * A remove() or close() stops this.
   */
  readonly reconnectIntervalMs?: number;
  /** Observer for connection, power and APDU events (payload bytes are never reported). */
  readonly onEvent?: (event: VpcdConnectorEvent) => void;
}

interface Connection {
  readonly socket: Socket;
  readonly frames: VpcdFrameReader;
  queue: Promise<void>;
  /** Power-on seen on this connection (pcscd powers a card up when it notices it). */
  poweredOn: boolean;
  getAtrCount: number;
  /** Resolves once pcscd has noticed and powered the card. */
  markPresent: () => void;
  presence: Promise<void>;
}

/**
 * Presents a {@link VirtualCardEndpoint} to pcscd through vpcd.
 *
 * @example
 * ```ts
 * const connector = new VpcdConnector({ card, slot: 1, reconnectIntervalMs: 500 });
 * await connector.insert();
 * ```
 */
export class VpcdConnector implements AsyncDisposable {
  readonly slot: number;
  readonly host: string;
  readonly port: number;
  /** The PC/SC reader name this slot has with Debian's vpcd configuration. */
  readonly readerName: string;
  readonly #card: VirtualCardEndpoint;
  readonly #presenceTimeoutMs: number;
  readonly #reconnectIntervalMs: number | undefined;
  readonly #onEvent: ((event: VpcdConnectorEvent) => void) | undefined;
  #connection: Connection | undefined;
  #opening: Promise<Connection> | undefined;
  /** True between insert() and remove(): the card should be in the reader. */
  #wanted = false;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  readonly #stopFollowingCard: (() => void) | undefined;

  constructor(options: VpcdConnectorOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('VpcdConnector: options must be an object');
    }
    const { card } = options;
    if (typeof card !== 'object' || card === null || typeof card.process !== 'function') {
      throw new TypeError('VpcdConnector: options.card must be a VirtualCardEndpoint');
    }
    if (!(card.atr instanceof Uint8Array) || card.atr.length === 0 || card.atr.length > VPCD_MAX_ATR) {
      throw new RangeError(`VpcdConnector: options.card.atr must be 1..${VPCD_MAX_ATR} bytes`);
    }
    const slot = options.slot ?? 0;
    if (!Number.isInteger(slot) || slot < 0 || slot > 15) {
      throw new RangeError('VpcdConnector: options.slot must be an integer 0..15');
    }
    if (slot >= VPCD_DEFAULT_SLOTS && options.port === undefined) {
      // Debian's vpcd has two slots; more need a rebuilt driver (transports.md §3.1).
      throw new RangeError(
        `VpcdConnector: options.slot ${slot} needs options.port (Debian vpcd has 2 slots)`,
      );
    }
    const port = options.port ?? VPCD_BASE_PORT + slot;
    if (!Number.isInteger(port) || port < 1 || port > 0xffff) {
      throw new RangeError('VpcdConnector: options.port must be an integer 1..65535');
    }
    this.#card = card;
    this.slot = slot;
    this.port = port;
    this.host = options.host ?? '127.0.0.1';
    this.readerName = vpcdReaderName(slot);
    this.#presenceTimeoutMs = options.presenceTimeoutMs ?? 5000;
    this.#reconnectIntervalMs = options.reconnectIntervalMs;
    this.#onEvent = options.onEvent;
    // A card that leaves on its own (fault injection) is taken out of the reader: pcscd sees it go.
    this.#stopFollowingCard = isRemovalSource(card)
      ? card.onRemoval(() => {
          void this.remove();
        })
      : undefined;
  }

  /** True while the card's socket to vpcd is open. */
  get isInserted(): boolean {
    return this.#connection !== undefined;
  }

  /**
   * Inserts the card: connects to vpcd and resolves once pcscd has noticed and powered it (the
   * card is then present in PC/SC). Rejects SERVICE_UNAVAILABLE if vpcd is not listening.
   */
  async insert(options: { readonly signal?: AbortSignal } = {}): Promise<void> {
    if (this.#closed) throw new CardError('CLOSED', 'VpcdConnector: insert() after close()');
    throwIfAborted(options.signal, 'VpcdConnector.insert');
    this.#wanted = true;
    this.#clearReconnect();
    let connection = this.#connection;
    if (connection === undefined) {
      this.#opening ??= this.#open().finally(() => {
        this.#opening = undefined;
      });
      connection = await this.#opening;
    }
    if (!this.#wanted || this.#closed) {
      await this.#drop(connection, 'removed');
      throw new CardError('ABORTED', 'VpcdConnector.insert: the card was removed while inserting');
    }
    await this.#waitForPresence(connection, options.signal);
  }

  /** Removes the card: closes the socket, so pcscd reports the card gone. Idempotent. */
  async remove(): Promise<void> {
    this.#wanted = false;
    this.#clearReconnect();
    const connection = this.#connection;
    if (connection === undefined) return;
    await this.#drop(connection, 'removed');
  }

  /** Removes the card and stops reconnecting. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#stopFollowingCard?.();
    await this.remove();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #emit(event: VpcdConnectorEvent): void {
    try {
      this.#onEvent?.(event);
    } catch {
      // An observer's failure must not break the card.
    }
  }

  #clearReconnect(): void {
    if (this.#reconnectTimer !== undefined) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
  }

  #open(): Promise<Connection> {
    return new Promise<Connection>((resolve, reject) => {
      const socket = connect({ host: this.host, port: this.port, noDelay: true });
      const onConnectError = (error: Error): void => {
        socket.destroy();
        reject(
          new CardError(
            'SERVICE_UNAVAILABLE',
            `VpcdConnector: vpcd is not listening on ${this.host}:${this.port} (is pcscd running with the vpcd driver?)`,
            { cause: error, remedy: 'pcsc.service', details: { host: this.host, port: this.port } },
          ),
        );
      };
      socket.once('error', onConnectError);
      socket.once('connect', () => {
        socket.off('error', onConnectError);
        let markPresent!: () => void;
        const presence = new Promise<void>((resolvePresence) => {
          markPresent = resolvePresence;
        });
        const connection: Connection = {
          socket,
          frames: new VpcdFrameReader(),
          queue: Promise.resolve(),
          poweredOn: false,
          getAtrCount: 0,
          markPresent,
          presence,
        };
        this.#connection = connection;
        socket.on('data', (chunk: Uint8Array) => this.#onData(connection, chunk));
        socket.on('error', (error) => {
          this.#lost(
            connection,
            'error',
            new CardError('IO', `VpcdConnector: socket error: ${error.message}`, { cause: error }),
          );
        });
        socket.on('close', () => this.#lost(connection, 'peer-closed'));
        this.#emit({ type: 'connected' });
        resolve(connection);
      });
    });
  }

  async #waitForPresence(connection: Connection, signal: AbortSignal | undefined): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    try {
      await Promise.race([
        connection.presence,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new CardError(
                  'TIMEOUT',
                  `VpcdConnector: pcscd did not poll the card within ${this.#presenceTimeoutMs} ms`,
                  { remedy: 'pcsc.service', details: { port: this.port } },
                ),
              ),
            this.#presenceTimeoutMs,
          );
          onAbort = () => reject(new CardError('ABORTED', 'VpcdConnector.insert: aborted'));
          signal?.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    }
  }

  #onData(connection: Connection, chunk: Uint8Array): void {
    let frames: Uint8Array[];
    try {
      frames = connection.frames.push(chunk);
    } catch (error) {
      this.#lost(connection, 'error', error as CardError);
      return;
    }
    for (const frame of frames) {
      connection.queue = connection.queue.then(() => this.#handle(connection, frame));
    }
  }

  async #handle(connection: Connection, frame: Uint8Array): Promise<void> {
    if (this.#connection !== connection) return;
    if (frame.length === 1) {
      switch (frame[0]) {
        case VpcdControl.POWER_OFF:
          this.#card.powerOff();
          this.#emit({ type: 'power-off' });
          return;
        case VpcdControl.POWER_ON:
          this.#card.powerOn();
          connection.poweredOn = true;
          this.#emit({ type: 'power-on' });
          return;
        case VpcdControl.RESET:
          this.#card.warmReset();
          this.#emit({ type: 'reset' });
          return;
        case VpcdControl.GET_ATR:
          this.#send(connection, this.#card.atr);
          connection.getAtrCount += 1;
          // pcscd asks for the ATR when polling presence and again inside its power-up; it publishes
          // the card right after the power-up (or, if it never powers, after a few polls).
          if (connection.poweredOn || connection.getAtrCount >= PRESENCE_POLLS_WITHOUT_POWER) {
            setTimeout(connection.markPresent, PUBLISH_GRACE_MS);
          }
          return;
        default:
          this.#emit({
            type: 'error',
            error: new CardError('PROTOCOL', `VpcdConnector: unknown vpcd control byte ${frame[0]}`),
          });
          return;
      }
    }
    let response: Uint8Array;
    try {
      response = await this.#card.process(frame);
    } catch (error) {
      this.#emit({
        type: 'error',
        error: new CardError('IO', 'VpcdConnector: the virtual card failed to process a command', {
          cause: error,
        }),
      });
      response = SW_NO_PRECISE_DIAGNOSIS;
    }
    if (this.#connection !== connection) return; // removed while the card was working
    if (!(response instanceof Uint8Array) || response.length < 2 || response.length > VPCD_MAX_FRAME) {
      this.#lost(
        connection,
        'error',
        new CardError('PROTOCOL', 'VpcdConnector: the card answer cannot be framed for vpcd', {
          details: { length: response instanceof Uint8Array ? response.length : -1 },
        }),
      );
      return;
    }
    this.#send(connection, response);
    this.#emit({ type: 'apdu', commandLength: frame.length, responseLength: response.length });
  }

  #send(connection: Connection, payload: Uint8Array): void {
    if (connection.socket.destroyed) return;
    connection.socket.write(encodeVpcdFrame(payload));
  }

  async #drop(connection: Connection, reason: 'removed' | 'peer-closed' | 'error'): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      if (connection.socket.closed) resolve();
      else connection.socket.once('close', () => resolve());
    });
    this.#lost(connection, reason);
    connection.socket.destroy();
    await closed;
  }

  #lost(connection: Connection, reason: 'removed' | 'peer-closed' | 'error', error?: CardError): void {
    if (this.#connection !== connection) return;
    this.#connection = undefined;
    connection.socket.destroy();
    this.#emit(
      error === undefined ? { type: 'disconnected', reason } : { type: 'disconnected', reason, error },
    );
    if (reason !== 'removed') this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    const interval = this.#reconnectIntervalMs;
    if (interval === undefined || !this.#wanted || this.#closed || this.#reconnectTimer !== undefined) return;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (!this.#wanted || this.#closed || this.#connection !== undefined) return;
      this.#open().then(
        (connection) => {
          if (!this.#wanted || this.#closed) void this.#drop(connection, 'removed');
        },
        () => this.#scheduleReconnect(),
      );
    }, interval);
  }
}
