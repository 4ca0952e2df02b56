/**
 * A small push → async-iterator queue for `watch()`: producers push, one consumer pulls, `end()`
 * finishes the iteration. Unbounded on purpose: reader events are few.
 *
 * @example
 * ```ts
 * const queue = new EventQueue<number>();
 * queue.push(1);
 * queue.end();
 * for await (const value of queue) console.log(value); // 1
 * ```
 */
export class EventQueue<T> implements AsyncIterable<T> {
  readonly #items: T[] = [];
  #wake: (() => void) | undefined;
  #ended = false;
  #resolveFinished!: () => void;
  /** Settles when the queue ended (by `end()` or because the consumer stopped iterating). */
  readonly finished: Promise<void> = new Promise<void>((resolve) => {
    this.#resolveFinished = resolve;
  });

  get ended(): boolean {
    return this.#ended;
  }

  push(item: T): void {
    if (this.#ended) return;
    this.#items.push(item);
    this.#wake?.();
  }

  end(): void {
    this.#ended = true;
    this.#resolveFinished();
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    try {
      for (;;) {
        const item = this.#items.shift();
        if (item !== undefined) {
          yield item;
          continue;
        }
        if (this.#ended) return;
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
        this.#wake = undefined;
      }
    } finally {
      this.end();
    }
  }
}
