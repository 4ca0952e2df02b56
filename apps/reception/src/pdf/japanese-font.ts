/**
 * Finds and loads a Japanese TrueType font for PDFs. Debian/Ubuntu: `fonts-ipamj-mincho` (names,
 * JIS X 0213) or `fonts-ipafont-gothic` (both installed by scripts/setup.sh); other systems: pass
 * `fontPath` or set KAKUNIN_PDF_FONT.
 *
 * @example
 * ```ts
 * const font = await loadJapaneseFont({ env: process.env });
 * ```
 */
import { readFile } from 'node:fs/promises';
import { parseTrueTypeFont, type TrueTypeFont } from './truetype-font.js';

/**
 * Known locations of glyf-outline Japanese fonts (first match wins). IPAmj明朝 (Debian
 * `fonts-ipamj-mincho`) first: the 文字情報基盤 (MJ) set of 58 000+ characters made for people's
 * names in Japanese administration — JIS X 0213 and 𠮷 included (docs/decisions/0015-declaration-font-ipamj-mincho.md). Noto Sans
 * CJK (`fonts-noto-cjk`) ships CFF outlines, which this TrueType subsetter does not embed.
 */
export const JAPANESE_FONT_CANDIDATES: readonly string[] = [
  '/usr/share/fonts/truetype/ipamj/ipamjm.ttf',
  '/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf',
  '/usr/share/fonts/truetype/fonts-japanese-gothic.ttf',
  '/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf',
  '/usr/share/fonts/truetype/takao-gothic/TakaoGothic.ttf',
  '/usr/share/fonts/ipa-gothic/ipag.ttf',
  '/Library/Fonts/Arial Unicode.ttf',
  'C:\\Windows\\Fonts\\msgothic.ttc',
];

export class FontUnavailableError extends Error {
  override readonly name = 'FontUnavailableError';
  readonly code = 'PDF_FONT_UNAVAILABLE';
}

export async function loadJapaneseFont(
  options: { fontPath?: string; env?: Readonly<Record<string, string | undefined>> } = {},
): Promise<{ font: TrueTypeFont; path: string }> {
  const explicit = options.fontPath ?? options.env?.KAKUNIN_PDF_FONT;
  const candidates = explicit === undefined ? JAPANESE_FONT_CANDIDATES : [explicit];
  for (const path of candidates) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch {
      continue;
    }
    return { font: parseTrueTypeFont(bytes), path };
  }
  throw new FontUnavailableError(
    `No Japanese TrueType font found (tried ${candidates.join(', ')}). Install Debian's fonts-ipamj-mincho (or fonts-ipafont-gothic) or set KAKUNIN_PDF_FONT.`,
  );
}
