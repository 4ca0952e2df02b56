/**
 * One card connection through a Bluetooth reader: the Transport contract (architecture.md §2) on
 * top of a driver's {@link ReaderSession}. BaseTransport gives BUSY, AbortSignal, timeouts and
 * idempotent close; this class adds card removal from the reader's notifications (CARD_REMOVED),
 * link loss (LINK_LOST, or READER_ASLEEP when the reader dropped an idle link), escape commands via
 * `control()`/`escape()`, cold reset, and powers the card off on close (PIN state cleared).
 *
 * @example
 * ```ts
 * await using transport = await provider.connect('ACR1255U-J1-003152');
 * const response = await transport.transmit(selectJpkiAp);
 * ```
 */
import {
  assertBytes,
  BaseTransport,
  CardError,
  type CloseInfo,
  type SignalOptions,
  TransportErrorCode,
  throwIfAborted,
} from '@kakunin/core/transport';
import type { ReaderSession } from './driver.js';
import { bleErrors } from './errors.js';

/**
 * The control code `control()` accepts for a reader escape: SCARD_CTL_CODE(3500) as pcsc-lite
 * defines it (0x42000000 + 3500), the code ACS readers use for escapes in USB mode.
 *
 * @example
 * ```ts
 * await transport.control(BLE_ESCAPE_CONTROL_CODE, Uint8Array.of(0xe0, 0x00, 0x00, 0x18, 0x00));
 * ```
 */
export const BLE_ESCAPE_CONTROL_CODE = 0x42000000 + 3500;

/** How long close() may spend powering the card off before giving up. */
const POWER_OFF_TIMEOUT_MS = 2000;

export interface BleTransportOptions {
  readonly readerId: string;
  readonly session: ReaderSession;
  readonly atr: Uint8Array;
  readonly transmitTimeoutMs?: number;
  /** Called once after the transport released the reader. */
  readonly onRelease?: () => void;
}

/**
 * One card connection through a BLE reader; created by `BleTransportProvider.connect()`.
 *
 * @example
 * ```ts
 * const transport = await provider.connect(readerId);
 * const response = await transport.transmit(selectJpkiAp);
 * await transport.close(); // powers the card off
 * ```
 */
export class BleTransport extends BaseTransport {
  /** The reader this connection goes through. */
  readonly readerId: string;
  readonly #session: ReaderSession;
  readonly #unsubscribe: Array<() => void>;
  readonly #onRelease: (() => void) | undefined;

  constructor(options: BleTransportOptions) {
    super({
      kind: 'ble',
      atr: options.atr,
      capabilities: { ...options.session.capabilities, linkSecurity: options.session.linkSecurity },
      ...(options.transmitTimeoutMs === undefined ? {} : { transmitTimeoutMs: options.transmitTimeoutMs }),
    });
    this.readerId = options.readerId;
    this.#session = options.session;
    this.#onRelease = options.onRelease;
    this.#unsubscribe = [
      options.session.onCardStatus((present) => {
        if (!present)
          this.markClosed({ reason: 'card-removed', error: bleErrors.cardRemoved(this.readerId) });
      }),
      options.session.onEnd((end) => this.markClosed({ reason: 'link-lost', error: end.error })),
    ];
  }

  protected exchange(command: Uint8Array, signal: AbortSignal | undefined): Promise<Uint8Array> {
    return this.#session.transmit(command, signal);
  }

  /**
   * Sends a reader escape command (ACR1255U-J1: `E0 00 00 …`, transports.md §4.3).
   *
   * @example
   * ```ts
   * const firmware = await transport.escape(Uint8Array.of(0xe0, 0x00, 0x00, 0x18, 0x00));
   * ```
   */
  async escape(command: Uint8Array, options: SignalOptions = {}): Promise<Uint8Array> {
    assertBytes(command, 'escape: command');
    if (command.length === 0) throw new RangeError('escape: command must not be empty');
    this.assertOpen('escape');
    throwIfAborted(options.signal, 'escape');
    return this.#session.escape(command, options.signal);
  }

  /**
   * PC/SC-style control: only {@link BLE_ESCAPE_CONTROL_CODE} (reader escape) is supported.
   *
   * @example
   * ```ts
   * await transport.control(BLE_ESCAPE_CONTROL_CODE, Uint8Array.of(0xe0, 0x00, 0x00, 0x18, 0x00));
   * ```
   */
  async control(code: number, data: Uint8Array, options: SignalOptions = {}): Promise<Uint8Array> {
    if (!Number.isInteger(code)) throw new TypeError('control: code must be an integer');
    if (code !== BLE_ESCAPE_CONTROL_CODE) {
      throw new CardError(
        TransportErrorCode.NOT_SUPPORTED,
        `control: code ${code} is not supported over BLE`,
        {
          details: { code },
        },
      );
    }
    return this.escape(data, options);
  }

  /**
   * `cold`: power off, power on, new ATR (every security state cleared). The BLE command set has
   * no warm reset (transports.md §4.3), so `warm` is NOT_SUPPORTED.
   *
   * @example
   * ```ts
   * const atr = await transport.reset('cold');
   * ```
   */
  async reset(kind: 'cold' | 'warm', options: SignalOptions = {}): Promise<Uint8Array> {
    if (kind !== 'cold' && kind !== 'warm') throw new TypeError("reset: kind must be 'cold' or 'warm'");
    this.assertOpen('reset');
    if (kind === 'warm')
      throw new CardError(TransportErrorCode.NOT_SUPPORTED, 'reset: the BLE reader has no warm reset');
    throwIfAborted(options.signal, 'reset');
    await this.#session.powerOff(options.signal);
    const atr = await this.#session.powerOn(options.signal);
    this.atr = atr;
    return atr;
  }

  protected async release(info: CloseInfo): Promise<void> {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    try {
      if (info.reason === 'closed' && !this.#session.ended) {
        // Unpower on close: a verified PIN must not outlive the connection (jpki-card.md §8).
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), POWER_OFF_TIMEOUT_MS);
        try {
          await this.#session.powerOff(controller.signal);
        } catch {
          // The card may already be gone; the reader powers it down on removal anyway.
        } finally {
          clearTimeout(timer);
        }
      }
    } finally {
      this.#onRelease?.();
    }
  }
}
