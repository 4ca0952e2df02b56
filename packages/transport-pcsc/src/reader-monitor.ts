/**
 * One loop per provider that follows the PC/SC readers and their cards with
 * SCardGetStatusChange (including the `\\?PnP?\Notification` pseudo-reader for readers coming
 * and going). It owns its own context, used for nothing else (a blocked GetStatusChange would
 * otherwise block every synchronous call on the same context, transports.md §2.3), survives the
 * last reader being unplugged, and re-establishes the context when the service stops and comes
 * back (Windows stops SCardSvr with the last reader; pcscd may be restarted).
 *
 * @example
 * ```ts
 * const monitor = new ReaderMonitor(binding);
 * const unsubscribe = monitor.subscribe((event) => console.log(event.type));
 * ```
 */
import type { CardError } from '@kakunin/core/transport';
import type {
  NativeBinding,
  NativeContext,
  NativeReader,
  NativeReaderState,
} from './binding/native-binding.js';
import { mapPcscError } from './map-pcsc-error.js';

/** The PnP pseudo-reader of PC/SC (pcsc-lite and WinSCard). */
const PNP_READER = '\\\\?PnP?\\Notification';
/** pcsc-lite keeps the reader count (PnP) and the card event counter in the high 16 bits. */
const COUNTER_SHIFT = 16;

export interface MonitoredReader {
  readonly name: string;
  /** Last dwEventState without SCARD_STATE_CHANGED. */
  readonly state: number;
  readonly present: boolean;
  readonly atr: Uint8Array | undefined;
}

export type MonitorEvent =
  | { readonly type: 'reader-add'; readonly reader: MonitoredReader }
  | { readonly type: 'reader-remove'; readonly name: string }
  | { readonly type: 'card-insert'; readonly name: string; readonly atr: Uint8Array }
  | { readonly type: 'card-remove'; readonly name: string }
  | { readonly type: 'service-down'; readonly error: CardError }
  | { readonly type: 'service-up' };

export type MonitorListener = (event: MonitorEvent) => void;

export interface ReaderMonitorOptions {
  /** Upper bound of one SCardGetStatusChange wait, ms (default 2000): a safety net only. */
  readonly waitTimeoutMs?: number;
  /** How often to try again while the service is down, ms (default 500). */
  readonly serviceRetryMs?: number;
}

const copy = (bytes: Uint8Array | null | undefined): Uint8Array | undefined =>
  bytes === null || bytes === undefined || bytes.length === 0 ? undefined : new Uint8Array(bytes);

export class ReaderMonitor {
  readonly #binding: NativeBinding;
  readonly #waitTimeoutMs: number;
  readonly #serviceRetryMs: number;
  readonly #listeners = new Set<MonitorListener>();
  readonly #readers = new Map<string, MonitoredReader>();
  #serviceError: CardError | undefined;
  #context: NativeContext | undefined;
  #running: Promise<void> | undefined;
  #waiting = false;
  #wake: (() => void) | undefined;

  constructor(binding: NativeBinding, options: ReaderMonitorOptions = {}) {
    this.#binding = binding;
    this.#waitTimeoutMs = options.waitTimeoutMs ?? 2000;
    this.#serviceRetryMs = options.serviceRetryMs ?? 500;
  }

  /** Readers as last seen. */
  get readers(): readonly MonitoredReader[] {
    return [...this.#readers.values()];
  }

  /** The error while the service is down, else undefined. */
  get serviceError(): CardError | undefined {
    return this.#serviceError;
  }

  /**
   * Adds a listener and starts the loop if needed. With `replay`, the current state is sent to
   * this listener first. Returns the unsubscribe function; the loop stops with the last listener.
   */
  subscribe(listener: MonitorListener, options: { readonly replay?: boolean } = {}): () => void {
    if (options.replay === true) {
      if (this.#serviceError !== undefined) listener({ type: 'service-down', error: this.#serviceError });
      for (const reader of this.#readers.values()) {
        listener({ type: 'reader-add', reader });
        if (reader.present && reader.atr !== undefined) {
          listener({ type: 'card-insert', name: reader.name, atr: reader.atr });
        }
      }
    }
    this.#listeners.add(listener);
    if (this.#running === undefined) this.#start();
    return () => {
      if (!this.#listeners.delete(listener)) return;
      if (this.#listeners.size === 0) this.#interrupt();
    };
  }

  /** Stops the loop and forgets every listener. */
  async close(): Promise<void> {
    this.#listeners.clear();
    this.#interrupt();
    await this.#running;
  }

  /** Runs the loop; the first listing happens synchronously, before this returns. */
  #start(): void {
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
      // A listener that arrived while the loop was winding down needs a new loop.
      if (this.#listeners.size > 0) this.#start();
    });
  }

  #interrupt(): void {
    if (this.#waiting) {
      try {
        this.#context?.cancel();
      } catch {
        // The wait ends on its own within waitTimeoutMs.
      }
    }
    this.#wake?.();
  }

  #emit(event: MonitorEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // One listener's failure must not stop the others.
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    }).finally(() => {
      this.#wake = undefined;
    });
  }

  #dropContext(): void {
    const context = this.#context;
    this.#context = undefined;
    try {
      context?.close();
    } catch {
      // Already invalid.
    }
  }

  #serviceDown(error: CardError): void {
    this.#dropContext();
    if (this.#serviceError !== undefined) return;
    this.#serviceError = error;
    const gone = [...this.#readers.values()];
    this.#readers.clear();
    this.#emit({ type: 'service-down', error });
    for (const reader of gone) {
      if (reader.present) this.#emit({ type: 'card-remove', name: reader.name });
      this.#emit({ type: 'reader-remove', name: reader.name });
    }
  }

  /** Applies a fresh reader state; emits card events for presence changes. */
  #apply(name: string, state: number, atr: Uint8Array | undefined): void {
    const constants = this.#binding.constants;
    const previous = this.#readers.get(name);
    const cleanState = state & ~constants.SCARD_STATE_CHANGED;
    const present = (cleanState & constants.SCARD_STATE_PRESENT) !== 0;
    const reader: MonitoredReader = { name, state: cleanState, present, atr: present ? atr : undefined };
    this.#readers.set(name, reader);
    if (previous === undefined) {
      this.#emit({ type: 'reader-add', reader });
      if (present && reader.atr !== undefined) this.#emit({ type: 'card-insert', name, atr: reader.atr });
      return;
    }
    const counterChanged = previous.state >>> COUNTER_SHIFT !== cleanState >>> COUNTER_SHIFT;
    if (previous.present && (!present || (counterChanged && this.#swapped(previous, reader)))) {
      this.#emit({ type: 'card-remove', name });
    }
    if (
      present &&
      reader.atr !== undefined &&
      (!previous.present || (counterChanged && this.#swapped(previous, reader)))
    ) {
      this.#emit({ type: 'card-insert', name, atr: reader.atr });
    }
  }

  /**
   * pcsc-lite counts card insertions and removals in the high 16 bits; when a card was pulled and
   * put back between two waits the presence bit did not change but the counter moved by 2.
   */
  #swapped(previous: MonitoredReader, next: MonitoredReader): boolean {
    return (next.state >>> COUNTER_SHIFT) - (previous.state >>> COUNTER_SHIFT) >= 2;
  }

  /** Lists readers, emitting adds/removes against what is known. Throws mapped errors. */
  #list(context: NativeContext): void {
    const listed: NativeReader[] = context.listReaders();
    const names = new Set(listed.map((reader) => reader.name));
    for (const known of [...this.#readers.values()]) {
      if (names.has(known.name)) continue;
      this.#readers.delete(known.name);
      if (known.present) this.#emit({ type: 'card-remove', name: known.name });
      this.#emit({ type: 'reader-remove', name: known.name });
    }
    for (const reader of listed) this.#apply(reader.name, reader.state, copy(reader.atr));
  }

  async #run(): Promise<void> {
    while (this.#listeners.size > 0) {
      if (this.#context === undefined) {
        try {
          this.#context = this.#binding.createContext();
        } catch (error) {
          this.#serviceDown(mapPcscError(error, 'watch'));
          await this.#sleep(this.#serviceRetryMs);
          continue;
        }
      }
      const context = this.#context;
      try {
        this.#list(context);
      } catch (error) {
        const mapped = mapPcscError(error, 'watch');
        this.#serviceDown(mapped);
        await this.#sleep(this.#serviceRetryMs);
        continue;
      }
      if (this.#serviceError !== undefined) {
        this.#serviceError = undefined;
        this.#emit({ type: 'service-up' });
      }
      if (this.#listeners.size === 0) break;
      const watched = [...this.#readers.values()].map((reader) => ({
        name: reader.name,
        state: reader.state,
      }));
      watched.push({ name: PNP_READER, state: watched.length << COUNTER_SHIFT });
      let changes: NativeReaderState[] | null;
      this.#waiting = true;
      try {
        changes = await context.waitForChange(watched, this.#waitTimeoutMs);
      } catch (error) {
        const mapped = mapPcscError(error, 'watch');
        if (mapped.code === 'READER_NOT_FOUND' || mapped.code === 'READER_UNAVAILABLE') {
          // A reader left between listing and waiting: list again.
          continue;
        }
        // The context is unusable (service stopped or restarted): drop it and re-establish.
        this.#dropContext();
        if (mapped.code !== 'SERVICE_UNAVAILABLE') await this.#sleep(this.#serviceRetryMs);
        continue;
      } finally {
        this.#waiting = false;
      }
      if (changes === null) continue; // cancelled: the loop condition decides
      for (const change of changes) {
        if (change.name === PNP_READER || !change.changed) continue;
        if (!this.#readers.has(change.name)) continue;
        if ((change.state & this.#binding.constants.SCARD_STATE_UNAVAILABLE) !== 0) continue; // re-listed next round
        this.#apply(change.name, change.state, copy(change.atr));
      }
    }
    this.#dropContext();
  }
}
