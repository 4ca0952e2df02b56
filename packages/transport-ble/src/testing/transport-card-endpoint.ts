/**
 * A card reached through any kakunin {@link TransportProvider} — a real card or an independent
 * emulator behind PC/SC — presented as the card a {@link SimulatedAcr1255Reader} holds. Power-on
 * connects (exclusive) and returns the card's ATR; power-off cold-resets the card and closes the
 * connection (so a verified PIN does not outlive it, whatever the provider's close disposition); every APDU goes through
 * unchanged, so what reaches the card is exactly what the BLE host sent. Each step is bounded by
 * `timeoutMs` and by {@link TransportCardEndpoint.close}. A card pulled from the far reader is
 * reported through `watchPresence` (the simulated reader then sends its `50h` absent
 * notification) — never a hang.
 *
 * Depends on `@kakunin/core/transport` only: the caller (the CLI, a test) composes the provider.
 *
 * @example
 * ```ts
 * await using card = new TransportCardEndpoint({ provider: pcscProvider, readerId: 'Virtual PCD 00 00' });
 * await using world = createSimulatedBleEnvironment({ readers: [{ serial: 'SIM001', card }] });
 * ```
 */
import {
  CardError,
  type Transport,
  TransportErrorCode,
  type TransportProvider,
} from '@kakunin/core/transport';
import type { CardEndpointLike } from './simulated-acr1255-reader.js';

/**
 * Longest one power-on or APDU may take at the far card (a 2048-bit RSA signature takes about a
 * second on a My Number card): below the ACR1255 session's 15 s response timeout, so the host hears
 * the reader's `51h 02` card timeout rather than losing the link.
 */
const DEFAULT_TIMEOUT_MS = 10_000;

export interface TransportCardEndpointOptions {
  /** Where the card is (e.g. `createPcscProvider()`); the endpoint never closes it. */
  readonly provider: TransportProvider;
  /** The reader holding the card, as the provider names it. */
  readonly readerId: string;
  /** Bound on each power-on and each APDU, ms (default 10 000). */
  readonly timeoutMs?: number;
}

/**
 * The adapter.
 *
 * @example
 * ```ts
 * const card = new TransportCardEndpoint({ provider, readerId });
 * const reader = new SimulatedAcr1255Reader({ card });
 * ```
 */
export class TransportCardEndpoint implements CardEndpointLike, AsyncDisposable {
  readonly readerId: string;
  readonly #provider: TransportProvider;
  readonly #timeoutMs: number;
  readonly #abort = new AbortController();
  readonly #listeners = new Set<(present: boolean) => void>();
  #transport: Transport | undefined;
  #atr = new Uint8Array(0);
  #watching = false;

  constructor(options: TransportCardEndpointOptions) {
    if (typeof options?.provider?.connect !== 'function')
      throw new TypeError('TransportCardEndpoint: options.provider must be a TransportProvider');
    if (typeof options.readerId !== 'string' || options.readerId === '')
      throw new TypeError('TransportCardEndpoint: options.readerId must be a reader id');
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
      throw new RangeError('TransportCardEndpoint: timeoutMs must be a positive integer');
    this.#provider = options.provider;
    this.readerId = options.readerId;
    this.#timeoutMs = timeoutMs;
  }

  /** The ATR of the last power-on (empty before the first). */
  get atr(): Uint8Array {
    return this.#atr.slice();
  }

  /** Connects to the far card (a cold reset when already connected); resolves with its ATR. */
  async powerOn(): Promise<Uint8Array> {
    const signal = this.#signal();
    const open = this.#transport;
    if (open?.reset !== undefined) {
      this.#atr = (await open.reset('cold', { signal })).slice();
      return this.#atr.slice();
    }
    await this.#drop();
    const transport = await this.#provider.connect(this.readerId, {
      share: 'exclusive',
      timeoutMs: this.#timeoutMs,
      signal,
    });
    if (this.#abort.signal.aborted) {
      await transport.close();
      throw closedError();
    }
    this.#transport = transport;
    void transport.closed.then((info) => {
      if (info.reason === 'card-removed' || info.reason === 'reader-removed') this.#removed(transport);
    });
    this.#atr = transport.atr.slice();
    return this.#atr.slice();
  }

  /** Cold-resets the far card and ends the connection. */
  async powerOff(): Promise<void> {
    await this.#drop();
  }

  /** Sends one APDU to the far card, bounded by `timeoutMs`. */
  async process(command: Uint8Array): Promise<Uint8Array> {
    const transport = this.#transport;
    if (transport === undefined)
      throw new CardError(TransportErrorCode.CARD_UNPOWERED, `the card on ${this.readerId} is not powered`);
    try {
      return await transport.transmit(command, { signal: this.#signal() });
    } catch (error) {
      if (CardError.isInstance(error, TransportErrorCode.CARD_REMOVED)) this.#removed(transport);
      throw error;
    }
  }

  /** Reports the far card leaving (false) and coming back (true); returns the unsubscribe function. */
  watchPresence(listener: (present: boolean) => void): () => void {
    this.#listeners.add(listener);
    if (!this.#watching) {
      this.#watching = true;
      void this.#watch();
    }
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Stops watching, aborts what is pending and closes the connection. Idempotent. */
  async close(): Promise<void> {
    this.#abort.abort();
    this.#listeners.clear();
    await this.#drop();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #signal(): AbortSignal {
    if (this.#abort.signal.aborted) throw closedError();
    return AbortSignal.any([this.#abort.signal, AbortSignal.timeout(this.#timeoutMs)]);
  }

  async #drop(): Promise<void> {
    const transport = this.#transport;
    this.#transport = undefined;
    if (transport === undefined) return;
    // Power off for real whatever the provider's close disposition (the simulator's leaves the
    // card powered): a cold reset first, as the reference relay does, so no verified PIN survives.
    await transport.reset?.('cold', { signal: AbortSignal.timeout(this.#timeoutMs) }).catch(() => undefined);
    await transport.close().catch(() => undefined);
  }

  #removed(transport: Transport): void {
    if (this.#transport === transport) this.#transport = undefined;
    void transport.close().catch(() => undefined);
    this.#emit(false);
  }

  #emit(present: boolean): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(present);
      } catch {
        // A listener's failure is its own.
      }
    }
  }

  async #watch(): Promise<void> {
    try {
      for await (const event of this.#provider.watch({ signal: this.#abort.signal })) {
        if (event.type === 'card-insert' && event.readerId === this.readerId) this.#emit(true);
        else if (
          (event.type === 'card-remove' || event.type === 'reader-remove') &&
          event.readerId === this.readerId
        ) {
          const transport = this.#transport;
          if (transport === undefined) this.#emit(false);
          else this.#removed(transport);
        }
      }
    } catch {
      // Watching ended (closed, or the service went away): removal still shows through process().
    }
  }
}

function closedError(): CardError {
  return new CardError(TransportErrorCode.ABORTED, 'TransportCardEndpoint: closed');
}
