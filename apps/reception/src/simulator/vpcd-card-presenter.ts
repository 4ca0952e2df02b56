/**
 * Presents the desk's card to a real pcscd through vsmartcard's vpcd driver and reads it back
 * through a PC/SC `TransportProvider` (`@kakunin/transport-pcsc`). The reader is vpcd's slot
 * ("Virtual PCD 00 00" for slot 0 with Debian's configuration).
 *
 * The card and its `VpcdConnector` (connecting is inserting, closing is removing, transports.md
 * §3.3) run in a **worker thread** (workers/vpcd-card-worker.mjs): pcsc-lite's calls are
 * synchronous in the binding, and pcscd may be waiting for the card to answer its presence poll
 * while this thread sits in such a call — with the card on the same thread both would wait
 * forever. The worker builds the same deterministic cards as the desk (seed, key cache) and keeps
 * their state (PIN counters) until the desk forgets them.
 *
 * If pcscd restarts, the connector re-inserts the card by itself (`reconnectIntervalMs`).
 *
 * @example
 * ```ts
 * const desk = createSimulatorDesk({ presenter: createVpcdCardPresenter({ provider: createPcscProvider() }) });
 * desk.insert('plastic');
 * await desk.settled(); // the card is present in pcscd
 * ```
 */
import { Worker } from 'node:worker_threads';
import type { TransportProvider } from '@kakunin/core/transport';
import { vpcdReaderName } from '@kakunin/simulator/vpcd';
import { packageFile } from '../package-files.js';
import type { CardPresenter, CardPresenterFactory } from './card-presenter.js';

/** pcscd polls card presence every 400 ms (transports.md §3.3); give a removal a few polls. */
const REMOVAL_TIMEOUT_MS = 3000;
const REMOVAL_POLL_MS = 50;

export interface VpcdCardPresenterOptions {
  /** A PC/SC provider (reads the card back through pcscd). Closed by close(). */
  readonly provider: TransportProvider;
  /** vpcd slot (default 0 → TCP 35963). */
  readonly slot?: number;
  /** vpcd host (default 127.0.0.1: vpcd has no authentication, keep it local). */
  readonly host?: string;
  /** How long an insertion waits for pcscd to power the card, ms (default 5000). */
  readonly presenceTimeoutMs?: number;
  /** Re-insert this many ms after pcscd dropped the card (default 1000). */
  readonly reconnectIntervalMs?: number;
}

interface WorkerReply {
  readonly id: number;
  readonly error?: { readonly message: string; readonly code?: string };
}

/**
 * Creates the vpcd presenter factory.
 *
 * @example
 * ```ts
 * const desk = createSimulatorDesk({ presenter: createVpcdCardPresenter({ provider: pcsc, slot: 1 }) });
 * desk.readerId; // 'Virtual PCD 00 01'
 * ```
 */
export function createVpcdCardPresenter(options: VpcdCardPresenterOptions): CardPresenterFactory {
  if (options === null || typeof options !== 'object')
    throw new TypeError('createVpcdCardPresenter: options must be an object');
  const provider = options.provider;
  if (provider === undefined || typeof provider.connect !== 'function')
    throw new TypeError('createVpcdCardPresenter: options.provider must be a TransportProvider');
  const slot = options.slot ?? 0;
  if (!Number.isInteger(slot) || slot < 0 || slot > 1)
    throw new RangeError('createVpcdCardPresenter: options.slot must be 0 or 1');
  const readerId = vpcdReaderName(slot);

  return (context): CardPresenter => {
    const worker = new Worker(packageFile('workers', 'vpcd-card-worker.mjs'), {
      workerData: {
        seed: context.seed,
        keyCacheDirectory: context.keyCacheDirectory,
        slot,
        host: options.host ?? '127.0.0.1',
        presenceTimeoutMs: options.presenceTimeoutMs ?? 5000,
        reconnectIntervalMs: options.reconnectIntervalMs ?? 1000,
      },
    });
    const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
    let nextId = 1;
    let workerError: Error | undefined;
    worker.on('message', (reply: WorkerReply) => {
      const waiter = pending.get(reply.id);
      if (waiter === undefined) return;
      pending.delete(reply.id);
      if (reply.error === undefined) waiter.resolve();
      else waiter.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
    });
    const failAll = (error: Error): void => {
      workerError = error;
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`the vpcd card worker exited (code ${code})`)));
    const call = (message: Record<string, unknown>): Promise<void> => {
      if (workerError !== undefined) return Promise.reject(workerError);
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, ...message });
      });
    };

    /** pcscd notices a closed vpcd socket at its next presence poll: wait until the reader is empty. */
    const waitUntilEmpty = async (): Promise<void> => {
      const deadline = Date.now() + REMOVAL_TIMEOUT_MS;
      while (Date.now() < deadline) {
        const readers = await provider.listReaders().catch(() => []);
        if (readers.find((reader) => reader.id === readerId)?.cardPresent !== true) return;
        await new Promise((resolve) => setTimeout(resolve, REMOVAL_POLL_MS));
      }
    };

    let chain: Promise<void> = Promise.resolve();
    let failure: Error | undefined;
    let shown: string | undefined;
    let closed = false;
    const enqueue = (work: () => Promise<void>): void => {
      chain = chain.then(work).then(
        () => {
          failure = undefined;
        },
        (error: unknown) => {
          failure = error instanceof Error ? error : new Error(String(error));
        },
      );
    };

    return {
      presentation: 'vpcd',
      readerId,
      provider,
      show(name) {
        if (closed) return;
        enqueue(async () => {
          if (shown !== undefined && shown !== name) {
            shown = undefined;
            await call({ method: 'remove' });
            await waitUntilEmpty();
          }
          if (name === undefined || shown === name) return;
          await call({ method: 'insert', name });
          shown = name;
        });
      },
      forget(names) {
        if (closed || names.length === 0) return;
        enqueue(() => call({ method: 'forget', names: [...names] }));
      },
      async settled() {
        await chain;
        if (failure !== undefined) throw failure;
      },
      async close() {
        if (closed) return;
        closed = true;
        await chain;
        try {
          await call({ method: 'close' }).catch(() => undefined);
          await worker.terminate();
        } finally {
          await provider.close();
        }
      },
    };
  };
}
