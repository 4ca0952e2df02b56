import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { claimFor, parseDeclaration } from '../fallbacks/declaration-form.js';
import { renderDeclarationPdf } from './declaration-pdf.js';
import { loadJapaneseFont } from './japanese-font.js';
import { createPdfDocument } from './pdf-document.js';
import { parseTrueTypeFont, type TrueTypeFont } from './truetype-font.js';

let font: TrueTypeFont;
let fontBytes: Uint8Array;

beforeAll(async () => {
  // Requires Debian's fonts-ipafont-gothic (scripts/setup.sh); fails loudly otherwise.
  const loaded = await loadJapaneseFont();
  font = loaded.font;
  const { readFileSync } = await import('node:fs');
  fontBytes = new Uint8Array(readFileSync(loaded.path));
});

describe('TrueType reader and subsetter', () => {
  it('maps Japanese code points to glyphs and reads metrics', () => {
    expect(font.unitsPerEm).toBeGreaterThan(0);
    for (const character of '被保険者資格申立書あア●')
      expect(font.glyphForCodePoint(character.codePointAt(0)!)).toBeGreaterThan(0);
    expect(font.glyphForCodePoint(0x10ffff)).toBe(0);
    expect(font.advanceWidth(font.glyphForCodePoint(0x3042))).toBeGreaterThan(0);
  });
  it('subsets to a small, re-parseable font with the same glyph ids and widths', () => {
    const glyphs = new Set(
      [...'資格確認'].map((character) => font.glyphForCodePoint(character.codePointAt(0)!)),
    );
    const subset = font.subset(glyphs);
    expect(subset.length).toBeLessThan(fontBytes.length / 20);
    const reparsed = parseTrueTypeFont(subset.slice());
    expect(reparsed.numGlyphs).toBe(font.numGlyphs);
    for (const glyph of glyphs) expect(reparsed.advanceWidth(glyph)).toBe(font.advanceWidth(glyph));
  });
  it('rejects truncated or foreign input with a RangeError, never a crash', () => {
    expect(() => parseTrueTypeFont(new Uint8Array(4))).toThrow(RangeError);
    expect(() => parseTrueTypeFont(new TextEncoder().encode('%PDF-1.7 not a font'))).toThrow(RangeError);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4096 }), (length) => {
        expect(() => parseTrueTypeFont(fontBytes.slice(0, length))).toThrow();
      }),
      { numRuns: 50 },
    );
  });
});

describe('PDF writer', () => {
  it('writes a cross-reference table whose offsets point at the objects', () => {
    const document = createPdfDocument({ font, title: 'テスト' });
    document.addPage().text(72, 720, 12, '資格確認 test');
    const bytes = document.finish(new Date('2026-01-01T00:00:00Z'));
    const text = new TextDecoder('latin1').decode(bytes);
    const xref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
    expect(text.slice(xref, xref + 4)).toBe('xref');
    const entries = [...text.slice(xref).matchAll(/^(\d{10}) 00000 n $/gm)].map((match) => Number(match[1]));
    expect(entries.length).toBeGreaterThan(8);
    entries.forEach((offset, index) => {
      expect(text.slice(offset, offset + 12)).toContain(`${index + 1} 0 obj`);
    });
    expect(document.missingCharacters.size).toBe(0);
  });
  it('renders a declaration that an independent reader (poppler) extracts', () => {
    const form = parseDeclaration({
      name: '試験　初子',
      birthdate: '1990-01-02',
      address: '東京都模擬区',
      visitDate: '2026-11-21',
      insuranceType: 'koki',
    });
    const pdf = renderDeclarationPdf({
      form,
      claim: claimFor(form),
      facility: { code: '1399999999', name: '模擬医院' },
      recordId: 'fb-test',
      createdAt: new Date(),
      font,
    });
    const directory = mkdtempSync(join(tmpdir(), 'kakunin-pdf-'));
    const file = join(directory, 'declaration.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('被保険者資格申立書');
    expect(text).toContain('試験');
    expect(text).toContain('77777777'); // 後期: 8-digit insured number
    expect(text).toContain('後期高齢者医療');
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
  });
});
