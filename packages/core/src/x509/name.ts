/**
 * Distinguished names (RFC 5280 §4.1.2.4): `SEQUENCE OF SET OF AttributeTypeAndValue`. The
 * raw DER is kept (JPKI compares issuer DNs byte for byte, certificates.md §5 step 3) and the
 * attributes are decoded on first use.
 *
 * @example
 * ```ts
 * certificate.issuer.toString(); // "C=JP, O=JPKI, OU=JPKI for user authentication, OU=Japan Agency…"
 * certificate.subject.get(OID.commonName); // "997794E9AGCIEG13221003A"
 * certificate.issuer.equals(root.subject);
 * ```
 */

import { DerCursor } from '../der/der-cursor.js';
import { decodeString, STRING_TAGS } from '../der/der-string.js';
import { TAG_OID, TAG_SEQUENCE, TAG_SET } from '../der/der-tags.js';
import { assertBytes } from '../transport/assert-bytes.js';
import { bytesToHex } from '../transport/hex.js';
import { ATTRIBUTE_SHORT_NAMES } from './oids.js';
import { x509Malformed } from './x509-error.js';

/** One attribute of a relative distinguished name. */
export interface NameAttribute {
  /** Dotted attribute type OID (e.g. "2.5.4.3" for CN). */
  readonly type: string;
  /** Decoded value for string types; `#hex` of the value TLV for other types (RFC 4514 §2.4). */
  readonly value: string;
  /** Identifier octet of the value (0x0c UTF8String, 0x13 PrintableString, …). */
  readonly tag: number;
}

/** A relative distinguished name: one or more attributes (a multi-valued RDN has several). */
export type RelativeDistinguishedName = readonly NameAttribute[];

function equalBytes(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}

/** Characters RFC 4514 §2.4 escapes anywhere in a value. */
const SPECIAL = /[\\,+"<>;=]/g;

function escapeValue(value: string): string {
  // Fast path: nothing to escape (the common case).
  let plain = value.length > 0 && value[0] !== ' ' && value[0] !== '#' && value[value.length - 1] !== ' ';
  if (plain)
    for (let index = 0; index < value.length; index++) {
      const code = value.charCodeAt(index);
      if (
        code === 0x5c ||
        code === 0x2c ||
        code === 0x2b ||
        code === 0x22 ||
        code === 0x3c ||
        code === 0x3e ||
        code === 0x3b ||
        code === 0x3d
      ) {
        plain = false;
        break;
      }
    }
  if (plain) return value;
  let out = value.replace(SPECIAL, (character) => `\\${character}`);
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/**
 * A distinguished name over its DER (see the file comment).
 *
 * @example
 * ```ts
 * new Name(jpkiRootName('auth')).get(OID.organizationName); // "JPKI"
 * ```
 */
export class Name {
  /** The Name TLV (a view into the certificate or CRL). */
  readonly der: Uint8Array;
  #rdns: readonly RelativeDistinguishedName[] | undefined;
  #checked = false;

  /**
   * Wraps the DER of a Name (the whole `SEQUENCE` TLV). Structure is checked by
   * {@link Name.rdns} on first use.
   */
  constructor(der: Uint8Array) {
    assertBytes(der, 'Name: der');
    this.der = der;
  }

  /** The RDNs in encoded order (most significant first, e.g. C before O before CN). */
  get rdns(): readonly RelativeDistinguishedName[] {
    if (this.#rdns === undefined) this.#rdns = parseRdns(this.der);
    return this.#rdns;
  }

  /**
   * Checks the RDN structure (SEQUENCE OF non-empty SET OF SEQUENCE { OID, value }) without
   * decoding any value; throws X509_MALFORMED / DER_* like {@link Name.rdns}.
   */
  check(): this {
    if (this.#rdns !== undefined || this.#checked) return this;
    const cursor = new DerCursor(this.der);
    cursor.read(TAG_SEQUENCE, 'Name').enter();
    while (cursor.next()) {
      if (cursor.tag !== TAG_SET)
        throw x509Malformed('RelativeDistinguishedName must be a SET', cursor.start);
      if (cursor.length === 0) throw x509Malformed('empty RelativeDistinguishedName', cursor.start);
      cursor.enter();
      while (cursor.next()) {
        if ((cursor.tag as number) !== TAG_SEQUENCE)
          throw x509Malformed('AttributeTypeAndValue must be a SEQUENCE', cursor.start);
        cursor.enter();
        cursor.read(TAG_OID, 'attribute type');
        if (!cursor.next()) throw x509Malformed('attribute without a value', cursor.position);
        cursor.leave();
      }
      cursor.leave();
    }
    cursor.leave();
    cursor.finish();
    this.#checked = true;
    return this;
  }

  /** True for an empty SEQUENCE (no RDNs). */
  get isEmpty(): boolean {
    return this.der.length === 2;
  }

  /** First value of attribute `type` (dotted OID), or undefined. */
  get(type: string): string | undefined {
    for (const rdn of this.rdns)
      for (const attribute of rdn) if (attribute.type === type) return attribute.value;
    return undefined;
  }

  /** All values of attribute `type`, in order. */
  getAll(type: string): string[] {
    const out: string[] = [];
    for (const rdn of this.rdns)
      for (const attribute of rdn) if (attribute.type === type) out.push(attribute.value);
    return out;
  }

  /** Byte-for-byte equality of the encodings. */
  equals(other: Name): boolean {
    return equalBytes(this.der, other.der);
  }

  /** "C=JP, O=JPKI, OU=…" in encoded order, RFC 4514 escaping, `+` joining multi-valued RDNs. */
  toString(): string {
    let out = '';
    for (const rdn of this.rdns) {
      if (out !== '') out += ', ';
      for (let index = 0; index < rdn.length; index++) {
        const attribute = rdn[index]!;
        if (index > 0) out += '+';
        const key = ATTRIBUTE_SHORT_NAMES[attribute.type] ?? attribute.type;
        out += `${key}=${STRING_TAGS.has(attribute.tag) ? escapeValue(attribute.value) : attribute.value}`;
      }
    }
    return out;
  }
}

function parseRdns(der: Uint8Array): RelativeDistinguishedName[] {
  const cursor = new DerCursor(der);
  cursor.read(TAG_SEQUENCE, 'Name').enter();
  const rdns: RelativeDistinguishedName[] = [];
  while (cursor.next()) {
    if (cursor.tag !== TAG_SET) throw x509Malformed('RelativeDistinguishedName must be a SET', cursor.start);
    const setStart = cursor.start;
    cursor.enter();
    const attributes: NameAttribute[] = [];
    while (cursor.next()) {
      if ((cursor.tag as number) !== TAG_SEQUENCE)
        throw x509Malformed('AttributeTypeAndValue must be a SEQUENCE', cursor.start);
      cursor.enter();
      const type = cursor.read(TAG_OID, 'attribute type').oid();
      if (!cursor.next()) throw x509Malformed('attribute without a value', cursor.position);
      const tag = cursor.tag;
      const value = STRING_TAGS.has(tag)
        ? decodeString(tag, cursor.bytes, cursor.valueStart, cursor.valueEnd)
        : `#${bytesToHex(cursor.element())}`;
      cursor.leave();
      attributes.push({ type, value, tag });
    }
    if (attributes.length === 0) throw x509Malformed('empty RelativeDistinguishedName', setStart);
    cursor.leave();
    rdns.push(attributes);
  }
  cursor.leave();
  cursor.finish();
  return rdns;
}
