/**
 * The in-process Transport over a virtual card (architecture.md §2): one connection of a
 * {@link SimulatorProvider} reader. Built on `BaseTransport`, so BUSY, abort, timeout,
 * idempotent close and `closed` behave exactly like every other transport. Card removal rejects
 * the pending transmit and settles `closed` with `CARD_REMOVED`.
 *
 * A link without extended length (`extendedLength: false`) refuses extended-form APDUs with
 * `NOT_SUPPORTED` before they reach the card, as many PC/SC readers do (jpki-card.md §12.3).
 *
 * @example
 * ```ts
 * await using transport = await provider.connect(provider.readerId);
 * const response = await transport.transmit(hexToBytes('00A4040C0AD392F000260100000001'));
 * await transport.reset('cold'); // PINs must be presented again
 * ```
 */
import {
  BaseTransport,
  CardError,
  type CloseInfo,
  type SignalOptions,
  TransportErrorCode,
  throwIfAborted,
} from '@kakunin/core/transport';
import type { CloseDisposition, SimulatorSlot, SlotConnection } from './simulator-slot.js';

export type { CloseDisposition };

/**
 * Short APDU limits (ISO 7816-4 §5.1): 4 + 1 + 255 + 1 command, 256 + 2 response.
 *
 * @example
 * ```ts
 * transport.capabilities.maxCommandLength === SHORT_MAX_COMMAND; // 261
 * ```
 */
export const SHORT_MAX_COMMAND = 261;
/**
 * Largest short response.
 *
 * @example
 * ```ts
 * transport.capabilities.maxResponseLength === SHORT_MAX_RESPONSE; // 258
 * ```
 */
export const SHORT_MAX_RESPONSE = 258;
/**
 * Extended limits: 4 + 3 + 65535 + 2 command, 65536 + 2 response.
 *
 * @example
 * ```ts
 * transport.capabilities.maxCommandLength === EXTENDED_MAX_COMMAND;
 * ```
 */
export const EXTENDED_MAX_COMMAND = 65_544;
/**
 * Largest extended response.
 *
 * @example
 * ```ts
 * transport.capabilities.maxResponseLength === EXTENDED_MAX_RESPONSE;
 * ```
 */
export const EXTENDED_MAX_RESPONSE = 65_538;

export interface SimulatorTransportOptions {
  readonly extendedLength: boolean;
  readonly interface: 'contact' | 'contactless';
  readonly transmitTimeoutMs?: number;
  readonly closeDisposition: CloseDisposition;
  /** ReaderQuirks.refusesExtended. */
  readonly refusesExtended?: boolean;
  /** ReaderQuirks.mishandlesShortLeZero. */
  readonly mishandlesShortLeZero?: boolean;
}

/**
 * True for an extended-length command (Lc or Le in the 3-byte / 2-byte form).
 *
 * @example
 * ```ts
 * isExtendedCommand(Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x00)); // true
 * ```
 */
export function isExtendedCommand(command: Uint8Array): boolean {
  return command.length > 5 && command[4] === 0x00;
}

/**
 * True for a short command whose Le byte is `00` (Ne = 256): case 2 (`CLA INS P1 P2 00`) or case 4
 * (`CLA INS P1 P2 Lc data 00`, Lc ≠ 00).
 *
 * @example
 * ```ts
 * asksShortLeZero(Uint8Array.of(0x00, 0xb0, 0x8a, 0x00, 0x00)); // true
 * ```
 */
export function asksShortLeZero(command: Uint8Array): boolean {
  if (command.length === 5) return command[4] === 0x00;
  if (command.length < 6 || command[4] === 0x00) return false;
  return command.length === 5 + command[4]! + 1 && command[command.length - 1] === 0x00;
}

/**
 * One in-process connection.
 *
 * @example
 * ```ts
 * const transport = await new SimulatorProvider({ card }).connect('kakunin Simulator 00');
 * ```
 */
export class SimulatorTransport extends BaseTransport implements SlotConnection {
  readonly #slot: SimulatorSlot;
  readonly #closeDisposition: CloseDisposition;
  readonly #refusesExtended: boolean;
  readonly #mishandlesShortLeZero: boolean;

  constructor(slot: SimulatorSlot, atr: Uint8Array, options: SimulatorTransportOptions) {
    super({
      kind: 'sim',
      atr,
      capabilities: {
        extendedLength: options.extendedLength,
        maxCommandLength: options.extendedLength ? EXTENDED_MAX_COMMAND : SHORT_MAX_COMMAND,
        maxResponseLength: options.extendedLength ? EXTENDED_MAX_RESPONSE : SHORT_MAX_RESPONSE,
        interface: options.interface,
        linkSecurity: 'in-process simulator: no link',
      },
      ...(options.transmitTimeoutMs === undefined ? {} : { transmitTimeoutMs: options.transmitTimeoutMs }),
    });
    this.#slot = slot;
    this.#closeDisposition = options.closeDisposition;
    this.#refusesExtended = options.refusesExtended === true;
    this.#mishandlesShortLeZero = options.mishandlesShortLeZero === true;
  }

  protected async exchange(command: Uint8Array): Promise<Uint8Array> {
    if (!this.capabilities.extendedLength && isExtendedCommand(command)) {
      throw new CardError(
        TransportErrorCode.NOT_SUPPORTED,
        'transmit: this link does not carry extended-length APDUs',
        {
          details: { length: command.length },
        },
      );
    }
    if (this.#refusesExtended && isExtendedCommand(command)) {
      // What an ACS reader's driver answers (transports.md §2.2): the APDU never reaches the card.
      throw new CardError(TransportErrorCode.IO, 'SCardTransmit error: Transaction failed.(0x80100016)', {
        remedy: 'card.moved',
        details: { pcsc: 'SCARD_E_NOT_TRANSACTED', extended: true },
      });
    }
    const answer = await this.#slot.process(command);
    // ReaderQuirks.mishandlesShortLeZero: the card answered in full; the reader keeps only SW1 SW2.
    if (this.#mishandlesShortLeZero && asksShortLeZero(command) && answer.length > 2)
      return answer.slice(answer.length - 2);
    return answer;
  }

  /** Cold: power off and on (security state lost); warm: reset keeping the security state. */
  async reset(kind: 'cold' | 'warm', options: SignalOptions = {}): Promise<Uint8Array> {
    if (kind !== 'cold' && kind !== 'warm') throw new TypeError("reset: kind must be 'cold' or 'warm'");
    this.assertOpen('reset');
    throwIfAborted(options.signal, 'reset');
    this.atr = this.#slot.reset(kind);
    return this.atr;
  }

  /** Called by the slot when the card leaves. */
  cardGone(error: CardError): void {
    this.markClosed({
      reason: error.code === TransportErrorCode.LINK_LOST ? 'link-lost' : 'card-removed',
      error,
    });
  }

  protected async release(info: CloseInfo): Promise<void> {
    this.#slot.disconnect(this, info.reason === 'closed' ? this.#closeDisposition : 'leave');
  }
}
