/**
 * SELECT (ISO 7816-4 §11.1.1) as the My Number card answers it (jpki-card.md §2, §9):
 * by DF name with prefix matching (JICSAP), P2 `0C` (no FCI) or `00`; EF by FID under the current
 * DF (P1 `02`); `00 A4 00 00` → `6A 86` at MF level, `90 00` without effect inside a DF;
 * SELECT `3F00` → `6A 82`. A failed SELECT keeps the current selection.
 *
 * @example
 * ```ts
 * handleSelect(state, decodeCommand(hexToBytes('00A4040C0AD392F000260100000001')));
 * ```
 */
import type { DecodedCommandApdu } from '@kakunin/core/iso7816';
import { SW } from '@kakunin/core/iso7816';
import { reply } from '../apdu-reply.js';
import { AID } from '../card-identifiers.js';
import type { CardState } from '../card-state.js';

/** P1: select by DF name (ISO 7816-4 §11.1.1 table 39). */
const P1_BY_DF_NAME = 0x04;
/** P1: select EF under the current DF. */
const P1_EF_UNDER_CURRENT_DF = 0x02;
/** P1: select MF, DF or EF by FID. */
const P1_BY_FILE_ID = 0x00;
/** P2: first occurrence, no response data (jpki-card.md §9: universal). */
const P2_NO_RESPONSE_DATA = 0x0c;
/** P2: first occurrence, return FCI (the card answers 90 00 without FCI, jpki-card.md §9 [AOKI]). */
const P2_RETURN_FCI = 0x00;
/** FID of the MF (ISO 7816-4 §7.1.1); the card answers 6A 82 (jpki-card.md §9). */
const MASTER_FILE_FID = 0x3f00;
/** FIDs are two bytes. */
const FID_LENGTH = 2;

function startsWith(whole: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > whole.length) return false;
  for (let index = 0; index < prefix.length; index++) if (whole[index] !== prefix[index]) return false;
  return true;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && startsWith(a, b);
}

export function handleSelect(state: CardState, apdu: DecodedCommandApdu): Uint8Array {
  if (apdu.p2 !== P2_NO_RESPONSE_DATA && apdu.p2 !== P2_RETURN_FCI) return reply(SW.INCORRECT_P1_P2);
  const data = apdu.data;
  if (apdu.p1 === P1_BY_DF_NAME) {
    if (data.length === 0) return reply(SW.WRONG_LENGTH);
    if (equalBytes(data, AID.ISSUER_SECURITY_DOMAIN)) {
      state.application = null;
      state.file = null;
      return reply(SW.SUCCESS);
    }
    const application = state.applications.find((candidate) => startsWith(candidate.spec.aid, data));
    if (application === undefined) return reply(SW.FILE_NOT_FOUND);
    state.application = application;
    state.file = null;
    return reply(SW.SUCCESS);
  }
  if (apdu.p1 === P1_BY_FILE_ID && data.length === 0) {
    return reply(state.application === null ? SW.INCORRECT_P1_P2 : SW.SUCCESS);
  }
  if (apdu.p1 === P1_EF_UNDER_CURRENT_DF || apdu.p1 === P1_BY_FILE_ID) {
    if (data.length !== FID_LENGTH) return reply(SW.WRONG_LENGTH);
    const fid = (data[0]! << 8) | data[1]!;
    if (fid === MASTER_FILE_FID || state.application === null) return reply(SW.FILE_NOT_FOUND);
    const file = state.application.files.get(fid);
    if (file === undefined) return reply(SW.FILE_NOT_FOUND);
    state.file = file;
    return reply(SW.SUCCESS);
  }
  return reply(SW.INCORRECT_P1_P2);
}
