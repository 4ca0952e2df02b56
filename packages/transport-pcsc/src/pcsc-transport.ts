/**
 * One PC/SC card connection (SCardConnect handle) as a kakunin `Transport`. It passes command
 * APDUs through unchanged (no GET RESPONSE, no chaining, no retries), with a receive buffer sized
 * from its capabilities (258 bytes short, up to 65 538 extended; transports.md §2.5, §8).
 *
 * Each connection owns its own PC/SC context, so that a command stuck in the card never blocks
 * another connection or the provider (pcsc-lite serializes calls per context).
 *
 * @example
 * ```ts
 * await using transport = await provider.connect('Virtual PCD 00 00', { share: 'exclusive' });
 * const response = await transport.transmit(selectJpki);
 * await transport.reset('cold'); // SCardReconnect(SCARD_UNPOWER_CARD): clears every PIN state
 * ```
 */
import {
  assertBytes,
  BaseTransport,
  CardError,
  type CloseInfo,
  raceAbort,
  type SignalOptions,
  type TransportCapabilities,
  throwIfAborted,
} from '@kakunin/core/transport';
import type { NativeBinding, NativeCard, NativeContext } from './binding/native-binding.js';
import { cardInterfaceFromAtr } from './card-interface.js';
import { mapPcscError } from './map-pcsc-error.js';

/** What happens to the card when the connection closes (SCardDisconnect disposition). */
export type PcscDisposition = 'leave' | 'reset' | 'unpower';
export type PcscProtocol = 'T0' | 'T1' | 'RAW' | 'unknown';

/** How long to look for a removal after an ambiguous failure: pcscd polls every 400 ms (§2.3). */
const REMOVAL_PROBE_MS = 3000;
const REMOVAL_PROBE_STEP_MS = 50;
/** SCardStatus dwState bit "no card in the reader" (pcsclite.h SCARD_ABSENT; WinSCard same value). */
const STATUS_ABSENT = 0x0002;
/** SCardStatus dwState bit "card in the reader" (pcsclite.h SCARD_PRESENT). */
const STATUS_PRESENT = 0x0004;

/** Internal: everything the provider hands over to a new transport. */
export interface PcscTransportInit {
  readonly binding: NativeBinding;
  readonly context: NativeContext;
  readonly card: NativeCard;
  readonly readerName: string;
  readonly atr: Uint8Array;
  readonly capabilities: TransportCapabilities;
  readonly shareMode: number;
  readonly protocols: number;
  readonly disposition: PcscDisposition;
  readonly transmitTimeoutMs?: number;
  /** Called once when the transport ends (the provider stops watching for it). */
  readonly onRelease: (transport: PcscTransport) => void;
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A PC/SC card connection. Create it with {@link PcscProvider.connect}.
 *
 * @example
 * ```ts
 * const transport = await provider.connect(readerId);
 * console.log(transport.protocol, transport.capabilities);
 * ```
 */
export class PcscTransport extends BaseTransport {
  /** The PC/SC reader name this connection is on. */
  readonly readerName: string;
  readonly #binding: NativeBinding;
  readonly #context: NativeContext;
  readonly #card: NativeCard;
  readonly #shareMode: number;
  readonly #protocols: number;
  readonly #disposition: PcscDisposition;
  readonly #onRelease: (transport: PcscTransport) => void;
  /** A native call still running (also after the caller gave up on it). */
  #pending: Promise<unknown> | undefined;
  /** What the provider's reader monitor reported (card or reader gone, service stopped). */
  #gone: CloseInfo | undefined;

  /** @internal Use PcscProvider.connect(). */
  constructor(init: PcscTransportInit) {
    super({
      kind: 'pcsc',
      atr: init.atr,
      capabilities: init.capabilities,
      ...(init.transmitTimeoutMs === undefined ? {} : { transmitTimeoutMs: init.transmitTimeoutMs }),
    });
    this.readerName = init.readerName;
    this.#binding = init.binding;
    this.#context = init.context;
    this.#card = init.card;
    this.#shareMode = init.shareMode;
    this.#protocols = init.protocols;
    this.#disposition = init.disposition;
    this.#onRelease = init.onRelease;
  }

  /** The protocol negotiated with the card. */
  get protocol(): PcscProtocol {
    const { constants } = this.#binding;
    const protocol = this.#card.protocol;
    if (protocol === constants.SCARD_PROTOCOL_T0) return 'T0';
    if (protocol === constants.SCARD_PROTOCOL_T1) return 'T1';
    if (protocol === constants.SCARD_PROTOCOL_RAW) return 'RAW';
    return 'unknown';
  }

  /** Whether the connection was opened exclusively (other processes get SHARING_VIOLATION). */
  get exclusive(): boolean {
    return this.#shareMode === this.#binding.constants.SCARD_SHARE_EXCLUSIVE;
  }

  /** Provider hook: the monitor saw the card or reader go, or the service stop. */
  notifyGone(info: CloseInfo): void {
    this.#gone ??= info;
    this.markClosed(info);
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#pending = promise;
    const clear = (): void => {
      if (this.#pending === promise) this.#pending = undefined;
    };
    promise.then(clear, clear);
    return promise;
  }

  #assertIdle(what: string): void {
    if (this.#pending !== undefined) {
      throw new CardError(
        'BUSY',
        `${what}: an earlier command is still running in the card (it was aborted or timed out); ` +
          'wait for it, reset or reconnect',
        { details: { reader: this.readerName } },
      );
    }
  }

  /**
   * After an ambiguous failure (transaction failed, empty answer), asks pcscd whether the card is
   * still there: a card pulled mid-command must surface as CARD_REMOVED, not as an I/O error.
   */
  async #diagnose(error: CardError, operation: string): Promise<CardError> {
    const ambiguous = error.code === 'IO' || error.code === 'PROTOCOL' || error.code === 'READER_UNAVAILABLE';
    if (!ambiguous) return error;
    const deadline = Date.now() + REMOVAL_PROBE_MS;
    for (;;) {
      // The reader monitor may already know (it follows SCardGetStatusChange).
      if (this.#gone?.reason === 'card-removed') {
        return new CardError('CARD_REMOVED', `${operation}: the card was removed`, {
          cause: error,
          remedy: 'card.moved',
          details: { reader: this.readerName, operation },
        });
      }
      if (this.#gone?.error !== undefined && this.#gone.reason !== 'closed') return this.#gone.error;
      try {
        const status = this.#card.getStatus();
        if ((status.state & STATUS_PRESENT) === 0 && (status.state & STATUS_ABSENT) !== 0) {
          return new CardError('CARD_REMOVED', `${operation}: the card was removed`, {
            cause: error,
            remedy: 'card.moved',
            details: { reader: this.readerName, operation },
          });
        }
      } catch (statusError) {
        const mapped = mapPcscError(statusError, operation, this.readerName);
        if (mapped.code === 'CARD_REMOVED' || mapped.code === 'CARD_ABSENT') {
          return new CardError('CARD_REMOVED', `${operation}: the card was removed`, {
            cause: error,
            remedy: 'card.moved',
            details: { reader: this.readerName, operation, scard: String(mapped.details.scard ?? '') },
          });
        }
        if (mapped.code === 'SERVICE_UNAVAILABLE' || mapped.code === 'READER_UNAVAILABLE') return mapped;
        // Anything else (e.g. reset by the re-insertion): keep watching until the deadline.
      }
      if (Date.now() > deadline) return error;
      await delay(REMOVAL_PROBE_STEP_MS);
    }
  }

  /** Ends the connection for errors that leave the handle useless. */
  #closeOnFatal(error: CardError): void {
    if (error.code === 'SERVICE_UNAVAILABLE') this.markClosed({ reason: 'error', error });
    if (error.code === 'READER_NOT_FOUND') this.markClosed({ reason: 'reader-removed', error });
  }

  protected override async exchange(
    command: Uint8Array,
    _signal: AbortSignal | undefined,
  ): Promise<Uint8Array> {
    this.#assertIdle('transmit');
    // A Buffer view over the caller's bytes: the binding copies them before returning.
    const view = Buffer.from(command.buffer, command.byteOffset, command.byteLength);
    let response: Uint8Array;
    try {
      response = await this.#track(
        this.#card.transmit(view, { maxRecvLength: this.capabilities.maxResponseLength }),
      );
    } catch (error) {
      const mapped = await this.#diagnose(mapPcscError(error, 'transmit', this.readerName), 'transmit');
      this.#closeOnFatal(mapped);
      throw mapped;
    }
    if (response.length < 2) {
      // pcsc-lite answers a vanished card's command with an empty response.
      const mapped = await this.#diagnose(
        new CardError('PROTOCOL', `transmit: ${response.length}-byte response has no status word`, {
          remedy: 'card.moved',
          details: { reader: this.readerName, length: response.length },
        }),
        'transmit',
      );
      this.#closeOnFatal(mapped);
      throw mapped;
    }
    return new Uint8Array(response);
  }

  /**
   * Resets the card. `cold` = SCardReconnect with SCARD_UNPOWER_CARD: the card loses power and
   * with it every verified PIN (jpki-card.md §8; needed after VERIFY). `warm` = SCARD_RESET_CARD,
   * which keeps the card's security state. Resolves with the ATR after the reset.
   */
  async reset(kind: 'cold' | 'warm', options: SignalOptions = {}): Promise<Uint8Array> {
    if (kind !== 'cold' && kind !== 'warm') throw new TypeError("reset: kind must be 'cold' or 'warm'");
    this.assertOpen('reset');
    throwIfAborted(options.signal, 'reset');
    this.#assertIdle('reset');
    const { constants } = this.#binding;
    const initialization = kind === 'cold' ? constants.SCARD_UNPOWER_CARD : constants.SCARD_RESET_CARD;
    try {
      await raceAbort(
        this.#track(this.#card.reconnect(this.#shareMode, this.#protocols, initialization)),
        options.signal,
        this.transmitTimeoutMs,
        'reset',
      );
      const atr = new Uint8Array(this.#card.getStatus().atr);
      this.atr = atr;
      this.capabilities = { ...this.capabilities, interface: cardInterfaceFromAtr(atr) };
      return new Uint8Array(atr);
    } catch (error) {
      const mapped = await this.#diagnose(mapPcscError(error, 'reset', this.readerName), 'reset');
      if (mapped.code === 'CARD_REMOVED') this.markClosed({ reason: 'card-removed', error: mapped });
      this.#closeOnFatal(mapped);
      throw mapped;
    }
  }

  /**
   * Sends a reader control code (SCardControl; use {@link pcscControlCode} for the platform's
   * SCARD_CTL_CODE). The binding's receive buffer is 256 bytes.
   */
  async control(code: number, data: Uint8Array, options: SignalOptions = {}): Promise<Uint8Array> {
    if (!Number.isInteger(code) || code < 0 || code > 0xffffffff) {
      throw new RangeError('control: code must be an unsigned 32-bit integer');
    }
    assertBytes(data, 'control: data');
    this.assertOpen('control');
    throwIfAborted(options.signal, 'control');
    this.#assertIdle('control');
    try {
      const response = await raceAbort(
        this.#track(this.#card.control(code, Buffer.from(data.buffer, data.byteOffset, data.byteLength))),
        options.signal,
        this.transmitTimeoutMs,
        'control',
      );
      return new Uint8Array(response);
    } catch (error) {
      const mapped = mapPcscError(error, 'control', this.readerName);
      this.#closeOnFatal(mapped);
      throw mapped;
    }
  }

  protected override async release(info: CloseInfo): Promise<void> {
    this.#onRelease(this);
    const { constants } = this.#binding;
    // Unpower or reset first with SCardReconnect, which runs off the event loop; the synchronous
    // SCardDisconnect then only leaves the card. A synchronous SCardDisconnect(UNPOWER) would block
    // this thread while pcscd powers the card down — and with a virtual card served from this
    // same thread (vpcd), pcscd would wait for it forever.
    const initialization =
      info.reason !== 'closed' || this.#disposition === 'leave'
        ? undefined
        : this.#disposition === 'unpower'
          ? constants.SCARD_UNPOWER_CARD
          : constants.SCARD_RESET_CARD;
    const finish = async (): Promise<void> => {
      if (initialization !== undefined) {
        try {
          await this.#card.reconnect(this.#shareMode, this.#protocols, initialization);
        } catch {
          // The card went away meanwhile: nothing left to clear.
        }
      }
      try {
        this.#card.disconnect(constants.SCARD_LEAVE_CARD);
      } catch {
        // The handle may already be invalid (card removed, service restarted).
      }
      try {
        this.#context.close();
      } catch {
        // Same.
      }
    };
    const pending = this.#pending;
    if (pending === undefined) {
      await finish();
      return;
    }
    // A native call is still running on this context: disconnecting now would block the event
    // loop until the card answers. Let it finish (or fail when the card goes) first.
    const later = (): void => {
      void finish();
    };
    pending.then(later, later);
  }
}
