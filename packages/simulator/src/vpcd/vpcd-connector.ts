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
 * The socket lives in a worker thread that answers pcscd's presence polls (Get ATR) on its own,
 * so a PC/SC client on the card's thread can make synchronous PC/SC calls without deadlocking
 * against pcscd (vpcd-socket-worker.ts). APDUs and power control still run on the card's thread,
 * in order; the remaining caveat is a synchronous PC/SC call on that thread while a command is
 * being sent to this same card by another connection.
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
import { Worker } from 'node:worker_threads';
import { CardError, throwIfAborted } from '@kakunin/core/transport';
import type { VirtualCardEndpoint } from '../card-endpoint.js';
import { isRemovalSource } from '../card-removal.js';
import {
  VPCD_BASE_PORT,
  VPCD_DEFAULT_SLOTS,
  VPCD_LENGTH_PREFIX,
  VPCD_MAX_ATR,
  VPCD_MAX_FRAME,
  VpcdControl,
} from './vpcd-protocol.js';
import {
  type FromSocketWorker,
  type SocketWorkerData,
  type ToSocketWorker,
  vpcdSocketWorkerSource,
} from './vpcd-socket-worker.js';

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

interface Session {
  readonly id: number;
  /** Commands and power control, applied to the card one after another. */
  queue: Promise<void>;
  established: boolean;
  /** Power-on seen on this connection (pcscd powers a card up when it notices it). */
  poweredOn: boolean;
  getAtrCount: number;
  /** Resolves once pcscd has noticed and powered the card. */
  markPresent: () => void;
  presence: Promise<void>;
  /** Settles when the TCP connection is up (or failed). */
  opened: Promise<void>;
  openedResolve: () => void;
  openedReject: (error: CardError) => void;
  /** Resolves when the worker reports the socket closed. */
  ended: Promise<void>;
  endedResolve: () => void;
  /** Why we are closing it ourselves, if we are. */
  closing: { reason: 'removed' | 'error'; error?: CardError } | undefined;
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
  #worker: Worker | undefined;
  #nextSession = 1;
  /** The open (or opening) connection to vpcd. */
  #session: Session | undefined;
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

  /** True while the card's connection to vpcd is open. */
  get isInserted(): boolean {
    return this.#session?.established === true && this.#session.closing === undefined;
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
    const session = this.#session ?? this.#open();
    await session.opened;
    if (!this.#wanted || this.#closed) {
      await this.#end(session, 'removed');
      throw new CardError('ABORTED', 'VpcdConnector.insert: the card was removed while inserting');
    }
    await this.#waitForPresence(session, options.signal);
  }

  /** Removes the card: closes the connection, so pcscd reports the card gone. Idempotent. */
  async remove(): Promise<void> {
    this.#wanted = false;
    this.#clearReconnect();
    const session = this.#session;
    if (session !== undefined) await this.#end(session, 'removed');
  }

  /** Removes the card, stops reconnecting and ends the socket thread. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#stopFollowingCard?.();
    await this.remove();
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
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

  #post(message: ToSocketWorker): void {
    this.#worker?.postMessage(message);
  }

  #getWorker(): Worker {
    if (this.#worker === undefined) {
      const workerData: SocketWorkerData = { getAtr: VpcdControl.GET_ATR, lengthPrefix: VPCD_LENGTH_PREFIX };
      const worker = new Worker(vpcdSocketWorkerSource(), { eval: true, workerData });
      worker.on('message', (message: FromSocketWorker) => this.#onWorkerMessage(message));
      worker.on('error', (error) => {
        const session = this.#session;
        if (session !== undefined) {
          this.#lost(
            session,
            'error',
            new CardError('IO', `VpcdConnector: socket thread failed: ${error.message}`, { cause: error }),
          );
        }
      });
      this.#worker = worker;
    }
    return this.#worker;
  }

  /** Starts a new connection to vpcd. */
  #open(): Session {
    const worker = this.#getWorker();
    worker.ref();
    let markPresent!: () => void;
    const presence = new Promise<void>((resolve) => {
      markPresent = resolve;
    });
    let openedResolve!: () => void;
    let openedReject!: (error: CardError) => void;
    const opened = new Promise<void>((resolve, reject) => {
      openedResolve = resolve;
      openedReject = reject;
    });
    opened.catch(() => undefined);
    let endedResolve!: () => void;
    const ended = new Promise<void>((resolve) => {
      endedResolve = resolve;
    });
    const session: Session = {
      id: this.#nextSession++,
      queue: Promise.resolve(),
      established: false,
      poweredOn: false,
      getAtrCount: 0,
      markPresent,
      presence,
      opened,
      openedResolve,
      openedReject,
      ended,
      endedResolve,
      closing: undefined,
    };
    this.#session = session;
    this.#post({
      type: 'connect',
      session: session.id,
      host: this.host,
      port: this.port,
      atr: this.#card.atr,
    });
    return session;
  }

  async #waitForPresence(session: Session, signal: AbortSignal | undefined): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    try {
      await Promise.race([
        session.presence,
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

  #onWorkerMessage(message: FromSocketWorker): void {
    const session = this.#session;
    if (session === undefined || message.session !== session.id) return;
    switch (message.type) {
      case 'connected':
        session.established = true;
        this.#emit({ type: 'connected' });
        session.openedResolve();
        return;
      case 'get-atr':
        session.getAtrCount += 1;
        // pcscd asks for the ATR when polling presence and again inside its power-up; it publishes
        // the card right after the power-up (or, if it never powers, after a few polls).
        if (session.poweredOn || session.getAtrCount >= PRESENCE_POLLS_WITHOUT_POWER) {
          setTimeout(session.markPresent, PUBLISH_GRACE_MS);
        }
        return;
      case 'control':
        if (message.byte === VpcdControl.POWER_ON) session.poweredOn = true;
        session.queue = session.queue.then(() => this.#control(session, message.byte));
        return;
      case 'apdu':
        session.queue = session.queue.then(() => this.#apdu(session, message.bytes));
        return;
      case 'protocol-error':
        this.#lost(session, 'error', new CardError('PROTOCOL', `VpcdConnector: ${message.message}`));
        return;
      case 'closed':
        this.#closedByWorker(session, message.established, message.error);
        return;
    }
  }

  #control(session: Session, byte: number): void {
    if (this.#session !== session) return;
    switch (byte) {
      case VpcdControl.POWER_OFF:
        this.#card.powerOff();
        this.#emit({ type: 'power-off' });
        return;
      case VpcdControl.POWER_ON: {
        const atr = this.#card.powerOn();
        this.#post({ type: 'atr', atr });
        this.#emit({ type: 'power-on' });
        return;
      }
      case VpcdControl.RESET:
        this.#card.warmReset();
        this.#emit({ type: 'reset' });
        return;
      default:
        this.#emit({
          type: 'error',
          error: new CardError('PROTOCOL', `VpcdConnector: unknown vpcd control byte ${byte}`),
        });
    }
  }

  async #apdu(session: Session, command: Uint8Array): Promise<void> {
    if (this.#session !== session || session.closing !== undefined) return;
    let response: Uint8Array;
    try {
      response = await this.#card.process(command);
    } catch (error) {
      this.#emit({
        type: 'error',
        error: new CardError('IO', 'VpcdConnector: the virtual card failed to process a command', {
          cause: error,
        }),
      });
      response = SW_NO_PRECISE_DIAGNOSIS;
    }
    if (this.#session !== session || session.closing !== undefined) return; // removed meanwhile
    if (!(response instanceof Uint8Array) || response.length < 2 || response.length > VPCD_MAX_FRAME) {
      this.#lost(
        session,
        'error',
        new CardError('PROTOCOL', 'VpcdConnector: the card answer cannot be framed for vpcd', {
          details: { length: response instanceof Uint8Array ? response.length : -1 },
        }),
      );
      return;
    }
    this.#post({ type: 'answer', session: session.id, bytes: response });
    this.#emit({ type: 'apdu', commandLength: command.length, responseLength: response.length });
  }

  /** Closes the connection ourselves and waits until the socket is gone. */
  async #end(session: Session, reason: 'removed' | 'error', error?: CardError): Promise<void> {
    if (session.closing === undefined) {
      session.closing = error === undefined ? { reason } : { reason, error };
      this.#post({ type: 'disconnect', session: session.id });
    }
    await session.ended;
  }

  #lost(session: Session, reason: 'error', error: CardError): void {
    void this.#end(session, reason, error);
  }

  #closedByWorker(session: Session, established: boolean, failure: string | undefined): void {
    if (this.#session === session) this.#session = undefined;
    session.endedResolve();
    if (!established) {
      session.openedReject(
        new CardError(
          'SERVICE_UNAVAILABLE',
          `VpcdConnector: vpcd is not listening on ${this.host}:${this.port} (is pcscd running with the vpcd driver?)`,
          {
            ...(failure === undefined ? {} : { cause: new Error(failure) }),
            remedy: 'pcsc.service',
            details: { host: this.host, port: this.port },
          },
        ),
      );
    }
    if (this.#session === undefined) this.#worker?.unref();
    if (!established && session.closing === undefined) {
      this.#scheduleReconnect();
      return;
    }
    const closing = session.closing;
    if (closing !== undefined) {
      this.#emit(
        closing.error === undefined
          ? { type: 'disconnected', reason: closing.reason }
          : { type: 'disconnected', reason: closing.reason, error: closing.error },
      );
      if (closing.reason === 'error') this.#scheduleReconnect();
      return;
    }
    this.#emit(
      failure === undefined
        ? { type: 'disconnected', reason: 'peer-closed' }
        : {
            type: 'disconnected',
            reason: 'error',
            error: new CardError('IO', `VpcdConnector: socket error: ${failure}`),
          },
    );
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    const interval = this.#reconnectIntervalMs;
    if (interval === undefined || !this.#wanted || this.#closed || this.#reconnectTimer !== undefined) return;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (!this.#wanted || this.#closed || this.#session !== undefined) return;
      this.#open();
    }, interval);
  }
}
