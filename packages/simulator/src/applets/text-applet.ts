/**
 * Builds the 券面事項入力補助AP (text AP, jpki-card.md §4): EF 0001 個人番号 (17 bytes with
 * filler), EF 0002 基本4情報 with the DF21 offset table, EF 0003 integrity record signed by the
 * card-issuer key, EF 0004 CV certificate, EF 0005 basic info (DF41 byte 2 = extended-length
 * support), EF 0006/0007 the AP key, EF 0008 filler, keys 0011–0015 with the §5.3 access matrix.
 *
 * Signed spans (the simulator's documented choices where the public sources stop): the integrity
 * signature covers the DF31 ‖ DF32 TLVs; EF 0007's DF52 covers the DF51 TLV. Both are
 * RSASSA-PKCS1-v1_5 / SHA-256 by the issuer key certified in EF 0004.
 *
 * @example
 * ```ts
 * const text = buildTextApplet({ person, issuerPrivateKey, issuerKeyId, cvCertificate, apKey, … });
 * ```
 */

import type { KeyObject } from 'node:crypto';
import { TEXT_TAG as CORE_TEXT_TAG } from '@kakunin/core/jpki';
import { concatBytes } from '@kakunin/core/transport';
import { afterAnyOf, FREE } from '../card/access-rule.js';
import type { ApplicationSpec } from '../card/card-file.js';
import { AID, TEXT_EF } from '../card/card-identifiers.js';
import { PIN_FORMAT } from '../card/pin-format.js';
import { sha256 } from '../card/rsa-signature.js';
import { berLength, berTlv, padWithFiller } from '../encoding/ber-tlv-writer.js';
import { textApSexCode } from '../person/synthetic-person.js';
import { SeededRandom } from '../pki/seeded-random.js';
import { allocatedLength, type CardInfoApContent, issuerSignedTlv, specInfoTlv } from './card-info-ap.js';
import { rsaPublicKeyTlvs } from './rsa-public-key-tlv.js';

/**
 * Tags of the text AP files (jpki-card.md §4): core's, plus the files only the card side writes.
 *
 * @example
 * ```ts
 * findTlv(basicFourValue, TEXT_TAG.NAME);
 * ```
 */
export const TEXT_TAG = {
  // The tags a reader parses are core's (its text AP parser): one table for both sides.
  ...CORE_TEXT_TAG,
  BASIC_INFO: 0xff40,
  SPEC_INFO: 0xdf41,
  KEY_ID: 0xdf42,
  UNKNOWN_128: 0xdf43,
  SESSION_KEY: 0xa1,
  AUTH_PUBLIC_KEY: 0xff50,
  AUTH_KEY_VALUE: 0xdf51,
  AUTH_KEY_SIGNATURE: 0xdf52,
} as const;
/** Filler after the 12 digits of EF 0001 (jpki-card.md §4: 17 bytes in all). */
const MY_NUMBER_FILLER = Uint8Array.of(0xff, 0xff);
/** DF41 byte 0: the text AP's spec version (the rest: {@link specInfoTlv}). */
const SPEC_VERSION = 0x01;
/** 照合番号A/B retry limit: unsettled on real cards (jpki-card.md §8); 10 as [SOL] hints. */
export const VERIFICATION_NUMBER_TRIES = 10;
export const TEXT_PIN_TRIES = 3;

export interface TextAppletContent extends CardInfoApContent {
  /** The AP's own key (0013 internal authentication; public half in 0006/0007). */
  readonly apPrivateKey: KeyObject;
  readonly apPublicKey: KeyObject;
  /** `null`: issued without a card-info PIN (顔認証マイナンバーカード). */
  readonly pin: string | null;
  readonly pinTriesLeft?: number;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * EF 0001: `FF 10 0C` + 12 ASCII digits + `FF FF`.
 *
 * @example
 * ```ts
 * encodeMyNumberFile('123456789018'); // FF 10 0C 31 32 … 38 FF FF
 * ```
 */
export function encodeMyNumberFile(myNumber: string): Uint8Array {
  return concatBytes(berTlv(TEXT_TAG.MY_NUMBER, utf8(myNumber)), MY_NUMBER_FILLER);
}

/**
 * `FF 20` { DF21 offset table, children… } where each offset points from the start of the file
 * to one child (jpki-card.md §4; the byte-exact [SOL] example `FF 20 65 DF 21 08 00 0E …`).
 * Returns the TLV and the offset of the first child after DF21.
 */
export function encodeOffsetTableRecord(
  outerTag: number,
  children: readonly Uint8Array[],
): { readonly tlv: Uint8Array; readonly firstChildOffset: number } {
  const offsetTableLength = 3 + 2 * children.length;
  const valueLength = offsetTableLength + children.reduce((sum, child) => sum + child.length, 0);
  const headerLength = 2 + berLength(valueLength).length;
  const offsets = new Uint8Array(2 * children.length);
  let position = headerLength + offsetTableLength;
  children.forEach((child, index) => {
    offsets[2 * index] = position >> 8;
    offsets[2 * index + 1] = position & 0xff;
    position += child.length;
  });
  const tlv = berTlv(outerTag, berTlv(TEXT_TAG.OFFSETS, offsets), ...children);
  return { tlv, firstChildOffset: headerLength + offsetTableLength };
}

/** The text AP. */
export function buildTextApplet(content: TextAppletContent): ApplicationSpec {
  const { person } = content;
  const myNumberFile = encodeMyNumberFile(person.myNumber);
  const basicFour = encodeOffsetTableRecord(TEXT_TAG.BASIC_FOUR, [
    berTlv(TEXT_TAG.NAME, utf8(person.name)),
    berTlv(TEXT_TAG.ADDRESS, utf8(person.address)),
    berTlv(TEXT_TAG.BIRTH_DATE, utf8(person.birthDate)),
    berTlv(TEXT_TAG.SEX, utf8(textApSexCode(person.sex))),
  ]);
  const digests = concatBytes(
    berTlv(TEXT_TAG.MY_NUMBER_DIGEST, sha256(myNumberFile)),
    berTlv(TEXT_TAG.BASIC_FOUR_DIGEST, sha256(basicFour.tlv.subarray(basicFour.firstChildOffset))),
  );
  const integrity = issuerSignedTlv(
    TEXT_TAG.INTEGRITY,
    digests,
    TEXT_TAG.INTEGRITY_SIGNATURE,
    content.issuerPrivateKey,
  );
  const basicInfo = berTlv(
    TEXT_TAG.BASIC_INFO,
    specInfoTlv(TEXT_TAG.SPEC_INFO, SPEC_VERSION, content.extendedLength),
    berTlv(TEXT_TAG.KEY_ID, content.issuerKeyId),
    berTlv(TEXT_TAG.UNKNOWN_128, new SeededRandom(content.seed, 'text-ap-df43').bytes(128)),
  );
  const apKeyTlvs = rsaPublicKeyTlvs(content.apPublicKey);
  const authKeyValue = berTlv(TEXT_TAG.AUTH_KEY_VALUE, apKeyTlvs);
  const authPublicKey = issuerSignedTlv(
    TEXT_TAG.AUTH_PUBLIC_KEY,
    authKeyValue,
    TEXT_TAG.AUTH_KEY_SIGNATURE,
    content.issuerPrivateKey,
  );
  const pinOrA = [TEXT_EF.PIN, TEXT_EF.VERIFICATION_A];
  const pinOrB = [TEXT_EF.PIN, TEXT_EF.VERIFICATION_B];
  const any = [TEXT_EF.PIN, TEXT_EF.VERIFICATION_A, TEXT_EF.VERIFICATION_B];
  return {
    kind: 'text',
    aid: AID.TEXT,
    internalAuthenticationKey: content.apPrivateKey,
    files: [
      { kind: 'binary', fid: TEXT_EF.MY_NUMBER, content: myNumberFile, access: afterAnyOf(...pinOrA) },
      {
        kind: 'binary',
        fid: TEXT_EF.BASIC_FOUR,
        content: padWithFiller(basicFour.tlv, allocatedLength(basicFour.tlv.length)),
        access: afterAnyOf(...pinOrB),
      },
      { kind: 'binary', fid: TEXT_EF.INTEGRITY, content: integrity, access: afterAnyOf(...any) },
      { kind: 'binary', fid: TEXT_EF.CV_CERTIFICATE, content: content.cvCertificate, access: FREE },
      { kind: 'binary', fid: TEXT_EF.BASIC_INFO, content: basicInfo, access: FREE },
      {
        kind: 'binary',
        fid: TEXT_EF.SESSION_KEY,
        content: berTlv(TEXT_TAG.SESSION_KEY, apKeyTlvs),
        access: afterAnyOf(...any),
      },
      { kind: 'binary', fid: TEXT_EF.AUTH_PUBLIC_KEY, content: authPublicKey, access: afterAnyOf(...any) },
      { kind: 'binary', fid: TEXT_EF.UNKNOWN, content: new Uint8Array(16).fill(0xff), access: FREE },
      {
        kind: 'pin',
        fid: TEXT_EF.PIN,
        format: PIN_FORMAT.FOUR_DIGITS,
        value: content.pin,
        maxTries: TEXT_PIN_TRIES,
        triesLeft: content.pinTriesLeft ?? TEXT_PIN_TRIES,
        ...(content.pin === null ? { notSet: true } : {}),
      },
      {
        kind: 'pin',
        fid: TEXT_EF.BLOCKED_KEY,
        format: PIN_FORMAT.FOUR_DIGITS,
        value: null,
        maxTries: TEXT_PIN_TRIES,
        triesLeft: 0,
      },
      { kind: 'key', fid: TEXT_EF.AUTH_KEY, privateKey: content.apPrivateKey, unlockedBy: null },
      {
        kind: 'pin',
        fid: TEXT_EF.VERIFICATION_A,
        format: PIN_FORMAT.TWELVE_DIGITS,
        value: content.verificationA,
        maxTries: VERIFICATION_NUMBER_TRIES,
        triesLeft: content.verificationATriesLeft ?? VERIFICATION_NUMBER_TRIES,
      },
      {
        kind: 'pin',
        fid: TEXT_EF.VERIFICATION_B,
        format: PIN_FORMAT.FOURTEEN_DIGITS,
        value: content.verificationB,
        maxTries: VERIFICATION_NUMBER_TRIES,
        triesLeft: content.verificationBTriesLeft ?? VERIFICATION_NUMBER_TRIES,
      },
    ],
  };
}
