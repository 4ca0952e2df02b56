/**
 * 券面事項入力補助AP file parsers (jpki-card.md §4): my number (EF 0001), basic four (EF 0002),
 * integrity record (EF 0003), CV certificate (EF 0004). Pure functions over Uint8Array views.
 *
 * @example
 * ```ts
 * const person = parseBasicFour(file); // { name, address, birthDate: '19800217', sex: 'female' }
 * ```
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { TlvCursor } from '../iso7816/ber-tlv.js';
import { CardError } from '../transport/card-error.js';
import { buildDigestInfo } from './digest-info.js';
import { bytesToBigInt, type RsaPublicKey, rsaVerifyDigestInfo } from './rsa.js';

/** Tags (jpki-card.md §4). */
export const TEXT_TAG = {
  MY_NUMBER: 0xff10,
  BASIC_FOUR: 0xff20,
  OFFSETS: 0xdf21,
  NAME: 0xdf22,
  ADDRESS: 0xdf23,
  BIRTH_DATE: 0xdf24,
  SEX: 0xdf25,
  INTEGRITY: 0xff30,
  MY_NUMBER_DIGEST: 0xdf31,
  BASIC_FOUR_DIGEST: 0xdf32,
  INTEGRITY_SIGNATURE: 0xdf33,
  CV_CERTIFICATE: 0x7f21,
  CV_BODY: 0x5f4e,
  CV_SIGNATURE: 0x5f37,
  RSA_EXPONENT: 0x90,
  RSA_MODULUS: 0x91,
} as const;

/** JIS X 0303 sex codes used in DF25 (jpki-card.md §4). */
export type Sex = 'male' | 'female' | 'not-applicable' | 'unknown';
const SEX_CODES: Readonly<Record<string, Sex>> = {
  '1': 'male',
  '2': 'female',
  '9': 'not-applicable',
  '0': 'unknown',
};

/** Length of the key identifiers at the start of a CV certificate body (jpki-card.md §4). */
const CV_KEY_ID_LENGTH = 16;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const ascii = new TextDecoder('ascii');

export interface BasicFour {
  readonly name: string;
  readonly address: string;
  /** `YYYYMMDD` (Gregorian). */
  readonly birthDate: string;
  readonly sex: Sex;
}

function fileError(what: string, cause?: unknown): CardError {
  return new CardError('FILE_MALFORMED', `card-info AP: ${what}`, {
    remedy: 'card.damaged',
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * The JIS X 0303 code in DF25 (text AP) / DF23 (card-face AP), or undefined for any other value.
 * Own keys only: a code such as "constructor" must not reach Object.prototype (fuzzing finding).
 */
export function sexFromCode(code: string): Sex | undefined {
  return Object.hasOwn(SEX_CODES, code) ? SEX_CODES[code] : undefined;
}

function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch (error) {
    throw fileError(`${what} is not valid UTF-8`, error);
  }
}

/** EF 0001: `FF 10 0C` + 12 ASCII digits (+ `FF FF` filler). */
export function parseMyNumber(file: Uint8Array): string {
  const cursor = new TlvCursor(file, 0, file.length, { filler: true });
  if (!cursor.next() || cursor.tag !== TEXT_TAG.MY_NUMBER) throw fileError('EF 0001 does not hold tag FF10');
  const digits = ascii.decode(cursor.value());
  if (!/^[0-9]{12}$/.test(digits)) throw fileError('EF 0001 does not hold 12 digits');
  return digits;
}

/** EF 0002: `FF 20` { DF21 offsets, DF22 name, DF23 address, DF24 birth, DF25 sex }. */
export function parseBasicFour(file: Uint8Array): BasicFour {
  const outer = new TlvCursor(file, 0, file.length, { filler: true });
  if (!outer.next() || outer.tag !== TEXT_TAG.BASIC_FOUR) throw fileError('EF 0002 does not hold tag FF20');
  const fields = outer.children();
  let name: string | undefined;
  let address: string | undefined;
  let birthDate: string | undefined;
  let sex: Sex | undefined;
  let offsets: Uint8Array | undefined;
  const positions: number[] = [];
  while (fields.next()) {
    switch (fields.tag) {
      case TEXT_TAG.OFFSETS:
        offsets = fields.value();
        break;
      case TEXT_TAG.NAME:
        positions.push(fields.tagOffset);
        name = decodeUtf8(fields.value(), 'name');
        break;
      case TEXT_TAG.ADDRESS:
        positions.push(fields.tagOffset);
        address = decodeUtf8(fields.value(), 'address');
        break;
      case TEXT_TAG.BIRTH_DATE:
        positions.push(fields.tagOffset);
        birthDate = ascii.decode(fields.value());
        break;
      case TEXT_TAG.SEX:
        positions.push(fields.tagOffset);
        sex = sexFromCode(ascii.decode(fields.value()));
        break;
      default:
        break;
    }
  }
  if (name === undefined || address === undefined || birthDate === undefined || sex === undefined)
    throw fileError('EF 0002 lacks one of DF22–DF25');
  if (!/^[0-9]{8}$/.test(birthDate)) throw fileError('birth date is not YYYYMMDD');
  if (offsets !== undefined && offsets.length === 8) {
    // DF21: 4 × big-endian u16 offsets from the start of the file to DF22..DF25; must agree.
    for (let index = 0; index < 4; index++) {
      const declared = (offsets[index * 2]! << 8) | offsets[index * 2 + 1]!;
      if (positions[index] !== undefined && declared !== positions[index])
        throw fileError(`DF21 offset table disagrees with DF2${2 + index}`);
    }
  }
  return { name, address, birthDate, sex };
}

/** The bytes DF22…DF25 of EF 0002 (the value after skipping DF21), hashed by DF32. */
export function basicFourDigestInput(file: Uint8Array): Uint8Array {
  const outer = new TlvCursor(file, 0, file.length, { filler: true });
  if (!outer.next() || outer.tag !== TEXT_TAG.BASIC_FOUR) throw fileError('EF 0002 does not hold tag FF20');
  const fields = outer.children();
  let start = outer.valueStart;
  let end = outer.valueStart;
  while (fields.next()) {
    if (fields.tag === TEXT_TAG.OFFSETS) start = fields.valueEnd;
    end = fields.valueEnd;
  }
  return file.subarray(start, end);
}

export interface CvCertificate {
  readonly issuerKeyId: Uint8Array;
  readonly subjectKeyId: Uint8Array;
  readonly publicKey: RsaPublicKey;
  readonly signature: Uint8Array;
  readonly body: Uint8Array;
}

/** EF 0004: `7F 21` { `5F 4E` body (issuer key id ‖ subject key id ‖ 90 e ‖ 91 n), `5F 37` signature }. */
export function parseCvCertificate(file: Uint8Array): CvCertificate {
  const outer = new TlvCursor(file, 0, file.length, { filler: true });
  if (!outer.next() || outer.tag !== TEXT_TAG.CV_CERTIFICATE)
    throw fileError('EF 0004 does not hold tag 7F21');
  const fields = outer.children();
  let body: Uint8Array | undefined;
  let signature: Uint8Array | undefined;
  while (fields.next()) {
    if (fields.tag === TEXT_TAG.CV_BODY) body = fields.value();
    else if (fields.tag === TEXT_TAG.CV_SIGNATURE) signature = fields.value();
  }
  if (body === undefined || signature === undefined || body.length < CV_KEY_ID_LENGTH * 2)
    throw fileError('CV certificate lacks body or signature');
  const keyFields = new TlvCursor(body, CV_KEY_ID_LENGTH * 2, body.length, { filler: true });
  let exponent: Uint8Array | undefined;
  let modulus: Uint8Array | undefined;
  while (keyFields.next()) {
    if (keyFields.tag === TEXT_TAG.RSA_EXPONENT) exponent = keyFields.value();
    else if (keyFields.tag === TEXT_TAG.RSA_MODULUS) modulus = keyFields.value();
  }
  if (exponent === undefined || modulus === undefined) throw fileError('CV certificate lacks the RSA key');
  let trimmed = modulus;
  while (trimmed.length > 0 && trimmed[0] === 0) trimmed = trimmed.subarray(1);
  return {
    issuerKeyId: body.subarray(0, CV_KEY_ID_LENGTH),
    subjectKeyId: body.subarray(CV_KEY_ID_LENGTH, CV_KEY_ID_LENGTH * 2),
    publicKey: { modulus: bytesToBigInt(trimmed), exponent: bytesToBigInt(exponent), size: trimmed.length },
    signature,
    body,
  };
}

export interface IntegrityResult {
  readonly valid: boolean;
  readonly myNumberDigestMatches: boolean | undefined;
  readonly basicFourDigestMatches: boolean | undefined;
  readonly signatureValid: boolean;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= a[index]! ^ b[index]!;
  return difference === 0;
}

/**
 * Verifies EF 0003: DF31 = SHA-256(EF 0001 as stored, 17 bytes), DF32 = SHA-256(DF22…DF25 of
 * EF 0002), DF33 = RSA PKCS#1 v1.5 / SHA-256 signature over everything before DF33 (the DF31 and
 * DF32 objects), by the key certified in EF 0004 (jpki-card.md §4). Pass whichever files you read.
 */
export function verifyIntegrity(
  record: Uint8Array,
  cvCertificate: CvCertificate,
  files: { myNumberFile?: Uint8Array; basicFourFile?: Uint8Array },
): IntegrityResult {
  const outer = new TlvCursor(record, 0, record.length, { filler: true });
  if (!outer.next() || outer.tag !== TEXT_TAG.INTEGRITY) throw fileError('EF 0003 does not hold tag FF30');
  const fields = outer.children();
  let myNumberDigest: Uint8Array | undefined;
  let basicFourDigest: Uint8Array | undefined;
  let signature: Uint8Array | undefined;
  let signedEnd = outer.valueStart;
  while (fields.next()) {
    if (fields.tag === TEXT_TAG.MY_NUMBER_DIGEST) myNumberDigest = fields.value();
    else if (fields.tag === TEXT_TAG.BASIC_FOUR_DIGEST) basicFourDigest = fields.value();
    else if (fields.tag === TEXT_TAG.INTEGRITY_SIGNATURE) {
      signature = fields.value();
      signedEnd = fields.tagOffset;
    }
  }
  if (myNumberDigest === undefined || basicFourDigest === undefined || signature === undefined)
    throw fileError('EF 0003 lacks DF31, DF32 or DF33');
  const signed = record.subarray(outer.valueStart, signedEnd);
  const signatureValid = rsaVerifyDigestInfo(
    cvCertificate.publicKey,
    signature,
    buildDigestInfo(sha256(signed)),
  );
  const myNumberDigestMatches =
    files.myNumberFile === undefined ? undefined : equalBytes(sha256(files.myNumberFile), myNumberDigest);
  const basicFourDigestMatches =
    files.basicFourFile === undefined
      ? undefined
      : equalBytes(sha256(basicFourDigestInput(files.basicFourFile)), basicFourDigest);
  return {
    valid: signatureValid && myNumberDigestMatches !== false && basicFourDigestMatches !== false,
    myNumberDigestMatches,
    basicFourDigestMatches,
    signatureValid,
  };
}
