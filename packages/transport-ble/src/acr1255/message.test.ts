import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from './message.js';

const codeOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: unknown }).code;
  }
  return undefined;
};

describe('inner message (transports.md §4.3)', () => {
  it('encodes type, big-endian length, slot 00, sequence, parameter and the XOR checksum', () => {
    const bytes = encodeMessage({
      type: 0x6b,
      sequence: 0,
      parameter: 0,
      data: Uint8Array.of(0xe0, 0, 0, 0x45, 0),
    });
    // obniz/FIDOk send exactly this for authentication phase 1.
    // 6B ^ 05 ^ E0 ^ 45 = CB
    expect(Buffer.from(bytes).toString('hex')).toBe('6b0005000000cbe000004500');
  });

  it('round-trips and ignores FF padding after the declared length', () => {
    const bytes = encodeMessage({ type: 0x80, sequence: 7, parameter: 2, data: Uint8Array.of(0x90, 0x00) });
    const padded = Uint8Array.from([...bytes, 0xff, 0xff, 0xff]);
    const message = decodeMessage(padded);
    expect(message).toMatchObject({ type: 0x80, sequence: 7, parameter: 2, slot: 0 });
    expect([...message.data]).toEqual([0x90, 0x00]);
  });

  it('rejects a short header, a lying length and a bad checksum with PROTOCOL', () => {
    expect(codeOf(() => decodeMessage(Uint8Array.of(0x80, 0, 0)))).toBe('PROTOCOL');
    const bytes = encodeMessage({ type: 0x80, sequence: 0, parameter: 0, data: Uint8Array.of(1, 2, 3) });
    expect(codeOf(() => decodeMessage(bytes.subarray(0, 9)))).toBe('PROTOCOL');
    const corrupt = bytes.slice();
    corrupt[8]! ^= 1;
    expect(codeOf(() => decodeMessage(corrupt))).toBe('PROTOCOL');
  });

  it('asserts its inputs', () => {
    expect(() => encodeMessage({ type: 256, sequence: 0, parameter: 0, data: new Uint8Array() })).toThrow(
      RangeError,
    );
    expect(() =>
      encodeMessage({ type: 1, sequence: 0, parameter: 0, data: [] as unknown as Uint8Array }),
    ).toThrow(TypeError);
    expect(() => decodeMessage('x' as unknown as Uint8Array)).toThrow(TypeError);
  });

  it.each([0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff])('carries %i data bytes', (length) => {
    const data = new Uint8Array(length).fill(0xa5);
    const message = decodeMessage(encodeMessage({ type: 0x6f, sequence: 1, parameter: 0, data }));
    expect(message.data.length).toBe(length);
  });

  it('property: encode/decode round-trip; the XOR of a whole message is 0', () => {
    fc.assert(
      fc.property(
        fc.nat(255),
        fc.nat(255),
        fc.nat(255),
        fc.uint8Array({ maxLength: 300 }),
        (type, sequence, parameter, data) => {
          const bytes = encodeMessage({ type, sequence, parameter, data });
          expect(bytes.reduce((sum, byte) => sum ^ byte, 0)).toBe(0);
          const message = decodeMessage(bytes);
          expect(message).toMatchObject({ type, sequence, parameter });
          expect(message.data).toEqual(data);
        },
      ),
    );
  });

  it('property: arbitrary bytes decode or throw PROTOCOL, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const code = codeOf(() => decodeMessage(bytes));
        expect([undefined, 'PROTOCOL']).toContain(code);
      }),
    );
  });
});
