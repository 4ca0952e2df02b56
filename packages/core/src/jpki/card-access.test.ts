import { describe, expect, it } from 'vitest';
import { CardSession } from '../iso7816/card-session.js';
import { ScriptedTransport } from '../test-support/scripted-transport.js';
import { CardAccess } from './card-access.js';
import { AID, JPKI_EF } from './constants.js';

/** A 600-byte DER object: 30 82 02 54 + 596 bytes. */
const OBJECT = Uint8Array.from({ length: 600 }, (_, index) =>
  index === 0 ? 0x30 : index === 1 ? 0x82 : index === 2 ? 0x02 : index === 3 ? 0x54 : index & 0xff,
);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const SELECT_JPKI = '00A4040C0AD392F000260100000001';

describe('CardAccess: the card’s response cap (issue 14, seen 2)', () => {
  it('learns the cap from the first 6C xx and sizes every later chunk from it', async () => {
    const transport = new ScriptedTransport([
      { expect: SELECT_JPKI, respond: '9000' },
      { expect: '00B08A0000', respond: '6CE0' },
      { expect: '00B08A00E0', respond: `${hex(OBJECT.subarray(0, 224))}9000` },
      { expect: '00B000E0E0', respond: `${hex(OBJECT.subarray(224, 448))}9000` },
      { expect: '00B001C098', respond: `${hex(OBJECT.subarray(448))}9000` },
      // A second file on the same connection starts at the cap: no 6C xx any more.
      { expect: '00B08B00E0', respond: `${hex(OBJECT.subarray(0, 224))}9000` },
      { expect: '00B000E0E0', respond: `${hex(OBJECT.subarray(224, 448))}9000` },
      { expect: '00B001C098', respond: `${hex(OBJECT.subarray(448))}9000` },
    ]);
    const reader = new CardAccess(new CardSession(transport));
    expect(await reader.readObject(AID.JPKI, JPKI_EF.AUTH_CERTIFICATE)).toEqual(OBJECT);
    expect(reader.facts.responseCap).toBe(224);
    expect(await reader.readObject(AID.JPKI, JPKI_EF.AUTH_CA_CERTIFICATE)).toEqual(OBJECT);
    expect(transport.remaining).toBe(0);
  });

  it('an end-of-file 6C xx (fewer bytes left than asked) is not taken for a cap', async () => {
    const small = OBJECT.slice(0, 40);
    small[2] = 0x00;
    small[3] = 0x24; // 30 82 00 24: 40 bytes in all
    const object = OBJECT.slice(0, 344);
    object[2] = 0x01;
    object[3] = 0x54; // 344 bytes in all
    const transport = new ScriptedTransport([
      { expect: SELECT_JPKI, respond: '9000' },
      { expect: '00B0860000', respond: '6C28' },
      { expect: '00B0860028', respond: `${hex(small)}9000` },
      { expect: '00B08A0000', respond: `${hex(object.subarray(0, 256))}9000` },
      { expect: '00B0010058', respond: `${hex(object.subarray(256))}9000` },
    ]);
    const reader = new CardAccess(new CardSession(transport));
    expect(await reader.readObject(AID.JPKI, JPKI_EF.TOKEN_INFO)).toEqual(small);
    expect(reader.facts.responseCap).toBeUndefined();
    expect(await reader.readObject(AID.JPKI, JPKI_EF.AUTH_CERTIFICATE)).toEqual(object);
    expect(transport.remaining).toBe(0);
  });

  it('a cap smaller than the BER header: reads on until the header parses', async () => {
    const transport = new ScriptedTransport([
      { expect: SELECT_JPKI, respond: '9000' },
      { expect: '00B08A0000', respond: '6C02' },
      { expect: '00B08A0002', respond: '30829000' },
      { expect: '00B0000204', respond: '6C02' },
      { expect: '00B0000202', respond: '00039000' },
      { expect: '00B0000402', respond: '01029000' },
      { expect: '00B0000601', respond: '039000' },
    ]);
    const reader = new CardAccess(new CardSession(transport));
    expect(Array.from(await reader.readObject(AID.JPKI, JPKI_EF.AUTH_CERTIFICATE))).toEqual([
      0x30, 0x82, 0x00, 0x03, 0x01, 0x02, 0x03,
    ]);
    expect(reader.facts.responseCap).toBe(2);
  });
});
