/**
 * One reader of the {@link SimulatorProvider}: holds at most one card, powers it on first
 * connect, routes APDUs to it one at a time and tears every connection down when the card leaves.
 *
 * @example
 * ```ts
 * slot.insert(card); slot.remove();
 * ```
 */
import { CardError, TransportErrorCode } from '@kakunin/core/transport';
import type { VirtualCardEndpoint } from '../card-endpoint.js';
import { isRemovalSource, type RemovalReason } from '../card-removal.js';

/** What happens to the card when a connection closes (PC/SC dispositions). */
export type CloseDisposition = 'leave' | 'reset' | 'unpower';

/** A connection the slot tears down when the card leaves. */
export interface SlotConnection {
  cardGone(error: CardError): void;
  close(): Promise<void>;
}

export interface SlotListener {
  onInsert(slot: SimulatorSlot, atr: Uint8Array): void;
  onRemove(slot: SimulatorSlot): void;
}

export class SimulatorSlot {
  readonly id: string;
  readonly label: string;
  readonly #listener: SlotListener;
  #card: VirtualCardEndpoint | undefined;
  #powered = false;
  #unsubscribe: (() => void) | undefined;
  /**
   * Commands in flight, failed when the card leaves. (Not a `Promise.race` against one long-lived
   * "removed" promise: every race would stay attached to it, with its response, until the card
   * left — a leak of one response per APDU found by the reliability soak.)
   */
  #pending: Set<(error: CardError) => void> | undefined;
  readonly connections = new Set<SlotConnection>();
  exclusive = false;

  constructor(id: string, label: string, listener: SlotListener) {
    this.id = id;
    this.label = label;
    this.#listener = listener;
  }

  get card(): VirtualCardEndpoint | undefined {
    return this.#card;
  }

  insert(card: VirtualCardEndpoint): void {
    if (this.#card !== undefined) this.remove();
    this.#card = card;
    this.#powered = false;
    this.#pending = new Set();
    if (isRemovalSource(card)) this.#unsubscribe = card.onRemoval((reason) => this.remove(reason));
    this.#listener.onInsert(this, card.atr);
  }

  remove(reason: RemovalReason = 'card-removed'): void {
    const card = this.#card;
    if (card === undefined) return;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#card = undefined;
    if (this.#powered) card.powerOff();
    this.#powered = false;
    const error =
      reason === 'link-lost'
        ? new CardError(TransportErrorCode.LINK_LOST, 'the link to the card was lost', {
            remedy: 'card.moved',
          })
        : new CardError(TransportErrorCode.CARD_REMOVED, 'the card was removed from the reader', {
            remedy: 'card.moved',
          });
    const pending = this.#pending;
    this.#pending = undefined;
    for (const fail of pending ?? []) fail(error);
    for (const connection of [...this.connections]) connection.cardGone(error);
    this.connections.clear();
    this.exclusive = false;
    this.#listener.onRemove(this);
  }

  /** Powers the card on if needed and returns its ATR. */
  ensurePowered(): Uint8Array {
    const card = this.#card;
    if (card === undefined) throw new CardError(TransportErrorCode.CARD_ABSENT, 'no card in the reader');
    if (!this.#powered) {
      this.#powered = true;
      return card.powerOn();
    }
    return card.atr;
  }

  async process(command: Uint8Array): Promise<Uint8Array> {
    const card = this.#card;
    const pending = this.#pending;
    if (card === undefined || pending === undefined) {
      throw new CardError(TransportErrorCode.CARD_REMOVED, 'the card was removed from the reader');
    }
    return new Promise<Uint8Array>((resolve, reject) => {
      pending.add(reject);
      card
        .process(command)
        .then(resolve, reject)
        .finally(() => pending.delete(reject));
    });
  }

  reset(kind: 'cold' | 'warm'): Uint8Array {
    const card = this.#card;
    if (card === undefined)
      throw new CardError(TransportErrorCode.CARD_REMOVED, 'the card was removed from the reader');
    if (kind === 'cold') {
      card.powerOff();
      this.#powered = true;
      return card.powerOn();
    }
    this.#powered = true;
    return card.warmReset();
  }

  disconnect(connection: SlotConnection, disposition: CloseDisposition): void {
    if (!this.connections.delete(connection)) return;
    if (this.connections.size === 0) this.exclusive = false;
    const card = this.#card;
    if (card === undefined) return;
    if (disposition === 'unpower') {
      card.powerOff();
      this.#powered = false;
    } else if (disposition === 'reset') {
      card.warmReset();
    }
  }
}
