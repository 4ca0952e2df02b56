/**
 * A synthetic greyscale JPEG 2000 photo in a JP2 file (ITU-T T.800 | ISO/IEC 15444-1 Annex I for
 * the boxes, Annex A for the codestream), as the card-face AP stores it in DF27 (jpki-card.md
 * §5.1). The codestream is a real, decodable one: one tile, one 8-bit component, no wavelet
 * decomposition, one quality layer, reversible 5-3 filter, and a single empty packet — every
 * coefficient is zero, so a decoder yields a uniform mid-grey image (DC level shift, T.800 G.1.2).
 *
 * @example
 * ```ts
 * const photo = encodeGreyJp2(48, 64); // 'jP  ' signature box, ftyp, jp2h, jp2c
 * ```
 */

/** JP2 signature box (T.800 I.5.1): length 12, type 'jP  ', content 0D 0A 87 0A. */
const SIGNATURE_BOX = Uint8Array.of(0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a);
/** Marker codes (T.800 A.2 table A.2). */
const MARKER = {
  SOC: 0xff4f,
  SIZ: 0xff51,
  COD: 0xff52,
  QCD: 0xff5c,
  SOT: 0xff90,
  SOD: 0xff93,
  EOC: 0xffd9,
} as const;
/** Ssiz: 8-bit unsigned samples = precision − 1 (T.800 A.5.1 table A.11). */
const SSIZ_8_BIT_UNSIGNED = 7;
/** ihdr compression type 7 = JPEG 2000 (T.800 I.5.3.1). */
const IHDR_COMPRESSION_JPEG2000 = 7;
/** colr method 1 (enumerated), EnumCS 17 = greyscale (T.800 I.5.3.3). */
const COLR_ENUMERATED = 1;
const ENUMCS_GREYSCALE = 17;
/** COD: code-block exponent offsets (xcb = ycb = 4 → 64×64), transform 1 = 5-3 reversible (A.6.1). */
const CODE_BLOCK_EXPONENT = 4;
const TRANSFORM_REVERSIBLE_5_3 = 1;
/** QCD: no quantization, 2 guard bits (Sqcd = 010 00000), exponent 8 for the LL band (A.6.4). */
const SQCD_NO_QUANTIZATION_2_GUARD_BITS = 0x40;
const SPQCD_EXPONENT_8 = 8 << 3;
/** An empty packet: its first header bit is 0 (T.800 B.10.3), padded to a byte. */
const EMPTY_PACKET = 0x00;

class ByteWriter {
  readonly #bytes: number[] = [];
  u8(value: number): this {
    this.#bytes.push(value & 0xff);
    return this;
  }
  u16(value: number): this {
    return this.u8(value >> 8).u8(value);
  }
  u32(value: number): this {
    return this.u16(value >>> 16).u16(value & 0xffff);
  }
  ascii(text: string): this {
    for (const character of text) this.u8(character.charCodeAt(0));
    return this;
  }
  bytes(values: Uint8Array): this {
    for (const value of values) this.u8(value);
    return this;
  }
  get length(): number {
    return this.#bytes.length;
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
}

function box(type: string, content: Uint8Array): Uint8Array {
  return new ByteWriter()
    .u32(8 + content.length)
    .ascii(type)
    .bytes(content)
    .finish();
}

/** The J2K codestream (T.800 Annex A). */
function codestream(width: number, height: number): Uint8Array {
  const out = new ByteWriter().u16(MARKER.SOC);
  // SIZ (A.5.1): Lsiz = 38 + 3·Csiz.
  out.u16(MARKER.SIZ).u16(41).u16(0).u32(width).u32(height).u32(0).u32(0);
  out.u32(width).u32(height).u32(0).u32(0).u16(1).u8(SSIZ_8_BIT_UNSIGNED).u8(1).u8(1);
  // COD (A.6.1): Scod 0, LRCP, 1 layer, no MCT, 0 decomposition levels.
  out.u16(MARKER.COD).u16(12).u8(0).u8(0).u16(1).u8(0);
  out.u8(0).u8(CODE_BLOCK_EXPONENT).u8(CODE_BLOCK_EXPONENT).u8(0).u8(TRANSFORM_REVERSIBLE_5_3);
  // QCD (A.6.4): one subband (LL).
  out.u16(MARKER.QCD).u16(4).u8(SQCD_NO_QUANTIZATION_2_GUARD_BITS).u8(SPQCD_EXPONENT_8);
  // SOT (A.4.2): Lsot 10, tile 0, Psot = SOT(12) + SOD(2) + 1 packet byte, part 0 of 1.
  out
    .u16(MARKER.SOT)
    .u16(10)
    .u16(0)
    .u32(12 + 2 + 1)
    .u8(0)
    .u8(1);
  out.u16(MARKER.SOD).u8(EMPTY_PACKET);
  out.u16(MARKER.EOC);
  return out.finish();
}

/**
 * A JP2 file of a uniform grey `width` × `height` 8-bit image.
 *
 * @example
 * ```ts
 * encodeGreyJp2(48, 64).subarray(4, 8); // 'jP  '
 * ```
 */
export function encodeGreyJp2(width: number, height: number): Uint8Array {
  if (!Number.isInteger(width) || width < 1 || width > 0xffff) throw new RangeError('width must be 1..65535');
  if (!Number.isInteger(height) || height < 1 || height > 0xffff)
    throw new RangeError('height must be 1..65535');
  const ftyp = box('ftyp', new ByteWriter().ascii('jp2 ').u32(0).ascii('jp2 ').finish());
  const ihdr = box(
    'ihdr',
    new ByteWriter()
      .u32(height)
      .u32(width)
      .u16(1)
      .u8(SSIZ_8_BIT_UNSIGNED)
      .u8(IHDR_COMPRESSION_JPEG2000)
      .u8(0)
      .u8(0)
      .finish(),
  );
  const colr = box('colr', new ByteWriter().u8(COLR_ENUMERATED).u8(0).u8(0).u32(ENUMCS_GREYSCALE).finish());
  const jp2h = box('jp2h', new ByteWriter().bytes(ihdr).bytes(colr).finish());
  const jp2c = box('jp2c', codestream(width, height));
  return new ByteWriter().bytes(SIGNATURE_BOX).bytes(ftyp).bytes(jp2h).bytes(jp2c).finish();
}
