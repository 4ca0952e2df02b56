/**
 * The FAQ situations of the Bluetooth-reader setup (../shared/seeds FAQ Q1 A1-2, Q2 A2-1) as
 * CardErrors with stable codes and remedy keys. One factory per situation so that every code path
 * reports the same code + remedy for the same cause.
 *
 * @example
 * ```ts
 * throw bleErrors.readerNotFound('ACR1255U-J1-123456');
 * ```
 */
import { CardError, TransportErrorCode } from '@kakunin/core/transport';

type Details = Readonly<Record<string, string | number | boolean | null>>;

/**
 * One factory per BLE situation.
 *
 * @example
 * ```ts
 * bleErrors.cardRemoved('ACR1255U-J1-000001').remedy; // 'card.moved'
 * ```
 */
export const bleErrors = {
  /** FAQ Q2 A2-1 "Bluetooth機能を有効に". */
  bluetoothOff: (details: Details = {}): CardError =>
    new CardError(TransportErrorCode.BLUETOOTH_OFF, 'Bluetooth is switched off', {
      remedy: 'ble.bluetooth-off',
      details,
    }),
  /** FAQ Q2 A2-1 "機内モードがONになっている場合、OFFに". */
  airplaneMode: (details: Details = {}): CardError =>
    new CardError(TransportErrorCode.BLUETOOTH_OFF, 'Bluetooth is off because airplane mode is on', {
      remedy: 'ble.airplane-mode',
      details,
    }),
  /** FAQ Q2 A2-1 "位置情報がOFFになっている場合、ONに" (Android/macOS permission; Linux capability). */
  permission: (message: string, details: Details = {}): CardError =>
    new CardError(TransportErrorCode.BLUETOOTH_UNAUTHORIZED, message, { remedy: 'ble.permission', details }),
  /** No usable Bluetooth stack (no adapter, native binding missing, adapter never ready). */
  serviceUnavailable: (message: string, cause?: unknown, details: Details = {}): CardError =>
    new CardError(TransportErrorCode.SERVICE_UNAVAILABLE, message, {
      remedy: 'ble.permission',
      details,
      ...(cause === undefined ? {} : { cause }),
    }),
  /** FAQ Q2 A2-1 "カードリーダーが認識されているか確認". */
  readerNotFound: (readerId: string): CardError =>
    new CardError(TransportErrorCode.READER_NOT_FOUND, `Bluetooth reader ${readerId} not found`, {
      remedy: 'ble.reader-not-found',
      details: { readerId },
    }),
  /** FAQ Q2 A2-1 "カードリーダーのモードと実際の接続方法が一致しているか" (USB mode, seen over USB). */
  modeMismatch: (readerId: string, wiredReader: string): CardError =>
    new CardError(
      TransportErrorCode.READER_NOT_FOUND,
      `Bluetooth reader ${readerId} not found, but ${wiredReader} is attached over USB: the reader is in USB mode`,
      { remedy: 'reader.mode-mismatch', details: { readerId, wiredReader } },
    ),
  /** The reader went quiet after idling: its sleep timer (transports.md §4.3 sleep escape). */
  readerAsleep: (readerId: string, message?: string): CardError =>
    new CardError(
      TransportErrorCode.READER_ASLEEP,
      message ??
        `Bluetooth reader ${readerId} is asleep (it disconnected while idle and stopped advertising)`,
      { remedy: 'reader.asleep', details: { readerId } },
    ),
  /** Mutual authentication failed (transports.md §4.4): wrong master key on either side. */
  authenticationFailed: (readerId: string, reason: string): CardError =>
    new CardError(
      TransportErrorCode.READER_AUTH_FAILED,
      `mutual authentication with ${readerId} failed: ${reason}`,
      { remedy: 'reader.auth-key', details: { readerId, reason } },
    ),
  /** The GATT link dropped while a command was in flight. */
  linkLost: (readerId: string, during: string): CardError =>
    new CardError(TransportErrorCode.LINK_LOST, `Bluetooth link to ${readerId} lost during ${during}`, {
      remedy: 'ble.link-lost',
      details: { readerId, during },
    }),
  /** FAQ Q1 A1-2 "カードリーダーにマイナンバーカードをセットしてから". */
  cardAbsent: (readerId: string): CardError =>
    new CardError(TransportErrorCode.CARD_ABSENT, `no card on ${readerId}`, {
      remedy: 'card.absent',
      details: { readerId },
    }),
  /** FAQ Q1 A1-2 "読み取り中はカードリーダーやマイナンバーカードを動かさないで". */
  cardRemoved: (readerId: string): CardError =>
    new CardError(TransportErrorCode.CARD_REMOVED, `the card left ${readerId}`, {
      remedy: 'card.moved',
      details: { readerId },
    }),
  /** The reader answered outside the protocol (bad checksum, wrong message type). */
  protocol: (readerId: string, message: string, details: Details = {}): CardError =>
    new CardError(TransportErrorCode.PROTOCOL, `${readerId}: ${message}`, {
      remedy: 'ble.link-lost',
      details: { readerId, ...details },
    }),
} as const;
