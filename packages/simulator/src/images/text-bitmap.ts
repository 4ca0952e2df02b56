/**
 * Renders text into a 1-bit bitmap for the card's PNG images (jpki-card.md §5.1: name and address
 * images, the 24×12 security-code image, the 72×12 rendered 個人番号). Digits use a 5×7 dot font
 * in 6-pixel cells, so 4 digits are exactly 24 wide and 12 digits exactly 72 wide; any other
 * character becomes a deterministic 12×12 synthetic glyph derived from its code point (the
 * simulator carries no font; the pixels are honest but not legible kanji).
 *
 * @example
 * ```ts
 * const bitmap = renderText('2285'); // { width: 24, height: 12, bitDepth: 1, pixels }
 * ```
 */
import type { GreyscaleImage } from './png-encoder.js';

/** Cell height of every image line. */
export const LINE_HEIGHT = 12;
/** A digit cell: 5 dots + 1 space. */
const DIGIT_CELL_WIDTH = 6;
/** A synthetic glyph cell. */
const GLYPH_CELL_WIDTH = 12;
/** Top margin that centres the 7-row digit font in a 12-pixel line. */
const DIGIT_TOP = 2;
/** Pixel values of a 1-bit greyscale PNG: 0 black ink, 1 white paper. */
const INK = 0;
const PAPER = 1;

/** 5×7 dot patterns of the digits, top row first. */
const DIGITS: readonly (readonly string[])[] = [
  ['01110', '10001', '10011', '10101', '11001', '10001', '01110'],
  ['00100', '01100', '00100', '00100', '00100', '00100', '01110'],
  ['01110', '10001', '00001', '00010', '00100', '01000', '11111'],
  ['11111', '00010', '00100', '00010', '00001', '10001', '01110'],
  ['00010', '00110', '01010', '10010', '11111', '00010', '00010'],
  ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  ['00110', '01000', '10000', '11110', '10001', '10001', '01110'],
  ['11111', '00001', '00010', '00100', '01000', '01000', '01000'],
  ['01110', '10001', '10001', '01110', '10001', '10001', '01110'],
  ['01110', '10001', '10001', '01111', '00001', '00010', '01100'],
];

function cellWidth(character: string): number {
  if (character >= '0' && character <= '9') return DIGIT_CELL_WIDTH;
  if (character === ' ' || character === '\u3000')
    return character === ' ' ? DIGIT_CELL_WIDTH : GLYPH_CELL_WIDTH;
  return GLYPH_CELL_WIDTH;
}

function drawDigit(pixels: Uint8Array, width: number, left: number, digit: number): void {
  const rows = DIGITS[digit]!;
  for (let row = 0; row < rows.length; row++) {
    const pattern = rows[row]!;
    for (let column = 0; column < pattern.length; column++) {
      if (pattern[column] === '1') pixels[(DIGIT_TOP + row) * width + left + column] = INK;
    }
  }
}

/** A 10×10 pattern inside a 12×12 cell: a frame plus code-point bits (xorshift-spread). */
function drawGlyph(pixels: Uint8Array, width: number, left: number, codePoint: number): void {
  let bits = (codePoint * 0x9e3779b1) >>> 0;
  for (let row = 1; row <= 10; row++) {
    for (let column = 1; column <= 10; column++) {
      const frame = row === 1 || row === 10 || column === 1 || column === 10;
      bits ^= bits << 13;
      bits ^= bits >>> 17;
      bits ^= bits << 5;
      if (frame || (bits & 3) === 0) pixels[row * width + left + column] = INK;
    }
  }
}

/**
 * A 1-bit image of `text`, one line of height 12; `minWidth` pads with paper on the right.
 *
 * @example
 * ```ts
 * renderText('123456789012').width; // 72
 * ```
 */
export function renderText(text: string, minWidth = 0): GreyscaleImage {
  const characters = [...text];
  const contentWidth = characters.reduce((sum, character) => sum + cellWidth(character), 0);
  const width = Math.max(1, contentWidth, minWidth);
  const pixels = new Uint8Array(width * LINE_HEIGHT).fill(PAPER);
  let left = 0;
  for (const character of characters) {
    if (character >= '0' && character <= '9') drawDigit(pixels, width, left, character.charCodeAt(0) - 0x30);
    else if (character !== ' ' && character !== '\u3000')
      drawGlyph(pixels, width, left, character.codePointAt(0)!);
    left += cellWidth(character);
  }
  return { width, height: LINE_HEIGHT, bitDepth: 1, pixels };
}
