import fc from 'fast-check';
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
} from '../test-support/fixtures.js';
import { AID, JPKI_EF } from './card-identifiers.js';
import { VirtualMyNumberCard } from './virtual-my-number-card.js';

describe('class byte and instruction checks (jpki-card.md §8, §9)', () => {
  it('logical channels other than 0 → 68 81 (CLA 01–03 and the further interindustry class)', async () => {
    const card = poweredCard();
    for (const cla of [0x01, 0x02, 0x03, 0x40, 0x41, 0x60]) {
      expect((await send(card, apdu(cla, 0xa4, 0x04, 0x0c, AID.JPKI))).sw).toBe(0x6881);
    }
  });

  it('secure-messaging CLA: 68 82 on SELECT, 69 FC on READ BINARY and VERIFY', async () => {
    const card = poweredCard();
    expect((await send(card, apdu(0x0c, 0xa4, 0x04, 0x0c, AID.JPKI))).sw).toBe(0x6882);
    expect((await send(card, apdu(0x08, 0xa4, 0x04, 0x0c, AID.JPKI))).sw).toBe(0x6882);
    await send(card, selectAid(AID.JPKI));
    await send(card, selectEf(JPKI_EF.TOKEN_INFO));
    expect((await send(card, apdu(0x0c, 0xb0, 0x00, 0x00, undefined, 4))).sw).toBe(0x69fc);
    expect((await send(card, apdu(0x0c, 0x20, 0x00, 0x98))).sw).toBe(0x69fc);
    expect((await send(card, apdu(0x8c, 0x2a, 0x00, 0x97, Uint8Array.of(1), 256))).sw).toBe(0x6882);
  });

  it('chaining 68 84, CLA FF / unknown class 6E 00, unknown INS 6D 00, malformed 67 00, 80 FC 67 00', async () => {
    const card = poweredCard();
    expect((await send(card, apdu(0x10, 0xa4, 0x04, 0x0c, AID.JPKI))).sw).toBe(0x6884);
    expect((await send(card, 'FFA4040C')).sw).toBe(0x6e00);
    expect((await send(card, 'E0A4040C')).sw).toBe(0x6e00);
    expect((await send(card, '00FE0000')).sw).toBe(0x6d00);
    expect((await send(card, '80B0000000')).sw).toBe(0x6d00);
    expect((await send(card, '00A4040C0AD392')).sw).toBe(0x6700); // Lc says 10, 2 bytes follow
    expect((await send(card, '00B0')).sw).toBe(0x6700); // shorter than a header
    expect((await send(card, '00B000000000')).sw).toBe(0x6700); // extended marker without length
    expect((await send(card, '80FC0000')).sw).toBe(0x6700);
    expect((await send(card, '00880080020102')).sw).toBe(0x6982);
  });

  it('an unpowered card answers 6F 00 to everything', async () => {
    const card = new VirtualMyNumberCard(profile().image);
    expect((await send(card, selectAid(AID.JPKI))).sw).toBe(0x6f00);
    card.powerOn();
    expect((await send(card, selectAid(AID.JPKI))).sw).toBe(0x9000);
  });

  it('warm reset clears the selection; power-on returns the ATR', async () => {
    const card = poweredCard();
    await send(card, selectAid(AID.JPKI));
    await send(card, selectEf(JPKI_EF.TOKEN_INFO));
    expect([...card.warmReset()]).toEqual([...card.atr]);
    expect((await send(card, readBinary(0, 1))).sw).toBe(0x6986);
  });

  it('optional quirk: the first command after a cold reset answers 6F 00 (jpki-card.md §13)', async () => {
    const card = poweredCard('plastic', { firstCommandAfterColdReset6F00: true });
    expect((await send(card, selectAid(AID.JPKI))).sw).toBe(0x6f00);
    expect((await send(card, selectAid(AID.JPKI))).sw).toBe(0x9000);
    card.warmReset();
    expect((await send(card, selectAid(AID.JPKI))).sw).toBe(0x9000);
    card.powerOff();
    card.powerOn();
    expect((await send(card, selectAid(AID.JPKI))).sw).toBe(0x6f00);
  });

  it('property: random bytes never throw and always answer ≥ 2 bytes; PIN counters only fall by VERIFY', async () => {
    const card = poweredCard();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 0, maxLength: 300 }),
          // Well-formed headers with random bodies hit the handlers rather than the decoder.
          fc
            .tuple(
              fc.constantFrom(0x00, 0x80, 0x0c, 0x01),
              fc.constantFrom(0xa4, 0xb0, 0xb2, 0x20, 0x24, 0x2a, 0x84, 0xca, 0x88, 0xfc),
              fc.integer({ min: 0, max: 255 }),
              fc.integer({ min: 0, max: 255 }),
              fc.uint8Array({ maxLength: 40 }),
            )
            .map(([cla, ins, p1, p2, body]) => Uint8Array.of(cla, ins, p1, p2, ...body)),
        ),
        async (bytes) => {
          const response = await card.process(bytes);
          expect(response).toBeInstanceOf(Uint8Array);
          expect(response.length).toBeGreaterThanOrEqual(2);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('process() of a non-Uint8Array answers 6F 00 instead of throwing', async () => {
    const card = poweredCard();
    const response = await card.process('00A4' as unknown as Uint8Array);
    expect([...response]).toEqual([0x6f, 0x00]);
  });
});

describe('the damaged profile', () => {
  it('mute: every command answers 6F 00', async () => {
    const card = poweredCard('damaged');
    expect((await send(card, selectAid(AID.JPKI))).sw).toBe(0x6f00);
    expect((await send(card, '0084000008')).sw).toBe(0x6f00);
  });

  it('mute after some healthy commands', async () => {
    const card = poweredCard('damaged', { damage: { mode: 'mute', healthyCommands: 2 } });
    expect((await send(card, selectAid(AID.JPKI))).sw).toBe(0x9000);
    expect((await send(card, selectEf(JPKI_EF.TOKEN_INFO))).sw).toBe(0x9000);
    expect((await send(card, readBinary(0, 4))).sw).toBe(0x6f00);
  });

  it('stall: the answer never comes until power-off (then 6F 00)', async () => {
    const card = poweredCard('damaged', { damage: 'stall' });
    let settled = false;
    const pending = card.process(selectAid(AID.JPKI)).then((response) => {
      settled = true;
      return response;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(settled).toBe(false);
    card.powerOff();
    expect([...(await pending)]).toEqual([0x6f, 0x00]);
  });

  it('stall with stallMs: a slow chip that answers correctly', async () => {
    const card = poweredCard('damaged', { damage: { mode: 'stall', stallMs: 20 } });
    const started = performance.now();
    expect((await send(card, selectAid(AID.JPKI))).sw).toBe(0x9000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('garble: responses differ from a healthy card’s and never drop below 2 bytes', async () => {
    const healthy = poweredCard();
    const garbled = poweredCard('damaged', { damage: 'garble' });
    await send(healthy, selectAid(AID.JPKI));
    let differed = 0;
    for (let index = 0; index < 20; index++) {
      const a = await healthy.process(selectAid(AID.JPKI));
      const b = await garbled.process(selectAid(AID.JPKI));
      expect(b.length).toBeGreaterThanOrEqual(2);
      if (Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0) differed++;
    }
    expect(differed).toBe(20);
  });
});

describe('the expired profile', () => {
  it('carries certificates that expired at the 5th birthday after 2016-01-15', async () => {
    const expired = profile('expired');
    expect(expired.authCertificate.notBefore.toISOString()).toBe('2016-01-15T01:00:00.000Z');
    expect(expired.authCertificate.notAfter.getUTCFullYear()).toBeGreaterThanOrEqual(2020);
    expect(expired.authCertificate.notAfter.getUTCFullYear()).toBeLessThanOrEqual(2021);
    expect(expired.authCertificate.notAfter.toISOString().endsWith('T14:59:59.000Z')).toBe(true);
    expect(expired.signCertificate?.notAfter.getTime()).toBe(expired.authCertificate.notAfter.getTime());
    const card = new VirtualMyNumberCard(expired.image);
    card.powerOn();
    await send(card, selectAid(AID.JPKI));
    expect((await send(card, verify('1234', 0x98))).sw).toBe(0x9000);
  });
});
