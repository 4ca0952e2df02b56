/**
 * The base of the simulator's transport wrappers (fault injection, transcript recording): a
 * Transport in front of `inner` that shows its kind, ATR and capabilities, settles `closed` when
 * `inner` closes, closes `inner` when it is closed itself, and resets through `inner`.
 *
 * @example
 * ```ts
 * class CountingTransport extends WrappedTransport {
 *   count = 0;
 *   protected exchange(command: Uint8Array, signal: AbortSignal | undefined): Promise<Uint8Array> {
 *     this.count++;
 *     return this.inner.transmit(command, signal === undefined ? {} : { signal });
 *   }
 * }
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

/** A transport that forwards to `inner` (see the module comment). */
export abstract class WrappedTransport extends BaseTransport {
  readonly inner: Transport;

  /** `transmitTimeoutMs`: the wrapper's own per-transmit limit (default none beyond `inner`'s). */
  constructor(inner: Transport, transmitTimeoutMs = Number.POSITIVE_INFINITY) {
    if (typeof inner !== 'object' || inner === null || typeof inner.transmit !== 'function') {
      throw new TypeError('inner must be a Transport');
    }
    super({ kind: inner.kind, atr: inner.atr, capabilities: inner.capabilities, transmitTimeoutMs });
    this.inner = inner;
    void inner.closed.then((info) => this.markClosed(info));
  }

  async reset(kind: 'cold' | 'warm', options: SignalOptions = {}): Promise<Uint8Array> {
    this.assertOpen('reset');
    throwIfAborted(options.signal, 'reset');
    if (this.inner.reset === undefined) {
      throw new CardError(TransportErrorCode.NOT_SUPPORTED, 'reset: the wrapped transport cannot reset');
    }
    this.atr = await this.inner.reset(kind, options);
    this.afterReset(kind, this.atr);
    return this.atr;
  }

  /** Called after each reset through `inner` with the new ATR (default: nothing). */
  protected afterReset(_kind: 'cold' | 'warm', _atr: Uint8Array): void {}

  protected async release(_info: CloseInfo): Promise<void> {
    await this.inner.close();
  }
}
