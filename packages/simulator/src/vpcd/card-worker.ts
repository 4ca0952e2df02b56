/**
 * A virtual card behind vpcd, hosted in a worker thread, and the two ends of its message channel.
 *
 * Why a worker: pcsc-lite's synchronous calls (SCardListReaders, SCardStatus, SCardDisconnect)
 * block the calling thread while pcscd may be waiting for the card to answer; if the card lived on
 * that same thread, both would wait forever. The worker script (plain JavaScript, so that workers
 * load it without a transform) builds its card and {@link VpcdConnector}, then calls
 * {@link serveCardWorker} with its methods; the test's thread starts it with
 * {@link CardWorkerHost.start} and calls those methods by name.
 *
 * A worker may also hold a command until the host's thread has acted (stop pcscd mid-command):
 * {@link CardWorkerChannel.holdUntilHost} on the worker side, {@link CardWorkerHost.onHold} on the
 * host side.
 *
 * @example
 * ```ts
 * // card-worker.mjs
 * serveCardWorker(connector.readerName, { insert: () => connector.insert(), close: () => connector.close() });
 * // the test
 * await using host = await CardWorkerHost.start(new URL('./card-worker.mjs', import.meta.url), { slot: 0 });
 * await host.call('insert');
 * ```
 */
import { parentPort, Worker } from 'node:worker_threads';

/** A worker's answer to a call: a value or the thrown error's message and code. */
interface CallReply {
  readonly id: number;
  readonly value?: unknown;
  readonly error?: { readonly message: string; readonly code?: string; readonly name?: string };
}

/** The worker holds a command until the host answers `{ holdDone: hold }`. */
interface HoldNotice {
  readonly hold: number;
  readonly index: number;
}

interface ReadyNotice {
  readonly ready: true;
  readonly readerName: string;
}

/** The host's side of a virtual card running in a worker thread. */
export class CardWorkerHost implements AsyncDisposable {
  /** The reader name the card's vpcd slot has in pcscd. */
  readonly readerName: string;
  /**
   * Runs on this thread while the worker holds a command (its index since the worker last
   * counted from zero); the command goes on once it settles.
   */
  onHold: ((index: number) => Promise<void>) | undefined;
  readonly #worker: Worker;
  readonly #label: string;
  readonly #pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  #nextId = 1;
  #closed = false;

  private constructor(worker: Worker, readerName: string, label: string) {
    this.#worker = worker;
    this.readerName = readerName;
    this.#label = label;
    worker.on('message', (message: CallReply | HoldNotice) => {
      if ('hold' in message) {
        void (this.onHold?.(message.index) ?? Promise.resolve())
          .catch(() => undefined)
          .then(() => this.#worker.postMessage({ holdDone: message.hold }));
        return;
      }
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

  /**
   * Starts `script` in a worker thread with `workerData` and waits until its card is ready.
   * `label` names the host in errors (default `CardWorkerHost`).
   */
  static async start(
    script: URL | string,
    workerData: unknown,
    label = 'CardWorkerHost',
  ): Promise<CardWorkerHost> {
    const worker = new Worker(script, { workerData });
    const readerName = await new Promise<string>((resolve, reject) => {
      const onMessage = (message: Partial<ReadyNotice>): void => {
        if (message.ready === true && message.readerName !== undefined) {
          worker.off('error', reject);
          worker.off('message', onMessage);
          resolve(message.readerName);
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`${label}: card worker exited with ${code}`)));
    });
    return new CardWorkerHost(worker, readerName, label);
  }

  /** Calls the worker's method `method` with `argument` and resolves with what it returned. */
  call<T>(method: string, argument?: unknown): Promise<T> {
    if (this.#closed) return Promise.reject(new Error(`${this.#label}.${method}: closed`));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#worker.postMessage({ id, method, argument });
    });
  }

  /** Calls the worker's `close` (it takes its card out of the reader), then ends it. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.call('close');
    } finally {
      this.#closed = true;
      await this.#worker.terminate();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** What {@link serveCardWorker} gives the worker script. */
export interface CardWorkerChannel {
  /** Holds command `index` until the host's {@link CardWorkerHost.onHold} has settled. */
  holdUntilHost(index: number): Promise<void>;
}

/**
 * The worker's side: answers the host's calls with `methods` (each may return a promise; a throw
 * goes back as a rejection with the error's message and code), then tells the host the card is
 * ready in `readerName`. Call it once, from a worker thread.
 */
export function serveCardWorker(
  readerName: string,
  methods: Readonly<Record<string, (argument: never) => unknown>>,
): CardWorkerChannel {
  const port = parentPort;
  if (port === null) throw new Error('serveCardWorker: not in a worker thread');
  const holds = new Map<number, () => void>();
  let nextHold = 1;
  port.on(
    'message',
    async (message: { id: number; method: string; argument?: unknown; holdDone?: number }) => {
      if (message.holdDone !== undefined) {
        holds.get(message.holdDone)?.();
        holds.delete(message.holdDone);
        return;
      }
      const { id, method, argument } = message;
      try {
        const handler = methods[method] as ((argument: unknown) => unknown) | undefined;
        if (handler === undefined) throw new Error(`card worker: no method ${method}`);
        port.postMessage({ id, value: await handler(argument) });
      } catch (error) {
        const {
          message: text,
          code,
          name,
        } = (error ?? {}) as { message?: string; code?: string; name?: string };
        port.postMessage({ id, error: { message: text ?? String(error), code, name } });
      }
    },
  );
  port.postMessage({ ready: true, readerName } satisfies ReadyNotice);
  return {
    holdUntilHost: (index) =>
      new Promise<void>((resolve) => {
        const hold = nextHold++;
        holds.set(hold, resolve);
        port.postMessage({ hold, index } satisfies HoldNotice);
      }),
  };
}
