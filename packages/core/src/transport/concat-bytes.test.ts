import { describe, expect, it } from 'vitest';
import { concatBytes } from './concat-bytes.js';

describe('concatBytes', () => {
  it('joins the parts in order into a fresh array', () => {
    const a = Uint8Array.of(0x90);
    const b = Uint8Array.of(0x00, 0x01);
    const out = concatBytes(a, new Uint8Array(0), b);
    expect([...out]).toEqual([0x90, 0x00, 0x01]);
    out[0] = 0;
    expect(a[0]).toBe(0x90);
  });

  it('copies a single part and gives an empty array for none', () => {
    const only = Uint8Array.of(1, 2);
    const copy = concatBytes(only);
    expect(copy).not.toBe(only);
    expect([...copy]).toEqual([1, 2]);
    expect(concatBytes().length).toBe(0);
  });

  it('reads a subarray view by its own bounds', () => {
    const backing = Uint8Array.of(9, 1, 2, 9);
    expect([...concatBytes(backing.subarray(1, 3), backing.subarray(0, 1))]).toEqual([1, 2, 9]);
  });
});
