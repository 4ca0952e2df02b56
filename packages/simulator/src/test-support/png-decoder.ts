/**
 * A strict little PNG checker for the tests: signature, chunk CRCs, IHDR, inflated IDAT size.
 * Independent of the encoder (uses zlib's own crc32 and inflate).
 */
import { crc32, inflateSync } from 'node:zlib';

export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colourType: number;
  readonly chunks: readonly string[];
  readonly scanlines: Uint8Array;
}

export function decodePng(bytes: Uint8Array): DecodedPng {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((byte, index) => bytes[index] === byte)) throw new Error('bad PNG signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: string[] = [];
  const idat: Uint8Array[] = [];
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colourType = -1;
  for (let offset = 8; offset < bytes.length; ) {
    const length = view.getUint32(offset);
    const type = new TextDecoder().decode(bytes.subarray(offset + 4, offset + 8));
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    const crc = view.getUint32(offset + 8 + length);
    if (crc32(bytes.subarray(offset + 4, offset + 8 + length)) !== crc) throw new Error(`bad CRC in ${type}`);
    chunks.push(type);
    if (type === 'IHDR') {
      const header = new DataView(data.buffer, data.byteOffset, data.byteLength);
      width = header.getUint32(0);
      height = header.getUint32(4);
      bitDepth = data[8]!;
      colourType = data[9]!;
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  if (chunks[0] !== 'IHDR' || chunks.at(-1) !== 'IEND') throw new Error('chunk order');
  const scanlines = new Uint8Array(inflateSync(Buffer.concat(idat)));
  const rowBytes = Math.ceil((width * bitDepth) / 8);
  if (scanlines.length !== (rowBytes + 1) * height) throw new Error('IDAT size does not match IHDR');
  return { width, height, bitDepth, colourType, chunks, scanlines };
}
