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
import {
  BaseTransport,
  CardError,
  type CloseInfo,
  type SignalOptions,
  type Transport,
  TransportErrorCode,
  throwIfAborted,
} from '@kakunin/core/transport';
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
export class FaultyTransport extends BaseTransport {
  readonly inner: Transport;
  readonly injector: FaultInjector;

  constructor(inner: Transport, rules: readonly FaultRule[], options: FaultyTransportOptions = {}) {
    if (typeof inner !== 'object' || inner === null || typeof inner.transmit !== 'function') {
      throw new TypeError('inner must be a Transport');
    }
    super({
      kind: inner.kind,
      atr: inner.atr,
      capabilities: inner.capabilities,
      transmitTimeoutMs: options.transmitTimeoutMs ?? Number.POSITIVE_INFINITY,
    });
    this.inner = inner;
    this.injector = new FaultInjector(rules, options);
    void inner.closed.then((info) => this.markClosed(info));
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

  async reset(kind: 'cold' | 'warm', options: SignalOptions = {}): Promise<Uint8Array> {
    this.assertOpen('reset');
    throwIfAborted(options.signal, 'reset');
    if (this.inner.reset === undefined) {
      throw new CardError(TransportErrorCode.NOT_SUPPORTED, 'reset: the wrapped transport cannot reset');
    }
    this.atr = await this.inner.reset(kind, options);
    return this.atr;
  }

  protected async release(_info: CloseInfo): Promise<void> {
    await this.inner.close();
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
