/**
 * The in-process TransportProvider (kind `sim`): virtual readers holding virtual cards, with
 * insert/remove control for tests and demos. Readers are named like PC/SC readers
 * (`kakunin Simulator 00`, `… 01`). `watch()` replays the current state and then reports
 * inserts and removals as they happen.
 *
 * @example
 * ```ts
 * const provider = new SimulatorProvider({ card: createVirtualCard('plastic', { keyStore }) });
 * await using transport = await provider.connect(provider.readerId, { share: 'exclusive' });
 * provider.remove(); // the pending or next transmit fails with CARD_REMOVED
 * ```
 */
import {
  CardError,
  type ConnectOptions,
  EventHub,
  type ReaderEvent,
  type ReaderInfo,
  type SignalOptions,
  type Transport,
  TransportErrorCode,
  type TransportProvider,
  throwIfAborted,
} from '@kakunin/core/transport';
import type { VirtualCardEndpoint } from '../card-endpoint.js';
import { SimulatorSlot, type SlotListener } from './simulator-slot.js';
import { type CloseDisposition, SimulatorTransport } from './simulator-transport.js';

/**
 * Label prefix of the simulated readers.
 *
 * @example
 * ```ts
 * readers.filter((reader) => reader.id.startsWith(SIMULATOR_READER_PREFIX));
 * ```
 */
export const SIMULATOR_READER_PREFIX = 'kakunin Simulator';

/**
 * Options of the in-process provider.
 *
 * @example
 * ```ts
 * new SimulatorProvider({ card, readers: 2, extendedLength: false });
 * ```
 */
export interface SimulatorProviderOptions {
  /** A card inserted into the first reader at construction. */
  readonly card?: VirtualCardEndpoint;
  /** Number of readers (default 1). */
  readonly readers?: number;
  /** Whether the link carries extended-length APDUs (default true). */
  readonly extendedLength?: boolean;
  /** Reported interface (default `contact`). */
  readonly interface?: 'contact' | 'contactless';
  /** Per-transmit time limit passed to every transport (default 30 000 ms). */
  readonly transmitTimeoutMs?: number;
  /** What `close()` does to the card (default `leave`, like SCARD_LEAVE_CARD). */
  readonly closeDisposition?: CloseDisposition;
  /** Field behaviours of real readers, all off by default (README "Field behaviours"). */
  readonly reader?: ReaderQuirks;
}

/**
 * Reader behaviours seen in the field.
 *
 * @example
 * ```ts
 * new SimulatorProvider({ card, reader: { refusesExtended: true, removalReportDelayMs: 300 } });
 * ```
 */
export interface ReaderQuirks {
  /**
   * The reader claims extended length but SCardTransmit fails with SCARD_E_NOT_TRANSACTED
   * (0x80100016, "Transaction failed") on extended APDUs — ACS readers and commands over 255
   * bytes (transports.md §2.2, node-pcsclite #48). The card never sees the command.
   */
  readonly refusesExtended?: boolean;
  /**
   * The reader mishandles a short `Le = 00` (ISO 7816-3 §12.1.3: Ne = 256): it takes it for "no
   * data expected", passes the command to the card and hands back only the card's status word —
   * 90 00 with no data. Budget contactless readers (ACR122U, mwalle/neopgp#3); OpenSC works around
   * such readers with `max_recv_size = 255` (OpenSC#1731, #1856). Extended Le and Le 01..FF pass.
   */
  readonly mishandlesShortLeZero?: boolean;
  /**
   * Contactless readers report the removal late: connections fail at once (CARD_REMOVED), but
   * `watch()` announces `card-remove` only after this many ms.
   */
  readonly removalReportDelayMs?: number;
}

/**
 * The in-process provider.
 *
 * @example
 * ```ts
 * const provider = new SimulatorProvider({ card: createVirtualCard('plastic', { keyStore }) });
 * ```
 */
export class SimulatorProvider implements TransportProvider {
  readonly kind = 'sim';
  readonly #slots: SimulatorSlot[];
  readonly #hub = new EventHub<ReaderEvent>();
  readonly #options: SimulatorProviderOptions;
  #closed = false;

  constructor(options: SimulatorProviderOptions = {}) {
    const readers = options.readers ?? 1;
    if (!Number.isInteger(readers) || readers < 1 || readers > 16)
      throw new RangeError('options.readers must be 1..16');
    this.#options = options;
    const listener: SlotListener = {
      onInsert: (slot, atr) => this.#emit({ type: 'card-insert', readerId: slot.id, atr: atr.slice() }),
      onRemove: (slot) => {
        const delay = options.reader?.removalReportDelayMs;
        if (delay === undefined || delay <= 0) this.#emit({ type: 'card-remove', readerId: slot.id });
        else setTimeout(() => this.#emit({ type: 'card-remove', readerId: slot.id }), delay).unref?.();
      },
    };
    this.#slots = Array.from({ length: readers }, (_, index) => {
      const name = `${SIMULATOR_READER_PREFIX} ${String(index).padStart(2, '0')}`;
      return new SimulatorSlot(name, name, listener);
    });
    if (options.card !== undefined) this.#slots[0]!.insert(options.card);
  }

  /** Id of the first reader. */
  get readerId(): string {
    return this.#slots[0]!.id;
  }

  #slot(readerId: string | undefined): SimulatorSlot {
    const slot =
      readerId === undefined ? this.#slots[0] : this.#slots.find((candidate) => candidate.id === readerId);
    if (slot === undefined) {
      throw new CardError(
        TransportErrorCode.READER_NOT_FOUND,
        `no simulated reader named ${String(readerId)}`,
      );
    }
    return slot;
  }

  #assertOpen(what: string): void {
    if (this.#closed) throw new CardError(TransportErrorCode.CLOSED, `${what}: provider is closed`);
  }

  #emit(event: ReaderEvent): void {
    this.#hub.emit(event);
  }

  /**
   * Puts `card` into a reader (default: the first), replacing any card there.
   *
   * @example
   * ```ts
   * provider.insert(createVirtualCard('android', { keyStore }));
   * ```
   */
  insert(card: VirtualCardEndpoint, readerId?: string): void {
    this.#assertOpen('insert');
    if (typeof card !== 'object' || card === null || typeof card.process !== 'function') {
      throw new TypeError('insert: card must be a VirtualCardEndpoint');
    }
    this.#slot(readerId).insert(card);
  }

  /**
   * Takes the card out of a reader: it loses power, open connections close with CARD_REMOVED.
   *
   * @example
   * ```ts
   * provider.remove();
   * ```
   */
  remove(readerId?: string): void {
    this.#assertOpen('remove');
    this.#slot(readerId).remove();
  }

  /** The card in a reader, if any. */
  cardIn(readerId?: string): VirtualCardEndpoint | undefined {
    return this.#slot(readerId).card;
  }

  async isSupported(options: SignalOptions = {}): Promise<boolean> {
    throwIfAborted(options.signal, 'isSupported');
    return true;
  }

  async listReaders(options: SignalOptions = {}): Promise<ReaderInfo[]> {
    this.#assertOpen('listReaders');
    throwIfAborted(options.signal, 'listReaders');
    return this.#readerInfos();
  }

  #readerInfos(): ReaderInfo[] {
    return this.#slots.map((slot) => {
      const card = slot.card;
      return {
        id: slot.id,
        label: slot.label,
        cardPresent: card !== undefined,
        ...(card === undefined ? {} : { atr: card.atr.slice() }),
      };
    });
  }

  async *watch(options: SignalOptions = {}): AsyncIterable<ReaderEvent> {
    this.#assertOpen('watch');
    throwIfAborted(options.signal, 'watch');
    yield* this.#hub.watch(() => this.#snapshotEvents(), options.signal);
  }

  /** The current state as events: `reader-add` per reader, `card-insert` per card present. */
  #snapshotEvents(): ReaderEvent[] {
    return this.#readerInfos().flatMap((reader): ReaderEvent[] =>
      reader.cardPresent && reader.atr !== undefined
        ? [
            { type: 'reader-add', reader },
            { type: 'card-insert', readerId: reader.id, atr: reader.atr },
          ]
        : [{ type: 'reader-add', reader }],
    );
  }

  async connect(readerId: string, options: ConnectOptions = {}): Promise<Transport> {
    this.#assertOpen('connect');
    if (typeof readerId !== 'string') throw new TypeError('connect: readerId must be a string');
    throwIfAborted(options.signal, 'connect');
    const slot = this.#slot(readerId);
    if (slot.card === undefined) {
      if (options.waitForCard !== true) {
        throw new CardError(TransportErrorCode.CARD_ABSENT, `no card in ${slot.label}`, {
          remedy: 'card.moved',
        });
      }
      await this.#waitForCard(slot, options);
    }
    const share = options.share ?? 'shared';
    if (slot.exclusive || (share === 'exclusive' && slot.connections.size > 0)) {
      throw new CardError(
        TransportErrorCode.SHARING_VIOLATION,
        `${slot.label} is in use by another connection`,
      );
    }
    const atr = slot.ensurePowered();
    const transport = new SimulatorTransport(slot, atr, {
      extendedLength: this.#options.extendedLength ?? true,
      interface: this.#options.interface ?? 'contact',
      closeDisposition: this.#options.closeDisposition ?? 'leave',
      refusesExtended: this.#options.reader?.refusesExtended === true,
      mishandlesShortLeZero: this.#options.reader?.mishandlesShortLeZero === true,
      ...(this.#options.transmitTimeoutMs === undefined
        ? {}
        : { transmitTimeoutMs: this.#options.transmitTimeoutMs }),
    });
    slot.connections.add(transport);
    if (share === 'exclusive') slot.exclusive = true;
    return transport;
  }

  async #waitForCard(slot: SimulatorSlot, options: ConnectOptions): Promise<void> {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      options.timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(), options.timeoutMs);
    try {
      for await (const event of this.watch({ signal: controller.signal })) {
        if (event.type === 'card-insert' && event.readerId === slot.id) return;
      }
      throwIfAborted(options.signal, 'connect');
      if (this.#closed)
        throw new CardError(TransportErrorCode.CLOSED, 'connect: provider closed while waiting');
      throw new CardError(
        TransportErrorCode.TIMEOUT,
        `connect: no card in ${slot.label} within ${options.timeoutMs} ms`,
      );
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#hub.close();
    const transports = this.#slots.flatMap((slot) => [...slot.connections]);
    await Promise.all(transports.map((transport) => transport.close()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
