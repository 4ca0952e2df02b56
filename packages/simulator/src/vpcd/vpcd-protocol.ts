/**
 * The vsmartcard vpcd ↔ virtual-card wire protocol (transports.md §3.2): every message in both
 * directions is a 2-byte big-endian length followed by that many bytes. A 1-byte message from
 * vpcd is a control byte (power off / on / reset / get ATR); anything longer is a command APDU,
 * answered with the response APDU. Only Get ATR and APDUs are answered.
 *
 * @example
 * ```ts
 * const reader = new VpcdFrameReader();
 * for (const frame of reader.push(chunk)) handle(frame);
 * socket.write(encodeVpcdFrame(Uint8Array.of(0x90, 0x00)));
 * ```
 */
import { assertBytes, CardError } from '@kakunin/core/transport';

/** Default TCP port of vpcd slot 0 (`VPCDPORT` 35963 = 0x8C7B, transports.md §3.1). */
export const VPCD_BASE_PORT = 35963;
/** Slots compiled into Debian's vpcd (`--enable-vpcdslots` default 2: ports 35963, 35964; §3.1). */
export const VPCD_DEFAULT_SLOTS = 2;
/** Size of the big-endian length prefix of every frame (transports.md §3.2). */
export const VPCD_LENGTH_PREFIX = 2;
/** Largest payload a 2-byte length can describe; vpcd rejects longer messages (§3.2). */
export const VPCD_MAX_FRAME = 0xffff;
/** The ATR must fit pcsc-lite's MAX_ATR_SIZE (transports.md §3.3). */
export const VPCD_MAX_ATR = 33;

/** Control bytes vpcd sends as 1-byte messages (transports.md §3.2; vsmartcard doc/api.txt). */
export const VpcdControl = {
  /** Power the card down: every security state is lost. No answer. */
  POWER_OFF: 0x00,
  /** Power the card up. No answer. */
  POWER_ON: 0x01,
  /** Reset the card (warm). No answer. */
  RESET: 0x02,
  /** Ask for the ATR; answered with length + ATR. An empty answer means "no card". */
  GET_ATR: 0x04,
} as const;

export type VpcdControl = (typeof VpcdControl)[keyof typeof VpcdControl];

/**
 * Frames `payload` with its 2-byte big-endian length.
 *
 * @example
 * ```ts
 * encodeVpcdFrame(Uint8Array.of(0x90, 0x00)); // 00 02 90 00
 * ```
 */
export function encodeVpcdFrame(payload: Uint8Array): Uint8Array {
  assertBytes(payload, 'encodeVpcdFrame: payload');
  if (payload.length > VPCD_MAX_FRAME) {
    throw new RangeError(`encodeVpcdFrame: payload is ${payload.length} bytes, at most ${VPCD_MAX_FRAME}`);
  }
  const frame = new Uint8Array(VPCD_LENGTH_PREFIX + payload.length);
  frame[0] = payload.length >>> 8;
  frame[1] = payload.length & 0xff;
  frame.set(payload, VPCD_LENGTH_PREFIX);
  return frame;
}

/**
 * Reassembles frames from TCP chunks, which may split or merge frames arbitrarily.
 * A zero-length frame is a protocol violation (vpcd never sends one) and throws PROTOCOL.
 *
 * @example
 * ```ts
 * const reader = new VpcdFrameReader();
 * reader.push(Uint8Array.of(0x00)); // []
 * reader.push(Uint8Array.of(0x01, 0x04)); // [Uint8Array [0x04]]
 * ```
 */
export class VpcdFrameReader {
  #pending: Uint8Array = new Uint8Array(0);

  /** Bytes received but not yet part of a complete frame. */
  get bufferedLength(): number {
    return this.#pending.length;
  }

  /** Adds a chunk and returns every frame it completes, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    assertBytes(chunk, 'VpcdFrameReader.push: chunk');
    let buffer: Uint8Array;
    if (this.#pending.length === 0) {
      buffer = chunk;
    } else {
      buffer = new Uint8Array(this.#pending.length + chunk.length);
      buffer.set(this.#pending, 0);
      buffer.set(chunk, this.#pending.length);
    }
    const frames: Uint8Array[] = [];
    let offset = 0;
    while (buffer.length - offset >= VPCD_LENGTH_PREFIX) {
      const length = (buffer[offset]! << 8) | buffer[offset + 1]!;
      if (length === 0) {
        this.#pending = new Uint8Array(0);
        throw new CardError('PROTOCOL', 'vpcd sent a zero-length frame', { details: { offset } });
      }
      const end = offset + VPCD_LENGTH_PREFIX + length;
      if (end > buffer.length) break;
      // A plain Uint8Array copy: chunks are often Node Buffers, whose slice() is a view.
      frames.push(new Uint8Array(buffer.subarray(offset + VPCD_LENGTH_PREFIX, end)));
      offset = end;
    }
    this.#pending = new Uint8Array(buffer.subarray(offset));
    return frames;
  }
}
