import { constants, publicDecrypt } from 'node:crypto';
import { TlvCursor } from '@kakunin/core/iso7816';
import { describe, expect, it } from 'vitest';
import { AID, FACE_EF } from '../card/card-identifiers.js';
import { sha256 } from '../card/rsa-signature.js';
import { eraYymmdd } from '../person/japanese-era.js';
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
import { decodePng } from '../test-support/png-decoder.js';
import { FACE_TAG, multiDigestInfo } from './face-applet.js';

async function readFace(credential: 'a' | 'birth') {
  const card = poweredCard();
  const c = profile().credentials;
  await send(card, selectAid(AID.FACE));
  if (credential === 'a') await send(card, verify(c.verificationNumberA, 0x80 | FACE_EF.VERIFICATION_A));
  else await send(card, verify(c.birthDateKey, 0x80 | FACE_EF.BIRTH_DATE_KEY));
  const files: Record<string, Uint8Array> = {};
  for (const [name, fid] of Object.entries(FACE_EF)) {
    const result = await readWhole(card, fid);
    if (result.sw === 0x9000) files[name] = result.bytes;
  }
  return files;
}

/** The TLVs inside FF20 with their byte spans. */
function faceFields(file: Uint8Array) {
  const outer = new TlvCursor(file, 0, file.length, { filler: true });
  outer.next();
  const cursor = new TlvCursor(file, outer.valueStart, outer.valueEnd);
  const fields = new Map<number, { start: number; end: number; value: Uint8Array }>();
  while (cursor.next())
    fields.set(cursor.tag, { start: cursor.tagOffset, end: cursor.valueEnd, value: cursor.value() });
  return fields;
}

describe('券面事項確認AP files (jpki-card.md §5)', () => {
  it('EF 0002: DF21 offsets, birth, sex, images, JP2 photo, expiry, security code', async () => {
    const { CARD_FACE } = await readFace('a');
    const person = profile().person;
    const fields = faceFields(CARD_FACE!);
    const table = fields.get(0xdf21)!.value;
    const tags = [0xdf22, 0xdf23, 0xdf24, 0xdf25, 0xdf26, 0xdf27, 0xdf28, 0xdf29, 0xdf2a];
    expect(table.length).toBe(2 * tags.length);
    tags.forEach((tag, index) => {
      expect((table[2 * index]! << 8) | table[2 * index + 1]!).toBe(fields.get(tag)!.start);
    });
    const text = (tag: number) => new TextDecoder().decode(fields.get(tag)!.value);
    expect(text(0xdf22)).toBe(person.birthDate);
    expect(text(0xdf29)).toBe(person.cardExpiresOn);
    for (const tag of [0xdf25, 0xdf26]) {
      const png = decodePng(fields.get(tag)!.value);
      expect(png).toMatchObject({ bitDepth: 1, colourType: 0, height: 12 });
    }
    expect(decodePng(fields.get(0xdf2a)!.value)).toMatchObject({ width: 24, height: 12, bitDepth: 1 });
    // JP2: signature box, ftyp 'jp2 ', jp2h (ihdr greyscale), jp2c codestream SOC … EOC.
    const photo = fields.get(0xdf27)!.value;
    expect([...photo.subarray(0, 12)]).toEqual([0, 0, 0, 12, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a]);
    const boxes: string[] = [];
    for (let offset = 0; offset < photo.length; ) {
      const length = new DataView(photo.buffer, photo.byteOffset + offset).getUint32(0);
      boxes.push(new TextDecoder().decode(photo.subarray(offset + 4, offset + 8)));
      if (boxes.at(-1) === 'jp2c') {
        const codestream = photo.subarray(offset + 8, offset + length);
        expect([...codestream.subarray(0, 2)]).toEqual([0xff, 0x4f]);
        expect([...codestream.subarray(-2)]).toEqual([0xff, 0xd9]);
      }
      offset += length;
    }
    expect(boxes).toEqual(['jP  ', 'ftyp', 'jp2h', 'jp2c']);
  });

  it('DF28 signs three SHA-256 digests (DF22–24, DF25–26, DF27) and not DF29/DF2A', async () => {
    const { CARD_FACE } = await readFace('a');
    const file = CARD_FACE!;
    const fields = faceFields(file);
    const span = (from: number, to: number) => file.subarray(fields.get(from)!.start, fields.get(to)!.end);
    const expected = multiDigestInfo(
      sha256(span(0xdf22, 0xdf24)),
      sha256(span(0xdf25, 0xdf26)),
      sha256(span(0xdf27, 0xdf27)),
    );
    const recovered = publicDecrypt(
      { key: profile().pki.cardIssuer.publicKey, padding: constants.RSA_PKCS1_PADDING },
      fields.get(FACE_TAG.SIGNATURE)!.value,
    );
    expect(Buffer.from(recovered).equals(Buffer.from(expected))).toBe(true);
  });

  it('EF 0001 age record (birth-date key) and EF 0005 rendered number (照合番号A) are issuer-signed', async () => {
    const birth = await readFace('birth');
    const age = birth.AGE!;
    expect([...age.subarray(0, 5)]).toEqual([0xff, 0x10, 0x82, 0x02, 0x1e]);
    expect(new TextDecoder().decode(innerValue(age, 0xff10, 0xdf11)!)).toBe(profile().person.birthDate);
    const issuer = profile().pki.cardIssuer.publicKey;
    expect(verifyPkcs1Sha256(issuer, age.subarray(5, 5 + 11 + 270), innerValue(age, 0xff10, 0xdf13)!)).toBe(
      true,
    );
    const { MY_NUMBER_IMAGE } = await readFace('a');
    const image = innerValue(MY_NUMBER_IMAGE!, 0xff40, 0xdf41)!;
    expect(decodePng(image)).toMatchObject({ width: 72, height: 12, bitDepth: 1 });
    const outer = new TlvCursor(MY_NUMBER_IMAGE!, 0, MY_NUMBER_IMAGE!.length);
    outer.next();
    const inner = new TlvCursor(MY_NUMBER_IMAGE!, outer.valueStart, outer.valueEnd);
    let signedEnd = 0;
    while (inner.next()) if (inner.tag === 0xdf42) signedEnd = inner.valueEnd;
    expect(
      verifyPkcs1Sha256(
        issuer,
        MY_NUMBER_IMAGE!.subarray(outer.valueStart, signedEnd),
        innerValue(MY_NUMBER_IMAGE!, 0xff40, 0xdf43)!,
      ),
    ).toBe(true);
  });

  it('EF 0003 basic data: DF31 06 03 0E 01, municipality code; EF 0004 = the text AP’s CV certificate', async () => {
    const { BASIC_DATA, CV_CERTIFICATE } = await readFace('a');
    expect([...innerValue(BASIC_DATA!, 0xff30, 0xdf31)!]).toEqual([0x06, 0x03, 0x0e, 0x01]);
    expect(new TextDecoder().decode(innerValue(BASIC_DATA!, 0xff30, 0xdf34)!)).toBe(
      profile().person.municipality.code,
    );
    expect(innerValue(BASIC_DATA!, 0xff30, 0xdf35)!.length).toBe(16 + 256);
    expect(Buffer.from(CV_CERTIFICATE!).equals(Buffer.from(profile().pki.cardIssuer.cvCertificate))).toBe(
      true,
    );
  });

  it('credentials: the birth-date key is the era YYMMDD; 照合番号B = era YYMMDD + expiry year + security code', () => {
    const { person, credentials } = profile();
    expect(credentials.birthDateKey).toBe(eraYymmdd(person.birthDate));
    expect(credentials.verificationNumberB).toBe(
      eraYymmdd(person.birthDate) + person.cardExpiresOn.slice(0, 4) + person.securityCode,
    );
    expect(credentials.verificationNumberA).toBe(person.myNumber);
  });
});
