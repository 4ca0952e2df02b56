/**
 * The holder attributes of a JPKI 署名用 (digital signature) certificate, carried as
 * subjectAltName otherNames under `1.2.392.200149.8.5.5` (certificates.md §3): .1 name,
 * .2 name substitute-character map, .3 gender, .4 date of birth `EYYYYMMDD`, .5 address,
 * .6 address substitute-character map. Each value is `[0] EXPLICIT UTF8String`.
 *
 * Personal data: never log the result; fixtures must be synthetic (certificates.md §2.2).
 *
 * @example
 * ```ts
 * const holder = decodeJpkiSubjectAltName(signCertificate);
 * holder?.name;            // "山田　花子"
 * holder?.birthDate.era;   // "showa"
 * holder?.birthDate.iso;   // "1980-04-01"
 * ```
 */
import { DerCursor } from '../der/der-cursor.js';
import { decodeString, STRING_TAGS } from '../der/der-string.js';
import type { Certificate } from './certificate.js';
import type { GeneralName } from './general-name.js';
import { OID } from './oids.js';
import { x509Malformed } from './x509-error.js';

/** Prefix of the JPKI SAN otherName OIDs (certificates.md §3). */
const JPKI_SAN_PREFIX = '1.2.392.200149.8.5.5.';
/** Address length limit of the profile (certificates.md §3: ≤ 200 characters). */
export const JPKI_ADDRESS_MAX_CHARACTERS = 200;
/** SAN .3 gender codes (certificates.md §3; differs from the text AP's 1/2/9). */
const SEX_CODES: Readonly<Record<string, JpkiSex>> = { '1': 'male', '2': 'female', '3': 'unknown' };
/** SAN .4 era digit E of `EYYYYMMDD` (certificates.md §3: 1 Meiji … 5 Reiwa, 0 unknown). */
const ERAS: readonly JapaneseEra[] = ['unknown', 'meiji', 'taisho', 'showa', 'heisei', 'reiwa'];

export type JpkiSex = 'male' | 'female' | 'unknown';
export type JapaneseEra = 'unknown' | 'meiji' | 'taisho' | 'showa' | 'heisei' | 'reiwa';

export interface JpkiBirthDate {
  /** The encoded value, e.g. "319800401". */
  readonly raw: string;
  /** Era from the first digit. */
  readonly era: JapaneseEra;
  /** Gregorian year, month, day as encoded (YYYY is Gregorian). */
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** "YYYY-MM-DD" when month and day form a real date, else undefined (partially unknown dates). */
  readonly iso: string | undefined;
}

export interface JpkiHolderAttributes {
  /** Name: surname + full-width space + given name (SAN .1). */
  readonly name: string;
  /** "0"/"1" per character of the name; "1" marks a substitute character (SAN .2). */
  readonly nameSubstituteMap: string | undefined;
  readonly sex: JpkiSex;
  /** The raw gender code "1" / "2" / "3" (SAN .3). */
  readonly sexCode: string;
  readonly birthDate: JpkiBirthDate;
  /** Address, at most 200 characters, no postcode (SAN .5). */
  readonly address: string;
  /** "0"/"1" per character of the address (SAN .6). */
  readonly addressSubstituteMap: string | undefined;
}

function otherNameString(name: GeneralName & { type: 'otherName' }): string {
  const cursor = new DerCursor(name.value);
  if (!cursor.next() || !STRING_TAGS.has(cursor.tag))
    throw x509Malformed(`JPKI SAN ${name.typeId} is not a string`);
  const value = decodeString(cursor.tag, cursor.bytes, cursor.valueStart, cursor.valueEnd);
  cursor.finish();
  return value;
}

function parseBirthDate(raw: string): JpkiBirthDate {
  if (!/^[0-5][0-9]{8}$/.test(raw)) throw x509Malformed('JPKI birth date must be EYYYYMMDD with E in 0..5');
  const era = ERAS[Number(raw[0])]!;
  const year = Number(raw.slice(1, 5));
  const month = Number(raw.slice(5, 7));
  const day = Number(raw.slice(7, 9));
  const probe = new Date(Date.UTC(2000, month - 1, day));
  probe.setUTCFullYear(year);
  const real =
    month >= 1 && month <= 12 && day >= 1 && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
  return {
    raw,
    era,
    year,
    month,
    day,
    iso: real ? `${raw.slice(1, 5)}-${raw.slice(5, 7)}-${raw.slice(7, 9)}` : undefined,
  };
}

function checkSubstituteMap(map: string | undefined, what: string): void {
  if (map !== undefined && !/^[01]*$/.test(map))
    throw x509Malformed(`JPKI ${what} substitute map must be "0"/"1" characters`);
}

/**
 * Decodes the JPKI holder attributes from a certificate (or its SAN GeneralNames). Returns
 * undefined when the SAN carries none of the JPKI otherNames (an auth certificate); throws
 * `X509_MALFORMED` on duplicates, a missing mandatory field, a bad gender code or birth date, or an
 * address over 200 characters.
 *
 * @example
 * ```ts
 * const holder = decodeJpkiSubjectAltName(certificate);
 * ```
 */
export function decodeJpkiSubjectAltName(
  source: Certificate | readonly GeneralName[],
): JpkiHolderAttributes | undefined {
  const names = Array.isArray(source)
    ? (source as readonly GeneralName[])
    : (source as Certificate).subjectAltName;
  if (names === undefined) return undefined;
  const values = new Map<string, string>();
  for (const name of names) {
    if (name.type !== 'otherName' || !name.typeId.startsWith(JPKI_SAN_PREFIX)) continue;
    if (values.has(name.typeId)) throw x509Malformed(`duplicate JPKI SAN field ${name.typeId}`);
    values.set(name.typeId, otherNameString(name));
  }
  if (values.size === 0) return undefined;
  const required = (oid: string, what: string): string => {
    const value = values.get(oid);
    if (value === undefined) throw x509Malformed(`JPKI SAN is missing the ${what} (${oid})`);
    return value;
  };
  const name = required(OID.jpkiName, 'name');
  const sexCode = required(OID.jpkiSex, 'gender');
  // Own keys only: "constructor" or "__proto__" must not reach Object.prototype (fuzzing finding).
  const sex = Object.hasOwn(SEX_CODES, sexCode) ? SEX_CODES[sexCode] : undefined;
  if (sex === undefined) throw x509Malformed(`JPKI gender code must be 1, 2 or 3`);
  const birthDate = parseBirthDate(required(OID.jpkiBirthDate, 'birth date'));
  const address = required(OID.jpkiAddress, 'address');
  if ([...address].length > JPKI_ADDRESS_MAX_CHARACTERS)
    throw x509Malformed(`JPKI address longer than ${JPKI_ADDRESS_MAX_CHARACTERS} characters`);
  const nameSubstituteMap = values.get(OID.jpkiNameSubstitute);
  const addressSubstituteMap = values.get(OID.jpkiAddressSubstitute);
  checkSubstituteMap(nameSubstituteMap, 'name');
  checkSubstituteMap(addressSubstituteMap, 'address');
  return { name, nameSubstituteMap, sex, sexCode, birthDate, address, addressSubstituteMap };
}
