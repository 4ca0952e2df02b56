import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CardError } from '../transport/card-error.js';
import { validateDer } from './der-validate.js';
import {
  derBitString,
  derBoolean,
  derContextExplicit,
  derContextImplicit,
  derGeneralizedTime,
  derIA5String,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derPrintableString,
  derSequence,
  derSet,
  derUtcTime,
  derUtf8String,
} from './der-writer.js';

const bytesOf = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));

/** Arbitrary DER trees built with the writer. */
const leaf = fc.oneof(
  fc.bigInt({ min: -(1n << 200n), max: 1n << 200n }).map((value) => derInteger(value)),
  fc.boolean().map((value) => derBoolean(value)),
  fc.constant(derNull()),
  fc.uint8Array({ maxLength: 40 }).map((value) => derOctetString(value)),
  fc
    .tuple(fc.uint8Array({ minLength: 1, maxLength: 20 }), fc.nat({ max: 7 }))
    .map(([value, unused]) => derBitString(value, unused)),
  fc.string({ maxLength: 20 }).map((value) => derUtf8String(value)),
  fc.stringMatching(/^[A-Za-z0-9 ]{0,12}$/).map((value) => derPrintableString(value)),
  fc.stringMatching(/^[ -~]{0,12}$/).map((value) => derIA5String(value)),
  fc
    .date({
      min: new Date('1950-01-01T00:00:00Z'),
      max: new Date('2049-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((value) => derUtcTime(value)),
  fc
    .date({
      min: new Date('2050-01-01T00:00:00Z'),
      max: new Date('9999-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((value) => derGeneralizedTime(value)),
  fc
    .tuple(fc.nat({ max: 2 }), fc.nat({ max: 39 }), fc.array(fc.nat(), { maxLength: 5 }))
    .map(([a, b, rest]) => derOid([a, b, ...rest].join('.'))),
  fc.uint8Array({ maxLength: 8 }).map((value) => derContextImplicit(2, value)),
);
const tree = fc.letrec<{ node: Uint8Array }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('node'), { maxLength: 4 }).map((children) => derSequence(...children)),
    fc.array(tie('node'), { maxLength: 3 }).map((children) => derSet(...children)),
    tie('node').map((child) => derContextExplicit(0, child)),
  ),
})).node;

describe('validateDer', () => {
  it('property: everything the writer produces is strict DER', () => {
    fc.assert(
      fc.property(tree, (bytes) => {
        expect(validateDer(bytes)).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('property: random bytes and mutations of valid DER only raise typed DER errors', () => {
    const check = (bytes: Uint8Array) => {
      try {
        validateDer(bytes);
      } catch (error) {
        expect(CardError.isInstance(error), String(error)).toBe(true);
        expect(['DER_TRUNCATED', 'DER_MALFORMED']).toContain((error as CardError).code);
        expect(typeof (error as CardError).details.offset).toBe('number');
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), check), { numRuns: 2000 });
    fc.assert(
      fc.property(tree, fc.nat(), fc.nat({ max: 255 }), (bytes, position, value) => {
        const copy = bytes.slice();
        if (copy.length > 0) copy[position % copy.length] = value;
        check(copy);
        check(bytes.subarray(0, position % (bytes.length + 1)));
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['2303000102', 'wrong-construction'], // constructed BIT STRING
    ['1000', 'wrong-construction'], // primitive SEQUENCE
    ['3003020100' + '00', 'trailing-bytes'],
    ['30030201ff', undefined], // fine
    ['3003020200', 'truncated-value'],
    ['300402010005', 'truncated-header'],
    ['300406012a', 'truncated-value'],
    ['3003050005', 'truncated-header'],
    ['3004050100ff', 'invalid-null'],
  ])('%s → %s', (hex, reason) => {
    const bytes = bytesOf(hex);
    if (reason === undefined) {
      expect(validateDer(bytes)).toBe(2);
      return;
    }
    try {
      validateDer(bytes);
      throw new Error('expected an error');
    } catch (error) {
      expect((error as CardError).details?.reason, String(error)).toBe(reason);
    }
  });

  it('caps the element count', () => {
    const many = derSequence(...Array.from({ length: 50 }, () => derNull()));
    expect(validateDer(many)).toBe(51);
    expect(() => validateDer(many, { maxElements: 10 })).toThrow(/too-many-elements/);
  });
});
