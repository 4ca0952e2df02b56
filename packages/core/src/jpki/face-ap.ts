/**
 * 券面事項確認AP card-face file parser (EF 0002, jpki-card.md §5.1): birth date, sex, name and
 * address images (PNG), the photo (JPEG 2000), expiry and the security-code image.
 *
 * @example
 * ```ts
 * const face = parseCardFace(file);
 * await writeFile('photo.jp2', face.photo);
 * ```
 */
import { TlvCursor } from '../iso7816/ber-tlv.js';
import { CardError } from '../transport/card-error.js';
import { type Sex, sexFromCode } from './text-ap.js';

/** Tags of the card-face record (jpki-card.md §5.1). */
export const FACE_TAG = {
  CARD_FACE: 0xff20,
  OFFSETS: 0xdf21,
  BIRTH_DATE: 0xdf22,
  SEX: 0xdf23,
  PUBLIC_KEY: 0xdf24,
  NAME_IMAGE: 0xdf25,
  ADDRESS_IMAGE: 0xdf26,
  PHOTO: 0xdf27,
  SIGNATURE: 0xdf28,
  EXPIRY: 0xdf29,
  SECURITY_CODE_IMAGE: 0xdf2a,
} as const;

const ascii = new TextDecoder('ascii');

export interface CardFace {
  readonly birthDate: string;
  readonly sex: Sex;
  /** PNG. */
  readonly nameImage: Uint8Array;
  /** PNG. */
  readonly addressImage: Uint8Array;
  /** JPEG 2000 (JP2 box format). */
  readonly photo: Uint8Array;
  /** `YYYYMMDD`; absent on some cards. */
  readonly expiry: string | undefined;
  /** PNG; absent on some cards. */
  readonly securityCodeImage: Uint8Array | undefined;
  readonly signature: Uint8Array;
}

function copyOf(view: Uint8Array): Uint8Array {
  return view.slice();
}

export function parseCardFace(file: Uint8Array): CardFace {
  const outer = new TlvCursor(file, 0, file.length, { filler: true });
  if (!outer.next() || outer.tag !== FACE_TAG.CARD_FACE)
    throw new CardError('FILE_MALFORMED', 'card-face AP: EF 0002 does not hold tag FF20', {
      remedy: 'card.damaged',
    });
  const fields = outer.children();
  const found = new Map<number, Uint8Array>();
  while (fields.next()) found.set(fields.tag, fields.value());
  const need = (tag: number, what: string): Uint8Array => {
    const value = found.get(tag);
    if (value === undefined)
      throw new CardError('FILE_MALFORMED', `card-face AP: missing ${what}`, { remedy: 'card.damaged' });
    return value;
  };
  const expiry = found.get(FACE_TAG.EXPIRY);
  const securityCode = found.get(FACE_TAG.SECURITY_CODE_IMAGE);
  return {
    birthDate: ascii.decode(need(FACE_TAG.BIRTH_DATE, 'birth date')),
    sex: sexFromCode(ascii.decode(need(FACE_TAG.SEX, 'sex'))) ?? 'unknown',
    nameImage: copyOf(need(FACE_TAG.NAME_IMAGE, 'name image')),
    addressImage: copyOf(need(FACE_TAG.ADDRESS_IMAGE, 'address image')),
    photo: copyOf(need(FACE_TAG.PHOTO, 'photo')),
    expiry: expiry === undefined ? undefined : ascii.decode(expiry),
    securityCodeImage: securityCode === undefined ? undefined : copyOf(securityCode),
    signature: copyOf(need(FACE_TAG.SIGNATURE, 'signature')),
  };
}
