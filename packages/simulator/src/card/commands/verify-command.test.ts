import { describe, expect, it } from 'vitest';
import {
  apdu,
  poweredCard,
  profile,
  readBinary,
  selectAid,
  selectEf,
  send,
  verify,
} from '../../test-support/fixtures.js';
import { AID, COMMON_EF, FACE_EF, JPKI_EF, TEXT_EF } from '../card-identifiers.js';
import { VirtualMyNumberCard } from '../virtual-my-number-card.js';

const change = (value: string, p2 = 0x80) => apdu(0x00, 0x24, 0x01, p2, new TextEncoder().encode(value));

/** [application, AID, key EF, credential, a wrong value of the right format, max tries]. */
const keys = () => {
  const c = profile().credentials;
  return [
    ['jpki', AID.JPKI, JPKI_EF.AUTH_PIN, c.authPin, '9999', 3],
    ['jpki', AID.JPKI, JPKI_EF.SIGN_PIN, c.signPassword!, 'WRONG1', 5],
    ['text', AID.TEXT, TEXT_EF.PIN, c.cardInfoPin, '9999', 3],
    ['text', AID.TEXT, TEXT_EF.VERIFICATION_A, c.verificationNumberA, '000000000000', 10],
    ['text', AID.TEXT, TEXT_EF.VERIFICATION_B, c.verificationNumberB, '00000000000000', 10],
    ['face', AID.FACE, FACE_EF.BIRTH_DATE_KEY, c.birthDateKey, '000000', 10],
    ['face', AID.FACE, FACE_EF.VERIFICATION_B, c.verificationNumberB, '00000000000000', 10],
    ['face', AID.FACE, FACE_EF.VERIFICATION_A, c.verificationNumberA, '000000000000', 10],
    ['common', AID.COMMON, COMMON_EF.RESIDENT_PIN, c.residentPin, '9999', 3],
  ] as const;
};

describe('VERIFY (jpki-card.md §8)', () => {
  it.each(keys())(
    '%s key %#: query, wrong tries, exhausting try 63 C0, then 69 84',
    async (application, aid, fid, right, wrong, max) => {
      const card = poweredCard();
      await send(card, selectAid(aid));
      await send(card, selectEf(fid));
      expect((await send(card, verify(undefined))).sw).toBe(0x63c0 | max);
      expect((await send(card, verify(undefined))).sw).toBe(0x63c0 | max); // the query spends nothing
      for (let left = max - 1; left >= 1; left--)
        expect((await send(card, verify(wrong))).sw).toBe(0x63c0 | left);
      expect((await send(card, verify(wrong))).sw).toBe(0x63c0); // the exhausting try
      expect((await send(card, verify(right))).sw).toBe(0x6984); // blocked: even the right value
      expect((await send(card, verify(wrong))).sw).toBe(0x6984);
      expect((await send(card, verify(undefined))).sw).toBe(0x63c0); // query on a blocked key
      expect(card.pinStatus(application, fid)).toMatchObject({
        triesLeft: 0,
        blocked: true,
        verified: false,
      });
    },
  );

  it.each(keys())(
    '%s key %#: a right value resets the counter and is kept until power-off',
    async (application, aid, fid, right, wrong, max) => {
      const card = poweredCard();
      await send(card, selectAid(aid));
      expect((await send(card, verify(wrong, 0x80 | fid))).sw).toBe(0x63c0 | (max - 1));
      expect((await send(card, verify(right, 0x80 | fid))).sw).toBe(0x9000);
      expect(card.pinStatus(application, fid)).toMatchObject({ triesLeft: max, verified: true });
      // The card never says "verified": the query still answers the counter (OpenSC PR #959).
      expect((await send(card, verify(undefined, 0x80 | fid))).sw).toBe(0x63c0 | max);
      card.warmReset();
      expect(card.pinStatus(application, fid)?.verified).toBe(true);
      card.powerOff();
      card.powerOn();
      expect(card.pinStatus(application, fid)?.verified).toBe(false);
      expect(card.pinStatus(application, fid)?.triesLeft).toBe(max);
    },
  );

  it('security state: survives warm reset and re-SELECT, lost on power-off (reading EF 0001 needs it)', async () => {
    const card = poweredCard();
    const readSign = async () => {
      await send(card, selectAid(AID.JPKI));
      await send(card, selectEf(JPKI_EF.SIGN_CERTIFICATE));
      return (await send(card, readBinary(0, 4))).sw;
    };
    expect(await readSign()).toBe(0x6982);
    await send(card, verify('KAKUNIN1', 0x80 | JPKI_EF.SIGN_PIN));
    expect(await readSign()).toBe(0x9000);
    await send(card, selectAid(AID.TEXT));
    expect(await readSign()).toBe(0x9000);
    card.warmReset();
    expect(await readSign()).toBe(0x9000);
    card.powerOff();
    card.powerOn();
    expect(await readSign()).toBe(0x6982);
  });

  it('a wrong try drops an earlier verification (fail closed)', async () => {
    const card = poweredCard();
    await send(card, selectAid(AID.JPKI));
    await send(card, verify('1234', 0x98));
    expect(card.pinStatus('jpki', JPKI_EF.AUTH_PIN)?.verified).toBe(true);
    await send(card, verify('0000', 0x98));
    expect(card.pinStatus('jpki', JPKI_EF.AUTH_PIN)?.verified).toBe(false);
  });

  it('counters are non-volatile: they survive power cycles', async () => {
    const card = poweredCard();
    await send(card, selectAid(AID.JPKI));
    await send(card, verify('0000', 0x98));
    card.powerOff();
    card.powerOn();
    await send(card, selectAid(AID.JPKI));
    expect((await send(card, verify(undefined, 0x98))).sw).toBe(0x63c2);
  });

  it('parameter errors: P1 ≠ 00 → 6A 86, unknown SFI → 6A 88, no current EF → 69 86, non-key EF → 6A 88, Le → 67 00', async () => {
    const card = poweredCard();
    await send(card, selectAid(AID.JPKI));
    expect((await send(card, apdu(0x00, 0x20, 0x01, 0x80))).sw).toBe(0x6a86);
    expect((await send(card, apdu(0x00, 0x20, 0x00, 0x00))).sw).toBe(0x6a86);
    expect((await send(card, apdu(0x00, 0x20, 0x00, 0xc0 | 0x18))).sw).toBe(0x6a86);
    expect((await send(card, verify(undefined, 0x80 | 0x1d))).sw).toBe(0x6a88);
    expect((await send(card, verify(undefined, 0x80))).sw).toBe(0x6986);
    await send(card, selectEf(JPKI_EF.TOKEN_INFO));
    expect((await send(card, verify(undefined, 0x80))).sw).toBe(0x6a88);
    expect((await send(card, '0020009800')).sw).toBe(0x6700);
    expect(card.pinStatus('jpki', JPKI_EF.AUTH_PIN)?.triesLeft).toBe(3);
  });

  it('text AP key 0012 is blocked on every card: query 63 C0, VERIFY 69 84', async () => {
    const card = poweredCard();
    await send(card, selectAid(AID.TEXT));
    expect((await send(card, verify(undefined, 0x80 | TEXT_EF.BLOCKED_KEY))).sw).toBe(0x63c0);
    expect((await send(card, verify('1234', 0x80 | TEXT_EF.BLOCKED_KEY))).sw).toBe(0x6984);
  });

  it('the blocked profile: auth PIN blocked, sign password fine', async () => {
    const card = poweredCard('blocked');
    await send(card, selectAid(AID.JPKI));
    expect((await send(card, verify(undefined, 0x98))).sw).toBe(0x63c0);
    expect((await send(card, verify('1234', 0x98))).sw).toBe(0x6984);
    expect((await send(card, verify(undefined, 0x9b))).sw).toBe(0x63c5);
  });

  it('each card built from one profile has its own counters', async () => {
    const image = profile().image;
    const a = new VirtualMyNumberCard(image);
    const b = new VirtualMyNumberCard(image);
    a.powerOn();
    b.powerOn();
    await send(a, selectAid(AID.JPKI));
    await send(a, verify('0000', 0x98));
    expect(a.pinStatus('jpki', JPKI_EF.AUTH_PIN)?.triesLeft).toBe(2);
    expect(b.pinStatus('jpki', JPKI_EF.AUTH_PIN)?.triesLeft).toBe(3);
  });
});

describe('CHANGE REFERENCE DATA 00 24 01 80 (jpki-card.md §8)', () => {
  it('changes the auth PIN after VERIFY; the old value stops working', async () => {
    const card = poweredCard();
    await send(card, selectAid(AID.JPKI));
    await send(card, selectEf(JPKI_EF.AUTH_PIN));
    expect((await send(card, change('5678'))).sw).toBe(0x6982); // not verified yet
    expect((await send(card, verify('1234'))).sw).toBe(0x9000);
    expect((await send(card, change('5678'))).sw).toBe(0x9000);
    card.powerOff();
    card.powerOn();
    await send(card, selectAid(AID.JPKI));
    expect((await send(card, verify('1234', 0x98))).sw).toBe(0x63c2);
    expect((await send(card, verify('5678', 0x98))).sw).toBe(0x9000);
  });

  it('refuses values that break the key format with 6A 80 and keeps the old one', async () => {
    const card = poweredCard();
    await send(card, selectAid(AID.JPKI));
    await send(card, verify('KAKUNIN1', 0x9b));
    for (const bad of ['short', 'lowercase1', 'ABCDEFGHIJKLMNOPQ', 'ABC-123']) {
      expect((await send(card, change(bad, 0x9b))).sw).toBe(0x6a80);
    }
    expect((await send(card, change('NEWPASS2', 0x9b))).sw).toBe(0x9000);
    await send(card, verify('1234', 0x98));
    expect((await send(card, change('12345', 0x98))).sw).toBe(0x6a80);
    expect((await send(card, change('12a4', 0x98))).sw).toBe(0x6a80);
    expect((await send(card, apdu(0x00, 0x24, 0x01, 0x98, Uint8Array.of(0x31, 0x32, 0x00, 0x34)))).sw).toBe(
      0x6a80,
    );
  });

  it('P1 ≠ 01 → 6A 86; no data → 67 00; blocked key → 69 84', async () => {
    const card = poweredCard('blocked');
    await send(card, selectAid(AID.JPKI));
    expect((await send(card, apdu(0x00, 0x24, 0x00, 0x98, new TextEncoder().encode('12345678')))).sw).toBe(
      0x6a86,
    );
    expect((await send(card, apdu(0x00, 0x24, 0x01, 0x98))).sw).toBe(0x6700);
    expect((await send(card, change('5678', 0x98))).sw).toBe(0x6984);
  });

  it('the text-AP PIN can be changed too', async () => {
    const card = poweredCard();
    await send(card, selectAid(AID.TEXT));
    await send(card, verify('1234', 0x80 | TEXT_EF.PIN));
    expect((await send(card, change('4321', 0x80 | TEXT_EF.PIN))).sw).toBe(0x9000);
    expect(card.pinStatus('text', TEXT_EF.PIN)?.verified).toBe(true);
  });
});
