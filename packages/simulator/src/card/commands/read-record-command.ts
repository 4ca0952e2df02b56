/**
 * READ RECORD (ISO 7816-4 §11.3.3): `00 B2 <record> 04` on the current EF or
 * `00 B2 <record> (SFI<<3 | 04)` by short EF identifier (jpki-card.md §9: `00 B2 01 0C 00`).
 * A record longer than Le answers `6C xx` with the exact length (ISO 7816-4 §5.1.3).
 *
 * @example
 * ```ts
 * handleReadRecord(state, decodeCommand(hexToBytes('00B2010C00'))); // 共通AP EF 0001 record 1
 * ```
 */
import type { DecodedCommandApdu } from '@kakunin/core/iso7816';
import { SW, SW1_WRONG_LE } from '@kakunin/core/iso7816';
import { isSatisfied } from '../access-rule.js';
import { reply } from '../apdu-reply.js';
import type { CardState } from '../card-state.js';
import { isVerified } from './read-binary-command.js';

/** P2 bits 1–3 = 100: read record number P1 (ISO 7816-4 §11.3.3 table 49). */
const P2_RECORD_NUMBER_IN_P1 = 0x04;
const P2_MODE_MASK = 0x07;
/** P2 bits 4–8: SFI (0 = current EF). */
const P2_SFI_SHIFT = 3;

export function handleReadRecord(state: CardState, apdu: DecodedCommandApdu): Uint8Array {
  if (apdu.data.length > 0 || apdu.le === undefined) return reply(SW.WRONG_LENGTH);
  if ((apdu.p2 & P2_MODE_MASK) !== P2_RECORD_NUMBER_IN_P1) return reply(SW.INCORRECT_P1_P2);
  const sfi = apdu.p2 >> P2_SFI_SHIFT;
  let file = state.file;
  if (sfi !== 0) {
    const named = state.application?.bySfi.get(sfi);
    if (named === undefined) return reply(SW.FILE_NOT_FOUND);
    state.file = named;
    file = named;
  }
  if (file === null) return reply(SW.COMMAND_NOT_ALLOWED);
  if (file.kind !== 'record') return reply(SW.COMMAND_INCOMPATIBLE);
  if (!isSatisfied(file.access, (fid) => isVerified(state, fid))) {
    return reply(SW.SECURITY_STATUS_NOT_SATISFIED);
  }
  const record = apdu.p1 === 0 ? undefined : file.records[apdu.p1 - 1];
  if (record === undefined) return reply(SW.RECORD_NOT_FOUND);
  if (apdu.le < record.length) return reply((SW1_WRONG_LE << 8) | (record.length & 0xff));
  return reply(SW.SUCCESS, record);
}
