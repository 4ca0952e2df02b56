/**
 * Fault injection at the card: wraps any {@link VirtualCardEndpoint}, so the faults show up on
 * every presence path that carries the card (in-process provider, vpcd → pcscd → any PC/SC
 * client). It is a {@link RemovalSource}: when a `remove`/`drop` rule fires, listeners (the
 * in-process provider, a vpcd connector) take the card out of the reader, and `process()`
 * rejects with `CARD_REMOVED` / `LINK_LOST` until {@link FaultyCardEndpoint.restore}.
 *
 * @example
 * ```ts
 * const card = injectCardFaults(createVirtualCard('plastic', { keyStore }), [{ type: 'remove', afterCommands: 4 }]);
 * provider.insert(card);
 * ```
 */
import type { VirtualCardEndpoint } from '../card-endpoint.js';
import type { RemovalReason, RemovalSource } from '../card-removal.js';
import { FaultInjector, type FaultInjectorOptions } from './fault-injector.js';
import type { FaultEvent, FaultRule } from './fault-rule.js';

/**
 * A card endpoint with a fault plan.
 *
 * @example
 * ```ts
 * const faulty = new FaultyCardEndpoint(card, [{ type: 'remove', afterCommands: 3 }]);
 * ```
 */
export class FaultyCardEndpoint implements VirtualCardEndpoint, RemovalSource {
  readonly inner: VirtualCardEndpoint;
  readonly injector: FaultInjector;

  constructor(inner: VirtualCardEndpoint, rules: readonly FaultRule[], options: FaultInjectorOptions = {}) {
    if (typeof inner !== 'object' || inner === null || typeof inner.process !== 'function') {
      throw new TypeError('inner must be a VirtualCardEndpoint');
    }
    this.inner = inner;
    this.injector = new FaultInjector(rules, options);
  }

  get atr(): Uint8Array {
    return this.inner.atr;
  }

  /** Faults that fired. */
  get events(): readonly FaultEvent[] {
    return this.injector.events;
  }

  powerOn(): Uint8Array {
    return this.inner.powerOn();
  }

  powerOff(): void {
    this.inner.powerOff();
  }

  warmReset(): Uint8Array {
    return this.inner.warmReset();
  }

  process(command: Uint8Array): Promise<Uint8Array> {
    return this.injector.run(command, (bytes) => this.inner.process(bytes));
  }

  onRemoval(listener: (reason: RemovalReason) => void): () => void {
    return this.injector.onRemoval(listener);
  }

  /** Puts the card back after a remove/drop fault (insert it into the reader again). */
  restore(): void {
    this.injector.restore();
  }
}

/**
 * Wraps a card endpoint with a fault plan.
 *
 * @example
 * ```ts
 * injectCardFaults(card, [{ type: 'status', match: { ins: 0xb0 }, sw: 0x6f00, times: 1 }]);
 * ```
 */
export function injectCardFaults(
  card: VirtualCardEndpoint,
  rules: readonly FaultRule[],
  options: FaultInjectorOptions = {},
): FaultyCardEndpoint {
  return new FaultyCardEndpoint(card, rules, options);
}
