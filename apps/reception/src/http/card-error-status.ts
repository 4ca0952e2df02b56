/**
 * HTTP status for a `CardError` that reaches the request handler (issue 15 row 11: such errors
 * were answered 500). Unknown readers are 404; a card or reader in the wrong state is 409; a
 * service that is not there is 503; anything else from the card side is 502 (the card or reader
 * answered, badly). The body always carries the stable code and the remedy key.
 *
 * @example
 * ```ts
 * cardErrorStatus('READER_NOT_FOUND'); // 404
 * ```
 */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  READER_NOT_FOUND: 404,
  NO_READERS: 404,
  CARD_ABSENT: 409,
  CARD_REMOVED: 409,
  CARD_UNPOWERED: 409,
  SHARING_VIOLATION: 409,
  BUSY: 409,
  ABORTED: 409,
  PIN_BLOCKED: 409,
  LAST_TRY_REFUSED: 409,
  PIN_INCORRECT: 422,
  PIN_FORMAT: 422,
  NOT_A_MYNUMBER_CARD: 422,
  NOT_SUPPORTED: 422,
  TIMEOUT: 504,
  SERVICE_UNAVAILABLE: 503,
  READER_UNAVAILABLE: 503,
  CLOSED: 503,
};

export function cardErrorStatus(code: string): number {
  return STATUS_BY_CODE[code] ?? 502;
}
