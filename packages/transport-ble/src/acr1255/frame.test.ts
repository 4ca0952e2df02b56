import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fragment } from '../fragment.js';
import { encodeFrame, FrameReassembler, xorChecksum } from './frame.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('xorChecksum', () => {
  it('matches the manual example: 62 01 00 → 63 (transports.md §4.3)', () => {
    expect(xorChecksum(Uint8Array.of(0x62, 0x01, 0x00))).toBe(0x63);
  });
  it('is 0 for the empty string and honours the initial value', () => {
    expect(xorChecksum(new Uint8Array(0))).toBe(0);
    expect(xorChecksum(Uint8Array.of(0x0f), 0xf0)).toBe(0xff);
  });
});

describe('encodeFrame', () => {
  it('wraps a block as 05 ‖ len ‖ block ‖ xor(len, block) ‖ 0A', () => {
    expect(hex(encodeFrame(Uint8Array.of(0xaa)))).toBe('050001aaab0a');
    expect(hex(encodeFrame(new Uint8Array(0)))).toBe('050000000a');
  });

  it.each([0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff])(
    'carries a %i-byte block with a big-endian length',
    (length) => {
      const frame = encodeFrame(new Uint8Array(length).fill(0x11));
      expect(frame.length).toBe(length + 5);
      expect((frame[1]! << 8) | frame[2]!).toBe(length);
      expect(frame[frame.length - 1]).toBe(0x0a);
    },
  );

  it('rejects a block above 65535 bytes and non-bytes', () => {
    expect(() => encodeFrame(new Uint8Array(0x10000))).toThrow(RangeError);
    expect(() => encodeFrame([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('fragment', () => {
  it('cuts into 20-byte pieces (manual §5.5) without copying', () => {
    const bytes = new Uint8Array(45);
    const pieces = fragment(bytes, 20);
    expect(pieces.map((piece) => piece.length)).toEqual([20, 20, 5]);
    expect(pieces[1]!.buffer).toBe(bytes.buffer);
    expect(fragment(new Uint8Array(0), 20)).toEqual([]);
  });
  it('rejects a non-positive piece length', () => {
    expect(() => fragment(new Uint8Array(3), 0)).toThrow(RangeError);
    expect(() => fragment(new Uint8Array(3), 1.5)).toThrow(RangeError);
  });
});

describe('FrameReassembler', () => {
  it('reassembles a frame split into 20-byte notifications', () => {
    const block = Uint8Array.from({ length: 50 }, (_, index) => index);
    const reassembler = new FrameReassembler();
    const pieces = fragment(encodeFrame(block), 20);
    expect(reassembler.push(pieces[0]!)).toEqual([]);
    expect(reassembler.push(pieces[1]!)).toEqual([]);
    const events = reassembler.push(pieces[2]!);
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({ kind: 'frame', dataBlock: block });
    expect(reassembler.pending).toBe(0);
  });

  it('reports a bad checksum and then resynchronises on the next frame', () => {
    const bad = encodeFrame(Uint8Array.of(1, 2, 3));
    bad[bad.length - 2]! ^= 0x40;
    const good = encodeFrame(Uint8Array.of(4, 5));
    const events = new FrameReassembler().push(Uint8Array.from([...bad, ...good]));
    expect(events.map((event) => event.kind)).toEqual(['error', 'frame']);
    expect(events[0]).toMatchObject({ kind: 'error', reason: 'checksum' });
    expect(events[1]).toEqual({ kind: 'frame', dataBlock: Uint8Array.of(4, 5) });
  });

  it('skips garbage before a start byte and rejects a lying length at the stop byte', () => {
    const good = encodeFrame(Uint8Array.of(9));
    const events = new FrameReassembler().push(Uint8Array.from([0x00, 0x42, ...good]));
    expect(events.map((event) => event.kind)).toEqual(['error', 'frame']);
    const lying = Uint8Array.of(0x05, 0x00, 0x01, 0xaa, 0xab, 0xff, ...good);
    const after = new FrameReassembler().push(lying);
    expect(after[0]).toMatchObject({ kind: 'error', reason: 'stop-byte' });
    expect(after.at(-1)).toEqual({ kind: 'frame', dataBlock: Uint8Array.of(9) });
  });

  it('waits on a truncated frame and reset() drops it', () => {
    const reassembler = new FrameReassembler();
    expect(reassembler.push(encodeFrame(new Uint8Array(30)).subarray(0, 25))).toEqual([]);
    expect(reassembler.pending).toBe(25);
    reassembler.reset();
    expect(reassembler.pending).toBe(0);
    expect(() => reassembler.push('x' as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('property: any block survives any fragmentation', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.integer({ min: 1, max: 64 }),
        (block, pieceLength) => {
          const reassembler = new FrameReassembler();
          const events = fragment(encodeFrame(block), pieceLength).flatMap((piece) =>
            reassembler.push(piece),
          );
          expect(events).toEqual([{ kind: 'frame', dataBlock: block }]);
        },
      ),
    );
  });

  it('property: a flipped byte never yields the original block silently', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (block, at, mask) => {
          const frame = encodeFrame(block);
          const index = 3 + (at % block.length);
          frame[index]! ^= mask;
          const events = new FrameReassembler().push(frame);
          expect(events.some((event) => event.kind === 'frame')).toBe(false);
        },
      ),
    );
  });

  it('property: arbitrary bytes never throw', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 20 }), (pieces) => {
        const reassembler = new FrameReassembler();
        for (const piece of pieces) reassembler.push(piece);
      }),
    );
  });
});
