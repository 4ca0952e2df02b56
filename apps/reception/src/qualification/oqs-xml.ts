/**
 * A small, bounded XML reader/writer for the file interface's XmlMsg documents: elements, text,
 * the five predefined entities and numeric character references; attributes are read and ignored,
 * comments / processing instructions skipped, DOCTYPE and CDATA refused. The encoding comes from
 * the XML declaration (`Shift_JIS` / `UTF-8`, case-insensitive; a UTF-8 BOM wins); anything else
 * is refused with a typed error. Limits: 1 MiB per document, depth 16, 4 096 elements.
 *
 * @example
 * ```ts
 * const { root, encoding } = parseXmlBytes(bytes);
 * childText(child(root, 'MessageHeader'), 'SegmentOfResult'); // '1'
 * const bytes2 = serializeXml(root, 'Shift_JIS');
 * ```
 */
import { decodeShiftJis, encodeShiftJis } from './shift-jis.js';

export const XML_LIMITS = { maxBytes: 1024 * 1024, maxDepth: 16, maxElements: 4096 } as const;

export type XmlEncoding = 'Shift_JIS' | 'UTF-8';

export interface XmlElement {
  readonly name: string;
  readonly children: XmlElement[];
  text: string;
}

export class OqsXmlError extends Error {
  override readonly name = 'OqsXmlError';
  constructor(
    readonly code: 'XML_TOO_LARGE' | 'XML_MALFORMED' | 'XML_ENCODING',
    message: string,
  ) {
    super(message);
  }
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Encoding named by the declaration (ASCII-compatible prefix), default UTF-8. */
export function detectEncoding(bytes: Uint8Array): XmlEncoding {
  if (bytes.length >= 3 && UTF8_BOM.every((byte, index) => bytes[index] === byte)) return 'UTF-8';
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 200))).toString('latin1');
  if (!head.startsWith('<?xml')) return 'UTF-8';
  const end = head.indexOf('?>');
  const declaration = end < 0 ? head : head.slice(0, end);
  const match = /encoding\s*=\s*["']([A-Za-z0-9_.-]+)["']/.exec(declaration);
  if (match === null) return 'UTF-8';
  const name = match[1]!.toLowerCase().replace(/-/g, '_');
  if (name === 'utf_8' || name === 'utf8') return 'UTF-8';
  if (
    name === 'shift_jis' ||
    name === 'sjis' ||
    name === 'windows_31j' ||
    name === 'cp932' ||
    name === 'ms932'
  )
    return 'Shift_JIS';
  throw new OqsXmlError('XML_ENCODING', `unsupported XML encoding "${match[1]}"`);
}

export function parseXmlBytes(bytes: Uint8Array): { root: XmlElement; encoding: XmlEncoding } {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('parseXmlBytes: bytes must be a Uint8Array');
  if (bytes.length > XML_LIMITS.maxBytes)
    throw new OqsXmlError('XML_TOO_LARGE', `document over ${XML_LIMITS.maxBytes} bytes`);
  const encoding = detectEncoding(bytes);
  let text: string;
  if (encoding === 'UTF-8') {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      throw new OqsXmlError('XML_ENCODING', 'document is not valid UTF-8');
    }
  } else text = decodeShiftJis(bytes);
  return { root: parseXmlText(text), encoding };
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(raw: string): string {
  return raw.replace(/&(#x[0-9A-Fa-f]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (whole, name: string) => {
    if (name.startsWith('#')) {
      const point = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      if (point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff) || point === 0)
        throw new OqsXmlError('XML_MALFORMED', `bad character reference ${whole}`);
      return String.fromCodePoint(point);
    }
    const value = ENTITIES[name];
    if (value === undefined) throw new OqsXmlError('XML_MALFORMED', `unknown entity ${whole}`);
    return value;
  });
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*/;

export function parseXmlText(source: string): XmlElement {
  let position = 0;
  let elements = 0;
  const fail = (message: string): never => {
    throw new OqsXmlError('XML_MALFORMED', `${message} at offset ${position}`);
  };
  if (source.charCodeAt(0) === 0xfeff) position = 1;
  const skipMisc = (): void => {
    for (;;) {
      while (position < source.length && /\s/.test(source[position]!)) position += 1;
      if (source.startsWith('<?', position)) {
        const end = source.indexOf('?>', position);
        if (end < 0) fail('unterminated processing instruction');
        position = end + 2;
      } else if (source.startsWith('<!--', position)) {
        const end = source.indexOf('-->', position);
        if (end < 0) fail('unterminated comment');
        position = end + 3;
      } else if (source.startsWith('<!', position)) {
        fail('DOCTYPE / CDATA are not accepted');
      } else return;
    }
  };
  const parseElement = (depth: number): XmlElement => {
    if (depth > XML_LIMITS.maxDepth) fail('too deeply nested');
    elements += 1;
    if (elements > XML_LIMITS.maxElements) fail('too many elements');
    if (source[position] !== '<') fail('expected an element');
    position += 1;
    const name = NAME.exec(source.slice(position, position + 200))?.[0];
    if (name === undefined) return fail('bad element name');
    position += name.length;
    const close = source.indexOf('>', position);
    if (close < 0) fail('unterminated start tag');
    const attributes = source.slice(position, close);
    if (/[<]/.test(attributes)) fail('bad start tag');
    position = close + 1;
    const element: XmlElement = { name, children: [], text: '' };
    if (attributes.trimEnd().endsWith('/')) return element;
    let text = '';
    for (;;) {
      const next = source.indexOf('<', position);
      if (next < 0) fail(`unterminated element <${name}>`);
      text += source.slice(position, next);
      position = next;
      if (source.startsWith('</', position)) {
        position += 2;
        const closing = NAME.exec(source.slice(position, position + 200))?.[0];
        if (closing !== name) fail(`mismatched end tag </${closing ?? ''}> for <${name}>`);
        position += name.length;
        while (/\s/.test(source[position] ?? '')) position += 1;
        if (source[position] !== '>') fail('bad end tag');
        position += 1;
        break;
      }
      if (source.startsWith('<!--', position)) {
        const end = source.indexOf('-->', position);
        if (end < 0) fail('unterminated comment');
        position = end + 3;
        continue;
      }
      if (source.startsWith('<!', position) || source.startsWith('<?', position))
        fail('CDATA / processing instructions inside elements are not accepted');
      element.children.push(parseElement(depth + 1));
    }
    element.text = element.children.length === 0 ? decodeEntities(text) : '';
    return element;
  };
  skipMisc();
  const root = parseElement(1);
  skipMisc();
  if (position !== source.length) fail('content after the root element');
  return root;
}

export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((entry) => entry.name === name);
}

export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((entry) => entry.name === name) ?? [];
}

/** Text of a child element, trimmed; undefined when absent or empty. */
export function childText(element: XmlElement | undefined, name: string): string | undefined {
  const found = child(element, name);
  if (found === undefined) return undefined;
  const value = found.text.trim();
  return value.length === 0 ? undefined : value;
}

/** Builds an element: `el('A', [el('B', 'text')])`; undefined children are skipped. */
export function el(name: string, content?: string | readonly (XmlElement | undefined)[]): XmlElement {
  if (typeof content === 'string' || content === undefined)
    return { name, children: [], text: content ?? '' };
  return { name, children: content.filter((entry): entry is XmlElement => entry !== undefined), text: '' };
}

/** Optional leaf: undefined when the value is undefined. */
export function opt(name: string, value: string | undefined): XmlElement | undefined {
  return value === undefined ? undefined : el(name, value);
}

const escapeText = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function serializeXmlText(root: XmlElement, encoding: XmlEncoding): string {
  const lines: string[] = [`<?xml version="1.0" encoding="${encoding}" standalone="no"?>`];
  const write = (element: XmlElement, indent: string): void => {
    if (element.children.length === 0) {
      lines.push(`${indent}<${element.name}>${escapeText(element.text)}</${element.name}>`);
      return;
    }
    lines.push(`${indent}<${element.name}>`);
    for (const entry of element.children) write(entry, `${indent}\t`);
    lines.push(`${indent}</${element.name}>`);
  };
  write(root, '');
  return `${lines.join('\r\n')}\r\n`;
}

/** Serialises with CRLF and tabs; in Shift_JIS, unencodable characters become `substitute`. */
export function serializeXml(
  root: XmlElement,
  encoding: XmlEncoding,
  substitute?: string,
): { bytes: Uint8Array; substituted: number } {
  const text = serializeXmlText(root, encoding);
  if (encoding === 'UTF-8') return { bytes: new TextEncoder().encode(text), substituted: 0 };
  return encodeShiftJis(text, substitute);
}
