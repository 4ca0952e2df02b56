/**
 * The ACR1255U-J1 outer "communication profile" frame (transports.md §4.3, manual §5.4–5.5):
 * `05 ‖ length (2, big-endian) ‖ data block ‖ checksum ‖ 0A`, checksum = XOR of the length bytes
 * and the data block. Frames travel cut into 20-byte GATT writes/notifications; the reassembler
 * puts them back together, resynchronises on garbage and reports bad checksums.
 *
 * @example
 * ```ts
 * const frame = encodeFrame(Uint8Array.of(0x62, 0x00, 0x00, 0x00, 0x00, 0x00, 0x62));
 * const reassembler = new FrameReassembler();
 * for (const event of reassembler.push(frame)) console.log(event.kind); // 'frame'
 * ```
 */
import { assertBytes } from '@kakunin/core/transport';
import {
  FRAME_HEADER_LENGTH,
  FRAME_MAX_DATA_LENGTH,
  FRAME_START,
  FRAME_STOP,
  FRAME_TRAILER_LENGTH,
} from './constants.js';

/**
 * XOR of every byte, starting from `initial`.
 *
 * @example
 * ```ts
 * xorChecksum(Uint8Array.of(0x62, 0x01)); // 0x63
 * ```
 */
export function xorChecksum(bytes: Uint8Array, initial = 0): number {
  let checksum = initial;
  for (const byte of bytes) checksum ^= byte;
  return checksum & 0xff;
}

/**
 * Wraps a data block (plain or already encrypted) into one outer frame.
 *
 * @example
 * ```ts
 * encodeFrame(Uint8Array.of(0xaa)); // 05 00 01 aa ab 0a
 * ```
 */
export function encodeFrame(dataBlock: Uint8Array): Uint8Array {
  assertBytes(dataBlock, 'encodeFrame: dataBlock');
  if (dataBlock.length > FRAME_MAX_DATA_LENGTH)
    throw new RangeError(`encodeFrame: dataBlock is ${dataBlock.length} bytes, at most 65535 fit`);
  const frame = new Uint8Array(FRAME_HEADER_LENGTH + dataBlock.length + FRAME_TRAILER_LENGTH);
  frame[0] = FRAME_START;
  frame[1] = dataBlock.length >>> 8;
  frame[2] = dataBlock.length & 0xff;
  frame.set(dataBlock, FRAME_HEADER_LENGTH);
  frame[frame.length - 2] = xorChecksum(dataBlock, frame[1]! ^ frame[2]!);
  frame[frame.length - 1] = FRAME_STOP;
  return frame;
}

/** What the reassembler found in the byte stream. */
export type FrameEvent =
  | { readonly kind: 'frame'; readonly dataBlock: Uint8Array }
  | {
      readonly kind: 'error';
      readonly reason: 'checksum' | 'stop-byte' | 'garbage';
      /** Number of bytes dropped. */
      readonly dropped: number;
    };

/**
 * Reassembles outer frames from 20-byte (or MTU-sized) pieces. One instance per direction.
 *
 * @example
 * ```ts
 * const reassembler = new FrameReassembler();
 * reassembler.push(first20Bytes); // [] — waiting for more
 * reassembler.push(rest); // [{ kind: 'frame', dataBlock }]
 * ```
 */
export class FrameReassembler {
  #buffer = new Uint8Array(64);
  #length = 0;

  /** Bytes waiting for the rest of their frame. */
  get pending(): number {
    return this.#length;
  }

  /** Drops any partial frame (after a disconnect). */
  reset(): void {
    this.#length = 0;
  }

  /** Appends a piece and returns every complete frame or error it finished. */
  push(piece: Uint8Array): FrameEvent[] {
    assertBytes(piece, 'FrameReassembler.push: piece');
    this.#append(piece);
    const events: FrameEvent[] = [];
    for (;;) {
      const event = this.#next();
      if (event === undefined) break;
      events.push(event);
    }
    return events;
  }

  #append(piece: Uint8Array): void {
    const needed = this.#length + piece.length;
    if (needed > this.#buffer.length) {
      const grown = new Uint8Array(Math.max(needed, this.#buffer.length * 2));
      grown.set(this.#buffer.subarray(0, this.#length));
      this.#buffer = grown;
    }
    this.#buffer.set(piece, this.#length);
    this.#length = needed;
  }

  #drop(count: number): void {
    this.#buffer.copyWithin(0, count, this.#length);
    this.#length -= count;
  }

  #next(): FrameEvent | undefined {
    if (this.#length === 0) return undefined;
    const buffer = this.#buffer;
    if (buffer[0] !== FRAME_START) {
      let skip = 1;
      while (skip < this.#length && buffer[skip] !== FRAME_START) skip += 1;
      this.#drop(skip);
      return { kind: 'error', reason: 'garbage', dropped: skip };
    }
    if (this.#length < FRAME_HEADER_LENGTH) return undefined;
    const dataLength = (buffer[1]! << 8) | buffer[2]!;
    const total = FRAME_HEADER_LENGTH + dataLength + FRAME_TRAILER_LENGTH;
    if (this.#length < total) return undefined;
    if (buffer[total - 1] !== FRAME_STOP) {
      // A lying length or a lost piece: drop the start byte and look for the next frame.
      this.#drop(1);
      return { kind: 'error', reason: 'stop-byte', dropped: 1 };
    }
    const dataBlock = buffer.slice(FRAME_HEADER_LENGTH, FRAME_HEADER_LENGTH + dataLength);
    const expected = xorChecksum(dataBlock, buffer[1]! ^ buffer[2]!);
    const received = buffer[total - 2]!;
    this.#drop(total);
    if (expected !== received) return { kind: 'error', reason: 'checksum', dropped: total };
    return { kind: 'frame', dataBlock };
  }
}
