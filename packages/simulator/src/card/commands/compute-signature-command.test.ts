import {
  constants,
  createHash,
  createPublicKey,
  verify as cryptoVerify,
  publicDecrypt,
  X509Certificate,
} from 'node:crypto';
import { TlvCursor } from '@kakunin/core/iso7816';
import { describe, expect, it } from 'vitest';
import { FACE_TAG } from '../../applets/face-applet.js';
import { TEXT_TAG } from '../../applets/text-applet.js';
import {
  apdu,
  innerValue,
  poweredCard,
  profile,
  readWhole,
  selectAid,
  selectEf,
  send,
  verify,
} from '../../test-support/fixtures.js';
import { AID, FACE_EF, JPKI_EF, TEXT_EF } from '../card-identifiers.js';
import { sha256DigestInfo } from '../rsa-signature.js';

const message = new TextEncoder().encode('kakunin signature input');
const hash = new Uint8Array(createHash('sha256').update(message).digest());
const sign = (p1: number, p2: number, data: Uint8Array, le = 256) => apdu(0x80, 0x2a, p1, p2, data, le);

function publicKeyOf(certificate: Uint8Array) {
  return new X509Certificate(certificate).publicKey;
}

async function unlockedCard(pin: 'auth' | 'sign') {
  const card = poweredCard();
  await send(card, selectAid(AID.JPKI));
  await send(card, pin === 'auth' ? verify('1234', 0x98) : verify('KAKUNIN1', 0x9b));
  return card;
}

describe('COMPUTE DIGITAL SIGNATURE 80 2A (jpki-card.md §9, §10)', () => {
  it('P1 00 with a DigestInfo: PKCS#1 v1.5 that node:crypto verifies with the auth certificate', async () => {
    const card = await unlockedCard('auth');
    const answer = await send(card, sign(0x00, 0x97, sha256DigestInfo(hash)));
    expect(answer.sw).toBe(0x9000);
    expect(answer.data.length).toBe(256);
    expect(
      cryptoVerify('sha256', message, publicKeyOf(profile().authCertificate.certificate), answer.data),
    ).toBe(true);
  });

  it('P2 80 uses the key in the current EF (after SELECT 0017 / 001A)', async () => {
    const card = await unlockedCard('sign');
    await send(card, selectEf(JPKI_EF.SIGN_KEY));
    const answer = await send(card, sign(0x00, 0x80, sha256DigestInfo(hash)));
    expect(
      cryptoVerify('sha256', message, publicKeyOf(profile().signCertificate!.certificate), answer.data),
    ).toBe(true);
  });

  it('P1 01: hash then pad the bare hash', async () => {
    const card = await unlockedCard('auth');
    const answer = await send(card, sign(0x01, 0x97, message));
    const recovered = publicDecrypt(
      { key: publicKeyOf(profile().authCertificate.certificate), padding: constants.RSA_PKCS1_PADDING },
      answer.data,
    );
    expect(Buffer.from(recovered).equals(Buffer.from(hash))).toBe(true);
  });

  it('P1 02 (hash given) and 03 (message given) both wrap in a DigestInfo', async () => {
    const card = await unlockedCard('sign');
    const key = publicKeyOf(profile().signCertificate!.certificate);
    const two = await send(card, sign(0x02, 0x9a, hash));
    const three = await send(card, sign(0x03, 0x9a, message));
    expect(cryptoVerify('sha256', message, key, two.data)).toBe(true);
    expect(cryptoVerify('sha256', message, key, three.data)).toBe(true);
    expect(Buffer.from(two.data).equals(Buffer.from(three.data))).toBe(true); // PKCS#1 v1.5 is deterministic
  });

  it('P1 04 (hash given) and 05 (message given): RSASSA-PSS, SHA-256, salt 32', async () => {
    const card = await unlockedCard('auth');
    const key = publicKeyOf(profile().authCertificate.certificate);
    for (const [p1, input] of [
      [0x04, hash],
      [0x05, message],
    ] as const) {
      const answer = await send(card, sign(p1, 0x97, input));
      expect(answer.sw).toBe(0x9000);
      expect(
        cryptoVerify(
          'sha256',
          message,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
          answer.data,
        ),
      ).toBe(true);
    }
  });

  it('needs the key’s own PIN: 69 82 without it, and the auth PIN does not unlock the sign key', async () => {
    const card = poweredCard();
    await send(card, selectAid(AID.JPKI));
    expect((await send(card, sign(0x00, 0x97, sha256DigestInfo(hash)))).sw).toBe(0x6982);
    await send(card, verify('1234', 0x98));
    expect((await send(card, sign(0x00, 0x9a, sha256DigestInfo(hash)))).sw).toBe(0x6982);
    expect((await send(card, sign(0x00, 0x97, sha256DigestInfo(hash)))).sw).toBe(0x9000);
    card.powerOff();
    card.powerOn();
    await send(card, selectAid(AID.JPKI));
    expect((await send(card, sign(0x00, 0x97, sha256DigestInfo(hash)))).sw).toBe(0x6982);
  });

  it('status words for bad parameters and lengths', async () => {
    const card = await unlockedCard('auth');
    expect((await send(card, sign(0x06, 0x97, hash))).sw).toBe(0x6a86);
    expect((await send(card, sign(0x00, 0x00, hash))).sw).toBe(0x6a86);
    expect((await send(card, sign(0x00, 0x98, hash))).sw).toBe(0x6a88); // 0018 is a PIN, not a key
    expect((await send(card, sign(0x00, 0x9d, hash))).sw).toBe(0x6a88);
    expect((await send(card, sign(0x00, 0x80, hash))).sw).toBe(0x6986); // no current EF
    await send(card, selectEf(JPKI_EF.TOKEN_INFO));
    expect((await send(card, sign(0x00, 0x80, hash))).sw).toBe(0x6981);
    expect((await send(card, sign(0x02, 0x97, hash.subarray(0, 20)))).sw).toBe(0x6700);
    expect((await send(card, sign(0x04, 0x97, message))).sw).toBe(0x6700);
    expect((await send(card, sign(0x00, 0x97, new Uint8Array(246)))).sw).toBe(0x6700);
    expect((await send(card, sign(0x00, 0x97, hash, 128))).sw).toBe(0x6700);
    expect((await send(card, apdu(0x80, 0x2a, 0x00, 0x97, sha256DigestInfo(hash)))).sw).toBe(0x6700); // no Le
    expect((await send(card, apdu(0x00, 0x2a, 0x00, 0x97, sha256DigestInfo(hash), 256))).sw).toBe(0x6e00);
    expect((await send(card, apdu(0x80, 0x2a, 0x00, 0x97, undefined, 256))).sw).toBe(0x6700);
  });

  it('the child card has no sign key: 6A 88 / 6A 82', async () => {
    const card = poweredCard('child');
    await send(card, selectAid(AID.JPKI));
    expect((await send(card, sign(0x00, 0x9a, hash))).sw).toBe(0x6a88);
    expect((await send(card, selectEf(JPKI_EF.SIGN_KEY))).sw).toBe(0x6a82);
    expect((await send(card, selectEf(JPKI_EF.SIGN_CERTIFICATE))).sw).toBe(0x6a82);
    expect((await send(card, selectEf(JPKI_EF.SIGN_PIN))).sw).toBe(0x6a82);
    const availability = await readWhole(card, JPKI_EF.CERTIFICATE_AVAILABILITY);
    expect(availability.bytes[0]).not.toBe(0x8f);
    expect([...availability.bytes]).toEqual([0x00, 0x8f, 0x00]);
  });
});

describe('GET CHALLENGE and internal authentication of the 券面 APs (jpki-card.md §9)', () => {
  it('GET CHALLENGE: Le random bytes; extended Le → 69 85; bad P1/P2 → 6A 86; no Le → 67 00', async () => {
    const card = poweredCard();
    const first = await send(card, '0084000010');
    const second = await send(card, '0084000010');
    expect(first.sw).toBe(0x9000);
    expect(first.data.length).toBe(16);
    expect(Buffer.from(first.data).equals(Buffer.from(second.data))).toBe(false);
    expect((await send(card, '00840000000010')).sw).toBe(0x6985);
    expect((await send(card, '0084010008')).sw).toBe(0x6a86);
    expect((await send(card, '00840000')).sw).toBe(0x6700);
    expect((await send(card, '00840000')).data.length).toBe(0);
  });

  it('text AP: 80 2A 00 00 after GET CHALLENGE signs with the key published in EF 0007 (DF51)', async () => {
    const card = poweredCard();
    await send(card, selectAid(AID.TEXT));
    await send(card, verify(profile().credentials.cardInfoPin, 0x80 | TEXT_EF.PIN));
    const record = (await readWhole(card, TEXT_EF.AUTH_PUBLIC_KEY)).bytes;
    const keyTlvs = innerValue(record, TEXT_TAG.AUTH_PUBLIC_KEY, TEXT_TAG.AUTH_KEY_VALUE)!;
    const key = rsaKeyFromTlvs(keyTlvs);
    const challenge = (await send(card, '0084000010')).data;
    const digestInfo = sha256DigestInfo(new Uint8Array(createHash('sha256').update(challenge).digest()));
    const answer = await send(card, sign(0x00, 0x00, digestInfo));
    expect(answer.sw).toBe(0x9000);
    expect(cryptoVerify('sha256', challenge, key, answer.data)).toBe(true);
    // The challenge is consumed: a second signature needs a new one.
    expect((await send(card, sign(0x00, 0x00, digestInfo))).sw).toBe(0x6985);
  });

  it('face AP: internal authentication verifies with the card key of DF24; no PIN needed', async () => {
    const reader = poweredCard();
    await send(reader, selectAid(AID.FACE));
    await send(reader, verify(profile().credentials.verificationNumberA, 0x80 | FACE_EF.VERIFICATION_A));
    const face = (await readWhole(reader, FACE_EF.CARD_FACE)).bytes;
    const key = rsaKeyFromTlvs(innerValue(face, FACE_TAG.CARD_FACE, FACE_TAG.PUBLIC_KEY)!);
    const card = poweredCard();
    await send(card, selectAid(AID.FACE));
    const challenge = (await send(card, '0084000010')).data;
    const answer = await send(
      card,
      sign(0x00, 0x00, sha256DigestInfo(new Uint8Array(createHash('sha256').update(challenge).digest()))),
    );
    expect(cryptoVerify('sha256', challenge, key, answer.data)).toBe(true);
  });

  it('needs a challenge from the same AP (69 85), P1/P2 00 00 (6A 86)', async () => {
    const card = poweredCard();
    await send(card, '0084000010'); // challenge at MF level
    await send(card, selectAid(AID.FACE));
    expect((await send(card, sign(0x00, 0x00, hash))).sw).toBe(0x6985);
    await send(card, '0084000010');
    expect((await send(card, sign(0x01, 0x00, hash))).sw).toBe(0x6a86);
    await send(card, selectAid(AID.COMMON));
    expect((await send(card, sign(0x00, 0x00, hash))).sw).toBe(0x6a86);
  });
});

/** `90 e ‖ 91 n` (a TLV value) → public KeyObject. */
function rsaKeyFromTlvs(value: Uint8Array) {
  let exponent: Uint8Array | undefined;
  let modulus: Uint8Array | undefined;
  const cursor = new TlvCursor(value, 0, value.length);
  while (cursor.next()) {
    if (cursor.tag === 0x90) exponent = cursor.value();
    if (cursor.tag === 0x91) modulus = cursor.value();
  }
  return createPublicKey({
    key: {
      kty: 'RSA',
      n: Buffer.from(modulus!).toString('base64url'),
      e: Buffer.from(exponent!).toString('base64url'),
    },
    format: 'jwk',
  });
}
