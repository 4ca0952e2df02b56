/**
 * How the virtual card desk puts its card in front of the app: a reader (id + provider) and a
 * way to show a card in it or take it out. Two implementations:
 * - {@link createInProcessCardPresenter}: the simulator's in-process `SimulatorProvider` (no
 *   service needed; the fallback);
 * - `createVpcdCardPresenter` (vpcd-card-presenter.ts): real pcscd through vsmartcard's vpcd
 *   driver, read back through `@kakunin/transport-pcsc` (the embedded default when pcscd runs).
 *
 * @example
 * ```ts
 * const presenter = createInProcessCardPresenter();
 * presenter.show(card);
 * await presenter.settled();
 * ```
 */
import type { TransportProvider } from '@kakunin/core/transport';
import { SimulatorProvider, type VirtualCardEndpoint } from '@kakunin/simulator';

export interface CardPresenter {
  /** `in-process` or `vpcd`. */
  readonly presentation: 'in-process' | 'vpcd';
  /** The reader the card appears in. */
  readonly readerId: string;
  /** Reads the reader (may list other readers too; the desk shows only {@link readerId}). */
  readonly provider: TransportProvider;
  /** Shows `card` in the reader (replacing any other), or empties it. Work runs in order. */
  show(card: VirtualCardEndpoint | undefined): void;
  /** Resolves when every show() so far took effect; rejects with the last failure. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The in-process presenter.
 *
 * @example
 * ```ts
 * const desk = createSimulatorDesk({ presenter: createInProcessCardPresenter() });
 * ```
 */
export function createInProcessCardPresenter(): CardPresenter {
  const inner = new SimulatorProvider({ readers: 1 });
  const readerId = inner.readerId;
  let shown: VirtualCardEndpoint | undefined;
  return {
    presentation: 'in-process',
    readerId,
    provider: inner,
    show(card) {
      if (card === shown) return;
      if (shown !== undefined) inner.remove(readerId);
      if (card !== undefined) inner.insert(card, readerId);
      shown = card;
    },
    async settled() {},
    async close() {
      await inner.close();
    },
  };
}
