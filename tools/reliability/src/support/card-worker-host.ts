/**
 * Hosts the virtual card behind vpcd in a worker thread (card-worker.mjs) and talks to it: insert,
 * remove, renew (fresh PIN counters), arm a per-run fault plan, read its statistics. A hooked
 * command is held in the worker until `onHook` (run on this thread, e.g. stopping pcscd) returns.
 *
 * @example
 * ```ts
 * await using host = await CardWorkerHost.start({ slot: 0 });
 * await host.insert();
 * ```
 */
import { Worker } from 'node:worker_threads';
import type { FaultRule } from '@kakunin/simulator/faults';

export interface CardWorkerStats {
  readonly commands: number;
  readonly pinVerifications: number;
  readonly fired: number;
  readonly authTriesLeft: number;
  readonly authVerified: boolean;
  readonly inserted: boolean;
  readonly powered: boolean;
}

interface Reply {
  readonly id?: number;
  readonly value?: unknown;
  readonly error?: { readonly message: string; readonly code?: string };
  readonly hook?: number;
  readonly index?: number;
}

export class CardWorkerHost implements AsyncDisposable {
  readonly readerName: string;
  readonly #worker: Worker;
  readonly #pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  #nextId = 1;
  #closed = false;
  #onHook: ((index: number) => Promise<void>) | undefined;

  private constructor(worker: Worker, readerName: string) {
    this.#worker = worker;
    this.readerName = readerName;
    worker.on('message', (message: Reply) => {
      if (message.hook !== undefined) {
        const hook = message.hook;
        void (this.#onHook?.(message.index ?? -1) ?? Promise.resolve())
          .catch(() => undefined)
          .then(() => this.#worker.postMessage({ hookDone: hook }));
        return;
      }
      const waiter = message.id === undefined ? undefined : this.#pending.get(message.id);
      if (waiter === undefined) return;
      this.#pending.delete(message.id!);
      if (message.error === undefined) waiter.resolve(message.value);
      else waiter.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
    });
    worker.on('error', (error) => {
      for (const waiter of this.#pending.values()) waiter.reject(error);
      this.#pending.clear();
    });
  }

  static async start(
    options: { slot?: number; profile?: string; reconnectIntervalMs?: number } = {},
  ): Promise<CardWorkerHost> {
    const worker = new Worker(new URL('./card-worker.mjs', import.meta.url), {
      workerData: {
        profile: options.profile ?? 'plastic',
        slot: options.slot ?? 0,
        reconnectIntervalMs: options.reconnectIntervalMs,
      },
    });
    const readerName = await new Promise<string>((resolve, reject) => {
      const onMessage = (message: { ready?: boolean; readerName?: string }): void => {
        if (message.ready === true && message.readerName !== undefined) {
          worker.off('message', onMessage);
          resolve(message.readerName);
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    return new CardWorkerHost(worker, readerName);
  }

  #call<T>(method: string, argument?: unknown): Promise<T> {
    if (this.#closed) return Promise.reject(new Error(`CardWorkerHost.${method}: closed`));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#worker.postMessage({ id, method, argument });
    });
  }

  insert(): Promise<void> {
    return this.#call('insert');
  }

  remove(): Promise<void> {
    return this.#call('remove');
  }

  /** A fresh card (full counters) in the same power state. */
  renew(): Promise<void> {
    return this.#call('renew');
  }

  /**
   * Arms a run: card-level rules (serializable: no `predicate`), and a command index whose answer
   * waits for `onHook` on this thread.
   */
  arm(
    rules: readonly FaultRule[] = [],
    hook?: { readonly at: number; readonly run: (index: number) => Promise<void> },
  ): Promise<void> {
    this.#onHook = hook?.run;
    return this.#call('arm', { rules, hookAt: hook?.at });
  }

  stats(): Promise<CardWorkerStats> {
    return this.#call('stats');
  }

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
