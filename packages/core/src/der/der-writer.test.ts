import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../transport/hex.js';
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
  derTlv,
  derUtcTime,
  derUtf8String,
} from './der-writer.js';

const hex = (bytes: Uint8Array) => bytesToHex(bytes);

describe('der-writer', () => {
  it.each([
    [0, '020100'],
    [127, '02017f'],
    [128, '02020080'],
    [255, '020200ff'],
    [256, '02020100'],
    [-1, '0201ff'],
    [-128, '020180'],
    [-129, '0202ff7f'],
    [0x7fffffff, '02047fffffff'],
  ])('derInteger(%d) is minimal two’s complement', (value, expected) => {
    expect(hex(derInteger(value))).toBe(expected);
    expect(hex(derInteger(BigInt(value)))).toBe(expected);
  });

  it('derInteger takes bytes as an unsigned magnitude', () => {
    expect(hex(derInteger(Uint8Array.of(0, 0, 0x80)))).toBe('02020080');
    expect(hex(derInteger(Uint8Array.of(0, 0)))).toBe('020100');
    expect(hex(derInteger(new Uint8Array(0)))).toBe('020100');
    expect(hex(derInteger(Uint8Array.of(1, 0, 1)))).toBe('0203010001');
  });

  it('encodes OIDs, including large arcs and the 2.x joint arc', () => {
    expect(hex(derOid('1.2.840.113549.1.1.11'))).toBe('06092a864886f70d01010b');
    expect(hex(derOid('2.5.4.3'))).toBe('0603550403');
    expect(hex(derOid('2.999.3'))).toBe('0603883703');
    expect(() => derOid('1.40')).toThrow(RangeError);
    expect(() => derOid('1.02')).toThrow(RangeError);
    expect(() => derOid('3.1')).toThrow(RangeError);
  });

  it.each([
    [0, '0400'],
    [1, '0401'],
    [0x7f, '047f'],
    [0x80, '048180'],
    [0xff, '0481ff'],
    [0x100, '04820100'],
    [0xffff, '0482ffff'],
    [0x10000, '0483010000'],
  ])('derTlv length %d uses the minimal length form', (length, header) => {
    const tlv = derTlv(0x04, new Uint8Array(length));
    expect(hex(tlv.subarray(0, header.length / 2))).toBe(header);
    expect(tlv.length).toBe(header.length / 2 + length);
  });

  it('sorts SET OF members by encoding', () => {
    expect(hex(derSet(derInteger(2), derInteger(1)))).toBe('3106020101020102');
    expect(hex(derSequence(derInteger(2), derInteger(1)))).toBe('3006020102020101');
  });

  it('encodes strings, times, booleans, bit strings and tags', () => {
    expect(hex(derNull())).toBe('0500');
    expect(hex(derBoolean(true))).toBe('0101ff');
    expect(hex(derBoolean(false))).toBe('010100');
    expect(hex(derOctetString(Uint8Array.of(0xaa)))).toBe('0401aa');
    expect(hex(derBitString(Uint8Array.of(0x87), 1))).toBe('03020186');
    expect(hex(derBitString(new Uint8Array(0)))).toBe('030100');
    expect(hex(derUtf8String('山田'))).toBe('0c06e5b1b1e794b0');
    expect(hex(derPrintableString('JP'))).toBe('13024a50');
    expect(hex(derIA5String('a'))).toBe('160161');
    expect(new TextDecoder().decode(derUtcTime(new Date('2033-07-15T14:59:59.900Z')).subarray(2))).toBe(
      '330715145959Z',
    );
    expect(new TextDecoder().decode(derGeneralizedTime(new Date('2050-01-01T00:00:00Z')).subarray(2))).toBe(
      '20500101000000Z',
    );
    expect(hex(derContextExplicit(0, derInteger(2)))).toBe('a003020102');
    expect(hex(derContextImplicit(2, Uint8Array.of(0x61)))).toBe('820161');
    expect(hex(derContextImplicit(1, Uint8Array.of(), true))).toBe('a100');
  });

  it('rejects bad arguments with TypeError / RangeError', () => {
    expect(() => derPrintableString('山')).toThrow(RangeError);
    expect(() => derIA5String('é')).toThrow(RangeError);
    expect(() => derUtcTime(new Date('2050-01-01T00:00:00Z'))).toThrow(RangeError);
    expect(() => derUtcTime(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => derBitString(Uint8Array.of(1), 8)).toThrow(RangeError);
    expect(() => derInteger(1.5)).toThrow(RangeError);
    expect(() => derSequence('x' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => derContextExplicit(31, derNull())).toThrow(RangeError);
    expect(() => derBoolean(1 as unknown as boolean)).toThrow(TypeError);
  });
});
