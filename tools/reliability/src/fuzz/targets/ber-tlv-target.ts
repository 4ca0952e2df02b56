/**
 * Fuzz target: the BER-TLV reader the card files go through (`TlvCursor`, `parseTlvHeader`,
 * `findTlv`; ISO 7816-4 §5.2) with and without filler handling, descending into constructed
 * objects. Oracles: every object lies inside its parent, the cursor always moves forward, and
 * `parseTlvHeader` agrees with the cursor on tag and lengths.
 *
 * @example
 * ```ts
 * berTlvTarget.execute(Uint8Array.of(0xdf, 0x22, 0x01, 0x41));
 * ```
 */
import { findTlv, parseTlvHeader, TlvCursor } from '@kakunin/core/iso7816';
import { bucket, type FuzzTarget, guard, oracle } from '../fuzz-target.js';
import { recordedResponses } from '../seeds/recorded-flows.js';

const MAX_DEPTH = 32;
const MAX_OBJECTS = 4096;

function walk(input: Uint8Array, filler: boolean): number {
  let objects = 0;
  const stack: TlvCursor[] = [new TlvCursor(input, 0, input.length, { filler })];
  while (stack.length > 0) {
    const cursor = stack[stack.length - 1]!;
    const before = cursor.position;
    if (!cursor.next()) {
      stack.pop();
      continue;
    }
    oracle(cursor.position > before, 'cursor did not advance');
    oracle(cursor.valueEnd <= cursor.end && cursor.tagOffset >= before, 'object outside its parent');
    if (++objects > MAX_OBJECTS) return objects;
    if (!filler) {
      const header = parseTlvHeader(input, cursor.tagOffset);
      oracle(header.tag === cursor.tag, 'parseTlvHeader tag differs from the cursor');
      oracle(header.totalLength === cursor.valueEnd - cursor.tagOffset, 'parseTlvHeader length differs');
    }
    if (cursor.constructed && stack.length < MAX_DEPTH) stack.push(cursor.children());
  }
  return objects;
}

export const berTlvTarget: FuzzTarget = {
  name: 'ber-tlv',
  description: 'TlvCursor (with/without filler), parseTlvHeader, findTlv (@kakunin/core/iso7816)',
  maxInputLength: 65_536,
  seeds: async () => {
    // Card file contents: the recorded responses without their status words.
    const responses = await recordedResponses();
    return responses
      .filter((response) => response.length > 4)
      .map((response) => response.subarray(0, response.length - 2));
  },
  execute(input) {
    const plain = guard(() => bucket(walk(input, false)));
    const withFiller = guard(() => bucket(walk(input, true)));
    const found = guard(() => findTlv(input, 0xdf22)?.length ?? -1);
    const header = guard(() => (input.length > 0 ? bucket(parseTlvHeader(input, 0).totalLength) : -1));
    return `${plain}:${withFiller}:${found === '-1' ? '' : 'f'}:${header}`;
  },
};
