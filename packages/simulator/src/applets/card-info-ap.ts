/**
 * What the two card-info APs (券面事項入力補助AP, text; 券面事項確認AP, face) share: content from
 * the same card issuer (its key, key id and CV certificate, jpki-card.md §4–§5), the 照合番号 A/B
 * with their counters, records signed by the issuer, the spec-info bytes, and files allocated in
 * 256-byte units.
 *
 * @example
 * ```ts
 * const integrity = issuerSignedTlv(TEXT_TAG.INTEGRITY, digests, TEXT_TAG.INTEGRITY_SIGNATURE, issuerKey);
 * padWithFiller(record, allocatedLength(record.length));
 * ```
 */
import type { KeyObject } from 'node:crypto';
import { sha256, sha256DigestInfo, signPkcs1 } from '../card/rsa-signature.js';
import { berTlv } from '../encoding/ber-tlv-writer.js';
import type { SyntheticPerson } from '../person/synthetic-person.js';

/** The content fields both card-info APs take. */
export interface CardInfoApContent {
  readonly person: SyntheticPerson;
  readonly issuerPrivateKey: KeyObject;
  readonly issuerKeyId: Uint8Array;
  readonly cvCertificate: Uint8Array;
  readonly extendedLength: boolean;
  readonly verificationA: string;
  readonly verificationB: string;
  readonly verificationATriesLeft?: number;
  readonly verificationBTriesLeft?: number;
  readonly seed: string;
}

/** Allocation granularity of the variable-length files; the rest is `FF` filler. */
const ALLOCATION_UNIT = 256;

/** The allocated size of a file holding `length` bytes (at least one filler byte after them). */
export function allocatedLength(length: number): number {
  return Math.ceil((length + 1) / ALLOCATION_UNIT) * ALLOCATION_UNIT;
}

/** `tag { signed ‖ signatureTag { RSA PKCS#1 v1.5 SHA-256 signature of signed by the issuer } }`. */
export function issuerSignedTlv(
  tag: number,
  signed: Uint8Array,
  signatureTag: number,
  issuerPrivateKey: KeyObject,
): Uint8Array {
  return berTlv(
    tag,
    signed,
    berTlv(signatureTag, signPkcs1(issuerPrivateKey, sha256DigestInfo(sha256(signed)))),
  );
}

/** Spec-info byte 2: extended Lc/Le supported (03, observed) or not (00) (jpki-card.md §4, §5.1). */
const EXTENDED_LENGTH_SUPPORTED = 0x03;
const EXTENDED_LENGTH_UNSUPPORTED = 0x00;
/** Spec-info bytes 3–4: vendor `0E 01` on both APs. */
const VENDOR_ID = 0x0e;
const VENDOR_BYTE = 0x01;

/**
 * A spec-info TLV (text AP DF41 `01 03 0E 01`, face AP DF31 `06 03 0E 01`): the AP's spec version,
 * extended-length support, vendor.
 */
export function specInfoTlv(tag: number, specVersion: number, extendedLength: boolean): Uint8Array {
  return berTlv(
    tag,
    Uint8Array.of(
      specVersion,
      extendedLength ? EXTENDED_LENGTH_SUPPORTED : EXTENDED_LENGTH_UNSUPPORTED,
      VENDOR_ID,
      VENDOR_BYTE,
    ),
  );
}
