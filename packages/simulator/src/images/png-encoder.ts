/**
 * A minimal, honest PNG encoder (ISO/IEC 15948, "PNG (Second Edition)"): greyscale images of
 * bit depth 1 or 8, no interlace, filter type 0 on every scanline, zlib-compressed with node:zlib.
 * The card stores its name, address, security-code and my-number images as 1-bit PNGs
 * (jpki-card.md §5.1).
 *
 * @example
 * ```ts
 * const png = encodePng({ width: 24, height: 12, bitDepth: 1, pixels }); // pixels: 0/1 per pixel
 * ```
 */

import { deflateSync } from 'node:zlib';
import { assertBytes, concatBytes } from '@kakunin/core/transport';
import { crc32 } from './crc32.js';

/**
 * PNG signature (ISO/IEC 15948 §5.2).
 *
 * @example
 * ```ts
 * png.subarray(0, 8); // equals PNG_SIGNATURE
 * ```
 */
export const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
/** Colour type 0: greyscale (§11.2.2 table 11.1). */
const COLOUR_TYPE_GREYSCALE = 0;
/** Compression method 0: deflate; filter method 0; interlace method 0 (§11.2.2). */
const COMPRESSION_DEFLATE = 0;
const FILTER_METHOD_ADAPTIVE = 0;
const INTERLACE_NONE = 0;
/** Scanline filter type 0: None (§9.2). */
const FILTER_NONE = 0;

/**
 * A greyscale bitmap to encode.
 *
 * @example
 * ```ts
 * const image: GreyscaleImage = { width: 1, height: 1, bitDepth: 8, pixels: Uint8Array.of(128) };
 * ```
 */
export interface GreyscaleImage {
  readonly width: number;
  readonly height: number;
  /** 1: pixels are 0 (black) / 1 (white); 8: pixels are 0..255. */
  readonly bitDepth: 1 | 8;
  /** Row-major, one entry per pixel. */
  readonly pixels: Uint8Array;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const typeBytes = new TextEncoder().encode(type);
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(typeBytes, 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(typeBytes, data));
  return out;
}

/** Scanlines with their filter bytes (§7.2, §9.2). */
function scanlines(image: GreyscaleImage): Uint8Array {
  const rowBytes = image.bitDepth === 8 ? image.width : Math.ceil(image.width / 8);
  const out = new Uint8Array((rowBytes + 1) * image.height);
  for (let y = 0; y < image.height; y++) {
    const rowStart = y * (rowBytes + 1);
    out[rowStart] = FILTER_NONE;
    for (let x = 0; x < image.width; x++) {
      const pixel = image.pixels[y * image.width + x]!;
      if (image.bitDepth === 8) out[rowStart + 1 + x] = pixel;
      else if (pixel !== 0) out[rowStart + 1 + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return out;
}

/**
 * Encodes a greyscale PNG. Deterministic: the same pixels give the same bytes.
 *
 * @example
 * ```ts
 * encodePng({ width: 1, height: 1, bitDepth: 8, pixels: Uint8Array.of(128) });
 * ```
 */
export function encodePng(image: GreyscaleImage): Uint8Array {
  const { width, height, bitDepth, pixels } = image;
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`image.width must be ≥ 1, got ${width}`);
  if (!Number.isInteger(height) || height < 1)
    throw new RangeError(`image.height must be ≥ 1, got ${height}`);
  assertBytes(pixels, 'image.pixels');
  if (pixels.length !== width * height) throw new RangeError('image.pixels must hold width × height entries');
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = bitDepth;
  header[9] = COLOUR_TYPE_GREYSCALE;
  header[10] = COMPRESSION_DEFLATE;
  header[11] = FILTER_METHOD_ADAPTIVE;
  header[12] = INTERLACE_NONE;
  const compressed = deflateSync(scanlines(image), { level: 9 });
  return concatBytes(
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength)),
    chunk('IEND', new Uint8Array(0)),
  );
}
