import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { VirtualCardEndpoint } from '../../card-endpoint.js';
import {
  apdu,
  poweredCard,
  profile,
  readBinary,
  readWhole,
  selectAid,
  selectEf,
  send,
  verify,
} from '../../test-support/fixtures.js';
import { AID, COMMON_EF, FACE_EF, JPKI_EF, TEXT_EF } from '../card-identifiers.js';

async function readEf(card: VirtualCardEndpoint, aid: Uint8Array, fid: number): Promise<number> {
  await send(card, selectAid(aid));
  await send(card, selectEf(fid));
  return (await send(card, readBinary(0, 1))).sw;
}

describe('READ BINARY (jpki-card.md §9, §11)', () => {
  it('reads by offset in 256-byte chunks and returns exactly the certificates', async () => {
    const card = poweredCard();
    const plastic = profile();
    await send(card, selectAid(AID.JPKI));
    const auth = await readWhole(card, JPKI_EF.AUTH_CERTIFICATE);
    expect(Buffer.from(auth.bytes).equals(Buffer.from(plastic.authCertificate.certificate))).toBe(true);
    expect(new X509Certificate(auth.bytes).subject).toContain('CN=');
    const authCa = await readWhole(card, JPKI_EF.AUTH_CA_CERTIFICATE);
    expect(Buffer.from(authCa.bytes).equals(Buffer.from(plastic.pki.authCa.certificate))).toBe(true);
    const signCa = await readWhole(card, JPKI_EF.SIGN_CA_CERTIFICATE);
    expect(Buffer.from(signCa.bytes).equals(Buffer.from(plastic.pki.signCa.certificate))).toBe(true);
  });

  it('end of file: partial chunk → data + 62 82; offset at/after the end → 6B 00', async () => {
    const card = poweredCard();
    await send(card, selectAid(AID.JPKI));
    await send(card, selectEf(JPKI_EF.CERTIFICATE_AVAILABILITY));
    expect(await send(card, readBinary(0, 3))).toMatchObject({ sw: 0x9000 });
    const partial = await send(card, readBinary(1, 256));
    expect(partial.sw).toBe(0x6282);
    expect([...partial.data]).toEqual([0x8f, 0x00]);
    expect((await send(card, readBinary(3, 1))).sw).toBe(0x6b00);
    expect((await send(card, readBinary(0x7fff, 1))).sw).toBe(0x6b00);
  });

  it('reads by SFI (P1 = 80|SFI, offset in P2) and makes that EF current', async () => {
    const card = poweredCard();
    await send(card, selectAid(AID.JPKI));
    const bySfi = await send(card, apdu(0x00, 0xb0, 0x80 | JPKI_EF.TOKEN_INFO, 0x00, undefined, 32));
    expect(bySfi.sw).toBe(0x9000);
    expect(new TextDecoder().decode(bySfi.data).trimEnd()).toBe('JPKIAPICCTOKEN2');
    const next = await send(card, readBinary(32, 32)); // same EF is now current
    expect(new TextDecoder().decode(next.data).trim()).toBe('00000000000000000000000000000001');
    expect((await send(card, apdu(0x00, 0xb0, 0x80 | 0x1e, 0, undefined, 1))).sw).toBe(0x6a82);
    expect((await send(card, apdu(0x00, 0xb0, 0xa0 | 0x06, 0, undefined, 1))).sw).toBe(0x6a86);
    expect((await send(card, apdu(0x00, 0xb0, 0x80, 0, undefined, 1))).sw).toBe(0x6a86);
  });

  it('extended Le reads a whole certificate in one command (card and profile support it)', async () => {
    const card = poweredCard();
    await send(card, selectAid(AID.JPKI));
    const whole = await send(
      card,
      apdu(0x00, 0xb0, 0x80 | JPKI_EF.AUTH_CERTIFICATE, 0, undefined, 65536, true),
    );
    expect(whole.sw).toBe(0x6282); // Le 65536 > file size
    expect(whole.data.length).toBe(profile().authCertificate.certificate.length);
  });

  it('with extended length disabled, extended APDUs answer 67 00 and DF41 says unsupported', async () => {
    const card = poweredCard('plastic', { extendedLength: false });
    await send(card, selectAid(AID.JPKI));
    expect((await send(card, apdu(0x00, 0xb0, 0x8a, 0, undefined, 65536, true))).sw).toBe(0x6700);
    expect((await send(card, apdu(0x00, 0xb0, 0x8a, 0, undefined, 256))).sw).toBe(0x9000);
    await send(card, selectAid(AID.TEXT));
    const info = await send(card, apdu(0x00, 0xb0, 0x80 | TEXT_EF.BASIC_INFO, 0, undefined, 256));
    expect([...info.data.subarray(0, 9)]).toEqual([0xff, 0x40, 0x81, 0x9e, 0xdf, 0x41, 0x04, 0x01, 0x00]);
    const supported = poweredCard();
    await send(supported, selectAid(AID.TEXT));
    const supportedInfo = await send(
      supported,
      apdu(0x00, 0xb0, 0x80 | TEXT_EF.BASIC_INFO, 0, undefined, 16),
    );
    expect(supportedInfo.data[8]).toBe(0x03);
  });

  it('rejects READ BINARY with data, without Le, without a current EF, and on key EFs', async () => {
    const card = poweredCard();
    expect((await send(card, readBinary(0, 1))).sw).toBe(0x6986);
    await send(card, selectAid(AID.JPKI));
    expect((await send(card, readBinary(0, 1))).sw).toBe(0x6986);
    await send(card, selectEf(JPKI_EF.TOKEN_INFO));
    expect((await send(card, '00B00000')).sw).toBe(0x6700);
    expect((await send(card, '00B000000101')).sw).toBe(0x6700);
    await send(card, selectEf(JPKI_EF.AUTH_PIN));
    expect((await send(card, readBinary(0, 1))).sw).toBe(0x6981);
    await send(card, selectEf(JPKI_EF.AUTH_KEY));
    expect((await send(card, readBinary(0, 1))).sw).toBe(0x6981);
  });
});

describe('access rules of every EF (jpki-card.md §3.1, §5.3)', () => {
  /** [application, EF, credentials that open it] — everything else must answer 69 82. */
  type Row = readonly [string, Uint8Array, number, readonly string[]];
  const rows: readonly Row[] = [
    ['jpki', AID.JPKI, JPKI_EF.SIGN_CERTIFICATE, ['sign']],
    ['jpki', AID.JPKI, JPKI_EF.SIGN_CA_CERTIFICATE, ['free']],
    ['jpki', AID.JPKI, JPKI_EF.TOKEN_INFO, ['free']],
    ['jpki', AID.JPKI, JPKI_EF.CERTIFICATE_AVAILABILITY, ['free']],
    ['jpki', AID.JPKI, JPKI_EF.UNKNOWN_PROTECTED, []],
    ['jpki', AID.JPKI, JPKI_EF.AUTH_CERTIFICATE, ['free']],
    ['jpki', AID.JPKI, JPKI_EF.AUTH_CA_CERTIFICATE, ['free']],
    ['text', AID.TEXT, TEXT_EF.MY_NUMBER, ['pin', 'a']],
    ['text', AID.TEXT, TEXT_EF.BASIC_FOUR, ['pin', 'b']],
    ['text', AID.TEXT, TEXT_EF.INTEGRITY, ['pin', 'a', 'b']],
    ['text', AID.TEXT, TEXT_EF.CV_CERTIFICATE, ['free']],
    ['text', AID.TEXT, TEXT_EF.BASIC_INFO, ['free']],
    ['text', AID.TEXT, TEXT_EF.SESSION_KEY, ['pin', 'a', 'b']],
    ['text', AID.TEXT, TEXT_EF.AUTH_PUBLIC_KEY, ['pin', 'a', 'b']],
    ['text', AID.TEXT, TEXT_EF.UNKNOWN, ['free']],
    ['face', AID.FACE, FACE_EF.AGE, ['birth']],
    ['face', AID.FACE, FACE_EF.CARD_FACE, ['a', 'b']],
    ['face', AID.FACE, FACE_EF.BASIC_DATA, ['free']],
    ['face', AID.FACE, FACE_EF.CV_CERTIFICATE, ['free']],
    ['face', AID.FACE, FACE_EF.MY_NUMBER_IMAGE, ['a']],
    ['face', AID.FACE, FACE_EF.UNKNOWN, ['a', 'b']],
  ];
  const plastic = () => profile();
  const credentialFor = (application: string, credential: string): [number, string] | undefined => {
    const c = plastic().credentials;
    const table: Record<string, Record<string, [number, string]>> = {
      jpki: { auth: [JPKI_EF.AUTH_PIN, c.authPin], sign: [JPKI_EF.SIGN_PIN, c.signPassword!] },
      text: {
        pin: [TEXT_EF.PIN, c.cardInfoPin],
        a: [TEXT_EF.VERIFICATION_A, c.verificationNumberA],
        b: [TEXT_EF.VERIFICATION_B, c.verificationNumberB],
      },
      face: {
        birth: [FACE_EF.BIRTH_DATE_KEY, c.birthDateKey],
        a: [FACE_EF.VERIFICATION_A, c.verificationNumberA],
        b: [FACE_EF.VERIFICATION_B, c.verificationNumberB],
      },
    };
    return table[application]?.[credential];
  };
  const credentialsOf: Record<string, readonly string[]> = {
    jpki: ['auth', 'sign'],
    text: ['pin', 'a', 'b'],
    face: ['birth', 'a', 'b'],
  };

  it.each(rows)('%s EF %#', async (application, aid, fid, opens) => {
    // Without any credential.
    expect(await readEf(poweredCard(), aid, fid)).toBe(opens.includes('free') ? 0x9000 : 0x6982);
    // With each credential alone, on a fresh card.
    for (const credential of credentialsOf[application]!) {
      const card = poweredCard();
      const [pinFid, value] = credentialFor(application, credential)!;
      await send(card, selectAid(aid));
      expect((await send(card, verify(value, 0x80 | pinFid))).sw).toBe(0x9000);
      const expected = opens.includes('free') || opens.includes(credential) ? 0x9000 : 0x6982;
      expect(await readEf(card, aid, fid), `${credential} on EF ${fid.toString(16)}`).toBe(expected);
    }
  });

  it('android: EF 000A needs the auth PIN; plastic: free', async () => {
    const android = poweredCard('android');
    expect(await readEf(android, AID.JPKI, JPKI_EF.AUTH_CERTIFICATE)).toBe(0x6982);
    await send(android, verify('1234', 0x80 | JPKI_EF.AUTH_PIN));
    expect(await readEf(android, AID.JPKI, JPKI_EF.AUTH_CERTIFICATE)).toBe(0x9000);
    const token = await send(android, apdu(0x00, 0xb0, 0x86, 0, undefined, 32));
    expect(new TextDecoder().decode(token.data).trimEnd()).toBe('JPKIAPGPSETOKEN');
  });

  it('共通AP EF 0001 is a record EF: READ RECORD by SFI and on the current EF', async () => {
    const card = poweredCard();
    const person = profile().person;
    await send(card, selectAid(AID.COMMON));
    const record = await send(card, '00B2010C00');
    expect(record.sw).toBe(0x9000);
    expect(record.data[0]).toBe(0x01);
    expect(record.data[1]).toBe(28);
    expect(new TextDecoder().decode(record.data.subarray(2))).toBe(
      person.cardSerial + person.municipality.code + person.cardExpiresOn,
    );
    await send(card, selectEf(COMMON_EF.CARD_RECORD));
    expect((await send(card, '00B2010400')).sw).toBe(0x9000);
    expect((await send(card, '00B2020400')).sw).toBe(0x6a83);
    expect((await send(card, '00B2010410')).sw).toBe(0x6c1e);
    expect((await send(card, '00B2010500')).sw).toBe(0x6a86);
    expect((await send(card, readBinary(0, 1))).sw).toBe(0x6981);
  });
});
