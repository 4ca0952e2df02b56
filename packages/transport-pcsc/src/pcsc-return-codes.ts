/**
 * PC/SC return codes (pcsc-lite src/PCSC/pcsclite.h.in; WinSCard uses the same values;
 * transports.md §2.4) and how each one maps onto kakunin's transport error codes and the FAQ
 * remedy that matches the situation staff can see. The Node bindings hide the numeric code and
 * report only a message (transports.md §2.2, §8), so each entry also lists the message texts the
 * bindings are known to produce.
 *
 * @example
 * ```ts
 * const entry = findReturnCode('Card was removed'); // SCARD_W_REMOVED_CARD
 * ```
 */
import type { RemedyKey, TransportErrorCode } from '@kakunin/core/transport';

export interface PcscReturnCode {
  /** The PC/SC constant name. */
  readonly name: string;
  /** Its 32-bit value. */
  readonly value: number;
  /** Message texts the bindings produce for it (smartcard's GetPCSCErrorString, pcsc_stringify_error). */
  readonly messages: readonly string[];
  /** kakunin's transport error code. */
  readonly code: TransportErrorCode;
  /** FAQ remedy, when staff can act. */
  readonly remedy?: RemedyKey;
  /** Trying again may succeed without a change by the user. */
  readonly retryable: boolean;
  /** The card may have executed the command: its state is unknown (never auto-replay VERIFY or signing). */
  readonly cardStateUnknown: boolean;
}

const entry = (
  name: string,
  value: number,
  messages: readonly string[],
  code: TransportErrorCode,
  remedy: RemedyKey | undefined,
  retryable: boolean,
  cardStateUnknown: boolean,
): PcscReturnCode =>
  remedy === undefined
    ? { name, value, messages, code, retryable, cardStateUnknown }
    : { name, value, messages, code, remedy, retryable, cardStateUnknown };

/** Every SCARD_E_*, SCARD_F_* and SCARD_W_* code of pcsc-lite. */
export const PCSC_RETURN_CODES: readonly PcscReturnCode[] = [
  entry('SCARD_F_INTERNAL_ERROR', 0x80100001, ['Internal error'], 'IO', 'app.restart', true, true),
  entry(
    'SCARD_E_CANCELLED',
    0x80100002,
    ['Operation cancelled', 'Command cancelled'],
    'ABORTED',
    undefined,
    true,
    false,
  ),
  // A stale handle: the reader went away (Windows) or the service restarted.
  entry(
    'SCARD_E_INVALID_HANDLE',
    0x80100003,
    ['Invalid handle'],
    'READER_UNAVAILABLE',
    'reader.usb-cable',
    false,
    true,
  ),
  entry('SCARD_E_INVALID_PARAMETER', 0x80100004, ['Invalid parameter'], 'PROTOCOL', undefined, false, false),
  entry('SCARD_E_INVALID_TARGET', 0x80100005, ['Invalid target'], 'PROTOCOL', undefined, false, false),
  entry('SCARD_E_NO_MEMORY', 0x80100006, ['Not enough memory'], 'IO', 'app.restart', true, false),
  entry('SCARD_F_WAITED_TOO_LONG', 0x80100007, ['Waited too long'], 'TIMEOUT', 'card.moved', true, true),
  // The response did not fit the receive buffer (pcsc-lite knows the size needed; bindings hide it).
  entry('SCARD_E_INSUFFICIENT_BUFFER', 0x80100008, ['Insufficient buffer'], 'IO', undefined, false, true),
  entry(
    'SCARD_E_UNKNOWN_READER',
    0x80100009,
    ['Unknown reader'],
    'READER_NOT_FOUND',
    'reader.not-selected',
    false,
    false,
  ),
  entry(
    'SCARD_E_TIMEOUT',
    0x8010000a,
    ['Operation timed out', 'Command timeout'],
    'TIMEOUT',
    undefined,
    true,
    false,
  ),
  entry(
    'SCARD_E_SHARING_VIOLATION',
    0x8010000b,
    ['Sharing violation'],
    'SHARING_VIOLATION',
    'card.busy-elsewhere',
    true,
    false,
  ),
  entry(
    'SCARD_E_NO_SMARTCARD',
    0x8010000c,
    ['No smart card present', 'No smart card inserted'],
    'CARD_ABSENT',
    'card.absent',
    true,
    false,
  ),
  entry(
    'SCARD_E_UNKNOWN_CARD',
    0x8010000d,
    ['Unknown card type', 'Unknown card'],
    'NOT_SUPPORTED',
    'card.not-mynumber',
    false,
    false,
  ),
  entry('SCARD_E_CANT_DISPOSE', 0x8010000e, ['Cannot dispose handle'], 'IO', undefined, false, true),
  entry(
    'SCARD_E_PROTO_MISMATCH',
    0x8010000f,
    ['Protocol mismatch', 'Card protocol mismatch'],
    'PROTOCOL',
    undefined,
    false,
    false,
  ),
  entry(
    'SCARD_E_NOT_READY',
    0x80100010,
    ['Reader not ready', 'Subsystem not ready'],
    'READER_UNAVAILABLE',
    'reader.not-recognized',
    true,
    false,
  ),
  entry('SCARD_E_INVALID_VALUE', 0x80100011, ['Invalid value'], 'PROTOCOL', undefined, false, false),
  entry(
    'SCARD_E_SYSTEM_CANCELLED',
    0x80100012,
    ['System cancelled operation', 'System cancelled'],
    'SERVICE_UNAVAILABLE',
    'pcsc.service',
    true,
    true,
  ),
  // Communication with the reader (or the service) broke: a loose cable, a hub, an extension cable.
  entry(
    'SCARD_F_COMM_ERROR',
    0x80100013,
    ['Communication error', 'RPC transport error'],
    'IO',
    'reader.usb-cable',
    true,
    true,
  ),
  entry('SCARD_F_UNKNOWN_ERROR', 0x80100014, ['Unknown error'], 'IO', undefined, true, true),
  entry(
    'SCARD_E_INVALID_ATR',
    0x80100015,
    ['Invalid ATR'],
    'CARD_UNRESPONSIVE',
    'card.orientation',
    true,
    false,
  ),
  // The APDU exchange with the card failed mid-way: typically the card moved.
  entry('SCARD_E_NOT_TRANSACTED', 0x80100016, ['Transaction failed'], 'IO', 'card.moved', true, true),
  entry(
    'SCARD_E_READER_UNAVAILABLE',
    0x80100017,
    ['Reader unavailable', 'Reader is unavailable'],
    'READER_UNAVAILABLE',
    'reader.usb-cable',
    true,
    true,
  ),
  entry('SCARD_P_SHUTDOWN', 0x80100018, ['Shutdown'], 'SERVICE_UNAVAILABLE', 'pcsc.service', true, true),
  entry('SCARD_E_PCI_TOO_SMALL', 0x80100019, ['PCI struct too small'], 'PROTOCOL', undefined, false, false),
  // The reader's driver does not meet the minimal requirements.
  entry(
    'SCARD_E_READER_UNSUPPORTED',
    0x8010001a,
    ['Reader not supported', 'Reader is unsupported'],
    'READER_UNAVAILABLE',
    'reader.driver-missing',
    false,
    false,
  ),
  entry(
    'SCARD_E_DUPLICATE_READER',
    0x8010001b,
    ['Reader already exists'],
    'READER_UNAVAILABLE',
    'reader.not-recognized',
    false,
    false,
  ),
  entry(
    'SCARD_E_CARD_UNSUPPORTED',
    0x8010001c,
    ['Card not supported', 'Card is unsupported'],
    'NOT_SUPPORTED',
    'card.not-mynumber',
    false,
    false,
  ),
  entry(
    'SCARD_E_NO_SERVICE',
    0x8010001d,
    ['PC/SC service not running', 'Service not available'],
    'SERVICE_UNAVAILABLE',
    'pcsc.service',
    true,
    false,
  ),
  // Windows stops the service when the last reader is unplugged (transports.md §2.3).
  entry(
    'SCARD_E_SERVICE_STOPPED',
    0x8010001e,
    ['PC/SC service stopped', 'Service was stopped'],
    'SERVICE_UNAVAILABLE',
    'reader.usb-cable',
    true,
    true,
  ),
  entry('SCARD_E_UNEXPECTED', 0x8010001f, ['Unexpected card error'], 'IO', undefined, true, true),
  entry(
    'SCARD_E_ICC_INSTALLATION',
    0x80100020,
    ['No primary provider'],
    'NOT_SUPPORTED',
    undefined,
    false,
    false,
  ),
  entry(
    'SCARD_E_ICC_CREATEORDER',
    0x80100021,
    ['Unknown creation order'],
    'NOT_SUPPORTED',
    undefined,
    false,
    false,
  ),
  entry(
    'SCARD_E_DIR_NOT_FOUND',
    0x80100023,
    ['Directory not found'],
    'NOT_SUPPORTED',
    undefined,
    false,
    false,
  ),
  entry('SCARD_E_FILE_NOT_FOUND', 0x80100024, ['File not found'], 'NOT_SUPPORTED', undefined, false, false),
  entry('SCARD_E_NO_DIR', 0x80100025, ['No directory'], 'NOT_SUPPORTED', undefined, false, false),
  entry('SCARD_E_NO_FILE', 0x80100026, ['No file'], 'NOT_SUPPORTED', undefined, false, false),
  // pcsc-lite's polkit check refused this process.
  entry(
    'SCARD_E_NO_ACCESS',
    0x80100027,
    ['Access denied', 'Access is denied'],
    'SERVICE_UNAVAILABLE',
    'pcsc.service',
    false,
    false,
  ),
  entry('SCARD_E_WRITE_TOO_MANY', 0x80100028, ['Write too many'], 'PROTOCOL', undefined, false, false),
  entry('SCARD_E_BAD_SEEK', 0x80100029, ['Bad seek'], 'PROTOCOL', undefined, false, false),
  entry('SCARD_E_INVALID_CHV', 0x8010002a, ['Invalid CHV'], 'PROTOCOL', undefined, false, false),
  entry(
    'SCARD_E_UNKNOWN_RES_MNG',
    0x8010002b,
    ['Unknown resource manager'],
    'SERVICE_UNAVAILABLE',
    'pcsc.service',
    false,
    false,
  ),
  entry(
    'SCARD_E_NO_SUCH_CERTIFICATE',
    0x8010002c,
    ['No such certificate'],
    'NOT_SUPPORTED',
    undefined,
    false,
    false,
  ),
  entry(
    'SCARD_E_CERTIFICATE_UNAVAILABLE',
    0x8010002d,
    ['Certificate unavailable'],
    'NOT_SUPPORTED',
    undefined,
    false,
    false,
  ),
  entry(
    'SCARD_E_NO_READERS_AVAILABLE',
    0x8010002e,
    ['No readers available', 'Cannot find a smart card reader'],
    'NO_READERS',
    'reader.usb-cable',
    true,
    false,
  ),
  // A communication error with the card; retry (nfc-pcsc#102).
  entry('SCARD_E_COMM_DATA_LOST', 0x8010002f, ['Communication data lost'], 'IO', 'card.moved', true, true),
  entry(
    'SCARD_E_NO_KEY_CONTAINER',
    0x80100030,
    ['No key container'],
    'NOT_SUPPORTED',
    undefined,
    false,
    false,
  ),
  entry(
    'SCARD_E_SERVER_TOO_BUSY',
    0x80100031,
    ['Server too busy'],
    'SERVICE_UNAVAILABLE',
    'pcsc.service',
    true,
    false,
  ),
  entry(
    'SCARD_E_UNSUPPORTED_FEATURE',
    0x80100022,
    ['Feature not supported'],
    'NOT_SUPPORTED',
    undefined,
    false,
    false,
  ),
  entry(
    'SCARD_W_UNSUPPORTED_CARD',
    0x80100065,
    ['Card is not supported', 'Card is unsupported'],
    'NOT_SUPPORTED',
    'card.not-mynumber',
    false,
    false,
  ),
  // Mute card: inserted the wrong way round, or a damaged chip.
  entry(
    'SCARD_W_UNRESPONSIVE_CARD',
    0x80100066,
    ['Card is unresponsive'],
    'CARD_UNRESPONSIVE',
    'card.orientation',
    true,
    false,
  ),
  entry(
    'SCARD_W_UNPOWERED_CARD',
    0x80100067,
    ['Card is unpowered'],
    'CARD_UNPOWERED',
    'card.orientation',
    true,
    true,
  ),
  // Reset by another application — or removed and re-inserted (pcsc-lite reports both so, §2.3).
  entry('SCARD_W_RESET_CARD', 0x80100068, ['Card was reset'], 'CARD_UNPOWERED', 'card.moved', true, true),
  entry('SCARD_W_REMOVED_CARD', 0x80100069, ['Card was removed'], 'CARD_REMOVED', 'card.moved', true, true),
  entry('SCARD_W_SECURITY_VIOLATION', 0x8010006a, ['Access denied'], 'IO', undefined, false, false),
  entry('SCARD_W_WRONG_CHV', 0x8010006b, ['Wrong CHV'], 'IO', undefined, false, false),
  entry('SCARD_W_CHV_BLOCKED', 0x8010006c, ['CHV blocked'], 'IO', undefined, false, false),
  entry('SCARD_W_EOF', 0x8010006d, ['End of file'], 'IO', undefined, false, false),
  entry('SCARD_W_CANCELLED_BY_USER', 0x8010006e, ['Cancelled by user'], 'ABORTED', undefined, false, false),
  entry(
    'SCARD_W_CARD_NOT_AUTHENTICATED',
    0x8010006f,
    ['Card not authenticated'],
    'IO',
    undefined,
    false,
    false,
  ),
];

const BY_VALUE = new Map(PCSC_RETURN_CODES.map((code) => [code.value, code]));

/**
 * Finds the return code for a binding error: by a numeric `code` property, by a `0x8010xxxx`
 * value quoted in the message, or by the message text itself.
 *
 * @example
 * ```ts
 * findReturnCode('SCardTransmit error: Transaction failed.(0x80100016)')?.name; // SCARD_E_NOT_TRANSACTED
 * ```
 */
export function findReturnCode(message: string, numericCode?: unknown): PcscReturnCode | undefined {
  if (typeof numericCode === 'number') {
    const byNumber = BY_VALUE.get(numericCode >>> 0);
    if (byNumber !== undefined) return byNumber;
  }
  const hex = /0x(8010[0-9a-f]{4})/i.exec(message);
  if (hex?.[1] !== undefined) {
    const byHex = BY_VALUE.get(Number.parseInt(hex[1], 16));
    if (byHex !== undefined) return byHex;
  }
  const text = message.trim().replace(/\.$/, '').toLowerCase();
  for (const code of PCSC_RETURN_CODES) {
    if (code.messages.some((candidate) => candidate.toLowerCase() === text)) return code;
  }
  for (const code of PCSC_RETURN_CODES) {
    if (code.messages.some((candidate) => text.includes(candidate.toLowerCase()))) return code;
  }
  return undefined;
}
