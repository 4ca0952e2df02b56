/**
 * A base class that gives every transport the contract's invariants for free: input assertions,
 * one transmit in flight (a second is BUSY), AbortSignal and per-call timeout, idempotent close,
 * a `closed` promise that settles exactly once, `await using` support.
 * Subclasses implement `exchange()` (one raw round trip) and `release()` (free the link).
 *
 * @example
 * ```ts
 * class LoopbackTransport extends BaseTransport {
 *   protected async exchange(command: Uint8Array) { return new Uint8Array([0x90, 0x00]); }
 *   protected async release() {}
 * }
 * ```
 */

import { raceAbort, throwIfAborted } from './abort.js';
import { assertBytes } from './assert-bytes.js';
import { CardError } from './card-error.js';
import { TransportErrorCode } from './error-codes.js';
import type { CloseInfo, SignalOptions, Transport, TransportCapabilities } from './transport.js';

export interface BaseTransportOptions {
  readonly kind: string;
  readonly atr: Uint8Array;
  readonly capabilities: TransportCapabilities;
  /** Per-transmit time limit in ms (default 30 000: RSA signing over NFC can take seconds). */
  readonly transmitTimeoutMs?: number;
}

/** Smallest and largest command an ISO 7816-4 APDU can be (header only; extended case 4). */
const MIN_COMMAND_LENGTH = 4;

export abstract class BaseTransport implements Transport {
  readonly kind: string;
  atr: Uint8Array;
  capabilities: TransportCapabilities;
  readonly closed: Promise<CloseInfo>;
  protected readonly transmitTimeoutMs: number;
  #inFlight = false;
  #closeInfo: CloseInfo | undefined;
  #resolveClosed!: (info: CloseInfo) => void;
  #closing: Promise<void> | undefined;

  protected constructor(options: BaseTransportOptions) {
    this.kind = options.kind;
    this.atr = options.atr;
    this.capabilities = options.capabilities;
    this.transmitTimeoutMs = options.transmitTimeoutMs ?? 30_000;
    this.closed = new Promise<CloseInfo>((resolve) => {
      this.#resolveClosed = resolve;
    });
  }

  /** True once the connection ended for any reason. */
  get isClosed(): boolean {
    return this.#closeInfo !== undefined;
  }

  /** One raw round trip. Must reject with a CardError when the link fails. */
  protected abstract exchange(command: Uint8Array, signal: AbortSignal | undefined): Promise<Uint8Array>;
  /** Frees the link. Called once. */
  protected abstract release(info: CloseInfo): Promise<void>;

  async transmit(command: Uint8Array, options: SignalOptions = {}): Promise<Uint8Array> {
    assertBytes(command, 'transmit: command');
    if (command.length < MIN_COMMAND_LENGTH)
      throw new RangeError(`transmit: command is ${command.length} bytes, at least 4 needed`);
    if (command.length > this.capabilities.maxCommandLength) {
      throw new CardError(
        TransportErrorCode.COMMAND_TOO_LONG,
        `transmit: ${command.length}-byte command exceeds this link's ${this.capabilities.maxCommandLength}`,
        {
          details: { length: command.length, max: this.capabilities.maxCommandLength },
        },
      );
    }
    this.assertOpen('transmit');
    throwIfAborted(options.signal, 'transmit');
    if (this.#inFlight)
      throw new CardError(
        TransportErrorCode.BUSY,
        'transmit: another command is in flight on this transport',
      );
    this.#inFlight = true;
    try {
      const response = await raceAbort(
        this.exchange(command, options.signal),
        options.signal,
        this.transmitTimeoutMs,
        'transmit',
      );
      if (!(response instanceof Uint8Array) || response.length < 2) {
        throw new CardError(TransportErrorCode.PROTOCOL, 'transmit: response shorter than a status word', {
          remedy: 'card.moved',
        });
      }
      return response;
    } catch (error) {
      if (
        CardError.isInstance(error) &&
        (error.code === TransportErrorCode.CARD_REMOVED ||
          error.code === TransportErrorCode.READER_UNAVAILABLE ||
          error.code === TransportErrorCode.LINK_LOST)
      ) {
        this.markClosed({
          reason:
            error.code === TransportErrorCode.CARD_REMOVED
              ? 'card-removed'
              : error.code === TransportErrorCode.LINK_LOST
                ? 'link-lost'
                : 'reader-removed',
          error,
        });
      }
      throw error;
    } finally {
      this.#inFlight = false;
    }
  }

  /** Throws CLOSED or the error that ended the connection. */
  protected assertOpen(what: string): void {
    const info = this.#closeInfo;
    if (info === undefined) return;
    if (info.error !== undefined) throw info.error;
    throw new CardError(TransportErrorCode.CLOSED, `${what}: transport is closed`);
  }

  /** Subclasses call this when the link ends on its own (card removed, reader gone). */
  protected markClosed(info: CloseInfo): void {
    if (this.#closeInfo !== undefined) return;
    this.#closeInfo = info;
    this.#resolveClosed(info);
    this.#closing = this.release(info).catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.#closeInfo === undefined) this.markClosed({ reason: 'closed' });
    await this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
