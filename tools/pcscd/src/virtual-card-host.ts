/**
 * A simulator card behind vpcd, hosted in a worker thread. PC/SC tests use it instead of an
 * in-process `VpcdConnector`: pcsc-lite's synchronous calls (SCardListReaders, SCardStatus,
 * SCardDisconnect) block the calling thread while pcscd may be waiting for the card to answer a
 * presence poll — if the card lived on that same thread, both would wait forever.
 *
 * @example
 * ```ts
 * await using card = await VirtualCardHost.start({ profile: 'plastic', slot: 0 });
 * await card.insert();
 * await card.remove();
 * ```
 */
import { CardWorkerHost } from '@kakunin/simulator/vpcd';

/** JSON-serializable fault rules (the simulator's FaultRule without `predicate`). */
export interface SerializableFaultRule {
  readonly type: 'remove' | 'drop' | 'delay' | 'status' | 'corrupt';
  readonly [key: string]: unknown;
}

export interface VirtualCardHostOptions {
  /** Simulator profile name (default 'plastic'). */
  readonly profile?: string;
  /** vpcd slot (default 0). */
  readonly slot?: number;
  /** Fault plan applied at the card (simulator injectCardFaults). */
  readonly faults?: readonly SerializableFaultRule[];
  /** Re-insert after pcscd dropped the card (pcscd restart), ms. */
  readonly reconnectIntervalMs?: number;
  /** Which ATR the card presents (default: the profile's, i.e. contact). */
  readonly atr?: 'contact' | 'contactless';
}

export interface VirtualCardStats {
  readonly commands: number;
  readonly inserted: boolean;
  readonly faultEvents: readonly { readonly index: number; readonly type: string; readonly ins?: number }[];
}

/** The pcscd tests' card worker (virtual-card-worker.mjs) behind the simulator's {@link CardWorkerHost}. */
export class VirtualCardHost implements AsyncDisposable {
  readonly readerName: string;
  readonly #host: CardWorkerHost;

  private constructor(host: CardWorkerHost) {
    this.#host = host;
    this.readerName = host.readerName;
  }

  /** Starts the worker (builds the card; keys come from the simulator's on-disk key cache). */
  static async start(options: VirtualCardHostOptions = {}): Promise<VirtualCardHost> {
    const host = await CardWorkerHost.start(
      new URL('./virtual-card-worker.mjs', import.meta.url),
      {
        profile: options.profile ?? 'plastic',
        slot: options.slot ?? 0,
        faults: options.faults ?? [],
        reconnectIntervalMs: options.reconnectIntervalMs,
        atr: options.atr,
      },
      'VirtualCardHost',
    );
    return new VirtualCardHost(host);
  }

  /** Inserts the card; resolves once pcscd has noticed and powered it. */
  insert(): Promise<void> {
    return this.#host.call('insert');
  }

  /** Removes the card (closes its vpcd socket); a held-back command is dropped. */
  remove(): Promise<void> {
    return this.#host.call('remove');
  }

  /** The card will hold back its answer to the next command until it is removed. */
  stallNext(): Promise<void> {
    return this.#host.call('stallNext');
  }

  /** Puts a card back after a `remove`/`drop` fault fired (then call insert()). */
  restoreFaults(): Promise<void> {
    return this.#host.call('restoreFaults');
  }

  stats(): Promise<VirtualCardStats> {
    return this.#host.call('stats');
  }

  /** Removes the card and ends the worker. Idempotent. */
  close(): Promise<void> {
    return this.#host.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
