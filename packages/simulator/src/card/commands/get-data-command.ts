/**
 * GET DATA `00 CA <tag>` (ISO 7816-4 §11.4.3), answered only at MF level — after power-on or
 * after SELECT of the GP ISD (jpki-card.md §7). Inside an application → `6A 88`.
 *
 * @example
 * ```ts
 * handleGetData(state, decodeCommand(hexToBytes('00CA5F5100'))); // contact ATR without TS
 * ```
 */
import type { DecodedCommandApdu } from '@kakunin/core/iso7816';
import { SW, SW1_WRONG_LE } from '@kakunin/core/iso7816';
import { reply } from '../apdu-reply.js';
import type { CardState } from '../card-state.js';

export function handleGetData(state: CardState, apdu: DecodedCommandApdu): Uint8Array {
  if (apdu.data.length > 0 || apdu.le === undefined) return reply(SW.WRONG_LENGTH);
  if (state.application !== null) return reply(SW.REFERENCED_DATA_NOT_FOUND);
  const value = state.image.masterFileData.get((apdu.p1 << 8) | apdu.p2);
  if (value === undefined) return reply(SW.REFERENCED_DATA_NOT_FOUND);
  if (apdu.le < value.length) {
    // Large objects refuse short Le (jpki-card.md §7); small ones name the exact length.
    return reply(value.length > 0xff ? SW.WRONG_LENGTH : (SW1_WRONG_LE << 8) | value.length);
  }
  return reply(SW.SUCCESS, value);
}
