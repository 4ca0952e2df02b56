import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CardError } from '../transport/card-error.js';
import { bytesToHex, hexToBytes } from '../transport/hex.js';
import { type CommandApdu, decodeCommand, encodeCommand } from './command-apdu.js';

const header = { cla: 0x00, ins: 0xb0, p1: 0x00, p2: 0x00 };
const data = (length: number): Uint8Array => new Uint8Array(length).map((_, index) => index & 0xff);

describe('encodeCommand boundary table', () => {
  const cases: Array<[string, CommandApdu, string | RegExp]> = [
    ['case 1', header, '00B00000'],
    ['case 2S Le=1', { ...header, le: 1 }, '00B0000001'],
    ['case 2S Le=256 → 00', { ...header, le: 256 }, '00B0000000'],
    ['case 2E Le=257', { ...header, le: 257 }, '00B00000000101'],
    ['case 2E Le=65536 → 0000', { ...header, le: 65536 }, '00B00000000000'],
    ['case 3S Lc=1', { ...header, data: data(1) }, '00B000000100'],
    ['case 4S Lc=1 Le=256', { ...header, data: data(1), le: 256 }, '00B00000010000'],
    ['case 4E Lc=1 Le=257', { ...header, data: data(1), le: 257 }, '00B0000000000100' + '0101'],
    ['case 4E Lc=1 Le=65536', { ...header, data: data(1), le: 65536 }, '00B0000000000100' + '0000'],
  ];
  it.each(cases)('%s', (_name, apdu, expected) => {
    expect(bytesToHex(encodeCommand(apdu)).toUpperCase()).toBe(expected);
  });

  it('Lc=0 (empty data) is case 1, not an Lc byte of zero', () => {
    expect(encodeCommand({ ...header, data: new Uint8Array(0) })).toEqual(hexToBytes('00B00000'));
  });

  it('Lc=255 stays short, Lc=256 goes extended', () => {
    expect(encodeCommand({ ...header, data: data(255) })[4]).toBe(255);
    const extended = encodeCommand({ ...header, data: data(256) });
    expect(Array.from(extended.subarray(4, 7))).toEqual([0x00, 0x01, 0x00]);
    expect(extended.length).toBe(7 + 256);
  });

  it('Lc=65535 is the largest extended command', () => {
    const bytes = encodeCommand({ ...header, data: data(65535), le: 65536 });
    expect(bytes.length).toBe(4 + 3 + 65535 + 2);
    expect(decodeCommand(bytes).data.length).toBe(65535);
  });

  it('rejects illegal lengths with RangeError', () => {
    expect(() => encodeCommand({ ...header, data: data(65536) })).toThrow(RangeError);
    expect(() => encodeCommand({ ...header, le: 0 })).toThrow(RangeError);
    expect(() => encodeCommand({ ...header, le: 65537 })).toThrow(RangeError);
    expect(() => encodeCommand({ ...header, cla: 256 })).toThrow(RangeError);
    expect(() => encodeCommand({ ...header, le: 257 }, { extended: false })).toThrow(RangeError);
  });

  it('rejects wrong types with TypeError', () => {
    expect(() => encodeCommand({ ...header, data: [1, 2] as unknown as Uint8Array })).toThrow(TypeError);
    expect(() => encodeCommand({ ...header, ins: 1.5 })).toThrow(TypeError);
  });

  it('forces extended form when asked', () => {
    expect(bytesToHex(encodeCommand({ ...header, le: 1 }, { extended: true })).toUpperCase()).toBe(
      '00B00000000001',
    );
  });
});

describe('decodeCommand (strict)', () => {
  it.each([
    ['00A40000', 1, false, 0, undefined],
    ['00B0000000', 2, false, 0, 256],
    ['00B00000000000', 2, true, 0, 65536],
    ['00A4040C02AABB', 3, false, 2, undefined],
    ['00A4040C02AABB00', 4, false, 2, 256],
    ['00A4040C000002AABB', 3, true, 2, undefined],
    ['00A4040C000002AABB0101', 4, true, 2, 257],
  ])('%s → case %i', (hex, apduCase, extended, dataLength, le) => {
    const decoded = decodeCommand(hexToBytes(hex));
    expect(decoded.case).toBe(apduCase);
    expect(decoded.extended).toBe(extended);
    expect(decoded.data.length).toBe(dataLength);
    expect(decoded.le).toBe(le);
  });

  it.each([
    '',
    '00',
    '00A400',
    '00A4040C0000',
    '00A4040C03AABB',
    '00A4040C02AABB0000',
    '00A4040C0000000000',
    '00A4040C000003AABB',
  ])('rejects %s', (hex) => {
    let caught: unknown;
    try {
      decodeCommand(hexToBytes(hex));
    } catch (error) {
      caught = error;
    }
    expect(CardError.isInstance(caught, 'APDU_MALFORMED')).toBe(true);
    expect(typeof (caught as CardError).details.offset).toBe('number');
  });

  it('returns a zero-copy view of the data', () => {
    const bytes = hexToBytes('00A4040C02AABB');
    const decoded = decodeCommand(bytes);
    bytes[5] = 0x11;
    expect(decoded.data[0]).toBe(0x11);
  });
});

describe('codec properties', () => {
  const apduArbitrary = fc.record({
    cla: fc.integer({ min: 0, max: 255 }),
    ins: fc.integer({ min: 0, max: 255 }),
    p1: fc.integer({ min: 0, max: 255 }),
    p2: fc.integer({ min: 0, max: 255 }),
    data: fc.option(fc.uint8Array({ minLength: 1, maxLength: 600 }), { nil: undefined }),
    le: fc.option(fc.integer({ min: 1, max: 65536 }), { nil: undefined }),
  });

  it('encode → decode round-trips', () => {
    fc.assert(
      fc.property(apduArbitrary, fc.boolean(), (apdu, forceExtended) => {
        const command: CommandApdu = {
          cla: apdu.cla,
          ins: apdu.ins,
          p1: apdu.p1,
          p2: apdu.p2,
          ...(apdu.data ? { data: apdu.data } : {}),
          ...(apdu.le ? { le: apdu.le } : {}),
        };
        const decoded = decodeCommand(encodeCommand(command, { extended: forceExtended ? true : 'auto' }));
        expect(decoded.cla).toBe(command.cla);
        expect(decoded.ins).toBe(command.ins);
        expect(decoded.p1).toBe(command.p1);
        expect(decoded.p2).toBe(command.p2);
        expect(Array.from(decoded.data)).toEqual(Array.from(command.data ?? []));
        expect(decoded.le).toBe(command.le);
      }),
      { numRuns: 2000 },
    );
  });

  it('random bytes decode or fail with APDU_MALFORMED, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          const decoded = decodeCommand(bytes);
          // Anything accepted must re-encode to the same bytes (strictness).
          expect(bytesToHex(encodeCommand(decoded, { extended: decoded.extended }))).toBe(bytesToHex(bytes));
        } catch (error) {
          expect(CardError.isInstance(error, 'APDU_MALFORMED')).toBe(true);
        }
      }),
      { numRuns: 5000 },
    );
  });
});
