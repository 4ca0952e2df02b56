/**
 * A minimal PDF 1.7 writer (ISO 32000-1) for printable forms: A4 pages with text, lines and
 * rectangles, one embedded TrueType font as Type0/CIDFontType2 with Identity-H encoding
 * (§9.7.4–§9.7.6), a ToUnicode CMap (§9.10.3) so text can be searched and extracted, FlateDecode
 * streams, and a classic cross-reference table (§7.5.4).
 *
 * @example
 * ```ts
 * const document = createPdfDocument({ font, title: '被保険者資格申立書' });
 * const page = document.addPage();
 * page.text(72, 770, 18, '被保険者資格申立書');
 * const bytes = document.finish(new Date());
 * ```
 */
import { deflateSync } from 'node:zlib';
import { concatBytes } from '@kakunin/core/transport';
import type { TrueTypeFont } from './truetype-font.js';

/** A4 in PDF points (ISO 216: 210 × 297 mm; 1 pt = 1/72 in). */
export const A4_WIDTH = 595.28;
export const A4_HEIGHT = 841.89;
/** PDF glyph space is 1000 units per em (§9.2.4). */
const GLYPH_SPACE = 1000;
/** FontDescriptor /Flags bit 3 = Symbolic (§9.8.2): required for non-Latin CID fonts. */
const FONT_FLAG_SYMBOLIC = 4;

export interface PdfPage {
  text(x: number, y: number, size: number, text: string): void;
  line(x1: number, y1: number, x2: number, y2: number, width?: number): void;
  rect(x: number, y: number, width: number, height: number, lineWidth?: number): void;
  textWidth(text: string, size: number): number;
}

export interface PdfDocument {
  addPage(): PdfPage;
  /** Characters that the font does not have (rendered as .notdef). */
  readonly missingCharacters: ReadonlySet<string>;
  finish(creationDate: Date): Uint8Array;
}

const encoder = new TextEncoder();
const number = (value: number): string => (Math.round(value * 100) / 100).toString();

/** A PDF text string as UTF-16BE hex with BOM (§7.9.2.2). */
function textString(value: string): string {
  let hex = 'FEFF';
  for (let index = 0; index < value.length; index += 1)
    hex += value.charCodeAt(index).toString(16).padStart(4, '0');
  return `<${hex.toUpperCase()}>`;
}

function pdfDate(date: Date): string {
  const pad = (value: number): string => value.toString().padStart(2, '0');
  return `(D:${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z)`;
}

export function createPdfDocument(options: { font: TrueTypeFont; title: string }): PdfDocument {
  const { font, title } = options;
  if (font === undefined || typeof font.glyphForCodePoint !== 'function') {
    throw new TypeError('createPdfDocument: options.font must be a parsed TrueType font');
  }
  const used = new Map<number, string>(); // glyph → text (for ToUnicode)
  const missing = new Set<string>();
  const pages: string[][] = [];
  const scale = GLYPH_SPACE / font.unitsPerEm;

  const encode = (text: string): string => {
    let hex = '';
    for (const character of text) {
      const glyph = font.glyphForCodePoint(character.codePointAt(0)!);
      if (glyph === 0) missing.add(character);
      else if (!used.has(glyph)) used.set(glyph, character);
      hex += glyph.toString(16).padStart(4, '0');
    }
    return hex.toUpperCase();
  };

  return {
    missingCharacters: missing,
    addPage() {
      const operations: string[] = [];
      pages.push(operations);
      return {
        text(x, y, size, text) {
          if (text.length === 0) return;
          operations.push(`BT /F1 ${number(size)} Tf ${number(x)} ${number(y)} Td <${encode(text)}> Tj ET`);
        },
        line(x1, y1, x2, y2, width = 0.8) {
          operations.push(`${number(width)} w ${number(x1)} ${number(y1)} m ${number(x2)} ${number(y2)} l S`);
        },
        rect(x, y, width, height, lineWidth = 0.8) {
          operations.push(
            `${number(lineWidth)} w ${number(x)} ${number(y)} ${number(width)} ${number(height)} re S`,
          );
        },
        textWidth(text, size) {
          let width = 0;
          for (const character of text)
            width += font.advanceWidth(font.glyphForCodePoint(character.codePointAt(0)!));
          return (width * scale * size) / GLYPH_SPACE;
        },
      };
    },
    finish(creationDate) {
      if (pages.length === 0) throw new RangeError('finish: the document has no pages');
      const objects: (string | { dictionary: string; data: Uint8Array })[] = [];
      const reserve = (): number => objects.push('');
      const set = (id: number, value: (typeof objects)[number]): void => {
        objects[id - 1] = value;
      };
      const catalogId = reserve();
      const pagesId = reserve();
      const infoId = reserve();
      const type0Id = reserve();
      const cidFontId = reserve();
      const descriptorId = reserve();
      const fontFileId = reserve();
      const toUnicodeId = reserve();
      const pageIds: number[] = [];
      for (const operations of pages) {
        const contentId = reserve();
        const pageId = reserve();
        pageIds.push(pageId);
        const data = deflateSync(encoder.encode(operations.join('\n')));
        set(contentId, { dictionary: `/Filter /FlateDecode /Length ${data.length}`, data });
        set(
          pageId,
          `<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 ${A4_WIDTH} ${A4_HEIGHT}] /Resources << /Font << /F1 ${type0Id} 0 R >> >> /Contents ${contentId} 0 R >>`,
        );
      }
      set(catalogId, `<< /Type /Catalog /Pages ${pagesId} 0 R >>`);
      set(
        pagesId,
        `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`,
      );
      set(
        infoId,
        `<< /Title ${textString(title)} /Producer (kakunin reception) /CreationDate ${pdfDate(creationDate)} >>`,
      );

      const glyphs = [...used.keys()].sort((a, b) => a - b);
      // Subset tag: six upper-case letters derived from the glyph set (§9.6.4).
      let hash = 0;
      for (const glyph of glyphs) hash = (hash * 31 + glyph) >>> 0;
      let tag = '';
      for (let index = 0; index < 6; index += 1) {
        tag += String.fromCharCode(65 + (hash % 26));
        hash = Math.floor(hash / 26);
      }
      const baseFont = `${tag}+${font.postScriptName}`;
      const widths = glyphs
        .map((glyph) => `${glyph} [${Math.round(font.advanceWidth(glyph) * scale)}]`)
        .join(' ');
      set(
        type0Id,
        `<< /Type /Font /Subtype /Type0 /BaseFont /${baseFont} /Encoding /Identity-H /DescendantFonts [${cidFontId} 0 R] /ToUnicode ${toUnicodeId} 0 R >>`,
      );
      set(
        cidFontId,
        `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${baseFont} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ${descriptorId} 0 R /DW ${GLYPH_SPACE} /W [${widths}] /CIDToGIDMap /Identity >>`,
      );
      const [xMin, yMin, xMax, yMax] = font.boundingBox.map((value) => Math.round(value * scale)) as [
        number,
        number,
        number,
        number,
      ];
      set(
        descriptorId,
        `<< /Type /FontDescriptor /FontName /${baseFont} /Flags ${FONT_FLAG_SYMBOLIC} /FontBBox [${xMin} ${yMin} ${xMax} ${yMax}] /ItalicAngle 0 /Ascent ${Math.round(font.ascent * scale)} /Descent ${Math.round(font.descent * scale)} /CapHeight ${Math.round(font.ascent * scale)} /StemV 80 /FontFile2 ${fontFileId} 0 R >>`,
      );
      const subset = font.subset(new Set(glyphs));
      const fontData = deflateSync(subset);
      set(fontFileId, {
        dictionary: `/Filter /FlateDecode /Length ${fontData.length} /Length1 ${subset.length}`,
        data: fontData,
      });

      const bfchars: string[] = [];
      for (let index = 0; index < glyphs.length; index += 100) {
        const chunk = glyphs.slice(index, index + 100);
        bfchars.push(`${chunk.length} beginbfchar`);
        for (const glyph of chunk) {
          const text = used.get(glyph)!;
          let hex = '';
          for (let position = 0; position < text.length; position += 1) {
            hex += text.charCodeAt(position).toString(16).padStart(4, '0');
          }
          bfchars.push(`<${glyph.toString(16).padStart(4, '0')}> <${hex}>`.toUpperCase());
        }
        bfchars.push('endbfchar');
      }
      const cmap = [
        '/CIDInit /ProcSet findresource begin',
        '12 dict begin',
        'begincmap',
        '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
        '/CMapName /Adobe-Identity-UCS def',
        '/CMapType 2 def',
        '1 begincodespacerange',
        '<0000> <FFFF>',
        'endcodespacerange',
        ...bfchars,
        'endcmap',
        'CMapName currentdict /CMap defineresource pop',
        'end',
        'end',
      ].join('\n');
      const cmapData = deflateSync(encoder.encode(cmap));
      set(toUnicodeId, { dictionary: `/Filter /FlateDecode /Length ${cmapData.length}`, data: cmapData });

      // Serialise with byte offsets for the xref table.
      const chunks: Uint8Array[] = [];
      let length = 0;
      const push = (value: string | Uint8Array): void => {
        const bytes = typeof value === 'string' ? encoder.encode(value) : value;
        chunks.push(bytes);
        length += bytes.length;
      };
      // Header with a binary comment (§7.5.2) so transfer tools treat the file as binary.
      push('%PDF-1.7\n');
      push(new Uint8Array([0x25, 0xe2, 0xe3, 0xcf, 0xd3, 0x0a]));
      const offsets: number[] = [];
      objects.forEach((object, index) => {
        offsets.push(length);
        push(`${index + 1} 0 obj\n`);
        if (typeof object === 'string') push(`${object}\n`);
        else {
          push(`<< ${object.dictionary} >>\nstream\n`);
          push(object.data);
          push('\nendstream\n');
        }
        push('endobj\n');
      });
      const xrefOffset = length;
      push(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`);
      for (const offset of offsets) push(`${offset.toString().padStart(10, '0')} 00000 n \n`);
      push(
        `trailer\n<< /Size ${objects.length + 1} /Root ${catalogId} 0 R /Info ${infoId} 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`,
      );
      return concatBytes(...chunks);
    },
  };
}
