/**
 * GeneralName (RFC 5280 §4.2.1.6) decoding, as used by subjectAltName, issuerAltName,
 * authorityKeyIdentifier, cRLDistributionPoints and the JPKI otherName fields.
 *
 * @example
 * ```ts
 * for (const name of certificate.subjectAltName ?? []) if (name.type === 'dNSName') console.log(name.value);
 * ```
 */
import type { DerCursor } from '../der/der-cursor.js';
import { decodeOid } from '../der/der-oid.js';
import { TAG_OID, TAG_SEQUENCE } from '../der/der-tags.js';
import { Name } from './name.js';
import { x509Malformed } from './x509-error.js';

/** GeneralName CHOICE tags (RFC 5280 §4.2.1.6, all context-specific). */
const GENERAL_NAME_OTHER = 0xa0; // [0] IMPLICIT OtherName (constructed)
const GENERAL_NAME_RFC822 = 0x81; // [1] IA5String
const GENERAL_NAME_DNS = 0x82; // [2] IA5String
const GENERAL_NAME_X400 = 0xa3; // [3] ORAddress
const GENERAL_NAME_DIRECTORY = 0xa4; // [4] EXPLICIT Name
const GENERAL_NAME_EDI = 0xa5; // [5] EDIPartyName
const GENERAL_NAME_URI = 0x86; // [6] IA5String
const GENERAL_NAME_IP = 0x87; // [7] OCTET STRING
const GENERAL_NAME_REGISTERED_ID = 0x88; // [8] OBJECT IDENTIFIER
/** OtherName value is `[0] EXPLICIT ANY`. */
const OTHER_NAME_VALUE = 0xa0;

export type GeneralName =
  | { readonly type: 'otherName'; readonly typeId: string; readonly value: Uint8Array }
  | { readonly type: 'rfc822Name'; readonly value: string }
  | { readonly type: 'dNSName'; readonly value: string }
  | { readonly type: 'x400Address'; readonly der: Uint8Array }
  | { readonly type: 'directoryName'; readonly name: Name }
  | { readonly type: 'ediPartyName'; readonly der: Uint8Array }
  | { readonly type: 'uniformResourceIdentifier'; readonly value: string }
  | { readonly type: 'iPAddress'; readonly bytes: Uint8Array }
  | { readonly type: 'registeredID'; readonly oid: string };

function ia5(cursor: DerCursor): string {
  let out = '';
  for (let index = cursor.valueStart; index < cursor.valueEnd; index++) {
    const byte = cursor.bytes[index]!;
    if (byte > 0x7f) throw x509Malformed('non-ASCII octet in an IA5String GeneralName', index);
    out += String.fromCharCode(byte);
  }
  return out;
}

/**
 * Decodes the current element of `cursor` (already read with `next()`) as a GeneralName.
 *
 * @example
 * ```ts
 * while (cursor.next()) names.push(readGeneralName(cursor));
 * ```
 */
export function readGeneralName(cursor: DerCursor): GeneralName {
  switch (cursor.tag) {
    case GENERAL_NAME_OTHER: {
      cursor.enter();
      const typeId = cursor.read(TAG_OID, 'otherName type-id').oid();
      cursor.read(OTHER_NAME_VALUE, 'otherName value');
      const value = cursor.value();
      cursor.leave();
      return { type: 'otherName', typeId, value };
    }
    case GENERAL_NAME_RFC822:
      return { type: 'rfc822Name', value: ia5(cursor) };
    case GENERAL_NAME_DNS:
      return { type: 'dNSName', value: ia5(cursor) };
    case GENERAL_NAME_X400:
      return { type: 'x400Address', der: cursor.element() };
    case GENERAL_NAME_DIRECTORY: {
      cursor.enter();
      cursor.read(TAG_SEQUENCE, 'directoryName');
      const name = new Name(cursor.element());
      name.check();
      cursor.leave();
      return { type: 'directoryName', name };
    }
    case GENERAL_NAME_EDI:
      return { type: 'ediPartyName', der: cursor.element() };
    case GENERAL_NAME_URI:
      return { type: 'uniformResourceIdentifier', value: ia5(cursor) };
    case GENERAL_NAME_IP: {
      const length = cursor.length;
      // 4 or 16 octets in SAN; 8 or 32 (address + mask) in name constraints (§4.2.1.10).
      if (length !== 4 && length !== 16 && length !== 8 && length !== 32)
        throw x509Malformed('iPAddress must be 4, 8, 16 or 32 octets', cursor.start);
      return { type: 'iPAddress', bytes: cursor.value() };
    }
    case GENERAL_NAME_REGISTERED_ID:
      return { type: 'registeredID', oid: decodeOid(cursor.bytes, cursor.valueStart, cursor.valueEnd) };
    default:
      throw x509Malformed(`unknown GeneralName tag 0x${cursor.tag.toString(16)}`, cursor.start);
  }
}

/**
 * Decodes the content of the current (constructed) element as `GeneralNames ::= SEQUENCE SIZE
 * (1..MAX) OF GeneralName`; the cursor must be positioned on the element.
 *
 * @example
 * ```ts
 * cursor.read(TAG_SEQUENCE);
 * const names = readGeneralNames(cursor);
 * ```
 */
export function readGeneralNames(cursor: DerCursor): GeneralName[] {
  const start = cursor.start;
  cursor.enter();
  const names: GeneralName[] = [];
  while (cursor.next()) names.push(readGeneralName(cursor));
  cursor.leave();
  if (names.length === 0) throw x509Malformed('empty GeneralNames', start);
  return names;
}

/**
 * Renders a GeneralName for display ("DNS:example.jp", "DirName:C=JP, O=JPKI", …).
 *
 * @example
 * ```ts
 * formatGeneralName({ type: 'dNSName', value: 'example.jp' }); // "DNS:example.jp"
 * ```
 */
export function formatGeneralName(name: GeneralName): string {
  switch (name.type) {
    case 'otherName':
      return `othername:${name.typeId}`;
    case 'rfc822Name':
      return `email:${name.value}`;
    case 'dNSName':
      return `DNS:${name.value}`;
    case 'directoryName':
      return `DirName:${name.name.toString()}`;
    case 'uniformResourceIdentifier':
      return `URI:${name.value}`;
    case 'iPAddress':
      return `IP:${Array.from(name.bytes).join('.')}`;
    case 'registeredID':
      return `RID:${name.oid}`;
    default:
      return name.type;
  }
}
