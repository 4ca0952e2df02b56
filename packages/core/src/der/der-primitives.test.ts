import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CardError } from '../transport/card-error.js';
import { DerCursor } from './der-cursor.js';
import { decodeOid } from './der-oid.js';
import {
  bitStringBit,
  decodeBitString,
  decodeInteger,
  decodeSmallInteger,
  decodeUnsignedInteger,
} from './der-primitives.js';
import { decodeString } from './der-string.js';
import {
  TAG_BMP_STRING,
  TAG_GENERALIZED_TIME,
  TAG_UNIVERSAL_STRING,
  TAG_UTC_TIME,
  TAG_UTF8_STRING,
} from './der-tags.js';
import { decodeTime } from './der-time.js';
import {
  derBitString,
  derBoolean,
  derGeneralizedTime,
  derInteger,
  derOid,
  derUtcTime,
  derUtf8String,
} from './der-writer.js';

const bytesOf = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
const ascii = (text: string) => new TextEncoder().encode(text);

function code(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return CardError.isInstance(error) ? error.code : `untyped: ${String(error)}`;
  }
}

describe('DER primitives', () => {
  it('decodes and round-trips integers', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 300n), max: 1n << 300n }), (value) => {
        const tlv = derInteger(value);
        const cursor = new DerCursor(tlv);
        cursor.next();
        expect(cursor.integer()).toBe(value);
      }),
    );
    fc.assert(
      fc.property(fc.maxSafeInteger(), (value) => {
        const cursor = new DerCursor(derInteger(value));
        cursor.next();
        expect(cursor.smallInteger()).toBe(value);
      }),
    );
  });

  it.each(['', '0000', '007f', 'ff80', 'ffff'])('rejects non-minimal or empty INTEGER %s', (hex) => {
    const bytes = bytesOf(hex);
    expect(code(() => decodeInteger(bytes, 0, bytes.length))).toBe('DER_MALFORMED');
  });

  it('gives unsigned magnitudes and rejects negatives', () => {
    expect(decodeUnsignedInteger(bytesOf('0080'), 0, 2)).toEqual(bytesOf('80'));
    expect(decodeUnsignedInteger(bytesOf('00'), 0, 1)).toEqual(bytesOf('00'));
    expect(code(() => decodeUnsignedInteger(bytesOf('80'), 0, 1))).toBe('DER_MALFORMED');
    expect(code(() => decodeSmallInteger(bytesOf('0100000000000000'), 0, 8))).toBe('DER_MALFORMED');
  });

  it('decodes booleans strictly', () => {
    const t = new DerCursor(derBoolean(true));
    t.next();
    expect(t.boolean()).toBe(true);
    expect(code(() => new DerCursor(bytesOf('010101')).read(0x01).boolean())).toBe('DER_MALFORMED');
    expect(code(() => new DerCursor(bytesOf('0102ffff')).read(0x01).boolean())).toBe('DER_MALFORMED');
  });

  it('round-trips OIDs and rejects non-minimal ones', () => {
    const arcs = fc.tuple(
      fc.constantFrom(0, 1, 2),
      fc.nat({ max: 39 }),
      fc.array(fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 1n << 80n })), { maxLength: 8 }),
    );
    fc.assert(
      fc.property(arcs, ([first, second, rest]) => {
        const dotted = [first, second, ...rest].join('.');
        const cursor = new DerCursor(derOid(dotted));
        cursor.next();
        expect(cursor.oid()).toBe(dotted);
      }),
    );
    expect(decodeOid(bytesOf('883703'), 0, 3)).toBe('2.999.3');
    expect(code(() => decodeOid(bytesOf('2a8001'), 0, 3))).toBe('DER_MALFORMED');
    expect(code(() => decodeOid(bytesOf('2a86'), 0, 2))).toBe('DER_MALFORMED');
    expect(code(() => decodeOid(bytesOf(''), 0, 0))).toBe('DER_MALFORMED');
  });

  it('decodes bit strings and named bits', () => {
    const cursor = new DerCursor(derBitString(bytesOf('86'), 1));
    cursor.next();
    const bits = cursor.bitString();
    expect(bits.unusedBits).toBe(1);
    expect([0, 1, 2, 5, 6, 7].map((index) => bitStringBit(bits, index))).toEqual([
      true,
      false,
      false,
      true,
      true,
      false,
    ]);
    expect(code(() => decodeBitString(bytesOf('0187'), 0, 2))).toBe('DER_MALFORMED');
    expect(code(() => decodeBitString(bytesOf('08ff'), 0, 2))).toBe('DER_MALFORMED');
    expect(code(() => decodeBitString(bytesOf('01'), 0, 1))).toBe('DER_MALFORMED');
    expect(code(() => decodeBitString(bytesOf(''), 0, 0))).toBe('DER_MALFORMED');
  });

  it('decodes times to the second and round-trips the writer', () => {
    const at = (text: string, tag: number) => decodeTime(tag, ascii(text), 0, text.length);
    expect(at('330715145959Z', TAG_UTC_TIME)).toBe(Date.parse('2033-07-15T14:59:59Z'));
    expect(at('500101000000Z', TAG_UTC_TIME)).toBe(Date.parse('1950-01-01T00:00:00Z'));
    expect(at('491231235959Z', TAG_UTC_TIME)).toBe(Date.parse('2049-12-31T23:59:59Z'));
    expect(at('20240229000000Z', TAG_GENERALIZED_TIME)).toBe(Date.parse('2024-02-29T00:00:00Z'));
    expect(at('00010101000000Z', TAG_GENERALIZED_TIME)).toBe(
      Date.UTC(2001, 0, 1) - 2000 * 365.2425 * 86_400_000,
    );
    for (const bad of [
      '3307151459Z',
      '330715145959',
      '330715145960Z',
      '331315145959Z',
      '330230000000Z',
      '3307151459590Z',
      '33071514595+Z',
    ])
      expect(
        code(() => at(bad, TAG_UTC_TIME)),
        bad,
      ).toBe('DER_MALFORMED');
    expect(code(() => at('20240230000000Z', TAG_GENERALIZED_TIME))).toBe('DER_MALFORMED');
    expect(code(() => at('20240101000000.5Z', TAG_GENERALIZED_TIME))).toBe('DER_MALFORMED');
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1950-01-01T00:00:00Z'),
          max: new Date('2049-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const seconds = Math.floor(date.getTime() / 1000) * 1000;
          const utc = new DerCursor(derUtcTime(date));
          utc.next();
          expect(utc.time()).toBe(seconds);
          const generalized = new DerCursor(derGeneralizedTime(date));
          generalized.next();
          expect(generalized.time()).toBe(seconds);
        },
      ),
    );
  });

  it('decodes strings strictly', () => {
    const cursor = new DerCursor(derUtf8String('公的個人認証サービス'));
    cursor.next();
    expect(cursor.string()).toBe('公的個人認証サービス');
    expect(code(() => decodeString(TAG_UTF8_STRING, bytesOf('c3'), 0, 1))).toBe('DER_MALFORMED');
    expect(code(() => decodeString(0x13, bytesOf('c3'), 0, 1))).toBe('DER_MALFORMED');
    expect(decodeString(TAG_BMP_STRING, bytesOf('5c71'), 0, 2)).toBe('山');
    expect(code(() => decodeString(TAG_BMP_STRING, bytesOf('5c'), 0, 1))).toBe('DER_MALFORMED');
    expect(decodeString(TAG_UNIVERSAL_STRING, bytesOf('0001f600'), 0, 4)).toBe('😀');
    expect(code(() => decodeString(TAG_UNIVERSAL_STRING, bytesOf('0000d800'), 0, 4))).toBe('DER_MALFORMED');
    expect(code(() => decodeString(0x04, bytesOf('00'), 0, 1))).toBe('DER_MALFORMED');
  });
});

describe('checkString', () => {
  it('property: UTF-8 validation agrees with a fatal TextDecoder', async () => {
    const { checkString } = await import('./der-string.js');
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const agree = (bytes: Uint8Array) => {
      let expected = true;
      try {
        decoder.decode(bytes);
      } catch {
        expected = false;
      }
      let actual = true;
      try {
        checkString(TAG_UTF8_STRING, bytes, 0, bytes.length);
      } catch (error) {
        expect((error as CardError).code).toBe('DER_MALFORMED');
        actual = false;
      }
      expect(actual, Array.from(bytes).join(',')).toBe(expected);
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 12 }), agree), { numRuns: 5000 });
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 8 }), (text) =>
        agree(new TextEncoder().encode(text)),
      ),
    );
    for (const hex of ['c080', 'eda080', 'f4908080', 'e282', 'f0828282ac', 'efbfbf', 'f48fbfbf'])
      agree(bytesOf(hex));
  });
});
