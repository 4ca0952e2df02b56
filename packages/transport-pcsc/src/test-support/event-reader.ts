/**
 * Test support: consumes a provider's watch() in the background and lets a test wait for the
 * event it expects (with a time limit, so a missing event fails instead of hanging).
 */
import type { ReaderEvent } from '@kakunin/core/transport';

export class EventReader {
  readonly events: ReaderEvent[] = [];
  readonly #controller = new AbortController();
  readonly #waiters = new Set<() => void>();
  readonly done: Promise<void>;

  constructor(source: (signal: AbortSignal) => AsyncIterable<ReaderEvent>) {
    this.done = (async () => {
      for await (const event of source(this.#controller.signal)) {
        this.events.push(event);
        for (const wake of [...this.#waiters]) wake();
      }
    })();
  }

  /** Waits for an event (after index `from`) matching `predicate`; returns it and its index. */
  async next(
    predicate: (event: ReaderEvent) => boolean,
    options: { readonly from?: number; readonly timeoutMs?: number; readonly what?: string } = {},
  ): Promise<{ event: ReaderEvent; index: number }> {
    const from = options.from ?? 0;
    const timeoutMs = options.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.events.findIndex((event, position) => position >= from && predicate(event));
      if (index >= 0) return { event: this.events[index]!, index };
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(
          `no ${options.what ?? 'matching'} event within ${timeoutMs} ms; got ${JSON.stringify(
            this.events.map((event) =>
              'readerId' in event ? `${event.type}:${event.readerId}` : event.type,
            ),
          )}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(finish, remaining);
        const waiters = this.#waiters;
        function finish(): void {
          clearTimeout(timer);
          waiters.delete(finish);
          resolve();
        }
        waiters.add(finish);
      });
    }
  }

  async stop(): Promise<void> {
    this.#controller.abort();
    await this.done;
  }
}

/** A readable label of a reader event (no bytes). */
export function describeEvent(event: ReaderEvent): string {
  switch (event.type) {
    case 'reader-add':
      return `reader-add:${event.reader.id}:${event.reader.cardPresent ? 'card' : 'empty'}`;
    case 'reader-remove':
    case 'card-insert':
    case 'card-remove':
      return `${event.type}:${event.readerId}`;
    case 'error':
      return `error:${event.error.code}`;
  }
}
