import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CardError } from '../transport/card-error.js';
import type { ErrorCode } from '../transport/error-codes.js';
import { hexToBytes } from '../transport/hex.js';
import { findTlv, parseTlvHeader, TlvCursor } from './ber-tlv.js';

function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let value = length; value > 0; value = Math.floor(value / 256)) bytes.unshift(value & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

describe('BER-TLV', () => {
  it.each([0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000])('length %i round-trips', (length) => {
    const bytes = new Uint8Array([0xdf, 0x22, ...encodeLength(length), ...new Uint8Array(length)]);
    const cursor = new TlvCursor(bytes);
    expect(cursor.next()).toBe(true);
    expect(cursor.tag).toBe(0xdf22);
    expect(cursor.length).toBe(length);
    expect(cursor.next()).toBe(false);
  });

  it('reads multi-byte tags FF20, DF22, 5F4E, 7F21', () => {
    const bytes = hexToBytes('FF2003DF2200 5F4E0101 7F2100');
    const cursor = new TlvCursor(bytes);
    const tags: number[] = [];
    while (cursor.next()) tags.push(cursor.tag);
    expect(tags).toEqual([0xff20, 0x5f4e, 0x7f21]);
    const inner = new TlvCursor(bytes, 0, bytes.length);
    inner.next();
    const children = inner.children();
    expect(children.next()).toBe(true);
    expect(children.tag).toBe(0xdf22);
  });

  it('parses the my-number file with its FF filler', () => {
    const file = hexToBytes(`FF100C${'31'.repeat(12)}FFFF`);
    const value = findTlv(file, 0xff10);
    expect(new TextDecoder().decode(value)).toBe('111111111111');
  });

  it('skips 00 filler between objects and stops at a 00/FF tail', () => {
    const bytes = hexToBytes('DF210100 0000 DF220102 FFFFFF00FF');
    const cursor = new TlvCursor(bytes, 0, bytes.length, { filler: true });
    const tags: number[] = [];
    while (cursor.next()) tags.push(cursor.tag);
    expect(tags).toEqual([0xdf21, 0xdf22]);
  });

  it.each([
    ['DF', 'TLV_TRUNCATED', 'truncated-tag'],
    ['DF22', 'TLV_TRUNCATED', 'truncated-length'],
    ['DF2282FF', 'TLV_TRUNCATED', 'truncated-length'],
    ['DF220301', 'TLV_TRUNCATED', 'value-exceeds-data'],
    ['DF2284FFFFFFFF00', 'TLV_TRUNCATED', 'value-exceeds-data'],
    ['DF228000', 'TLV_MALFORMED', 'indefinite-length'],
    ['DF22850000000001', 'TLV_MALFORMED', 'length-too-long'],
    ['DFFFFFFF0100', 'TLV_MALFORMED', 'tag-too-long'],
  ])('rejects %s with %s (%s) and an offset', (hex, code, reason) => {
    let caught: unknown;
    try {
      const cursor = new TlvCursor(hexToBytes(hex));
      while (cursor.next()) {
        /* walk */
      }
    } catch (error) {
      caught = error;
    }
    expect(CardError.isInstance(caught, code as ErrorCode)).toBe(true);
    expect((caught as CardError).details.reason).toBe(reason);
    expect(typeof (caught as CardError).details.offset).toBe('number');
  });

  it('parseTlvHeader sizes a file from its first bytes', () => {
    expect(parseTlvHeader(hexToBytes('30820510'))).toMatchObject({
      tag: 0x30,
      headerLength: 4,
      length: 0x510,
      totalLength: 0x514,
    });
    expect(parseTlvHeader(hexToBytes('FF2065DF2108'))).toMatchObject({ tag: 0xff20, totalLength: 0x65 + 3 });
    expect(() => parseTlvHeader(hexToBytes('3082'))).toThrow(CardError);
  });

  it('random bytes only ever produce TLV errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, filler) => {
        try {
          const cursor = new TlvCursor(bytes, 0, bytes.length, { filler });
          let guard = 0;
          while (cursor.next()) {
            expect(cursor.valueEnd).toBeLessThanOrEqual(bytes.length);
            expect(cursor.valueStart).toBeGreaterThanOrEqual(cursor.tagOffset);
            if (++guard > bytes.length + 1) throw new Error('no progress');
          }
        } catch (error) {
          expect(CardError.isInstance(error)).toBe(true);
          expect(['TLV_TRUNCATED', 'TLV_MALFORMED']).toContain((error as CardError).code);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('encoded TLV sequences round-trip (property)', () => {
    const element = fc.record({
      tag: fc.constantFrom(0x04, 0x5f4e, 0xdf22, 0x7f21, 0xff20),
      value: fc.uint8Array({ maxLength: 300 }),
    });
    fc.assert(
      fc.property(fc.array(element, { maxLength: 8 }), (elements) => {
        const parts: number[] = [];
        for (const { tag, value } of elements) {
          const tagBytes = tag > 0xff ? [tag >> 8, tag & 0xff] : [tag];
          parts.push(...tagBytes, ...encodeLength(value.length), ...value);
        }
        const bytes = new Uint8Array(parts);
        const cursor = new TlvCursor(bytes);
        for (const { tag, value } of elements) {
          expect(cursor.next()).toBe(true);
          expect(cursor.tag).toBe(tag);
          expect(Array.from(cursor.value())).toEqual(Array.from(value));
        }
        expect(cursor.next()).toBe(false);
      }),
    );
  });
});
