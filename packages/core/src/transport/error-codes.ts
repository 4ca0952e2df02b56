/**
 * Stable error codes of the transport layer (architecture.md §3). Upper layers add their own codes
 * (iso7816/status-words.ts, jpki, x509); every code is a plain string so it survives JSON.
 *
 * @example
 * ```ts
 * if (error.code === TransportErrorCode.CARD_REMOVED) retryLater();
 * ```
 */
export const TransportErrorCode = {
  /** No PC/SC service / Bluetooth stack / bridge listener is reachable. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** The service runs but no reader is attached. */
  NO_READERS: 'NO_READERS',
  /** The named reader does not exist (any more). */
  READER_NOT_FOUND: 'READER_NOT_FOUND',
  /** The reader exists but cannot be used right now (unplugged during use, driver problem). */
  READER_UNAVAILABLE: 'READER_UNAVAILABLE',
  /** Another process holds the card exclusively. */
  SHARING_VIOLATION: 'SHARING_VIOLATION',
  /** No card in the reader. */
  CARD_ABSENT: 'CARD_ABSENT',
  /** The card left the reader while connected or mid-command. */
  CARD_REMOVED: 'CARD_REMOVED',
  /** The card is present but not powered (reset or power-down by someone else). */
  CARD_UNPOWERED: 'CARD_UNPOWERED',
  /** The card does not answer (wrong way round, damaged chip, poor contact). */
  CARD_UNRESPONSIVE: 'CARD_UNRESPONSIVE',
  /** A second transmit while one is in flight. */
  BUSY: 'BUSY',
  /** The operation did not finish within its time limit. */
  TIMEOUT: 'TIMEOUT',
  /** The caller aborted the operation (AbortSignal). */
  ABORTED: 'ABORTED',
  /** Any other I/O failure of the link. */
  IO: 'IO',
  /** The transport or provider was already closed. */
  CLOSED: 'CLOSED',
  /** A wireless link (BLE, bridge) was lost mid-operation. */
  LINK_LOST: 'LINK_LOST',
  /** The peer broke the framing protocol (bad checksum, bad length, bad MAC). */
  PROTOCOL: 'PROTOCOL',
  /** The operation is not supported by this transport (e.g. control codes over BLE). */
  NOT_SUPPORTED: 'NOT_SUPPORTED',
  /** A command longer than the transport can carry. */
  COMMAND_TOO_LONG: 'COMMAND_TOO_LONG',
  /** Bluetooth is switched off. */
  BLUETOOTH_OFF: 'BLUETOOTH_OFF',
  /** The OS denied Bluetooth/location permission. */
  BLUETOOTH_UNAUTHORIZED: 'BLUETOOTH_UNAUTHORIZED',
  /** The BLE reader rejected the mutual authentication (wrong master key). */
  READER_AUTH_FAILED: 'READER_AUTH_FAILED',
  /** The BLE reader is asleep or in USB mode. */
  READER_ASLEEP: 'READER_ASLEEP',
  /** The bridge peer failed authentication, replayed or tampered with a frame. */
  PEER_REJECTED: 'PEER_REJECTED',
} as const;

export type TransportErrorCode = (typeof TransportErrorCode)[keyof typeof TransportErrorCode];
