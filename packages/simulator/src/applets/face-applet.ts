/**
 * Builds the 券面事項確認AP (card-face AP, jpki-card.md §5): EF 0001 age record, EF 0002 card
 * face (DF21 offset table, birth, sex, card public key, 1-bit PNG name and address images, a
 * greyscale JPEG 2000 photo, the signature, DF29 expiry, DF2A security-code PNG), EF 0003 basic
 * data, EF 0004 CV certificate, EF 0005 rendered 個人番号 PNG, EF 0006 filler, keys 0011–0013 with
 * the §5.3 access matrix, and the AP's PIN-less internal-authentication key.
 *
 * Signatures (RSASSA-PKCS1-v1_5 by the issuer key certified in EF 0004): the card-face signature
 * DF28 covers one DigestInfo holding three SHA-256 digests — of the DF22…DF24 TLV bytes, the
 * DF25…DF26 TLV bytes and the DF27 TLV bytes — and not DF29/DF2A (jpki-card.md §5.1, §17).
 * The age record's DF13 covers DF11 ‖ DF12; EF 0005's DF43 covers DF41 ‖ DF42 (SHA-256
 * DigestInfo; the simulator's documented choices).
 *
 * @example
 * ```ts
 * const face = buildFaceApplet({ person, issuerPrivateKey, cvCertificate, cardPrivateKey, … });
 * ```
 */

import type { KeyObject } from 'node:crypto';
import { derNull, derOctetString, derOid, derSequence } from '@kakunin/core/der';
import { FACE_TAG as CORE_FACE_TAG } from '@kakunin/core/jpki';
import { concatBytes } from '@kakunin/core/transport';
import { afterAnyOf, FREE } from '../card/access-rule.js';
import type { ApplicationSpec } from '../card/card-file.js';
import { AID, FACE_EF } from '../card/card-identifiers.js';
import { PIN_FORMAT } from '../card/pin-format.js';
import { sha256, signPkcs1 } from '../card/rsa-signature.js';
import { berTlv, padWithFiller } from '../encoding/ber-tlv-writer.js';
import { encodeGreyJp2 } from '../images/jp2-encoder.js';
import { encodePng } from '../images/png-encoder.js';
import { renderText } from '../images/text-bitmap.js';
import { textApSexCode } from '../person/synthetic-person.js';
import { SeededRandom } from '../pki/seeded-random.js';
import { allocatedLength, type CardInfoApContent, issuerSignedTlv, specInfoTlv } from './card-info-ap.js';
import { rsaPublicKeyTlvs } from './rsa-public-key-tlv.js';
import { encodeOffsetTableRecord } from './text-applet.js';

/**
 * Tags of the card-face AP files (jpki-card.md §5.1): core's card-face record, plus the files only
 * the card side writes.
 *
 * @example
 * ```ts
 * findTlv(faceFile, FACE_TAG.CARD_FACE);
 * ```
 */
export const FACE_TAG = {
  // The card-face record's tags are core's (its parser): one table for both sides.
  ...CORE_FACE_TAG,
  AGE: 0xff10,
  AGE_BIRTH_DATE: 0xdf11,
  AGE_PUBLIC_KEY: 0xdf12,
  AGE_SIGNATURE: 0xdf13,
  BASIC_DATA: 0xff30,
  SPEC_INFO: 0xdf31,
  KEY_ID: 0xdf32,
  VERSION: 0xdf33,
  MUNICIPALITY: 0xdf34,
  KEY_BLOCK: 0xdf35,
  MY_NUMBER_RECORD: 0xff40,
  MY_NUMBER_IMAGE: 0xdf41,
  MY_NUMBER_PUBLIC_KEY: 0xdf42,
  MY_NUMBER_SIGNATURE: 0xdf43,
} as const;
/** SHA-256 OID (RFC 8017 §A.2.4 / NIST). */
const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
/** DF31 bytes observed `06 03 0E 01` (jpki-card.md §5.1); byte 2 mirrors extended-length support. */
const FACE_SPEC_VERSION = 0x06;
const AP_VERSION = 0x01;
/** Image sizes: security code 24×12 (one card), rendered number 72×12 (jpki-card.md §5.1). */
const SECURITY_CODE_WIDTH = 24;
const MY_NUMBER_IMAGE_WIDTH = 72;
/**
 * Synthetic photo size (a real photo is larger; the simulator keeps the file small).
 *
 * @example
 * ```ts
 * encodeGreyJp2(PHOTO_WIDTH, PHOTO_HEIGHT);
 * ```
 */
export const PHOTO_WIDTH = 48;
/**
 * Synthetic photo height in pixels.
 *
 * @example
 * ```ts
 * encodeGreyJp2(PHOTO_WIDTH, PHOTO_HEIGHT);
 * ```
 */
export const PHOTO_HEIGHT = 64;
/** Birth-date key and 照合番号 retry limits: unsettled (jpki-card.md §8); 10 as [SOL] hints. */
export const FACE_KEY_TRIES = 10;

export interface FaceAppletContent extends CardInfoApContent {
  /** The AP's internal-authentication key (public half in DF12 / DF24 / DF42). */
  readonly cardPrivateKey: KeyObject;
  readonly cardPublicKey: KeyObject;
  readonly birthDateKey: string;
  readonly birthDateKeyTriesLeft?: number;
}

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * DigestInfo { sha256, OCTET STRING digests } — several digests in one (jpki-card.md §5.1).
 *
 * @example
 * ```ts
 * multiDigestInfo(sha256(a), sha256(b), sha256(c)); // one DigestInfo, 96-byte digest
 * ```
 */
export function multiDigestInfo(...digests: Uint8Array[]): Uint8Array {
  return derSequence(derSequence(derOid(OID_SHA256), derNull()), derOctetString(concatBytes(...digests)));
}

/** The card-face AP. */
export function buildFaceApplet(content: FaceAppletContent): ApplicationSpec {
  const { person } = content;
  const publicKeyTlvs = rsaPublicKeyTlvs(content.cardPublicKey);

  const ageSigned = concatBytes(
    berTlv(FACE_TAG.AGE_BIRTH_DATE, ascii(person.birthDate)),
    berTlv(FACE_TAG.AGE_PUBLIC_KEY, publicKeyTlvs),
  );
  const age = issuerSignedTlv(FACE_TAG.AGE, ageSigned, FACE_TAG.AGE_SIGNATURE, content.issuerPrivateKey);

  const birth = berTlv(FACE_TAG.BIRTH_DATE, ascii(person.birthDate));
  const sex = berTlv(FACE_TAG.SEX, ascii(textApSexCode(person.sex)));
  const publicKey = berTlv(FACE_TAG.PUBLIC_KEY, publicKeyTlvs);
  const nameImage = berTlv(FACE_TAG.NAME_IMAGE, encodePng(renderText(person.name)));
  const addressImage = berTlv(FACE_TAG.ADDRESS_IMAGE, encodePng(renderText(person.address)));
  const photo = berTlv(FACE_TAG.PHOTO, encodeGreyJp2(PHOTO_WIDTH, PHOTO_HEIGHT));
  const faceSignature = signPkcs1(
    content.issuerPrivateKey,
    multiDigestInfo(sha256(birth, sex, publicKey), sha256(nameImage, addressImage), sha256(photo)),
  );
  const faceRecord = encodeOffsetTableRecord(FACE_TAG.CARD_FACE, [
    birth,
    sex,
    publicKey,
    nameImage,
    addressImage,
    photo,
    berTlv(FACE_TAG.SIGNATURE, faceSignature),
    berTlv(FACE_TAG.EXPIRY, ascii(person.cardExpiresOn)),
    berTlv(FACE_TAG.SECURITY_CODE_IMAGE, encodePng(renderText(person.securityCode, SECURITY_CODE_WIDTH))),
  ]).tlv;

  const keyBlock = concatBytes(
    content.issuerKeyId,
    new SeededRandom(content.seed, 'face-ap-df35').bytes(256),
  );
  const basicData = berTlv(
    FACE_TAG.BASIC_DATA,
    specInfoTlv(FACE_TAG.SPEC_INFO, FACE_SPEC_VERSION, content.extendedLength),
    berTlv(FACE_TAG.KEY_ID, content.issuerKeyId),
    berTlv(FACE_TAG.VERSION, Uint8Array.of(AP_VERSION)),
    berTlv(FACE_TAG.MUNICIPALITY, ascii(person.municipality.code)),
    berTlv(FACE_TAG.KEY_BLOCK, keyBlock),
  );

  const numberSigned = concatBytes(
    berTlv(FACE_TAG.MY_NUMBER_IMAGE, encodePng(renderText(person.myNumber, MY_NUMBER_IMAGE_WIDTH))),
    berTlv(FACE_TAG.MY_NUMBER_PUBLIC_KEY, publicKeyTlvs),
  );
  const numberRecord = issuerSignedTlv(
    FACE_TAG.MY_NUMBER_RECORD,
    numberSigned,
    FACE_TAG.MY_NUMBER_SIGNATURE,
    content.issuerPrivateKey,
  );

  const aOrB = [FACE_EF.VERIFICATION_A, FACE_EF.VERIFICATION_B];
  return {
    kind: 'face',
    aid: AID.FACE,
    internalAuthenticationKey: content.cardPrivateKey,
    files: [
      { kind: 'binary', fid: FACE_EF.AGE, content: age, access: afterAnyOf(FACE_EF.BIRTH_DATE_KEY) },
      {
        kind: 'binary',
        fid: FACE_EF.CARD_FACE,
        content: padWithFiller(faceRecord, allocatedLength(faceRecord.length)),
        access: afterAnyOf(...aOrB),
      },
      { kind: 'binary', fid: FACE_EF.BASIC_DATA, content: basicData, access: FREE },
      { kind: 'binary', fid: FACE_EF.CV_CERTIFICATE, content: content.cvCertificate, access: FREE },
      {
        kind: 'binary',
        fid: FACE_EF.MY_NUMBER_IMAGE,
        content: numberRecord,
        access: afterAnyOf(FACE_EF.VERIFICATION_A),
      },
      {
        kind: 'binary',
        fid: FACE_EF.UNKNOWN,
        content: new Uint8Array(16).fill(0xff),
        access: afterAnyOf(...aOrB),
      },
      {
        kind: 'pin',
        fid: FACE_EF.BIRTH_DATE_KEY,
        format: PIN_FORMAT.SIX_DIGITS,
        value: content.birthDateKey,
        maxTries: FACE_KEY_TRIES,
        triesLeft: content.birthDateKeyTriesLeft ?? FACE_KEY_TRIES,
      },
      {
        kind: 'pin',
        fid: FACE_EF.VERIFICATION_B,
        format: PIN_FORMAT.FOURTEEN_DIGITS,
        value: content.verificationB,
        maxTries: FACE_KEY_TRIES,
        triesLeft: content.verificationBTriesLeft ?? FACE_KEY_TRIES,
      },
      {
        kind: 'pin',
        fid: FACE_EF.VERIFICATION_A,
        format: PIN_FORMAT.TWELVE_DIGITS,
        value: content.verificationA,
        maxTries: FACE_KEY_TRIES,
        triesLeft: content.verificationATriesLeft ?? FACE_KEY_TRIES,
      },
    ],
  };
}
