/**
 * Resolves the key a VERIFY / CHANGE REFERENCE DATA names in P2 (jpki-card.md §8–§9):
 * `80` = the currently selected key EF, `80|SFI` = the key EF with that short identifier.
 *
 * @example
 * ```ts
 * const target = resolvePin(state, 0x98); // JPKI 0018 without a prior SELECT
 * ```
 */
import { SW } from '@kakunin/core/iso7816';
import type { CardState, PinState } from '../card-state.js';

/** P2 = 80: specific reference data, the current key EF (ISO 7816-4 §11.5.6 table 65). */
const P2_SPECIFIC = 0x80;
/** Bits 1–5 of P2: the SFI of the key EF. */
const P2_REFERENCE_MASK = 0x1f;
/** Bits 6–7 of P2 are reserved (must be 0). */
const P2_RESERVED = 0x60;

/** The PIN named by `p2`, or the status word to answer. */
export function resolvePin(state: CardState, p2: number): PinState | number {
  if ((p2 & P2_SPECIFIC) === 0 || (p2 & P2_RESERVED) !== 0) return SW.INCORRECT_P1_P2;
  const sfi = p2 & P2_REFERENCE_MASK;
  if (sfi === 0) {
    const file = state.file;
    if (file === null) return SW.COMMAND_NOT_ALLOWED;
    return file.kind === 'pin' ? file : SW.REFERENCED_DATA_NOT_FOUND;
  }
  const file = state.application?.bySfi.get(sfi);
  return file !== undefined && file.kind === 'pin' ? file : SW.REFERENCED_DATA_NOT_FOUND;
}
