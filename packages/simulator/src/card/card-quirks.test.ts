import { describe, expect, it } from 'vitest';
import {
  apdu,
  poweredCard,
  readBinary,
  selectAid,
  selectEf,
  send,
  verify,
} from '../test-support/fixtures.js';
import { AID, JPKI_EF } from './card-identifiers.js';

describe('field behaviours (CardQuirks), each off by default', () => {
  it('T=0-style: an answer with data becomes 61 xx; 00 C0 hands it out; 80 C0 is refused', async () => {
    const card = poweredCard('plastic', { quirks: { getResponse: {} } });
    expect((await send(card, selectAid(AID.JPKI))).sw).toBe(0x9000); // no data: no 61 xx
    const first = await send(card, apdu(0x00, 0xb0, 0x86, 0x00, undefined, 32));
    expect(first.sw).toBe(0x6120);
    expect(first.data.length).toBe(0);
    const fetched = await send(card, '00C0000020');
    expect(fetched.sw).toBe(0x9000);
    expect(new TextDecoder().decode(fetched.data).trim()).toBe('JPKIAPICCTOKEN2');
    // Proprietary class: 6D 00 by default, and what was pending is dropped.
    await send(card, apdu(0x00, 0xb0, 0x86, 0x00, undefined, 32));
    expect((await send(card, '80C0000020')).sw).toBe(0x6d00);
    expect((await send(card, '00C0000020')).sw).toBe(0x6985);
  });

  it('T=0-style in pieces smaller than what remains; 6E 00 variant for a proprietary class', async () => {
    const card = poweredCard('plastic', {
      quirks: { getResponse: { piece: 10, proprietaryClassSw: 0x6e00 } },
    });
    await send(card, selectAid(AID.JPKI));
    expect((await send(card, apdu(0x00, 0xb0, 0x86, 0x00, undefined, 32))).sw).toBe(0x610a);
    const pieces: number[] = [];
    let answer = await send(card, '00C000000A');
    pieces.push(answer.data.length);
    while (answer.sw !== 0x9000) {
      expect(answer.sw & 0xff00).toBe(0x6100);
      answer = await send(card, `00C00000${(answer.sw & 0xff).toString(16).padStart(2, '0')}`);
      pieces.push(answer.data.length);
    }
    expect(pieces).toEqual([10, 10, 10, 2]);
    await send(card, apdu(0x00, 0xb0, 0x86, 0x00, undefined, 32));
    expect((await send(card, '80C000000A')).sw).toBe(0x6e00);
  });

  it('response cap 1..256: READ BINARY with a larger Le answers 6C cap (6C 00 for 256)', async () => {
    for (const cap of [1, 100, 224, 255, 256]) {
      const card = poweredCard('plastic', { quirks: { responseCap: cap } });
      await send(card, selectAid(AID.JPKI));
      await send(card, selectEf(JPKI_EF.AUTH_CERTIFICATE));
      if (cap < 256) expect((await send(card, readBinary(0, cap + 1))).sw).toBe(0x6c00 | (cap & 0xff));
      const exact = await send(card, readBinary(0, cap));
      expect(exact.sw).toBe(0x9000);
      expect(exact.data.length).toBe(cap);
    }
    const card = poweredCard('plastic', { quirks: { responseCap: 256 } });
    await send(card, selectAid(AID.JPKI));
    await send(card, selectEf(JPKI_EF.AUTH_CERTIFICATE));
    expect((await send(card, readBinary(0, 1000, true))).sw).toBe(0x6c00);
  });

  it('end of file: data + 62 82 by default, 6C xx with the bytes left as a variant', async () => {
    const plain = poweredCard();
    await send(plain, selectAid(AID.JPKI));
    await send(plain, selectEf(JPKI_EF.TOKEN_INFO));
    const tail = await send(plain, readBinary(0, 256));
    expect(tail.sw).toBe(0x6282);
    const card = poweredCard('plastic', { quirks: { endOfFile: 'wrong-le' } });
    await send(card, selectAid(AID.JPKI));
    await send(card, selectEf(JPKI_EF.TOKEN_INFO));
    expect((await send(card, readBinary(0, 256))).sw).toBe(0x6c00 | tail.data.length);
  });

  it('empty VERIFY right after a correct PIN answers 90 00 (variant), 63 C3 by default', async () => {
    for (const quirk of [false, true]) {
      const card = poweredCard('plastic', { quirks: { emptyVerifyAnswers9000WhenVerified: quirk } });
      await send(card, selectAid(AID.JPKI));
      expect((await send(card, verify(undefined, 0x98))).sw).toBe(0x63c3);
      expect((await send(card, verify('1234', 0x98))).sw).toBe(0x9000);
      expect((await send(card, verify(undefined, 0x98))).sw).toBe(quirk ? 0x9000 : 0x63c3);
    }
  });

  it('00 A4 00 00 answers 6A 86 after a cold reset (MF level), 90 00 inside a DF', async () => {
    const card = poweredCard();
    expect((await send(card, '00A40000')).sw).toBe(0x6a86);
    await send(card, selectAid(AID.JPKI));
    expect((await send(card, '00A40000')).sw).toBe(0x9000);
    card.powerOff();
    card.powerOn();
    expect((await send(card, '00A40000')).sw).toBe(0x6a86);
  });
});
