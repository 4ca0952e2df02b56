/**
 * The ACR1255U-J1 inner CCID-like message (transports.md §4.3, manual §5.6): a 7-byte header
 * `type ‖ length (2, big-endian) ‖ slot ‖ sequence ‖ parameter ‖ checksum` and the data. The
 * checksum is the XOR over the header (checksum byte taken as 0) and the data, so the XOR of a
 * whole valid message is 0. Manual example: `62 01 00 63` → checksum `63`.
 *
 * @example
 * ```ts
 * const bytes = encodeMessage({ type: 0x62, sequence: 0, parameter: 0, data: new Uint8Array() });
 * decodeMessage(bytes).type; // 0x62
 * ```
 */
import { assertBytes, CardError, TransportErrorCode } from '@kakunin/core/transport';
import { MESSAGE_CHECKSUM_OFFSET, MESSAGE_HEADER_LENGTH, MESSAGE_SLOT } from './constants.js';
import { xorChecksum } from './frame.js';

export interface AcrMessage {
  readonly type: number;
  readonly sequence: number;
  readonly parameter: number;
  readonly data: Uint8Array;
  readonly slot?: number;
}

function assertByte(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xff)
    throw new RangeError(`encodeMessage: ${name} must be a byte, got ${value}`);
}

/**
 * Encodes one inner message with its checksum.
 *
 * @example
 * ```ts
 * encodeMessage({ type: 0x6b, sequence: 0, parameter: 0, data: Uint8Array.of(0xe0, 0, 0, 0x45, 0) });
 * ```
 */
export function encodeMessage(message: AcrMessage): Uint8Array {
  assertBytes(message.data, 'encodeMessage: data');
  if (message.data.length > 0xffff)
    throw new RangeError(`encodeMessage: data is ${message.data.length} bytes, at most 65535 fit`);
  assertByte(message.type, 'type');
  assertByte(message.sequence, 'sequence');
  assertByte(message.parameter, 'parameter');
  const bytes = new Uint8Array(MESSAGE_HEADER_LENGTH + message.data.length);
  bytes[0] = message.type;
  bytes[1] = message.data.length >>> 8;
  bytes[2] = message.data.length & 0xff;
  bytes[3] = message.slot ?? MESSAGE_SLOT;
  bytes[4] = message.sequence;
  bytes[5] = message.parameter;
  bytes.set(message.data, MESSAGE_HEADER_LENGTH);
  bytes[MESSAGE_CHECKSUM_OFFSET] = xorChecksum(bytes);
  return bytes;
}

/**
 * Decodes one inner message. Bytes after the declared length (the `FF` padding of an encrypted
 * block) are ignored. Throws `PROTOCOL` on a short header, a lying length or a bad checksum.
 *
 * @example
 * ```ts
 * const { type, parameter, data } = decodeMessage(plainBlock);
 * ```
 */
export function decodeMessage(bytes: Uint8Array): AcrMessage {
  assertBytes(bytes, 'decodeMessage: bytes');
  if (bytes.length < MESSAGE_HEADER_LENGTH) {
    throw new CardError(
      TransportErrorCode.PROTOCOL,
      `reader message is ${bytes.length} bytes, shorter than its 7-byte header`,
      { remedy: 'ble.link-lost', details: { length: bytes.length } },
    );
  }
  const length = (bytes[1]! << 8) | bytes[2]!;
  if (MESSAGE_HEADER_LENGTH + length > bytes.length) {
    throw new CardError(
      TransportErrorCode.PROTOCOL,
      `reader message declares ${length} data bytes but carries ${bytes.length - MESSAGE_HEADER_LENGTH}`,
      {
        remedy: 'ble.link-lost',
        details: { declared: length, available: bytes.length - MESSAGE_HEADER_LENGTH },
      },
    );
  }
  const whole = bytes.subarray(0, MESSAGE_HEADER_LENGTH + length);
  if (xorChecksum(whole) !== 0) {
    throw new CardError(TransportErrorCode.PROTOCOL, 'reader message checksum mismatch', {
      remedy: 'ble.link-lost',
      details: { type: bytes[0]! },
    });
  }
  return {
    type: bytes[0]!,
    slot: bytes[3]!,
    sequence: bytes[4]!,
    parameter: bytes[5]!,
    data: whole.subarray(MESSAGE_HEADER_LENGTH),
  };
}
