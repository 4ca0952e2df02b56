import { describe, expect, it } from 'vitest';
import { apdu, poweredCard, readBinary, selectAid, selectEf, send } from '../../test-support/fixtures.js';
import { AID, JPKI_EF } from '../card-identifiers.js';

describe('SELECT (jpki-card.md §2, §9)', () => {
  it('selects each application by its full AID with P2 0C and P2 00', async () => {
    const card = poweredCard();
    for (const aid of [AID.JPKI, AID.TEXT, AID.FACE, AID.COMMON]) {
      expect((await send(card, selectAid(aid))).sw).toBe(0x9000);
      expect((await send(card, apdu(0x00, 0xa4, 0x04, 0x00, aid, 256))).sw).toBe(0x9000);
    }
  });

  it('matches DF-name prefixes like the real card (JICSAP), landing in the first matching DF', async () => {
    const card = poweredCard();
    expect((await send(card, selectAid(AID.JPKI.subarray(0, 5)))).sw).toBe(0x9000);
    // The prefix landed in the JPKI AP: its token EF is there.
    expect((await send(card, selectEf(JPKI_EF.TOKEN_INFO))).sw).toBe(0x9000);
    // A prefix shared by the text and face APs lands in the first of them (the text AP).
    expect((await send(card, selectAid(AID.TEXT.subarray(0, 9)))).sw).toBe(0x9000);
    expect((await send(card, selectEf(0x0014))).sw).toBe(0x9000); // 照合番号A exists only in the text AP
  });

  it('answers 6A 82 for unknown AIDs and longer-than-AID names, keeping the current DF', async () => {
    const card = poweredCard();
    await send(card, selectAid(AID.JPKI));
    expect(await send(card, selectAid(Uint8Array.of(0xa0, 0x00, 0x00, 0x00, 0x03)))).toMatchObject({
      sw: 0x6a82,
    });
    expect((await send(card, selectAid(Uint8Array.of(...AID.JPKI, 0x00)))).sw).toBe(0x6a82);
    expect((await send(card, selectEf(JPKI_EF.TOKEN_INFO))).sw).toBe(0x9000);
  });

  it('selects EFs under the current DF only; unknown FID → 6A 82', async () => {
    const card = poweredCard();
    expect((await send(card, selectEf(JPKI_EF.TOKEN_INFO))).sw).toBe(0x6a82); // MF level
    await send(card, selectAid(AID.JPKI));
    expect((await send(card, selectEf(JPKI_EF.TOKEN_INFO))).sw).toBe(0x9000);
    expect((await send(card, selectEf(0x1234))).sw).toBe(0x6a82);
    expect((await send(card, apdu(0x00, 0xa4, 0x02, 0x0c, Uint8Array.of(0x00)))).sw).toBe(0x6700);
  });

  it('00 A4 00 00 → 6A 86 at MF level, 90 00 without effect inside a DF; SELECT 3F00 → 6A 82', async () => {
    const card = poweredCard();
    expect((await send(card, '00A40000')).sw).toBe(0x6a86);
    await send(card, selectAid(AID.JPKI));
    await send(card, selectEf(JPKI_EF.TOKEN_INFO));
    expect((await send(card, '00A40000')).sw).toBe(0x9000);
    expect((await send(card, readBinary(0, 4))).sw).toBe(0x9000); // EF still current
    expect(await send(card, '00A400000 23F00'.replaceAll(' ', ''))).toMatchObject({ sw: 0x6a82 });
  });

  it('rejects other P1/P2 with 6A 86 and an empty DF name with 67 00', async () => {
    const card = poweredCard();
    expect((await send(card, apdu(0x00, 0xa4, 0x04, 0x04, AID.JPKI))).sw).toBe(0x6a86);
    expect((await send(card, apdu(0x00, 0xa4, 0x08, 0x0c, Uint8Array.of(0x3f, 0x00)))).sw).toBe(0x6a86);
    expect((await send(card, apdu(0x00, 0xa4, 0x04, 0x0c, undefined, 256))).sw).toBe(0x6700);
  });

  it('SELECT of the GP ISD restores the MF level (GET DATA answers again)', async () => {
    const card = poweredCard();
    expect((await send(card, '00CA5F5100')).sw).toBe(0x9000);
    await send(card, selectAid(AID.JPKI));
    expect((await send(card, '00CA5F5100')).sw).toBe(0x6a88);
    expect((await send(card, selectAid(AID.ISSUER_SECURITY_DOMAIN))).sw).toBe(0x9000);
    const atr = await send(card, '00CA5F5100');
    expect(atr.sw).toBe(0x9000);
    expect([...atr.data]).toEqual([...card.atr.subarray(1)]);
  });

  it('GET DATA: short Le below the object length → 6C xx; unknown tag → 6A 88', async () => {
    const card = poweredCard();
    expect((await send(card, '00CA5F5102')).sw).toBe(0x6c08);
    expect((await send(card, '00CA123400')).sw).toBe(0x6a88);
    const serial = await send(card, '00CA004500');
    expect(new TextDecoder().decode(serial.data)).toMatch(/^4[0-9]{14}$/);
  });

  it('the android token has only the JPKI AP', async () => {
    const card = poweredCard('android');
    expect((await send(card, selectAid(AID.JPKI))).sw).toBe(0x9000);
    for (const aid of [AID.TEXT, AID.FACE, AID.COMMON])
      expect((await send(card, selectAid(aid))).sw).toBe(0x6a82);
  });
});
