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
import { Worker } from 'node:worker_threads';

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

interface Reply {
  readonly id: number;
  readonly value?: unknown;
  readonly error?: { readonly message: string; readonly code?: string; readonly name?: string };
}

export class VirtualCardHost implements AsyncDisposable {
  readonly readerName: string;
  readonly #worker: Worker;
  readonly #pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  #nextId = 1;
  #closed = false;

  private constructor(worker: Worker, readerName: string) {
    this.#worker = worker;
    this.readerName = readerName;
    worker.on('message', (message: Reply) => {
      const waiter = this.#pending.get(message.id);
      if (waiter === undefined) return;
      this.#pending.delete(message.id);
      if (message.error === undefined) waiter.resolve(message.value);
      else {
        const error = new Error(message.error.message) as Error & { code?: string };
        if (message.error.code !== undefined) error.code = message.error.code;
        waiter.reject(error);
      }
    });
    worker.on('error', (error) => {
      for (const waiter of this.#pending.values()) waiter.reject(error);
      this.#pending.clear();
    });
  }

  /** Starts the worker (builds the card; keys come from the simulator's on-disk key cache). */
  static async start(options: VirtualCardHostOptions = {}): Promise<VirtualCardHost> {
    const worker = new Worker(new URL('./virtual-card-worker.mjs', import.meta.url), {
      workerData: {
        profile: options.profile ?? 'plastic',
        slot: options.slot ?? 0,
        faults: options.faults ?? [],
        reconnectIntervalMs: options.reconnectIntervalMs,
        atr: options.atr,
      },
    });
    const readerName = await new Promise<string>((resolve, reject) => {
      const onMessage = (message: { ready?: boolean; readerName?: string }): void => {
        if (message.ready === true && message.readerName !== undefined) {
          worker.off('error', reject);
          worker.off('message', onMessage);
          resolve(message.readerName);
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`virtual card worker exited with ${code}`)));
    });
    return new VirtualCardHost(worker, readerName);
  }

  #call<T>(method: string): Promise<T> {
    if (this.#closed) return Promise.reject(new Error(`VirtualCardHost.${method}: closed`));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#worker.postMessage({ id, method });
    });
  }

  /** Inserts the card; resolves once pcscd has noticed and powered it. */
  insert(): Promise<void> {
    return this.#call('insert');
  }

  /** Removes the card (closes its vpcd socket); a held-back command is dropped. */
  remove(): Promise<void> {
    return this.#call('remove');
  }

  /** The card will hold back its answer to the next command until it is removed. */
  stallNext(): Promise<void> {
    return this.#call('stallNext');
  }

  /** Puts a card back after a `remove`/`drop` fault fired (then call insert()). */
  restoreFaults(): Promise<void> {
    return this.#call('restoreFaults');
  }

  stats(): Promise<VirtualCardStats> {
    return this.#call('stats');
  }

  /** Removes the card and ends the worker. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#call('close');
    } finally {
      this.#closed = true;
      await this.#worker.terminate();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
