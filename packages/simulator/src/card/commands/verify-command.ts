/**
 * VERIFY (ISO 7816-4 §11.5.6) with the card's counter behaviour (jpki-card.md §8):
 * no data → `63 Cx` (tries left, no try spent; `63 C0` on a blocked key); correct value →
 * `90 00`, counter reset, key verified until power-off; wrong value → `63 Cx` with the new count,
 * `63 C0` on the exhausting try; any VERIFY with data on a blocked key → `69 84`.
 * A wrong value also drops the key's verified status (the simulator's choice: fail closed).
 *
 * @example
 * ```ts
 * handleVerify(state, decodeCommand(hexToBytes('0020008004 31323334'.replace(' ', ''))));
 * ```
 */
import { timingSafeEqual } from 'node:crypto';
import type { DecodedCommandApdu } from '@kakunin/core/iso7816';
import { SW } from '@kakunin/core/iso7816';
import { reply } from '../apdu-reply.js';
import type { CardState } from '../card-state.js';
import { resolvePin } from './pin-reference.js';

/** Largest count a `63 Cx` can carry. */
const MAX_COUNTER_NIBBLE = 0x0f;

/** `63 Cx` for `tries` (ISO 7816-4 §5.1.3 table 6). */
export function counterSw(tries: number): number {
  return SW.COUNTER_BASE | Math.min(tries, MAX_COUNTER_NIBBLE);
}

function matches(reference: Uint8Array, candidate: Uint8Array): boolean {
  if (reference.length !== candidate.length) {
    // Compare anyway so a length mismatch costs the same as a value mismatch.
    timingSafeEqual(reference, reference);
    return false;
  }
  return timingSafeEqual(reference, candidate);
}

export function handleVerify(state: CardState, apdu: DecodedCommandApdu): Uint8Array {
  if (apdu.p1 !== 0x00) return reply(SW.INCORRECT_P1_P2);
  const pin = resolvePin(state, apdu.p2);
  if (typeof pin === 'number') return reply(pin);
  if (apdu.le !== undefined) return reply(SW.WRONG_LENGTH);
  if (pin.notSet) return reply(SW.REFERENCE_DATA_NOT_USABLE);
  const blocked = pin.value === null || pin.triesLeft === 0;
  if (apdu.data.length === 0) {
    if (
      !blocked &&
      state.verified.has(pin) &&
      state.image.quirks?.emptyVerifyAnswers9000WhenVerified === true
    )
      return reply(SW.SUCCESS);
    return reply(counterSw(blocked ? 0 : pin.triesLeft));
  }
  if (blocked || pin.value === null) return reply(SW.REFERENCE_DATA_NOT_USABLE);
  if (matches(pin.value, apdu.data)) {
    pin.triesLeft = pin.maxTries;
    state.verified.add(pin);
    return reply(SW.SUCCESS);
  }
  pin.triesLeft -= 1;
  state.verified.delete(pin);
  return reply(counterSw(pin.triesLeft));
}
