/**
 * Runs the conformance suite against a minimal in-memory transport built on core's BaseTransport,
 * proving that the suite itself is satisfiable and exercises removal and stalls.
 */
import { BaseTransport, CardError, type CloseInfo } from '@kakunin/core/transport';
import { runTransportConformance } from './index.js';

/** An in-memory "card" with insert/remove and a stall switch. */
class MemoryCard {
  present = true;
  stallNext = false;
  readonly #waiters = new Set<() => void>();
  readonly #removalListeners = new Set<() => void>();

  onRemoval(listener: () => void): () => void {
    this.#removalListeners.add(listener);
    return () => this.#removalListeners.delete(listener);
  }

  async answer(): Promise<Uint8Array> {
    if (!this.present) throw new CardError('CARD_REMOVED', 'card removed', { remedy: 'card.moved' });
    if (this.stallNext) {
      this.stallNext = false;
      await new Promise<void>((resolve) => this.#waiters.add(resolve));
      throw new CardError('CARD_REMOVED', 'card removed mid-command', { remedy: 'card.moved' });
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
    return Uint8Array.of(0x90, 0x00);
  }

  remove(): void {
    this.present = false;
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
    for (const listener of this.#removalListeners) listener();
  }
}

class MemoryTransport extends BaseTransport {
  readonly #card: MemoryCard;
  readonly #unsubscribe: () => void;

  constructor(card: MemoryCard) {
    super({
      kind: 'memory',
      atr: Uint8Array.of(0x3b, 0x80, 0x80, 0x01, 0x01),
      capabilities: {
        extendedLength: false,
        maxCommandLength: 261,
        maxResponseLength: 258,
        interface: 'unknown',
      },
    });
    this.#card = card;
    this.#unsubscribe = card.onRemoval(() =>
      this.markClosed({
        reason: 'card-removed',
        error: new CardError('CARD_REMOVED', 'card removed', { remedy: 'card.moved' }),
      }),
    );
  }

  protected exchange(): Promise<Uint8Array> {
    return this.#card.answer();
  }

  protected async release(_info: CloseInfo): Promise<void> {
    this.#unsubscribe();
  }
}

let card = new MemoryCard();

runTransportConformance('in-memory reference transport', {
  createTransport: async () => new MemoryTransport(card),
  removeCard: async () => card.remove(),
  restoreCard: async () => {
    card = new MemoryCard();
  },
  stallNextCommand: async () => {
    card.stallNext = true;
  },
  removalTimeoutMs: 1000,
});
