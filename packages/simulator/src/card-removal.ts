/**
 * An optional capability of a {@link VirtualCardEndpoint}: announcing that the card left the
 * field on its own (a fault plan pulled it, or a relay dropped). Presence layers that support
 * it (the in-process provider; the vpcd connector may) remove the card from the reader when
 * the listener fires. `process()` of such an endpoint rejects with a `CardError` whose code is
 * `CARD_REMOVED` or `LINK_LOST` once the card is gone.
 *
 * @example
 * ```ts
 * if (isRemovalSource(card)) card.onRemoval((reason) => slot.remove(reason));
 * ```
 */
export type RemovalReason = 'card-removed' | 'link-lost';

/**
 * A card endpoint that can announce its own removal.
 *
 * @example
 * ```ts
 * faultyCard.onRemoval((reason) => console.log(reason)); // 'card-removed' | 'link-lost'
 * ```
 */
export interface RemovalSource {
  /** Calls `listener` when the card goes away; returns an unsubscribe function. */
  onRemoval(listener: (reason: RemovalReason) => void): () => void;
}

/**
 * True when `value` implements {@link RemovalSource}.
 *
 * @example
 * ```ts
 * if (isRemovalSource(card)) card.onRemoval(() => reader.remove());
 * ```
 */
export function isRemovalSource(value: unknown): value is RemovalSource {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<RemovalSource>).onRemoval === 'function'
  );
}
