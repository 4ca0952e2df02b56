/**
 * The PC/SC `TransportProvider`: lists readers, watches readers and cards (replaying the current
 * state first), and opens card connections — through pcsc-lite on Linux/macOS and WinSCard on
 * Windows, via the `smartcard` N-API binding (see README, "Binding choice").
 *
 * @example
 * ```ts
 * import { createPcscProvider } from '@kakunin/transport-pcsc';
 *
 * await using provider = createPcscProvider();
 * for (const reader of await provider.listReaders()) console.log(reader.label, reader.cardPresent);
 * await using transport = await provider.connect(readerId, { share: 'exclusive', waitForCard: true });
 * ```
 */
import {
  CardError,
  type ConnectOptions,
  EventHub,
  type ReaderEvent,
  type ReaderInfo,
  type SignalOptions,
  type TransportProvider,
  throwIfAborted,
} from '@kakunin/core/transport';
import { loadNativeBinding } from './binding/load-native-binding.js';
import type { NativeBinding, NativeCard, NativeContext } from './binding/native-binding.js';
import { mapPcscError } from './map-pcsc-error.js';
import { type PcscDisposition, PcscTransport } from './pcsc-transport.js';
import { pcscCapabilities, readMaxApduDataSize } from './reader-capabilities.js';
import { type MonitorEvent, ReaderMonitor } from './reader-monitor.js';

/** PC/SC-specific connection options. */
export interface PcscConnectOptions extends ConnectOptions {
  /** Protocol to negotiate (default: T=0 or T=1, whichever the card offers). */
  readonly protocol?: 'T0' | 'T1' | 'any';
  /**
   * What closing does to the card (default `unpower`: every verified PIN is cleared, as
   * jpki-card.md §8 requires after VERIFY; `leave` keeps it powered for other applications).
   */
  readonly disposition?: PcscDisposition;
  /**
   * Extended-length APDUs: `false` (default, short APDUs only: 261-byte commands, 258-byte
   * responses), `true` (the caller knows the reader carries them), or `'detect'` (ask the reader
   * for its PC/SC Part 10 dwMaxAPDUDataSize; short when it does not say).
   */
  readonly extendedLength?: boolean | 'detect';
  /** Overrides the reported maximum command length. */
  readonly maxCommandLength?: number;
  /** Overrides the response buffer size (and the reported maximum). */
  readonly maxResponseLength?: number;
  /** Per-transmit time limit, ms (default 30 000). */
  readonly transmitTimeoutMs?: number;
}

export interface PcscProviderOptions {
  /** Defaults applied to every connect(). */
  readonly connect?: Omit<PcscConnectOptions, 'signal'>;
  /** Upper bound of one status wait, ms (default 2000; changes arrive immediately anyway). */
  readonly monitorWaitMs?: number;
  /** Retry interval while the PC/SC service is down, ms (default 500). */
  readonly serviceRetryMs?: number;
}

/** vsmartcard's reader name prefix: a cleartext TCP link without authentication (transports.md §3.1). */
const VPCD_READER_PREFIX = 'Virtual PCD';
/** Default wait for a card with `waitForCard` when no timeout is given, ms. */
const DEFAULT_WAIT_FOR_CARD_MS = 60_000;

function linkSecurityFor(readerName: string): string {
  return readerName.startsWith(VPCD_READER_PREFIX)
    ? 'vpcd virtual reader: cleartext TCP to pcscd, no authentication (transports.md §3.1)'
    : 'local PC/SC reader: APDUs are visible to software on this computer';
}

function toReaderEvent(event: MonitorEvent): ReaderEvent | undefined {
  switch (event.type) {
    case 'reader-add': {
      const { reader } = event;
      return {
        type: 'reader-add',
        reader: {
          id: reader.name,
          label: reader.name,
          cardPresent: reader.present,
          ...(reader.atr === undefined ? {} : { atr: new Uint8Array(reader.atr) }),
        },
      };
    }
    case 'reader-remove':
      return { type: 'reader-remove', readerId: event.name };
    case 'card-insert':
      return { type: 'card-insert', readerId: event.name, atr: new Uint8Array(event.atr) };
    case 'card-remove':
      return { type: 'card-remove', readerId: event.name };
    case 'service-down':
      return { type: 'error', error: event.error };
    case 'service-up':
      return undefined;
  }
}

/**
 * PC/SC provider. One per application is enough; each connection gets its own PC/SC context.
 *
 * @example
 * ```ts
 * const provider = new PcscProvider({ connect: { extendedLength: 'detect' } });
 * ```
 */
export class PcscProvider implements TransportProvider {
  readonly kind = 'pcsc';
  readonly #options: PcscProviderOptions;
  readonly #transports = new Set<PcscTransport>();
  readonly #watchers = new Set<EventHub<ReaderEvent>>();
  #binding: NativeBinding | undefined;
  #monitor: ReaderMonitor | undefined;
  #queryContext: NativeContext | undefined;
  #unsubscribeTransports: (() => void) | undefined;
  #closed = false;

  constructor(options: PcscProviderOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('PcscProvider: options must be an object');
    }
    this.#options = options;
  }

  #assertOpen(what: string): void {
    if (this.#closed) throw new CardError('CLOSED', `${what}: the PC/SC provider is closed`);
  }

  #getBinding(): NativeBinding {
    this.#binding ??= loadNativeBinding();
    return this.#binding;
  }

  #getMonitor(): ReaderMonitor {
    this.#monitor ??= new ReaderMonitor(this.#getBinding(), {
      ...(this.#options.monitorWaitMs === undefined ? {} : { waitTimeoutMs: this.#options.monitorWaitMs }),
      ...(this.#options.serviceRetryMs === undefined ? {} : { serviceRetryMs: this.#options.serviceRetryMs }),
    });
    return this.#monitor;
  }

  /** True when the PC/SC binding loads on this platform (the service may still be stopped). */
  async isSupported(options: SignalOptions = {}): Promise<boolean> {
    throwIfAborted(options.signal, 'isSupported');
    try {
      this.#getBinding();
      return true;
    } catch {
      return false;
    }
  }

  /** Runs `body` on the provider's short-call context, re-establishing it once if it went stale. */
  #query<T>(operation: string, body: (context: NativeContext) => T): T {
    const binding = this.#getBinding();
    for (let attempt = 0; ; attempt += 1) {
      try {
        this.#queryContext ??= binding.createContext();
        return body(this.#queryContext);
      } catch (error) {
        const mapped = mapPcscError(error, operation);
        try {
          this.#queryContext?.close();
        } catch {
          // Already invalid.
        }
        this.#queryContext = undefined;
        if (attempt >= 1 || mapped.code === 'READER_NOT_FOUND') throw mapped;
      }
    }
  }

  /**
   * Lists the readers with card presence and ATR. No reader is an empty list, not an error;
   * a stopped service is SERVICE_UNAVAILABLE (remedy `pcsc.service`).
   */
  async listReaders(options: SignalOptions = {}): Promise<ReaderInfo[]> {
    this.#assertOpen('listReaders');
    throwIfAborted(options.signal, 'listReaders');
    const { constants } = this.#getBinding();
    return this.#query('listReaders', (context) =>
      context.listReaders().map((reader) => {
        const present = (reader.state & constants.SCARD_STATE_PRESENT) !== 0;
        const atr =
          present && reader.atr !== null && reader.atr.length > 0 ? new Uint8Array(reader.atr) : undefined;
        return {
          id: reader.name,
          label: reader.name,
          cardPresent: present,
          ...(atr === undefined ? {} : { atr }),
        };
      }),
    );
  }

  /**
   * Reader and card events. The current state comes first (`reader-add` per reader, then
   * `card-insert` for each card already present); later changes follow as they happen. When the
   * service stops, an `error` event (SERVICE_UNAVAILABLE) and `reader-remove`s are yielded, and the
   * readers are added again once it is back. Ends when `signal` aborts or the provider closes.
   */
  watch(options: SignalOptions = {}): AsyncIterable<ReaderEvent> {
    this.#assertOpen('watch');
    const { signal } = options;
    const provider = this;
    return {
      [Symbol.asyncIterator]: async function* () {
        throwIfAborted(signal, 'watch');
        provider.#assertOpen('watch');
        // One hub per watcher: the monitor replays the current state on subscribe (kept as the
        // hub's snapshot), then live events follow.
        const hub = new EventHub<ReaderEvent>();
        const replayed: ReaderEvent[] = [];
        let live = false;
        const monitor = provider.#getMonitor();
        const unsubscribe = monitor.subscribe(
          (event) => {
            const readerEvent = toReaderEvent(event);
            if (readerEvent === undefined) return;
            if (live) hub.emit(readerEvent);
            else replayed.push(readerEvent);
          },
          { replay: true },
        );
        provider.#watchers.add(hub);
        try {
          yield* hub.watch(() => {
            live = true;
            return replayed;
          }, signal);
        } finally {
          provider.#watchers.delete(hub);
          unsubscribe();
        }
      },
    };
  }

  /** Keeps the monitor running while transports are open, to notice removals. */
  #trackTransports(): void {
    if (this.#unsubscribeTransports !== undefined) return;
    this.#unsubscribeTransports = this.#getMonitor().subscribe((event) => {
      for (const transport of [...this.#transports]) {
        if (event.type === 'card-remove' && event.name === transport.readerName) {
          transport.notifyGone({
            reason: 'card-removed',
            error: new CardError('CARD_REMOVED', `the card was removed from ${transport.readerName}`, {
              remedy: 'card.moved',
              details: { reader: transport.readerName },
            }),
          });
        } else if (event.type === 'reader-remove' && event.name === transport.readerName) {
          transport.notifyGone({
            reason: 'reader-removed',
            error: new CardError('READER_UNAVAILABLE', `the reader ${transport.readerName} was removed`, {
              remedy: 'reader.usb-cable',
              details: { reader: transport.readerName },
            }),
          });
        } else if (event.type === 'service-down') {
          transport.notifyGone({ reason: 'error', error: event.error });
        }
      }
    });
  }

  #untrack(transport: PcscTransport): void {
    this.#transports.delete(transport);
    if (this.#transports.size === 0) {
      this.#unsubscribeTransports?.();
      this.#unsubscribeTransports = undefined;
    }
  }

  /** Waits until `readerId` has a card (or the deadline/signal ends the wait). */
  async #waitForCard(readerId: string, deadline: number, signal: AbortSignal | undefined): Promise<void> {
    const monitor = this.#getMonitor();
    await new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let unsubscribe: (() => void) | undefined;
      const finish = (error?: CardError): void => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        unsubscribe?.();
        if (error === undefined) resolve();
        else reject(error);
      };
      const onAbort = (): void =>
        finish(new CardError('ABORTED', 'connect: aborted while waiting for a card'));
      signal?.addEventListener('abort', onAbort, { once: true });
      timer = setTimeout(
        () =>
          finish(
            new CardError('CARD_ABSENT', `connect: no card on ${readerId} within the time limit`, {
              remedy: 'card.absent',
              details: { reader: readerId },
            }),
          ),
        Math.max(0, deadline - Date.now()),
      );
      let done = false;
      unsubscribe = monitor.subscribe(
        (event) => {
          if (done) return;
          if (event.type === 'card-insert' && event.name === readerId) {
            done = true;
            queueMicrotask(() => finish());
          } else if (event.type === 'reader-remove' && event.name === readerId) {
            done = true;
            queueMicrotask(() =>
              finish(
                new CardError('READER_NOT_FOUND', `connect: the reader ${readerId} went away`, {
                  remedy: 'reader.usb-cable',
                  details: { reader: readerId },
                }),
              ),
            );
          }
        },
        { replay: true },
      );
    });
  }

  /**
   * Connects to the card in `readerId`. Fails with READER_NOT_FOUND (unknown reader), CARD_ABSENT
   * (no card and no `waitForCard`), SHARING_VIOLATION (another process holds it exclusively),
   * CARD_UNRESPONSIVE (mute card: upside down or damaged), SERVICE_UNAVAILABLE (no pcscd).
   */
  async connect(readerId: string, options: PcscConnectOptions = {}): Promise<PcscTransport> {
    if (typeof readerId !== 'string') throw new TypeError('connect: readerId must be a string');
    if (readerId.length === 0) throw new RangeError('connect: readerId must not be empty');
    const merged: PcscConnectOptions = { ...this.#options.connect, ...options };
    const { signal } = merged;
    if (merged.share !== undefined && merged.share !== 'shared' && merged.share !== 'exclusive') {
      throw new TypeError("connect: share must be 'shared' or 'exclusive'");
    }
    if (merged.timeoutMs !== undefined && (!Number.isFinite(merged.timeoutMs) || merged.timeoutMs < 0)) {
      throw new RangeError('connect: timeoutMs must be a non-negative number');
    }
    for (const name of ['maxCommandLength', 'maxResponseLength'] as const) {
      const value = merged[name];
      if (value !== undefined && (!Number.isInteger(value) || value < 5 || value > 0x40002)) {
        throw new RangeError(`connect: ${name} must be an integer 5..262146`);
      }
    }
    this.#assertOpen('connect');
    throwIfAborted(signal, 'connect');
    const binding = this.#getBinding();
    const { constants } = binding;
    const timeoutMs = merged.timeoutMs ?? (merged.waitForCard === true ? DEFAULT_WAIT_FOR_CARD_MS : 30_000);
    const deadline = Date.now() + timeoutMs;

    const readers = await this.listReaders(merged.signal === undefined ? {} : { signal: merged.signal });
    const reader = readers.find((candidate) => candidate.id === readerId);
    if (reader === undefined) {
      throw new CardError(
        readers.length === 0 ? 'NO_READERS' : 'READER_NOT_FOUND',
        readers.length === 0
          ? 'connect: no card reader is connected'
          : `connect: no reader named "${readerId}"`,
        {
          remedy: readers.length === 0 ? 'reader.usb-cable' : 'reader.not-selected',
          details: { reader: readerId, available: readers.map((candidate) => candidate.id).join(', ') },
        },
      );
    }
    if (!reader.cardPresent) {
      if (merged.waitForCard !== true) {
        throw new CardError('CARD_ABSENT', `connect: no card in ${readerId}`, {
          remedy: 'card.absent',
          details: { reader: readerId },
        });
      }
      await this.#waitForCard(readerId, deadline, signal);
    }

    const shareMode =
      merged.share === 'exclusive' ? constants.SCARD_SHARE_EXCLUSIVE : constants.SCARD_SHARE_SHARED;
    const protocols =
      merged.protocol === 'T0'
        ? constants.SCARD_PROTOCOL_T0
        : merged.protocol === 'T1'
          ? constants.SCARD_PROTOCOL_T1
          : constants.SCARD_PROTOCOL_T0 | constants.SCARD_PROTOCOL_T1;

    let context: NativeContext;
    try {
      context = binding.createContext();
    } catch (error) {
      throw mapPcscError(error, 'connect', readerId);
    }
    let card: NativeCard | undefined;
    try {
      const nativeReader = context.listReaders().find((candidate) => candidate.name === readerId);
      if (nativeReader === undefined) {
        throw new CardError('READER_NOT_FOUND', `connect: the reader ${readerId} went away`, {
          remedy: 'reader.usb-cable',
          details: { reader: readerId },
        });
      }
      const connecting = nativeReader.connect(shareMode, protocols);
      card = await raceDeadline(connecting, deadline, signal, readerId, (late) => {
        // The caller gave up while SCardConnect ran: release the handle it produced.
        try {
          late.disconnect(constants.SCARD_LEAVE_CARD);
        } catch {
          // Nothing to release.
        }
        try {
          context.close();
        } catch {
          // Already closed.
        }
      });
      const atr = new Uint8Array(card.getStatus().atr);
      const extended = merged.extendedLength ?? false;
      const maxApduDataSize = extended === 'detect' ? await readMaxApduDataSize(card, binding) : undefined;
      const extendedLength = extended === true || (extended === 'detect' && (maxApduDataSize ?? 0) > 256);
      const capabilities = pcscCapabilities(atr, {
        extendedLength,
        maxApduDataSize,
        maxCommandLength: merged.maxCommandLength,
        maxResponseLength: merged.maxResponseLength,
        linkSecurity: linkSecurityFor(readerId),
      });
      if (this.#closed) throw new CardError('CLOSED', 'connect: the PC/SC provider was closed');
      const transport = new PcscTransport({
        binding,
        context,
        card,
        readerName: readerId,
        atr,
        capabilities,
        shareMode,
        protocols,
        disposition: merged.disposition ?? 'unpower',
        ...(merged.transmitTimeoutMs === undefined ? {} : { transmitTimeoutMs: merged.transmitTimeoutMs }),
        onRelease: (released) => this.#untrack(released),
      });
      this.#transports.add(transport);
      this.#trackTransports();
      return transport;
    } catch (error) {
      if (!isDeadline(error)) {
        try {
          card?.disconnect(constants.SCARD_LEAVE_CARD);
        } catch {
          // Nothing to release.
        }
        try {
          context.close();
        } catch {
          // Already closed.
        }
      }
      throw mapPcscError(error, 'connect', readerId);
    }
  }

  /** Closes every connection opened through this provider, ends every watch(), stops watching. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const hub of this.#watchers) hub.close();
    await Promise.all([...this.#transports].map((transport) => transport.close()));
    this.#unsubscribeTransports?.();
    this.#unsubscribeTransports = undefined;
    await this.#monitor?.close();
    try {
      this.#queryContext?.close();
    } catch {
      // Already invalid.
    }
    this.#queryContext = undefined;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

const DEADLINE = Symbol('deadline');

function isDeadline(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[DEADLINE] === true;
}

/**
 * Races a native connect against the deadline and the signal. If the caller is released first,
 * `onLate` disposes of the handle when the native call eventually succeeds.
 */
function raceDeadline(
  promise: Promise<NativeCard>,
  deadline: number,
  signal: AbortSignal | undefined,
  readerId: string,
  onLate: (card: NativeCard) => void,
): Promise<NativeCard> {
  return new Promise<NativeCard>((resolve, reject) => {
    let settled = false;
    const fail = (error: CardError): void => {
      if (settled) return;
      settled = true;
      cleanup();
      Object.defineProperty(error, DEADLINE, { value: true });
      promise.then(onLate, () => undefined);
      reject(error);
    };
    const onAbort = (): void => fail(new CardError('ABORTED', 'connect: aborted'));
    const timer = setTimeout(
      () =>
        fail(
          new CardError('TIMEOUT', `connect: ${readerId} did not answer in time`, {
            remedy: 'card.busy-elsewhere',
            details: { reader: readerId },
          }),
        ),
      Math.max(0, deadline - Date.now()),
    );
    const cleanup = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (card) => {
        if (settled) return;
        settled = true;
        cleanup();
        resolve(card);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        cleanup();
        reject(error);
      },
    );
  });
}

/**
 * Creates a PC/SC provider: the entry point for any reader pcscd (Linux/macOS) or WinSCard sees.
 *
 * @example
 * ```ts
 * import { MyNumberCard } from '@kakunin/core/jpki';
 *
 * await using provider = createPcscProvider();
 * const readers = await provider.listReaders();
 * const reader = readers.find((candidate) => candidate.cardPresent) ?? readers[0];
 * if (reader === undefined) throw new Error('no card reader');
 * // Exclusive: no other application can talk to the card between our APDUs.
 * const transport = await provider.connect(reader.id, { share: 'exclusive', waitForCard: true, timeoutMs: 30_000 });
 * await using card = MyNumberCard.open(transport); // closing the card closes the transport
 * const result = await card.check({ pin, challenge });
 * ```
 */
export function createPcscProvider(options: PcscProviderOptions = {}): PcscProvider {
  return new PcscProvider(options);
}
