import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CardError } from '../transport/card-error.js';
import { DerCursor } from './der-cursor.js';
import { TAG_INTEGER, TAG_OCTET_STRING, TAG_SEQUENCE } from './der-tags.js';
import { derInteger, derNull, derOctetString, derSequence, derTlv } from './der-writer.js';

function expectDerError(
  run: () => unknown,
  code: 'DER_TRUNCATED' | 'DER_MALFORMED',
  reason?: string,
  offset?: number,
) {
  try {
    run();
  } catch (error) {
    expect(CardError.isInstance(error, code), String(error)).toBe(true);
    const details = (error as CardError).details;
    if (reason !== undefined) expect(details.reason).toBe(reason);
    if (offset !== undefined) expect(details.offset).toBe(offset);
    return;
  }
  throw new Error('expected a DER error');
}

describe('DerCursor', () => {
  it.each([0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000])(
    'reads an OCTET STRING of length %d',
    (length) => {
      const content = new Uint8Array(length).map((_, index) => index & 0xff);
      const tlv = derTlv(TAG_OCTET_STRING, content);
      const cursor = new DerCursor(tlv);
      expect(cursor.next()).toBe(true);
      expect(cursor.tag).toBe(TAG_OCTET_STRING);
      expect(cursor.length).toBe(length);
      expect(cursor.value()).toEqual(content);
      expect(cursor.value().buffer).toBe(tlv.buffer); // zero-copy view
      expect(cursor.next()).toBe(false);
      cursor.finish();
    },
  );

  it.each([0x80, 0xff, 0x100, 0xffff, 0x10000])(
    'rejects a one-byte-short value of length %d as DER_TRUNCATED',
    (length) => {
      const tlv = derTlv(TAG_OCTET_STRING, new Uint8Array(length));
      expectDerError(
        () => new DerCursor(tlv.subarray(0, tlv.length - 1)).next(),
        'DER_TRUNCATED',
        'truncated-value',
        0,
      );
    },
  );

  it.each([
    ['04', 'truncated-header'],
    ['0481', 'truncated-header'],
    ['048201', 'truncated-header'],
    ['0402aa', 'truncated-value'],
  ])('truncation %s → DER_TRUNCATED (%s)', (hex, reason) => {
    const bytes = Uint8Array.from(hex.match(/../g)!.map((pair) => Number.parseInt(pair, 16)));
    expectDerError(() => new DerCursor(bytes).next(), 'DER_TRUNCATED', reason, 0);
  });

  it.each([
    ['0480', 'indefinite-length'],
    ['04817f' + '00'.repeat(0x7f), 'non-minimal-length'],
    ['0482007f' + '00'.repeat(0x7f), 'non-minimal-length'],
    ['048200ff' + '00'.repeat(0xff), 'non-minimal-length'],
    ['0485' + '0000000001', 'length-too-long'],
    ['04ff', 'length-too-long'],
    ['1f0100', 'high-tag-number'],
    ['0000', 'end-of-contents'],
  ])('malformed header %# → DER_MALFORMED (%s)', (hex, reason) => {
    const bytes = Uint8Array.from(hex.match(/../g)!.map((pair) => Number.parseInt(pair, 16)));
    expectDerError(() => new DerCursor(bytes).next(), 'DER_MALFORMED', reason, 0);
  });

  it('reports the offset of a lying inner length', () => {
    // 30 05 | 02 09 … : the INTEGER claims 9 bytes inside a 5-byte SEQUENCE.
    const bytes = Uint8Array.of(0x30, 0x05, 0x02, 0x09, 1, 2, 3, 0, 0, 0, 0, 0);
    const cursor = new DerCursor(bytes);
    cursor.read(TAG_SEQUENCE).enter();
    expectDerError(() => cursor.next(), 'DER_TRUNCATED', 'truncated-value', 2);
  });

  it('enters, leaves, and rejects trailing bytes inside an element', () => {
    const bytes = derSequence(derInteger(1), derNull());
    const cursor = new DerCursor(bytes);
    cursor.read(TAG_SEQUENCE).enter();
    expect(cursor.read(TAG_INTEGER).smallInteger()).toBe(1);
    expectDerError(() => cursor.leave(), 'DER_MALFORMED', 'trailing-bytes', 5);
    cursor.next();
    cursor.leave();
    expect(cursor.depth).toBe(0);
    cursor.finish();
    const withTrailing = Uint8Array.of(...bytes, 0x05, 0x00);
    const top = new DerCursor(withTrailing);
    top.next();
    expectDerError(() => top.finish(), 'DER_MALFORMED', 'trailing-bytes', bytes.length);
  });

  it('rejects a wrong tag and an unexpected end with offsets', () => {
    const bytes = derSequence(derNull());
    const cursor = new DerCursor(bytes);
    cursor.read(TAG_SEQUENCE).enter();
    expectDerError(() => cursor.read(TAG_INTEGER), 'DER_MALFORMED', 'unexpected-tag', 2);
    expectDerError(() => cursor.read(TAG_INTEGER), 'DER_MALFORMED', 'unexpected-end', 4);
    expectDerError(
      () => new DerCursor(derOctetString(Uint8Array.of(1))).read(TAG_OCTET_STRING).enter(),
      'DER_MALFORMED',
      'wrong-construction',
    );
  });

  it('bounds the nesting depth', () => {
    let nested = derNull();
    for (let level = 0; level < 40; level++) nested = derSequence(nested);
    const cursor = new DerCursor(nested, 0, nested.length, { maxDepth: 8 });
    expectDerError(
      () => {
        for (;;) {
          cursor.next();
          cursor.enter();
        }
      },
      'DER_MALFORMED',
      'too-deep',
    );
  });

  it('asserts its arguments', () => {
    expect(() => new DerCursor('x' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => new DerCursor(new Uint8Array(2), 3)).toThrow(RangeError);
    expect(() => new DerCursor(new Uint8Array(2), 0, 3)).toThrow(RangeError);
    expect(() => new DerCursor(new Uint8Array(2), 0, 2, { maxDepth: 0 })).toThrow(RangeError);
  });

  it('property: random bytes only ever raise typed DER errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          const cursor = new DerCursor(bytes);
          while (cursor.next()) if (cursor.constructed) cursor.enter();
        } catch (error) {
          expect(CardError.isInstance(error)).toBe(true);
          expect(['DER_TRUNCATED', 'DER_MALFORMED']).toContain((error as CardError).code);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
