/**
 * Turns whatever the PC/SC binding threw into a `CardError` with a stable code, the FAQ remedy,
 * and the PC/SC name/value in `details` (transports.md §8 "Normalised errors").
 *
 * @example
 * ```ts
 * try { await card.transmit(buffer); } catch (error) { throw mapPcscError(error, 'transmit', reader); }
 * ```
 */
import { CardError } from '@kakunin/core/transport';
import { findReturnCode } from './pcsc-return-codes.js';

/** The binding's own texts that are not PC/SC return codes. */
const BINDING_CLOSED_MESSAGES = ['card is not connected', 'context is not valid'];

export function mapPcscError(error: unknown, operation: string, reader?: string): CardError {
  if (CardError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const numeric = (error as { code?: unknown } | null)?.code;
  const readerDetail = reader === undefined ? {} : { reader };
  const found = findReturnCode(message, numeric);
  if (found !== undefined) {
    return new CardError(found.code, `${operation}: ${found.messages[0]} (${found.name})`, {
      cause: error,
      ...(found.remedy === undefined ? {} : { remedy: found.remedy }),
      details: {
        ...readerDetail,
        operation,
        scard: found.name,
        scardCode: found.value,
        retryable: found.retryable,
        cardStateUnknown: found.cardStateUnknown,
      },
    });
  }
  if (BINDING_CLOSED_MESSAGES.includes(message.trim().toLowerCase())) {
    return new CardError('CLOSED', `${operation}: the PC/SC handle is closed`, {
      cause: error,
      details: { ...readerDetail, operation },
    });
  }
  if (error instanceof TypeError || error instanceof RangeError)
    return new CardError('PROTOCOL', `${operation}: ${message}`, {
      cause: error,
      details: { ...readerDetail, operation },
    });
  return new CardError('IO', `${operation}: PC/SC failure: ${message}`, {
    cause: error,
    details: { ...readerDetail, operation, scard: 'unknown', retryable: false, cardStateUnknown: true },
  });
}
