/**
 * CHANGE REFERENCE DATA `00 24 01 80 Lc <new>` (ISO 7816-4 §11.5.7; jpki-card.md §8): P1 = 01
 * (new value only), allowed only after VERIFY of the same key in this power session. A new value
 * that breaks the key's format answers `6A 80`; the old value is zeroed.
 *
 * @example
 * ```ts
 * handleChangeReferenceData(state, decodeCommand(hexToBytes('002401800435363738')));
 * ```
 */
import type { DecodedCommandApdu } from '@kakunin/core/iso7816';
import { SW } from '@kakunin/core/iso7816';
import { reply } from '../apdu-reply.js';
import type { CardState } from '../card-state.js';
import { resolvePin } from './pin-reference.js';

/** P1 = 01: the data field holds the new reference data only (ISO 7816-4 §11.5.7). */
const P1_NEW_DATA_ONLY = 0x01;
/** Printable ASCII bounds; anything else cannot satisfy a PIN format. */
const ASCII_PRINTABLE_MIN = 0x20;
const ASCII_PRINTABLE_MAX = 0x7e;

function asciiText(bytes: Uint8Array): string | null {
  let text = '';
  for (const byte of bytes) {
    if (byte < ASCII_PRINTABLE_MIN || byte > ASCII_PRINTABLE_MAX) return null;
    text += String.fromCharCode(byte);
  }
  return text;
}

export function handleChangeReferenceData(state: CardState, apdu: DecodedCommandApdu): Uint8Array {
  if (apdu.p1 !== P1_NEW_DATA_ONLY) return reply(SW.INCORRECT_P1_P2);
  const pin = resolvePin(state, apdu.p2);
  if (typeof pin === 'number') return reply(pin);
  if (apdu.data.length === 0 || apdu.le !== undefined) return reply(SW.WRONG_LENGTH);
  if (pin.value === null || pin.triesLeft === 0) return reply(SW.REFERENCE_DATA_NOT_USABLE);
  if (!state.verified.has(pin)) return reply(SW.SECURITY_STATUS_NOT_SATISFIED);
  const text = asciiText(apdu.data);
  if (text === null || !pin.format.accepts(text)) return reply(SW.INCORRECT_DATA);
  pin.value.fill(0);
  pin.value = apdu.data.slice();
  pin.triesLeft = pin.maxTries;
  return reply(SW.SUCCESS);
}
