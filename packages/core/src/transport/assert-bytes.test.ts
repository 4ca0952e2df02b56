import { describe, expect, it } from 'vitest';
import { assertBytes } from './assert-bytes.js';

describe('assertBytes', () => {
  it('passes a Uint8Array (of the given length) and narrows its type', () => {
    const value: unknown = new Uint8Array(4);
    assertBytes(value, 'value', 4);
    expect(value.length).toBe(4);
  });

  it('rejects what is not a Uint8Array, and a wrong length, naming the parameter', () => {
    expect(() => assertBytes([1, 2], 'transmit: command')).toThrow(
      new TypeError('transmit: command must be a Uint8Array'),
    );
    expect(() => assertBytes(new ArrayBuffer(2), 'key')).toThrow(TypeError);
    expect(() => assertBytes(new Uint8Array(15), 'masterKey', 16)).toThrow(
      new RangeError('masterKey must be 16 bytes, got 15'),
    );
  });
});
