/**
 * A Transport wrapper that remembers every exchange. It keeps a *reference* to each command
 * buffer the session hands it (not a copy), so a test can look at those exact buffers after the
 * flow and prove that PIN-bearing commands were wiped; and it copies each response (seeds for the
 * fuzzers, "recorded responses").
 *
 * @example
 * ```ts
 * const capturing = new CapturingTransport(await provider.connect(provider.readerId));
 * await MyNumberCard.open(capturing).check({ pin, challenge });
 * capturing.exchanges.filter((exchange) => exchange.command[1] === 0x20);
 * ```
 */
import type { CloseInfo, SignalOptions, Transport, TransportCapabilities } from '@kakunin/core/transport';

export interface CapturedExchange {
  /** The very buffer the caller passed to transmit() (a reference). */
  readonly command: Uint8Array;
  /** Length of the command when it was sent (the buffer may be wiped later). */
  readonly commandLength: number;
  /** INS byte when it was sent. */
  readonly ins: number;
  /** A copy of the response, or undefined when the exchange failed. */
  readonly response: Uint8Array | undefined;
  readonly error: unknown;
}

export class CapturingTransport implements Transport {
  readonly inner: Transport;
  readonly exchanges: CapturedExchange[] = [];

  constructor(inner: Transport) {
    this.inner = inner;
  }

  get kind(): string {
    return this.inner.kind;
  }

  get atr(): Uint8Array {
    return this.inner.atr;
  }

  get capabilities(): TransportCapabilities {
    return this.inner.capabilities;
  }

  get closed(): Promise<CloseInfo> {
    return this.inner.closed;
  }

  async transmit(command: Uint8Array, options?: SignalOptions): Promise<Uint8Array> {
    const ins = command[1] ?? -1;
    const commandLength = command.length;
    try {
      const response = await this.inner.transmit(command, options);
      this.exchanges.push({ command, commandLength, ins, response: response.slice(), error: undefined });
      return response;
    } catch (error) {
      this.exchanges.push({ command, commandLength, ins, response: undefined, error });
      throw error;
    }
  }

  reset(kind: 'cold' | 'warm', options?: SignalOptions): Promise<Uint8Array> {
    if (this.inner.reset === undefined) return Promise.reject(new TypeError('inner transport cannot reset'));
    return this.inner.reset(kind, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
