import { createPublicKey } from 'node:crypto';
import { TlvCursor } from '@kakunin/core/iso7816';
import { describe, expect, it } from 'vitest';
import { AID, TEXT_EF } from '../card/card-identifiers.js';
import { sha256 } from '../card/rsa-signature.js';
import { verifyPkcs1Sha256 } from '../pki/cv-certificate.js';
import {
  innerValue,
  poweredCard,
  profile,
  readWhole,
  selectAid,
  send,
  verify,
} from '../test-support/fixtures.js';
import { TEXT_TAG } from './text-applet.js';

async function readTextAp() {
  const card = poweredCard();
  await send(card, selectAid(AID.TEXT));
  await send(card, verify(profile().credentials.cardInfoPin, 0x80 | TEXT_EF.PIN));
  const files: Record<string, Uint8Array> = {};
  for (const [name, fid] of Object.entries(TEXT_EF)) {
    const result = await readWhole(card, fid);
    if (result.sw === 0x9000) files[name] = result.bytes;
  }
  return files;
}

function publicKeyFromCv(body: Uint8Array) {
  const cursor = new TlvCursor(body, 32, body.length);
  let e: Uint8Array | undefined;
  let n: Uint8Array | undefined;
  while (cursor.next()) {
    if (cursor.tag === 0x90) e = cursor.value();
    if (cursor.tag === 0x91) n = cursor.value();
  }
  return createPublicKey({
    key: { kty: 'RSA', e: Buffer.from(e!).toString('base64url'), n: Buffer.from(n!).toString('base64url') },
    format: 'jwk',
  });
}

describe('券面事項入力補助AP files (jpki-card.md §4)', () => {
  it('EF 0001: 17 bytes = FF 10 0C + 12 digits + FF FF', async () => {
    const { MY_NUMBER } = await readTextAp();
    const person = profile().person;
    expect(MY_NUMBER!.length).toBe(17);
    expect([...MY_NUMBER!.subarray(0, 3)]).toEqual([0xff, 0x10, 0x0c]);
    expect(new TextDecoder().decode(MY_NUMBER!.subarray(3, 15))).toBe(person.myNumber);
    expect([...MY_NUMBER!.subarray(15)]).toEqual([0xff, 0xff]);
  });

  it('EF 0002: FF 20 with a DF21 offset table that points at DF22…DF25, then FF filler', async () => {
    const { BASIC_FOUR } = await readTextAp();
    const file = BASIC_FOUR!;
    const person = profile().person;
    const outer = new TlvCursor(file, 0, file.length, { filler: true });
    expect(outer.next()).toBe(true);
    expect(outer.tag).toBe(0xff20);
    expect(file.subarray(outer.valueEnd).every((byte) => byte === 0xff)).toBe(true);
    const fields = new TlvCursor(file, outer.valueStart, outer.valueEnd);
    const seen = new Map<number, { offset: number; value: Uint8Array }>();
    while (fields.next()) seen.set(fields.tag, { offset: fields.tagOffset, value: fields.value() });
    const table = seen.get(0xdf21)!.value;
    expect(table.length).toBe(8);
    [0xdf22, 0xdf23, 0xdf24, 0xdf25].forEach((tag, index) => {
      expect((table[2 * index]! << 8) | table[2 * index + 1]!).toBe(seen.get(tag)!.offset);
    });
    const text = (tag: number) => new TextDecoder().decode(seen.get(tag)!.value);
    expect(text(0xdf22)).toBe(person.name);
    expect(text(0xdf23)).toBe(person.address);
    expect(text(0xdf24)).toBe(person.birthDate);
    expect(['1', '2', '9']).toContain(text(0xdf25));
    // Characters outside JIS X 0208 survive in UTF-8.
    expect(person.name).toMatch(/[髙﨑𠮷]/u);
  });

  it('EF 0003 integrity record (336 bytes) verifies with the key certified by the CV certificate in EF 0004', async () => {
    const { MY_NUMBER, BASIC_FOUR, INTEGRITY, CV_CERTIFICATE } = await readTextAp();
    const pki = profile().pki;
    expect(INTEGRITY!.length).toBe(336);
    expect([...INTEGRITY!.subarray(0, 5)]).toEqual([0xff, 0x30, 0x82, 0x01, 0x4b]);
    // EF 0004: 568 bytes, 7F21 { 5F4E body, 5F37 signature by the CV root }.
    expect(CV_CERTIFICATE!.length).toBe(568);
    expect([...CV_CERTIFICATE!.subarray(0, 5)]).toEqual([0x7f, 0x21, 0x82, 0x02, 0x33]);
    const bodyTlv = CV_CERTIFICATE!.subarray(5, 5 + 5 + 0x129);
    const body = innerValue(CV_CERTIFICATE!, 0x7f21, 0x5f4e)!;
    const cvSignature = innerValue(CV_CERTIFICATE!, 0x7f21, 0x5f37)!;
    expect(verifyPkcs1Sha256(pki.cardIssuer.rootPublicKey, bodyTlv, cvSignature)).toBe(true);
    expect([...body.subarray(0, 16)]).toEqual([...pki.cardIssuer.rootKeyId]);
    const issuerKey = publicKeyFromCv(body);
    // DF31 = SHA-256(EF 0001 as stored), DF32 = SHA-256(DF22…DF25), DF33 over DF31 ‖ DF32.
    const record = INTEGRITY!;
    expect([...innerValue(record, 0xff30, TEXT_TAG.MY_NUMBER_DIGEST)!]).toEqual([...sha256(MY_NUMBER!)]);
    const outer = new TlvCursor(BASIC_FOUR!, 0, BASIC_FOUR!.length, { filler: true });
    outer.next();
    const afterOffsets = outer.valueStart + 3 + 8;
    expect([...innerValue(record, 0xff30, TEXT_TAG.BASIC_FOUR_DIGEST)!]).toEqual([
      ...sha256(BASIC_FOUR!.subarray(afterOffsets, outer.valueEnd)),
    ]);
    const signed = record.subarray(5, 5 + 35 + 35);
    const signature = innerValue(record, 0xff30, TEXT_TAG.INTEGRITY_SIGNATURE)!;
    expect(verifyPkcs1Sha256(issuerKey, signed, signature)).toBe(true);
    // A tampered basic-four digest no longer verifies.
    const tampered = signed.slice();
    tampered[40]! ^= 1;
    expect(verifyPkcs1Sha256(issuerKey, tampered, signature)).toBe(false);
  });

  it('EF 0005 basic info: FF 40 { DF41 01 03 0E 01, DF42 key ID, DF43 128 bytes }', async () => {
    const { BASIC_INFO } = await readTextAp();
    expect([...innerValue(BASIC_INFO!, 0xff40, 0xdf41)!]).toEqual([0x01, 0x03, 0x0e, 0x01]);
    expect([...innerValue(BASIC_INFO!, 0xff40, 0xdf42)!]).toEqual([...profile().pki.cardIssuer.keyId]);
    expect(innerValue(BASIC_INFO!, 0xff40, 0xdf43)!.length).toBe(128);
  });

  it('EF 0007: the AP key (DF51) signed by the issuer key (DF52); EF 0006 carries the same key under A1', async () => {
    const { AUTH_PUBLIC_KEY, SESSION_KEY } = await readTextAp();
    expect([...AUTH_PUBLIC_KEY!.subarray(0, 5)]).toEqual([0xff, 0x50, 0x82, 0x02, 0x13]);
    const keyTlv = AUTH_PUBLIC_KEY!.subarray(5, 5 + 270);
    const signature = innerValue(AUTH_PUBLIC_KEY!, 0xff50, 0xdf52)!;
    expect(verifyPkcs1Sha256(profile().pki.cardIssuer.publicKey, keyTlv, signature)).toBe(true);
    expect(SESSION_KEY![0]).toBe(0xa1);
  });

  it('EF 0008 is 16 × FF', async () => {
    const { UNKNOWN } = await readTextAp();
    expect([...UNKNOWN!]).toEqual(new Array(16).fill(0xff));
  });
});
