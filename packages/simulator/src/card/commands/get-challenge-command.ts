/**
 * GET CHALLENGE `00 84 00 00 Le` (ISO 7816-4 §11.5.3): Le random bytes, short Le only — extended
 * Le answers `69 85` (jpki-card.md §9, §12.3). The challenge is remembered for the internal
 * authentication of the 券面 APs.
 *
 * @example
 * ```ts
 * handleGetChallenge(state, decodeCommand(hexToBytes('0084000010'))); // 16 random bytes
 * ```
 */
import type { DecodedCommandApdu } from '@kakunin/core/iso7816';
import { SW } from '@kakunin/core/iso7816';
import { reply } from '../apdu-reply.js';
import type { CardState } from '../card-state.js';

export function handleGetChallenge(state: CardState, apdu: DecodedCommandApdu): Uint8Array {
  if (apdu.p1 !== 0x00 || apdu.p2 !== 0x00) return reply(SW.INCORRECT_P1_P2);
  if (apdu.extended) return reply(SW.CONDITIONS_NOT_SATISFIED);
  if (apdu.data.length > 0 || apdu.le === undefined) return reply(SW.WRONG_LENGTH);
  const bytes = state.random(apdu.le).slice();
  state.challenge = { application: state.application, bytes };
  return reply(SW.SUCCESS, bytes);
}
