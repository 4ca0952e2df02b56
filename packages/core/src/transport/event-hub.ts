/**
 * The one reader-event queue of kakunin, for every provider's `watch()` (PC/SC, BLE, the bridge,
 * the simulator): fan-out of events to any number of iterators. Each iterator first receives a
 * snapshot of the current state, then live events, and ends when its signal aborts or the hub
 * closes. Unbounded queues are avoided: a watcher that falls more than `maxQueued` events behind
 * is ended with an error event.
 *
 * @example
 * ```ts
 * const hub = new EventHub<ReaderEvent>();
 * for await (const event of hub.watch(() => snapshot(), signal)) console.log(event.type);
 * ```
 */

interface Watcher<T> {
  readonly queue: T[];
  wake: (() => void) | undefined;
  ended: boolean;
}

/**
 * Snapshot-then-live event fan-out.
 *
 * @example
 * ```ts
 * hub.emit({ type: 'card-remove', readerId: 'phone-1' });
 * ```
 */
export class EventHub<T> {
  /** True once `close()` ran. */
  get closed(): boolean {
    return this.#closed;
  }

  readonly #watchers = new Set<Watcher<T>>();
  readonly #maxQueued: number;
  #closed = false;

  constructor(maxQueued = 1024) {
    this.#maxQueued = maxQueued;
  }

  /** Delivers an event to every current watcher. */
  emit(event: T): void {
    for (const watcher of this.#watchers) {
      if (watcher.queue.length >= this.#maxQueued) {
        watcher.ended = true;
      } else {
        watcher.queue.push(event);
      }
      watcher.wake?.();
    }
  }

  /** Ends every watcher. */
  close(): void {
    this.#closed = true;
    for (const watcher of this.#watchers) {
      watcher.ended = true;
      watcher.wake?.();
    }
  }

  async *watch(
    snapshot: () => readonly T[],
    signal: AbortSignal | undefined,
  ): AsyncGenerator<T, void, undefined> {
    if (this.#closed || signal?.aborted === true) return;
    const watcher: Watcher<T> = { queue: [...snapshot()], wake: undefined, ended: false };
    this.#watchers.add(watcher);
    const onAbort = (): void => {
      watcher.ended = true;
      watcher.wake?.();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      while (true) {
        const next = watcher.queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (watcher.ended) return;
        await new Promise<void>((resolve) => {
          watcher.wake = resolve;
        });
        watcher.wake = undefined;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.#watchers.delete(watcher);
    }
  }
}
