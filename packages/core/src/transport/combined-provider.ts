/**
 * One provider over several transports: readers of every child provider (PC/SC, BLE, the phone
 * bridge, the simulator…) in one list and one `watch()` stream, the way the official app's reader
 * setting shows USB, Bluetooth and phone readers together. It takes provider instances and imports
 * no transport package (architecture.md §2: transports → core/transport, never the other way).
 *
 * Reader ids are prefixed with the owning provider's key (`pcsc:Virtual PCD 00 00`,
 * `ble:ACR1255U-J1-003152`), so ids never collide across providers and `connect()` goes to the
 * provider that owns the reader. A provider that fails (Bluetooth off, no phone paired, pcscd down)
 * is reported as a {@link ProviderWarning} (and, in `watch()`, an `error` event whose details name
 * the provider) while the others carry on.
 *
 * @example
 * ```ts
 * await using readers = new CombinedTransportProvider({
 *   providers: [createPcscProvider(), new BleTransportProvider()],
 *   onWarning: (warning) => console.warn(warning.provider, warning.error.code),
 * });
 * for await (const event of readers.watch({ signal })) console.log(event.type);
 * ```
 */
import { raceAbort, throwIfAborted } from './abort.js';
import { CardError, toCardError } from './card-error.js';
import { type Details, type ErrorCode, TransportErrorCode } from './error-codes.js';
import type {
  ConnectOptions,
  ReaderEvent,
  ReaderInfo,
  SignalOptions,
  Transport,
  TransportProvider,
} from './transport.js';

/** Separates the provider key from the child's reader id in a combined reader id. */
export const COMBINED_ID_SEPARATOR = ':';

/** A reader seen through the combined provider: the child's info, a prefixed id, and its owner. */
export interface CombinedReaderInfo extends ReaderInfo {
  /** Key of the owning provider (its `kind`, numbered when two share a kind: `pcsc`, `pcsc-2`). */
  readonly provider: string;
  /** The owning provider's `kind` (`pcsc`, `ble`, `bridge`, `simulator`…). */
  readonly kind: string;
  /** The reader's id inside its own provider. */
  readonly childId: string;
}

/** One provider that could not take part; the others carried on. */
export interface ProviderWarning {
  /** Key of the provider (as in reader ids). */
  readonly provider: string;
  readonly kind: string;
  /** What was being done when it failed. */
  readonly operation: 'isSupported' | 'listReaders' | 'watch' | 'close';
  readonly error: CardError;
}

/** The result of {@link CombinedTransportProvider.survey}: readers plus the providers that failed. */
export interface ReaderSurvey {
  readonly readers: CombinedReaderInfo[];
  readonly warnings: ProviderWarning[];
}

export interface CombinedTransportProviderOptions {
  /** The child providers, in display order. The combined provider owns them: `close()` closes them. */
  readonly providers: readonly TransportProvider[];
  /** Told about every provider that fails while the others carry on. Must not throw. */
  readonly onWarning?: (warning: ProviderWarning) => void;
  /** How long one provider may take to list its readers before it is reported and skipped (default 10 s). */
  readonly listTimeoutMs?: number;
  /** Events buffered per watcher before a fast child waits for the consumer (default 256). */
  readonly maxQueued?: number;
}

interface Child {
  readonly key: string;
  readonly provider: TransportProvider;
}

/** Gives each provider a key: its kind, numbered from the second provider of the same kind. */
function keyChildren(providers: readonly TransportProvider[]): Child[] {
  const seen = new Map<string, number>();
  return providers.map((provider) => {
    const base = (provider.kind || 'provider').replaceAll(COMBINED_ID_SEPARATOR, '-');
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return { key: count === 1 ? base : `${base}-${count}`, provider };
  });
}

/**
 * A TransportProvider over several providers (see the module comment).
 *
 * @example
 * ```ts
 * const { readers, warnings } = await combined.survey();
 * ```
 */
export class CombinedTransportProvider implements TransportProvider {
  readonly kind = 'any';
  readonly #children: readonly Child[];
  readonly #onWarning: ((warning: ProviderWarning) => void) | undefined;
  readonly #listTimeoutMs: number;
  readonly #maxQueued: number;
  readonly #closing = new AbortController();
  #closed: Promise<void> | undefined;

  constructor(options: CombinedTransportProviderOptions) {
    if (!Array.isArray(options?.providers))
      throw new TypeError('CombinedTransportProvider: providers must be an array');
    this.#children = keyChildren(options.providers);
    this.#onWarning = options.onWarning;
    this.#listTimeoutMs = options.listTimeoutMs ?? 10_000;
    this.#maxQueued = Math.max(1, options.maxQueued ?? 256);
  }

  /** Keys of the child providers, as used in reader ids. */
  get providerKeys(): readonly string[] {
    return this.#children.map((child) => child.key);
  }

  /** True when at least one child provider is supported here. */
  async isSupported(options: SignalOptions = {}): Promise<boolean> {
    this.#assertOpen('isSupported');
    const results = await Promise.all(
      this.#children.map(async (child) => {
        try {
          return await child.provider.isSupported(options);
        } catch (error) {
          if (CardError.isInstance(error, TransportErrorCode.ABORTED)) throw error;
          this.#warn(child, 'isSupported', error);
          return false;
        }
      }),
    );
    return results.includes(true);
  }

  /**
   * Readers of every provider; a provider that fails or is slower than `listTimeoutMs` is reported
   * to `onWarning` and skipped. Throws SERVICE_UNAVAILABLE only when every provider failed.
   */
  async listReaders(options: SignalOptions = {}): Promise<CombinedReaderInfo[]> {
    const { readers, warnings } = await this.survey(options);
    if (warnings.length > 0 && warnings.length === this.#children.length) {
      throw new CardError(
        TransportErrorCode.SERVICE_UNAVAILABLE,
        `no transport is available: ${warnings.map((w) => `${w.provider}: ${w.error.message}`).join('; ')}`,
        { cause: warnings[0]?.error, details: { providers: warnings.map((w) => w.provider).join(',') } },
      );
    }
    return readers;
  }

  /** Like `listReaders`, but returns the failed providers instead of throwing when all failed. */
  async survey(options: SignalOptions = {}): Promise<ReaderSurvey> {
    this.#assertOpen('listReaders');
    throwIfAborted(options.signal, 'listReaders');
    const warnings: ProviderWarning[] = [];
    const lists = await Promise.all(
      this.#children.map(async (child): Promise<CombinedReaderInfo[]> => {
        const controller = new AbortController();
        const relay = (): void => controller.abort(options.signal?.reason);
        options.signal?.addEventListener('abort', relay, { once: true });
        try {
          const work = child.provider.listReaders({ signal: controller.signal });
          const list = await raceAbort(
            work,
            options.signal,
            this.#listTimeoutMs,
            `${child.key}: listReaders`,
          );
          return list.map((reader) => this.#wrapReader(child, reader));
        } catch (error) {
          if (options.signal?.aborted === true) throw error;
          controller.abort();
          warnings.push(this.#warn(child, 'listReaders', error));
          return [];
        } finally {
          options.signal?.removeEventListener('abort', relay);
        }
      }),
    );
    return { readers: lists.flat(), warnings };
  }

  /**
   * Reader and card events of every provider in one stream, each provider's current state first.
   * A provider whose watch fails yields one `error` event (details.provider names it) and drops out;
   * the stream ends when the signal aborts, the combined provider closes, or every child ended.
   */
  watch(options: SignalOptions = {}): AsyncIterable<ReaderEvent> {
    this.#assertOpen('watch');
    return this.#watch(options.signal);
  }

  /**
   * Connects through the provider that owns the reader. Takes a combined id (`ble:ACR1255U-J1-…`);
   * an id without a known provider prefix is looked up among every provider's reader ids and labels
   * and must match exactly one reader.
   */
  async connect(readerId: string, options: ConnectOptions = {}): Promise<Transport> {
    if (typeof readerId !== 'string') throw new TypeError('connect: readerId must be a string');
    if (readerId.length === 0) throw new RangeError('connect: readerId must not be empty');
    this.#assertOpen('connect');
    throwIfAborted(options.signal, 'connect');
    const owned = this.#route(readerId);
    if (owned !== undefined) return owned.child.provider.connect(owned.childId, options);
    const { readers } = await this.survey(options);
    const matches = readers.filter((reader) => reader.childId === readerId || reader.label === readerId);
    const only = matches.length === 1 ? matches[0] : undefined;
    if (only === undefined) {
      throw new CardError(
        TransportErrorCode.READER_NOT_FOUND,
        matches.length === 0
          ? `no provider has a reader named ${JSON.stringify(readerId)}`
          : `${matches.length} readers are named ${JSON.stringify(readerId)}: use one of ${matches.map((r) => r.id).join(', ')}`,
        { details: { readerId, matches: matches.length } },
      );
    }
    const child = this.#children.find((candidate) => candidate.key === only.provider);
    if (child === undefined)
      throw new CardError(TransportErrorCode.READER_NOT_FOUND, `no provider ${only.provider}`);
    return child.provider.connect(only.childId, options);
  }

  /** Splits a combined reader id into the provider key and the child's id; undefined if no provider has that key. */
  parseReaderId(readerId: string): { readonly provider: string; readonly childId: string } | undefined {
    const owned = this.#route(readerId);
    return owned === undefined ? undefined : { provider: owned.child.key, childId: owned.childId };
  }

  /** Ends every watch and closes every child provider (each once, failures reported). Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#closing.abort();
      await Promise.all(
        this.#children.map(async (child) => {
          try {
            await child.provider.close();
          } catch (error) {
            this.#warn(child, 'close', error);
          }
        }),
      );
    })();
    return this.#closed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #route(readerId: string): { readonly child: Child; readonly childId: string } | undefined {
    const at = readerId.indexOf(COMBINED_ID_SEPARATOR);
    if (at <= 0) return undefined;
    const key = readerId.slice(0, at);
    const child = this.#children.find((candidate) => candidate.key === key);
    return child === undefined ? undefined : { child, childId: readerId.slice(at + 1) };
  }

  #wrapReader(child: Child, reader: ReaderInfo): CombinedReaderInfo {
    return {
      ...reader,
      id: `${child.key}${COMBINED_ID_SEPARATOR}${reader.id}`,
      provider: child.key,
      kind: child.provider.kind,
      childId: reader.id,
    };
  }

  #wrapEvent(child: Child, event: ReaderEvent): ReaderEvent {
    const prefix = `${child.key}${COMBINED_ID_SEPARATOR}`;
    switch (event.type) {
      case 'reader-add':
        return { type: 'reader-add', reader: this.#wrapReader(child, event.reader) };
      case 'reader-remove':
        return { type: 'reader-remove', readerId: prefix + event.readerId };
      case 'card-insert':
        return { type: 'card-insert', readerId: prefix + event.readerId, atr: event.atr };
      case 'card-remove':
        return { type: 'card-remove', readerId: prefix + event.readerId };
      case 'error':
        return { type: 'error', error: this.#warn(child, 'watch', event.error).error };
    }
  }

  /** Reports a provider failure; the error carries the provider's key in its message and details. */
  #warn(child: Child, operation: ProviderWarning['operation'], error: unknown): ProviderWarning {
    const base = toCardError(error, TransportErrorCode.IO, `${operation} failed`);
    const tagged = new CardError(base.code as ErrorCode, `${child.key}: ${base.message}`, {
      cause: base,
      remedy: base.remedy,
      details: { ...(base.details as Details), provider: child.key, kind: child.provider.kind } as never,
    });
    const warning: ProviderWarning = {
      provider: child.key,
      kind: child.provider.kind,
      operation,
      error: tagged,
    };
    try {
      this.#onWarning?.(warning);
    } catch {
      // A throwing listener must not stop the other providers.
    }
    return warning;
  }

  async *#watch(signal: AbortSignal | undefined): AsyncGenerator<ReaderEvent, void, undefined> {
    if (signal?.aborted === true || this.#closing.signal.aborted) return;
    const stop = new AbortController();
    const end = (): void => stop.abort();
    signal?.addEventListener('abort', end, { once: true });
    this.#closing.signal.addEventListener('abort', end, { once: true });
    const queue: ReaderEvent[] = [];
    let wakeConsumer: (() => void) | undefined;
    let wakeProducers: (() => void) | undefined;
    let space: Promise<void> | undefined;
    let running = this.#children.length;
    const wake = (): void => {
      wakeConsumer?.();
      wakeConsumer = undefined;
    };
    stop.signal.addEventListener('abort', () => {
      wake();
      wakeProducers?.();
    });
    const push = async (event: ReaderEvent): Promise<void> => {
      while (queue.length >= this.#maxQueued && !stop.signal.aborted) {
        space ??= new Promise<void>((resolve) => {
          wakeProducers = () => {
            space = undefined;
            wakeProducers = undefined;
            resolve();
          };
        });
        await space;
      }
      if (stop.signal.aborted) return;
      queue.push(event);
      wake();
    };
    const pump = async (child: Child): Promise<void> => {
      try {
        for await (const event of child.provider.watch({ signal: stop.signal })) {
          if (stop.signal.aborted) break;
          await push(this.#wrapEvent(child, event));
        }
      } catch (error) {
        if (!stop.signal.aborted)
          await push({ type: 'error', error: this.#warn(child, 'watch', error).error });
      } finally {
        running -= 1;
        wake();
      }
    };
    for (const child of this.#children) void pump(child);
    try {
      while (true) {
        const next = queue.shift();
        if (next !== undefined) {
          wakeProducers?.();
          yield next;
          continue;
        }
        if (stop.signal.aborted || running === 0) return;
        await new Promise<void>((resolve) => {
          wakeConsumer = resolve;
        });
      }
    } finally {
      signal?.removeEventListener('abort', end);
      this.#closing.signal.removeEventListener('abort', end);
      stop.abort();
    }
  }

  #assertOpen(what: string): void {
    if (this.#closing.signal.aborted)
      throw new CardError(TransportErrorCode.CLOSED, `${what}: the combined provider is closed`);
  }
}
