/**
 * Fuzz target: what a Bluetooth reader sends back (ACR1255U-J1, transports.md §4.3–4.4) — the
 * 20-byte notification stream into `FrameReassembler`, AES-CBC data blocks through `openBlock`,
 * and the inner CCID-like `decodeMessage`. These decoders are internal to
 * `@kakunin/transport-ble` (not exported), so the target imports them from the package source.
 *
 * Input byte 0 picks the mode: even → the rest is a raw notification stream cut into pieces of
 * (byte 1 % 64) + 1 bytes; odd → the rest is one inner message, sealed under the session key,
 * framed and cut into 20-byte pieces like the reader does. Oracles: the reassembler's buffer stays
 * bounded (one frame + one piece); a sealed, framed message comes back out exactly as decoding it
 * directly gives.
 *
 * @example
 * ```ts
 * bleFrameTarget.execute(Uint8Array.of(1, 0x80, 0x00, 0x02, 0x00, 0x01, 0x00, 0x81, 0x90, 0x00));
 * ```
 */
import { nodeAesCbc } from '../../../../../packages/transport-ble/src/acr1255/aes-cbc.js';
import { encodeFrame, FrameReassembler } from '../../../../../packages/transport-ble/src/acr1255/frame.js';
import { decodeMessage, encodeMessage } from '../../../../../packages/transport-ble/src/acr1255/message.js';
import { openBlock, sealBlock } from '../../../../../packages/transport-ble/src/acr1255/secure-channel.js';
import { bucket, type FuzzTarget, guard, oracle, sameBytes } from '../fuzz-target.js';

/** A fixed session key (the fuzzer attacks parsing, not the key agreement). */
const SESSION_KEY = Uint8Array.from({ length: 16 }, (_, index) => 0xa0 + index);
/** GATT notification payload size of the reader at the default MTU (transports.md §4.3). */
const PIECE = 20;
/** Outer frame overhead: start, 2 length bytes, checksum, stop. */
const FRAME_OVERHEAD = 5;
const MAX_FRAME_DATA = 0xffff;

const cipher = nodeAesCbc();

function decodeBlock(dataBlock: Uint8Array): string {
  const direct = guard(() => decodeMessage(dataBlock).type);
  const sealed = guard(() => decodeMessage(openBlock(cipher, SESSION_KEY, dataBlock)).type);
  return `${direct}/${sealed}`;
}

function rawStream(stream: Uint8Array, pieceLength: number): string {
  const reassembler = new FrameReassembler();
  const seen: string[] = [];
  for (let offset = 0; offset < stream.length; offset += pieceLength) {
    const piece = stream.subarray(offset, offset + pieceLength);
    for (const event of reassembler.push(piece)) {
      if (seen.length < 8) seen.push(event.kind === 'frame' ? decodeBlock(event.dataBlock) : event.reason);
    }
    oracle(
      reassembler.pending <= MAX_FRAME_DATA + FRAME_OVERHEAD + piece.length,
      `reassembler holds ${reassembler.pending} bytes`,
    );
  }
  return `raw:${seen.join(',')}:${bucket(reassembler.pending)}`;
}

function sealedMessage(message: Uint8Array): string {
  const direct = decodeMessage(message);
  const sealed = sealBlock(cipher, SESSION_KEY, message);
  if (sealed.length > MAX_FRAME_DATA) return 'too-long';
  const frame = encodeFrame(sealed);
  const reassembler = new FrameReassembler();
  const frames: Uint8Array[] = [];
  for (let offset = 0; offset < frame.length; offset += PIECE) {
    for (const event of reassembler.push(frame.subarray(offset, offset + PIECE))) {
      oracle(
        event.kind === 'frame',
        `reassembler reported ${event.kind === 'error' ? event.reason : ''} on a valid frame`,
      );
      frames.push(event.dataBlock);
    }
  }
  oracle(frames.length === 1, `${frames.length} frames from one`);
  const decoded = decodeMessage(openBlock(cipher, SESSION_KEY, frames[0]!));
  oracle(
    decoded.type === direct.type &&
      decoded.sequence === direct.sequence &&
      decoded.parameter === direct.parameter &&
      sameBytes(decoded.data, direct.data),
    'sealed message decodes differently',
  );
  return `msg:${direct.type}:${bucket(direct.data.length)}`;
}

/** Seeds: reader answers of every kind, as inner messages (odd mode) and as framed streams. */
function seedMessages(): Uint8Array[] {
  const messages = [
    encodeMessage({ type: 0x80, sequence: 1, parameter: 0, data: Uint8Array.of(0x90, 0x00) }),
    encodeMessage({ type: 0x80, sequence: 2, parameter: 0, data: new Uint8Array(258).fill(0x30) }),
    encodeMessage({ type: 0x81, sequence: 3, parameter: 0x02, data: new Uint8Array(0) }),
    encodeMessage({ type: 0x83, sequence: 4, parameter: 0, data: Uint8Array.of(0xe1, 0, 0, 0x18, 0) }),
    encodeMessage({ type: 0x50, sequence: 0, parameter: 0x03, data: new Uint8Array(0) }),
    encodeMessage({ type: 0x84, sequence: 5, parameter: 0x01, data: new Uint8Array(0) }),
  ];
  const seeds: Uint8Array[] = [];
  for (const message of messages) {
    seeds.push(Uint8Array.of(1, ...message));
    const frame = encodeFrame(sealBlock(cipher, SESSION_KEY, message));
    seeds.push(Uint8Array.of(0, PIECE - 1, ...frame));
    seeds.push(Uint8Array.of(0, 6, ...encodeFrame(message)));
  }
  return seeds;
}

export const bleFrameTarget: FuzzTarget = {
  name: 'ble-frame',
  description:
    'FrameReassembler + openBlock + decodeMessage (packages/transport-ble/src/acr1255, internal decoders)',
  prefixLength: 2,
  maxInputLength: 70_000,
  seeds: async () => seedMessages(),
  execute(input) {
    if (input.length === 0) return 'empty';
    if ((input[0]! & 1) === 0) return rawStream(input.subarray(2), ((input[1] ?? 0) % 64) + 1);
    return sealedMessage(input.subarray(1));
  },
};
