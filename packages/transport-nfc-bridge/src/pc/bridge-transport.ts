/**
 * One card connection through a paired phone. A dumb pipe like every kakunin transport: the
 * command goes to the phone encrypted, the phone's IsoDep / Core NFC answer comes back. Tag loss
 * on the phone surfaces as CARD_REMOVED (remedy from the phone, e.g. `nfc.moved`), a dropped link
 * as LINK_LOST (`bridge.network`). A command abandoned by timeout or abort poisons the connection
 * (the card state is unknown) — it is never re-sent.
 *
 * @example
 * ```ts
 * await using transport = await provider.connect('phone-1', { waitForCard: true });
 * const response = await transport.transmit(selectJpki);
 * ```
 */
import {
  BaseTransport,
  bytesToHex,
  CardError,
  type CloseInfo,
  TransportErrorCode,
} from '@kakunin/core/transport';
import type { CardInsertInfo } from '../protocol/bridge-messages.js';
import type { PhoneSession } from './phone-session.js';

export interface BridgeTransportOptions {
  readonly session: PhoneSession;
  readonly card: CardInsertInfo;
  /** Card time limit the phone applies to each command (default 5000 ms, jpki-card.md §13). */
  readonly cardTimeoutMs: number;
  /** Extra time allowed for the network round trip on top of the card time limit. */
  readonly networkSlackMs: number;
  /** Called once when this connection ends. */
  readonly onClose: (info: CloseInfo) => void;
}

/** SELECT instruction and P1 "select by DF name" (ISO 7816-4 §7.1.1). */
const INS_SELECT = 0xa4;
const P1_SELECT_BY_NAME = 0x04;
/** CLA bit 8 set = proprietary class; the allow-list only concerns interindustry SELECTs. */
const CLA_PROPRIETARY = 0x80;

/**
 * A short description of this link's secrecy for `capabilities.linkSecurity`.
 *
 * @example
 * ```ts
 * transport.capabilities.linkSecurity === BRIDGE_LINK_SECURITY;
 * ```
 */
export const BRIDGE_LINK_SECURITY =
  'phone NFC bridge: end-to-end encrypted (Noise NKpsk0, ChaCha20-Poly1305); the paired phone sees APDUs in clear';

/**
 * One card connection through a paired phone (created by `NfcBridgeProvider.connect`).
 *
 * @example
 * ```ts
 * const transport = await provider.connect('phone-1', { waitForCard: true });
 * await transport.transmit(selectJpki);
 * ```
 */
export class BridgeTransport extends BaseTransport {
  readonly readerId: string;
  readonly #session: PhoneSession;
  readonly #cardTimeoutMs: number;
  readonly #networkSlackMs: number;
  readonly #aidAllowList: readonly string[] | undefined;
  readonly #onClose: (info: CloseInfo) => void;

  constructor(options: BridgeTransportOptions) {
    const phone = options.session.hello.capabilities;
    const extendedLength = phone.extendedLength && (options.card.extendedLength ?? true);
    super({
      kind: 'bridge',
      atr: options.card.atr.slice(),
      capabilities: {
        extendedLength,
        maxCommandLength: Math.min(
          options.card.maxTransceiveLength ?? phone.maxTransceiveLength,
          phone.maxTransceiveLength,
        ),
        maxResponseLength: phone.maxResponseLength,
        interface: 'contactless',
        linkSecurity: BRIDGE_LINK_SECURITY,
      },
      // Time limits are enforced in exchange() so that an abandoned command poisons the link.
      transmitTimeoutMs: Number.POSITIVE_INFINITY,
    });
    this.readerId = options.session.readerId;
    this.#session = options.session;
    this.#cardTimeoutMs = Math.min(options.cardTimeoutMs, phone.maxTransceiveTimeoutMs);
    this.#networkSlackMs = options.networkSlackMs;
    this.#aidAllowList = phone.aidAllowList;
    this.#onClose = options.onClose;
  }

  /** The phone's platform and device label. */
  get phone(): { readonly platform: string; readonly device: string | undefined } {
    return { platform: this.#session.hello.platform, device: this.#session.hello.device };
  }

  /** Called by the provider when the phone reports the card gone or the session ends. */
  cardGone(error: CardError): void {
    this.markClosed({
      reason: error.code === TransportErrorCode.CARD_REMOVED ? 'card-removed' : 'link-lost',
      error,
    });
  }

  protected async exchange(command: Uint8Array, signal: AbortSignal | undefined): Promise<Uint8Array> {
    this.#checkAllowList(command);
    try {
      const reply = await this.#session.request(
        { type: 'apdu', requestId: 0, timeoutMs: this.#cardTimeoutMs, command },
        this.#cardTimeoutMs + this.#networkSlackMs,
        signal,
      );
      if (reply.type !== 'apdu-response')
        throw new CardError(TransportErrorCode.PROTOCOL, 'unexpected reply');
      return reply.response;
    } catch (error) {
      if (
        CardError.isInstance(error) &&
        (error.code === TransportErrorCode.TIMEOUT || error.code === TransportErrorCode.ABORTED)
      ) {
        // The phone may still be talking to the card: the card state is unknown (transports.md §8).
        queueMicrotask(() => this.markClosed({ reason: 'error', error }));
      }
      throw error;
    }
  }

  async reset(kind: 'cold' | 'warm', options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    if (kind !== 'cold' && kind !== 'warm') throw new RangeError("reset: kind must be 'cold' or 'warm'");
    this.assertOpen('reset');
    const reply = await this.#session.request(
      { type: 'reset', requestId: 0, kind },
      this.#cardTimeoutMs + this.#networkSlackMs,
      options.signal,
    );
    if (reply.type !== 'reset-result') throw new CardError(TransportErrorCode.PROTOCOL, 'unexpected reply');
    this.atr = reply.atr;
    return reply.atr.slice();
  }

  protected async release(info: CloseInfo): Promise<void> {
    // Unpower on close (transports.md §8 connection discipline): the phone drops the RF field
    // or resets the card, so no verified PIN state outlives this connection.
    if (this.#session.isOpen && info.reason !== 'card-removed') this.#session.release(true);
    this.#onClose(info);
  }

  #checkAllowList(command: Uint8Array): void {
    const allow = this.#aidAllowList;
    if (allow === undefined) return;
    const cla = command[0] ?? 0;
    if ((cla & CLA_PROPRIETARY) !== 0 || command[1] !== INS_SELECT || command[2] !== P1_SELECT_BY_NAME)
      return;
    const aid = selectData(command);
    if (aid === undefined) return;
    const hex = bytesToHex(aid).toUpperCase();
    // iOS compares the DF name with the declared list; a prefix SELECT of a listed AID passes too.
    if (allow.some((entry) => entry === hex || entry.startsWith(hex))) return;
    throw new CardError(
      TransportErrorCode.NOT_SUPPORTED,
      `SELECT ${hex}: AID not declared by the phone app`,
      {
        remedy: 'nfc.unsupported-device',
        details: { aid: hex, reason: 'aid-not-allowed' },
      },
    );
  }
}

/** The data field of a SELECT command (short or extended Lc, ISO 7816-4 §5.1). */
function selectData(command: Uint8Array): Uint8Array | undefined {
  if (command.length < 6) return undefined;
  const first = command[4] ?? 0;
  if (first !== 0) return command.subarray(5, 5 + first);
  if (command.length < 8) return undefined;
  const length = ((command[5] ?? 0) << 8) | (command[6] ?? 0);
  return command.subarray(7, 7 + length);
}
