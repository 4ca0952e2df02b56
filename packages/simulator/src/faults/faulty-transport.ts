/**
 * Fault injection on any Transport (PC/SC, BLE, bridge, simulator, replay): a Transport that
 * forwards to `inner` through a fault plan. A `remove`/`drop` fault fails the command with
 * `CARD_REMOVED` / `LINK_LOST`, settles `closed` accordingly and closes `inner`.
 *
 * @example
 * ```ts
 * await using transport = injectTransportFaults(await provider.connect(readerId), [
 *   { type: 'remove', match: { ins: 0xb0, index: 6 } }, // card pulled mid-read
 * ]);
 * ```
 */
import type { Transport } from '@kakunin/core/transport';
import { WrappedTransport } from '../transport/wrapped-transport.js';
import { FaultInjector, type FaultInjectorOptions } from './fault-injector.js';
import type { FaultEvent, FaultRule } from './fault-rule.js';

/**
 * Options of a faulty transport.
 *
 * @example
 * ```ts
 * injectTransportFaults(transport, rules, { seed: 'x', transmitTimeoutMs: 5000 });
 * ```
 */
export interface FaultyTransportOptions extends FaultInjectorOptions {
  /** Per-transmit time limit of the wrapper (default: no extra limit beyond `inner`'s). */
  readonly transmitTimeoutMs?: number;
}

/**
 * A transport with a fault plan.
 *
 * @example
 * ```ts
 * const faulty = new FaultyTransport(transport, [{ type: 'drop', afterCommands: 2 }]);
 * ```
 */
export class FaultyTransport extends WrappedTransport {
  readonly injector: FaultInjector;

  constructor(inner: Transport, rules: readonly FaultRule[], options: FaultyTransportOptions = {}) {
    super(inner, options.transmitTimeoutMs);
    this.injector = new FaultInjector(rules, options);
  }

  /** Faults that fired. */
  get events(): readonly FaultEvent[] {
    return this.injector.events;
  }

  protected exchange(command: Uint8Array, signal: AbortSignal | undefined): Promise<Uint8Array> {
    return this.injector.run(
      command,
      (bytes) => this.inner.transmit(bytes, signal === undefined ? {} : { signal }),
      signal,
    );
  }
}

/**
 * Wraps a transport with a fault plan.
 *
 * @example
 * ```ts
 * injectTransportFaults(transport, [{ type: 'delay', ms: 50 }]);
 * ```
 */
export function injectTransportFaults(
  transport: Transport,
  rules: readonly FaultRule[],
  options: FaultyTransportOptions = {},
): FaultyTransport {
  return new FaultyTransport(transport, rules, options);
}
