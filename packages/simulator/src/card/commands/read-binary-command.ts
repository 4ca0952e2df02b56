/**
 * READ BINARY (ISO 7816-4 §11.2.3) by offset (P1 bit 8 = 0, 15-bit offset) or by short EF
 * identifier (P1 = 80|SFI, offset in P2; the EF becomes current). End of file as the card
 * answers it (jpki-card.md §8–§9): an offset at or past the end → `6B 00`; fewer bytes than Le
 * available → the bytes that exist and `62 82`.
 *
 * @example
 * ```ts
 * handleReadBinary(state, decodeCommand(hexToBytes('00B08A0000'))); // EF 000A by SFI, 256 bytes
 * ```
 */
import type { DecodedCommandApdu } from '@kakunin/core/iso7816';
import { SW } from '@kakunin/core/iso7816';
import { isSatisfied } from '../access-rule.js';
import { reply } from '../apdu-reply.js';
import type { CardState } from '../card-state.js';

/** 6C xx: wrong Le, xx = the exact length available (ISO 7816-4 §5.1.3; xx = 00 means 256). */
const SW_WRONG_LE = 0x6c00;
/** Largest length a 6C xx can name (xx = 00). */
const MAX_WRONG_LE = 256;
/** P1 bit 8: short EF identifier in bits 1–5 (ISO 7816-4 §11.2.3). */
const P1_SFI_FLAG = 0x80;
/** P1 bits 6–7 must be zero in the SFI form. */
const P1_SFI_RESERVED = 0x60;
/** P1 bits 1–5: the SFI. */
const SFI_MASK = 0x1f;

export function handleReadBinary(state: CardState, apdu: DecodedCommandApdu): Uint8Array {
  if (apdu.data.length > 0 || apdu.le === undefined) return reply(SW.WRONG_LENGTH);
  let file = state.file;
  let offset: number;
  if ((apdu.p1 & P1_SFI_FLAG) !== 0) {
    const sfi = apdu.p1 & SFI_MASK;
    if ((apdu.p1 & P1_SFI_RESERVED) !== 0 || sfi === 0) return reply(SW.INCORRECT_P1_P2);
    if (state.application === null) return reply(SW.FILE_NOT_FOUND);
    const named = state.application.bySfi.get(sfi);
    if (named === undefined) return reply(SW.FILE_NOT_FOUND);
    state.file = named;
    file = named;
    offset = apdu.p2;
  } else {
    if (file === null) return reply(SW.COMMAND_NOT_ALLOWED);
    offset = (apdu.p1 << 8) | apdu.p2;
  }
  if (file.kind !== 'binary') return reply(SW.COMMAND_INCOMPATIBLE);
  if (!isSatisfied(file.access, (fid) => isVerified(state, fid))) {
    return reply(SW.SECURITY_STATUS_NOT_SATISFIED);
  }
  const content = file.content;
  if (offset >= content.length) return reply(SW.WRONG_P1_P2);
  const quirks = state.image.quirks;
  const left = content.length - offset;
  // 6C xx can name at most 256 bytes: with more left than that the card answers data + 62 82.
  if (quirks?.endOfFile === 'wrong-le' && left < apdu.le && left <= MAX_WRONG_LE)
    return reply(SW_WRONG_LE | (left & 0xff));
  const cap = quirks?.responseCap;
  if (cap !== undefined && apdu.le > cap) return reply(SW_WRONG_LE | (cap & 0xff));
  const available = Math.min(apdu.le, left);
  const data = content.subarray(offset, offset + available);
  return reply(available < apdu.le ? SW.END_OF_FILE_WARNING : SW.SUCCESS, data);
}

/** True when the PIN EF `fid` of the current application was verified since power-on. */
export function isVerified(state: CardState, fid: number): boolean {
  const pin = state.application?.files.get(fid);
  return pin !== undefined && pin.kind === 'pin' && state.verified.has(pin);
}
