import { describe, expect, it } from 'vitest';
import { decodePng } from '../test-support/png-decoder.js';
import { crc32 } from './crc32.js';
import { encodeGreyJp2 } from './jp2-encoder.js';
import { encodePng } from './png-encoder.js';
import { renderText } from './text-bitmap.js';

describe('PNG encoder (ISO/IEC 15948)', () => {
  it('CRC-32 matches the PNG reference value for IEND', () => {
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
  });

  it('writes valid 1-bit and 8-bit greyscale PNGs whose pixels round-trip', () => {
    const pixels = Uint8Array.from({ length: 10 * 3 }, (_, index) => (index * 7) % 2);
    const png = decodePng(encodePng({ width: 10, height: 3, bitDepth: 1, pixels }));
    expect(png).toMatchObject({
      width: 10,
      height: 3,
      bitDepth: 1,
      colourType: 0,
      chunks: ['IHDR', 'IDAT', 'IEND'],
    });
    for (let y = 0; y < 3; y++) {
      expect(png.scanlines[y * 3]).toBe(0); // filter None
      for (let x = 0; x < 10; x++) {
        const bit = (png.scanlines[y * 3 + 1 + (x >> 3)]! >> (7 - (x & 7))) & 1;
        expect(bit).toBe(pixels[y * 10 + x]);
      }
    }
    const grey = decodePng(
      encodePng({ width: 2, height: 2, bitDepth: 8, pixels: Uint8Array.of(0, 64, 128, 255) }),
    );
    expect([...grey.scanlines]).toEqual([0, 0, 64, 0, 128, 255]);
  });

  it('validates its input', () => {
    expect(() => encodePng({ width: 0, height: 1, bitDepth: 1, pixels: new Uint8Array(0) })).toThrow(
      RangeError,
    );
    expect(() => encodePng({ width: 2, height: 1, bitDepth: 1, pixels: new Uint8Array(1) })).toThrow(
      RangeError,
    );
  });

  it('renders digits in 6-pixel cells (security code 24×12, 個人番号 72×12) and glyphs for kanji', () => {
    expect(renderText('2285')).toMatchObject({ width: 24, height: 12 });
    expect(renderText('123456789012')).toMatchObject({ width: 72, height: 12 });
    const kanji = renderText('髙𠮷');
    expect(kanji.width).toBe(24);
    expect(kanji.pixels.some((pixel) => pixel === 0)).toBe(true);
    expect([...renderText('1').pixels]).not.toEqual([...renderText('7').pixels]);
  });
});

describe('JP2 encoder (ITU-T T.800 Annex I)', () => {
  it('writes the signature box, ftyp, jp2h (ihdr, colr greyscale) and a J2K codestream', () => {
    const jp2 = encodeGreyJp2(48, 64);
    const view = new DataView(jp2.buffer, jp2.byteOffset, jp2.byteLength);
    const boxes: { type: string; offset: number; length: number }[] = [];
    for (let offset = 0; offset < jp2.length; ) {
      const length = view.getUint32(offset);
      boxes.push({ type: new TextDecoder().decode(jp2.subarray(offset + 4, offset + 8)), offset, length });
      offset += length;
    }
    expect(boxes.map((box) => box.type)).toEqual(['jP  ', 'ftyp', 'jp2h', 'jp2c']);
    const jp2h = boxes[2]!;
    expect(new TextDecoder().decode(jp2.subarray(jp2h.offset + 12, jp2h.offset + 16))).toBe('ihdr');
    expect(view.getUint32(jp2h.offset + 16)).toBe(64); // height
    expect(view.getUint32(jp2h.offset + 20)).toBe(48); // width
    expect(view.getUint16(jp2h.offset + 24)).toBe(1); // one component
    const colr = jp2h.offset + 8 + 22;
    expect(new TextDecoder().decode(jp2.subarray(colr + 4, colr + 8))).toBe('colr');
    expect(view.getUint32(colr + 11)).toBe(17); // greyscale
    const codestream = jp2.subarray(boxes[3]!.offset + 8);
    const markers = [0xff4f, 0xff51, 0xff52, 0xff5c, 0xff90];
    let position = 0;
    for (const marker of markers) {
      expect((codestream[position]! << 8) | codestream[position + 1]!).toBe(marker);
      position += marker === 0xff4f ? 2 : 2 + ((codestream[position + 2]! << 8) | codestream[position + 3]!);
    }
    expect([...codestream.subarray(position, position + 2)]).toEqual([0xff, 0x93]);
    expect([...codestream.subarray(-2)]).toEqual([0xff, 0xd9]);
    expect(() => encodeGreyJp2(0, 1)).toThrow(RangeError);
  });
});
