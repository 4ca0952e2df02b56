/**
 * Maps the reader's `51h` hardware-error codes (transports.md §4.3, manual §5.6.6 / §5.7.6;
 * FIDOk adds `07`) onto kakunin's error taxonomy (transports.md §8 "Normalised errors").
 *
 * @example
 * ```ts
 * throw hardwareError('ACR1255U-J1-000001', 0x04); // READER_AUTH_FAILED, remedy reader.auth-key
 * ```
 */
import { CardError, TransportErrorCode } from '@kakunin/core/transport';
import { HARDWARE_ERROR } from './constants.js';

/**
 * One CardError for a `51h` code.
 *
 * @example
 * ```ts
 * hardwareError('reader', 0x02).code; // 'CARD_UNRESPONSIVE'
 * ```
 */
export function hardwareError(readerId: string, code: number): CardError {
  const details = { readerId, hardwareError: code };
  switch (code) {
    case HARDWARE_ERROR.CHECKSUM:
      return new CardError(TransportErrorCode.PROTOCOL, `${readerId} received a frame with a bad checksum`, {
        remedy: 'ble.link-lost',
        details,
      });
    case HARDWARE_ERROR.TIMEOUT:
      return new CardError(
        TransportErrorCode.CARD_UNRESPONSIVE,
        `the card on ${readerId} did not answer in time`,
        {
          remedy: 'card.moved',
          details,
        },
      );
    case HARDWARE_ERROR.UNAUTHORIZED:
      return new CardError(TransportErrorCode.READER_AUTH_FAILED, `${readerId} refused the master key`, {
        remedy: 'reader.auth-key',
        details,
      });
    case HARDWARE_ERROR.AUTHENTICATION_RETRIES_EXCEEDED:
      return new CardError(
        TransportErrorCode.READER_AUTH_FAILED,
        `${readerId} refuses further authentication attempts; restart the reader`,
        { remedy: 'reader.auth-key', details },
      );
    case HARDWARE_ERROR.COMMAND:
    case HARDWARE_ERROR.RECEIVE_DATA:
      return new CardError(TransportErrorCode.PROTOCOL, `${readerId} rejected the command (error ${code})`, {
        remedy: 'ble.link-lost',
        details,
      });
    default:
      return new CardError(TransportErrorCode.IO, `${readerId} reported hardware error ${code}`, {
        remedy: 'ble.link-lost',
        details,
      });
  }
}
