/**
 * How the virtual card desk puts its card in front of the app: a reader (id + provider) and a
 * way to show one of the desk's cards in it or take it out. Two implementations:
 * - {@link createInProcessCardPresenter}: the simulator's in-process `SimulatorProvider` (no
 *   service needed; the fallback);
 * - `createVpcdCardPresenter` (vpcd-card-presenter.ts): real pcscd through vsmartcard's vpcd
 *   driver, read back through `@kakunin/transport-pcsc` (the embedded default when pcscd runs).
 *
 * A presenter is made by a factory the desk calls with its context (seed, key cache, its cards),
 * so both sides build the same deterministic cards.
 *
 * @example
 * ```ts
 * const desk = createSimulatorDesk({ presenter: createInProcessCardPresenter() });
 * desk.insert('plastic');
 * await desk.settled();
 * ```
 */
import type { TransportProvider } from '@kakunin/core/transport';
import { SimulatorProvider, type VirtualCardEndpoint } from '@kakunin/simulator';

/** What the desk knows that a presenter may need. */
export interface CardPresenterContext {
  /** Test PKI seed of the desk (each card's person uses `<seed>-<card>`). */
  readonly seed: string;
  /** The simulator's key cache directory. */
  readonly keyCacheDirectory: string;
  /** The desk's own card object for a name (in-process presentation). */
  cardOf(name: string): VirtualCardEndpoint;
}

export interface CardPresenter {
  /** `in-process` or `vpcd`. */
  readonly presentation: 'in-process' | 'vpcd';
  /** The reader the card appears in. */
  readonly readerId: string;
  /** Reads the reader (may list other readers too; the desk shows only {@link readerId}). */
  readonly provider: TransportProvider;
  /** Shows the desk card `name` in the reader (taking out any other), or empties it. Work runs in order. */
  show(name: string | undefined): void;
  /** Forgets the state of these cards (fresh cards, counters reset, next time they are shown). */
  forget(names: readonly string[]): void;
  /** Resolves when every show() so far took effect; rejects with the last failure. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** Builds a presenter for a desk. */
export type CardPresenterFactory = (context: CardPresenterContext) => CardPresenter;

/**
 * The in-process presenter (the simulator's `SimulatorProvider`, one reader).
 *
 * @example
 * ```ts
 * const desk = createSimulatorDesk({ presenter: createInProcessCardPresenter() });
 * ```
 */
export function createInProcessCardPresenter(): CardPresenterFactory {
  return (context) => {
    const inner = new SimulatorProvider({ readers: 1 });
    const readerId = inner.readerId;
    let shown: VirtualCardEndpoint | undefined;
    return {
      presentation: 'in-process',
      readerId,
      provider: inner,
      show(name) {
        const card = name === undefined ? undefined : context.cardOf(name);
        if (card === shown) return;
        if (shown !== undefined) inner.remove(readerId);
        if (card !== undefined) inner.insert(card, readerId);
        shown = card;
      },
      forget() {
        // The desk's own card objects are the state; the desk drops them.
      },
      async settled() {},
      async close() {
        await inner.close();
      },
    };
  };
}
