/**
 * A small TrueType (glyf-outline) reader and subsetter for embedding a Japanese font in a PDF as a
 * CIDFontType2 with CIDToGIDMap /Identity (ISO 32000-1 §9.7.4, §9.9). Glyph ids are kept; glyphs
 * that are not used are emptied (zero-length loca entries), so the subset of a 6 MB font with a few
 * hundred glyphs is tens of kilobytes. Supports `.ttf` and the first face of a `.ttc` collection.
 * Layout facts: Apple TrueType Reference Manual / OpenType spec (table directory, cmap formats 4
 * and 12, head, hhea, hmtx, maxp, loca, glyf composite flags).
 *
 * @example
 * ```ts
 * const font = parseTrueTypeFont(new Uint8Array(readFileSync('/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf')));
 * const glyph = font.glyphForCodePoint(0x3042); // あ
 * const subset = font.subset(new Set([0, glyph]));
 * ```
 */
import { concatBytes } from '@kakunin/core/transport';

/** `ttcf` tag of a TrueType collection header. */
const TAG_TTC = 0x74746366;
/** sfnt versions accepted: 0x00010000 (TrueType) and `true`. */
const SFNT_TRUETYPE = 0x00010000;
const SFNT_TRUE = 0x74727565;
/** head.checkSumAdjustment magic (OpenType spec, head table). */
const CHECKSUM_MAGIC = 0xb1b0afba;
/** Composite glyph flags (OpenType spec, glyf table). */
const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;
/** Tables copied into a subset (plus rebuilt head/loca/glyf). */
const KEPT_TABLES = ['cvt ', 'fpgm', 'hhea', 'hmtx', 'maxp', 'prep'] as const;

export interface TrueTypeFont {
  readonly unitsPerEm: number;
  readonly numGlyphs: number;
  /** Font bounding box in font units: xMin, yMin, xMax, yMax. */
  readonly boundingBox: readonly [number, number, number, number];
  readonly ascent: number;
  readonly descent: number;
  readonly postScriptName: string;
  /** Glyph id for a Unicode code point (0 = .notdef when missing). */
  glyphForCodePoint(codePoint: number): number;
  /** Advance width in font units. */
  advanceWidth(glyph: number): number;
  /** A valid TrueType file containing only `glyphs` (+ .notdef and composite components). */
  subset(glyphs: ReadonlySet<number>): Uint8Array;
}

interface TableRecord {
  readonly offset: number;
  readonly length: number;
}

function fail(message: string): never {
  throw new RangeError(`parseTrueTypeFont: ${message}`);
}

export function parseTrueTypeFont(bytes: Uint8Array): TrueTypeFont {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('parseTrueTypeFont: bytes must be a Uint8Array');
  if (bytes.length < 12) fail('file too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fontOffset = 0;
  if (view.getUint32(0) === TAG_TTC) {
    if (view.getUint32(8) < 1) fail('empty collection');
    fontOffset = view.getUint32(12);
  }
  const version = view.getUint32(fontOffset);
  if (version !== SFNT_TRUETYPE && version !== SFNT_TRUE) fail('not a TrueType (glyf) font');
  const numTables = view.getUint16(fontOffset + 4);
  const tables = new Map<string, TableRecord>();
  for (let index = 0; index < numTables; index += 1) {
    const record = fontOffset + 12 + index * 16;
    if (record + 16 > bytes.length) fail('table directory truncated');
    const tag = String.fromCharCode(...bytes.subarray(record, record + 4));
    const offset = view.getUint32(record + 8);
    const length = view.getUint32(record + 12);
    if (offset + length > bytes.length) fail(`table ${tag} out of bounds`);
    tables.set(tag, { offset, length });
  }
  const table = (tag: string): TableRecord => tables.get(tag) ?? fail(`missing table ${tag}`);
  const head = table('head');
  const unitsPerEm = view.getUint16(head.offset + 18);
  const boundingBox: [number, number, number, number] = [
    view.getInt16(head.offset + 36),
    view.getInt16(head.offset + 38),
    view.getInt16(head.offset + 40),
    view.getInt16(head.offset + 42),
  ];
  const longLoca = view.getInt16(head.offset + 50) === 1;
  const numGlyphs = view.getUint16(table('maxp').offset + 4);
  const hhea = table('hhea');
  const ascent = view.getInt16(hhea.offset + 4);
  const descent = view.getInt16(hhea.offset + 6);
  const numberOfHMetrics = view.getUint16(hhea.offset + 34);
  const hmtx = table('hmtx');
  const loca = table('loca');
  const glyf = table('glyf');

  const glyphRange = (glyph: number): [number, number] => {
    if (glyph < 0 || glyph >= numGlyphs) return [0, 0];
    const start = longLoca
      ? view.getUint32(loca.offset + glyph * 4)
      : view.getUint16(loca.offset + glyph * 2) * 2;
    const end = longLoca
      ? view.getUint32(loca.offset + glyph * 4 + 4)
      : view.getUint16(loca.offset + glyph * 2 + 2) * 2;
    if (end < start || end > glyf.length) fail(`bad loca entry for glyph ${glyph}`);
    return [glyf.offset + start, glyf.offset + end];
  };

  // cmap: prefer format 12 (3,10), then format 4 (3,1) / (0,x). A subset written by this module
  // has no cmap (the PDF maps CIDs to glyphs directly); such a font maps no code points.
  const cmap = tables.get('cmap');
  const subtables: { platform: number; encoding: number; offset: number; format: number }[] = [];
  const cmapCount = cmap === undefined ? 0 : view.getUint16(cmap.offset + 2);
  for (let index = 0; index < cmapCount; index += 1) {
    const record = cmap!.offset + 4 + index * 8;
    const offset = cmap!.offset + view.getUint32(record + 4);
    if (offset + 2 > bytes.length) fail('cmap subtable out of bounds');
    subtables.push({
      platform: view.getUint16(record),
      encoding: view.getUint16(record + 2),
      offset,
      format: view.getUint16(offset),
    });
  }
  const format12 = subtables.find(
    (entry) => entry.format === 12 && (entry.platform === 3 || entry.platform === 0),
  );
  const format4 = subtables.find(
    (entry) => entry.format === 4 && (entry.platform === 3 || entry.platform === 0),
  );
  if (cmap !== undefined && format12 === undefined && format4 === undefined)
    fail('no Unicode cmap (format 4 or 12)');
  const cache = new Map<number, number>();

  const lookup12 = (codePoint: number, offset: number): number => {
    const groups = view.getUint32(offset + 12);
    let low = 0;
    let high = groups - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const group = offset + 16 + middle * 12;
      const start = view.getUint32(group);
      const end = view.getUint32(group + 4);
      if (codePoint < start) high = middle - 1;
      else if (codePoint > end) low = middle + 1;
      else return view.getUint32(group + 8) + (codePoint - start);
    }
    return 0;
  };
  const lookup4 = (codePoint: number, offset: number): number => {
    if (codePoint > 0xffff) return 0;
    const segments = view.getUint16(offset + 6) / 2;
    const endCodes = offset + 14;
    const startCodes = endCodes + segments * 2 + 2;
    const deltas = startCodes + segments * 2;
    const rangeOffsets = deltas + segments * 2;
    for (let segment = 0; segment < segments; segment += 1) {
      if (codePoint > view.getUint16(endCodes + segment * 2)) continue;
      const start = view.getUint16(startCodes + segment * 2);
      if (codePoint < start) return 0;
      const delta = view.getInt16(deltas + segment * 2);
      const rangeOffset = view.getUint16(rangeOffsets + segment * 2);
      if (rangeOffset === 0) return (codePoint + delta) & 0xffff;
      const address = rangeOffsets + segment * 2 + rangeOffset + (codePoint - start) * 2;
      const glyph = view.getUint16(address);
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };

  const postScriptName = readPostScriptName(bytes, view, tables.get('name')) ?? 'EmbeddedFont';

  const font: TrueTypeFont = {
    unitsPerEm,
    numGlyphs,
    boundingBox,
    ascent,
    descent,
    postScriptName,
    glyphForCodePoint(codePoint) {
      const cached = cache.get(codePoint);
      if (cached !== undefined) return cached;
      let glyph = format12 === undefined ? 0 : lookup12(codePoint, format12.offset);
      if (glyph === 0 && format4 !== undefined) glyph = lookup4(codePoint, format4.offset);
      if (glyph >= numGlyphs) glyph = 0;
      cache.set(codePoint, glyph);
      return glyph;
    },
    advanceWidth(glyph) {
      const index = Math.min(Math.max(glyph, 0), numberOfHMetrics - 1);
      return view.getUint16(hmtx.offset + index * 4);
    },
    subset(glyphs) {
      const keep = new Set<number>([0]);
      const pending = [...glyphs].filter((glyph) => glyph >= 0 && glyph < numGlyphs);
      while (pending.length > 0) {
        const glyph = pending.pop()!;
        if (keep.has(glyph) && glyph !== 0) continue;
        keep.add(glyph);
        const [start, end] = glyphRange(glyph);
        if (end - start < 10 || view.getInt16(start) >= 0) continue;
        // composite glyph: walk its components
        let cursor = start + 10;
        for (;;) {
          if (cursor + 4 > end) fail(`composite glyph ${glyph} truncated`);
          const flags = view.getUint16(cursor);
          const component = view.getUint16(cursor + 2);
          if (!keep.has(component)) pending.push(component);
          cursor += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
          if (flags & WE_HAVE_A_SCALE) cursor += 2;
          else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) cursor += 4;
          else if (flags & WE_HAVE_A_TWO_BY_TWO) cursor += 8;
          if (!(flags & MORE_COMPONENTS)) break;
        }
      }
      // new glyf + long loca
      const pieces: Uint8Array[] = [];
      const newLoca = new Uint8Array((numGlyphs + 1) * 4);
      const locaView = new DataView(newLoca.buffer);
      let position = 0;
      for (let glyph = 0; glyph < numGlyphs; glyph += 1) {
        locaView.setUint32(glyph * 4, position);
        if (!keep.has(glyph)) continue;
        const [start, end] = glyphRange(glyph);
        const length = end - start;
        if (length === 0) continue;
        const padded = (length + 3) & ~3;
        const piece = new Uint8Array(padded);
        piece.set(bytes.subarray(start, end));
        pieces.push(piece);
        position += padded;
      }
      locaView.setUint32(numGlyphs * 4, position);
      const newGlyf = concatBytes(...pieces);
      const newHead = bytes.slice(head.offset, head.offset + head.length);
      const headView = new DataView(newHead.buffer);
      headView.setUint32(8, 0); // checkSumAdjustment, fixed below
      headView.setInt16(50, 1); // indexToLocFormat = long
      const output = new Map<string, Uint8Array>([
        ['glyf', newGlyf],
        ['head', newHead],
        ['loca', newLoca],
      ]);
      for (const tag of KEPT_TABLES) {
        const record = tables.get(tag);
        if (record !== undefined) output.set(tag, bytes.slice(record.offset, record.offset + record.length));
      }
      return writeSfnt(output);
    },
  };
  return font;
}

function readPostScriptName(
  bytes: Uint8Array,
  view: DataView,
  name: TableRecord | undefined,
): string | undefined {
  if (name === undefined) return undefined;
  const count = view.getUint16(name.offset + 2);
  const storage = name.offset + view.getUint16(name.offset + 4);
  for (let index = 0; index < count; index += 1) {
    const record = name.offset + 6 + index * 12;
    const platform = view.getUint16(record);
    const nameId = view.getUint16(record + 6);
    if (nameId !== 6) continue;
    const length = view.getUint16(record + 8);
    const offset = storage + view.getUint16(record + 10);
    const raw = bytes.subarray(offset, offset + length);
    const text =
      platform === 3 || platform === 0
        ? String.fromCharCode(
            ...Array.from({ length: raw.length >> 1 }, (_, i) => (raw[i * 2]! << 8) | raw[i * 2 + 1]!),
          )
        : String.fromCharCode(...raw);
    const clean = text.replace(/[^A-Za-z0-9-]/g, '');
    if (clean.length > 0) return clean;
  }
  return undefined;
}

function checksum(data: Uint8Array): number {
  const padded = data.length % 4 === 0 ? data : concatBytes(data, new Uint8Array(4 - (data.length % 4)));
  const view = new DataView(padded.buffer, padded.byteOffset, padded.byteLength);
  let sum = 0;
  for (let offset = 0; offset < padded.length; offset += 4) sum = (sum + view.getUint32(offset)) >>> 0;
  return sum;
}

/** Writes an sfnt with tables sorted by tag, 4-byte aligned, with checksums and checkSumAdjustment. */
function writeSfnt(tables: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const tags = [...tables.keys()].sort();
  const count = tags.length;
  const entrySelector = Math.floor(Math.log2(count));
  const searchRange = 2 ** entrySelector * 16;
  const headerLength = 12 + count * 16;
  let total = headerLength;
  for (const tag of tags) total += (tables.get(tag)!.length + 3) & ~3;
  const output = new Uint8Array(total);
  const view = new DataView(output.buffer);
  view.setUint32(0, SFNT_TRUETYPE);
  view.setUint16(4, count);
  view.setUint16(6, searchRange);
  view.setUint16(8, entrySelector);
  view.setUint16(10, count * 16 - searchRange);
  let offset = headerLength;
  let headOffset = -1;
  tags.forEach((tag, index) => {
    const data = tables.get(tag)!;
    const record = 12 + index * 16;
    for (let character = 0; character < 4; character += 1)
      output[record + character] = tag.charCodeAt(character);
    view.setUint32(record + 4, checksum(data));
    view.setUint32(record + 8, offset);
    view.setUint32(record + 12, data.length);
    output.set(data, offset);
    if (tag === 'head') headOffset = offset;
    offset += (data.length + 3) & ~3;
  });
  if (headOffset >= 0) view.setUint32(headOffset + 8, (CHECKSUM_MAGIC - checksum(output)) >>> 0);
  return output;
}
