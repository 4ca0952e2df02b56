import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeVpcdFrame, VPCD_MAX_FRAME, VpcdFrameReader } from './vpcd-protocol.js';

describe('encodeVpcdFrame', () => {
  it.each([0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff])(
    'prefixes a %i-byte payload with its big-endian length',
    (length) => {
      const frame = encodeVpcdFrame(new Uint8Array(length).fill(0xa5));
      expect(frame.length).toBe(length + 2);
      expect((frame[0]! << 8) | frame[1]!).toBe(length);
      expect(frame.subarray(2).every((byte) => byte === 0xa5)).toBe(true);
    },
  );

  it('refuses payloads vpcd cannot frame and non-bytes', () => {
    expect(() => encodeVpcdFrame(new Uint8Array(VPCD_MAX_FRAME + 1))).toThrow(RangeError);
    expect(() => encodeVpcdFrame([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('VpcdFrameReader', () => {
  it('reassembles frames from arbitrarily split and merged TCP chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 600 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 30 }),
        (payloads, cuts) => {
          const stream = Uint8Array.from(payloads.flatMap((payload) => [...encodeVpcdFrame(payload)]));
          const reader = new VpcdFrameReader();
          const frames: Uint8Array[] = [];
          let offset = 0;
          let cut = 0;
          while (offset < stream.length) {
            const size = cuts[cut % cuts.length]!;
            cut += 1;
            frames.push(...reader.push(stream.subarray(offset, offset + size)));
            offset += size;
          }
          expect(frames).toEqual(payloads);
          expect(reader.bufferedLength).toBe(0);
        },
      ),
    );
  });

  it('keeps an incomplete frame until the rest arrives', () => {
    const reader = new VpcdFrameReader();
    expect(reader.push(Uint8Array.of(0x00))).toEqual([]);
    expect(reader.push(Uint8Array.of(0x03, 0xaa))).toEqual([]);
    expect(reader.bufferedLength).toBe(3);
    expect(reader.push(Uint8Array.of(0xbb, 0xcc, 0x00, 0x01, 0x04))).toEqual([
      Uint8Array.of(0xaa, 0xbb, 0xcc),
      Uint8Array.of(0x04),
    ]);
  });

  it('copies frames out of the chunk (the socket may reuse its buffers)', () => {
    const chunk = Uint8Array.of(0x00, 0x01, 0x04);
    const [frame] = new VpcdFrameReader().push(chunk);
    chunk[2] = 0xff;
    expect(frame).toEqual(Uint8Array.of(0x04));
    // Socket chunks are Node Buffers, whose slice() would be a view: frames must still be copies.
    const buffer = Buffer.from([0x00, 0x02, 0x90, 0x00]);
    const [copied] = new VpcdFrameReader().push(buffer);
    buffer[2] = 0x6f;
    expect(Buffer.isBuffer(copied)).toBe(false);
    expect(copied).toEqual(Uint8Array.of(0x90, 0x00));
  });

  it('rejects a zero-length frame with PROTOCOL and non-bytes with TypeError', () => {
    const reader = new VpcdFrameReader();
    expect(() => reader.push(Uint8Array.of(0x00, 0x00))).toThrow(
      expect.objectContaining({ code: 'PROTOCOL' }),
    );
    expect(() => reader.push('0001' as unknown as Uint8Array)).toThrow(TypeError);
  });
});
