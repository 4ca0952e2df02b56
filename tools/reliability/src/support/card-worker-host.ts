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
import type { FaultRule } from '@kakunin/simulator/faults';
import { CardWorkerHost as WorkerHost } from '@kakunin/simulator/vpcd';

export interface CardWorkerStats {
  readonly commands: number;
  readonly pinVerifications: number;
  readonly fired: number;
  readonly authTriesLeft: number;
  readonly authVerified: boolean;
  readonly inserted: boolean;
  readonly powered: boolean;
}

/** The reliability card worker (card-worker.mjs) behind the simulator's {@link WorkerHost}. */
export class CardWorkerHost implements AsyncDisposable {
  readonly readerName: string;
  readonly #host: WorkerHost;

  private constructor(host: WorkerHost) {
    this.#host = host;
    this.readerName = host.readerName;
  }

  static async start(
    options: { slot?: number; profile?: string; reconnectIntervalMs?: number } = {},
  ): Promise<CardWorkerHost> {
    const host = await WorkerHost.start(
      new URL('./card-worker.mjs', import.meta.url),
      {
        profile: options.profile ?? 'plastic',
        slot: options.slot ?? 0,
        reconnectIntervalMs: options.reconnectIntervalMs,
      },
      'CardWorkerHost',
    );
    return new CardWorkerHost(host);
  }

  insert(): Promise<void> {
    return this.#host.call('insert');
  }

  remove(): Promise<void> {
    return this.#host.call('remove');
  }

  /** A fresh card (full counters) in the same power state. */
  renew(): Promise<void> {
    return this.#host.call('renew');
  }

  /**
   * Arms a run: card-level rules (serializable: no `predicate`), and a command index whose answer
   * waits for `onHook` on this thread.
   */
  arm(
    rules: readonly FaultRule[] = [],
    hook?: { readonly at: number; readonly run: (index: number) => Promise<void> },
  ): Promise<void> {
    this.#host.onHold = hook?.run;
    return this.#host.call('arm', { rules, hookAt: hook?.at });
  }

  stats(): Promise<CardWorkerStats> {
    return this.#host.call('stats');
  }

  close(): Promise<void> {
    return this.#host.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
