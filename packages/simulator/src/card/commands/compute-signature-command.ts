/**
 * COMPUTE DIGITAL SIGNATURE `80 2A P1 P2` (jpki-card.md §9–§10).
 *
 * JPKI AP: P2 = `80` (key in the current EF) or `80|SFI` (`97` auth, `9A` sign); the key's PIN
 * must be verified (`69 82`). P1 picks the scheme: `00` pad the given bytes (1–245), `01` hash
 * the message and pad the bare hash, `02` wrap a 32-byte hash in a DigestInfo, `03` hash + wrap,
 * `04` PSS over a 32-byte hash, `05` hash + PSS; other P1 → `6A 86`; bad input length → `67 00`.
 *
 * 券面 APs: `80 2A 00 00` right after GET CHALLENGE in the same AP signs the given bytes with the
 * AP's own key, no PIN (internal authentication); without a fresh challenge → `69 85`.
 * The response is the 256-byte signature; Le must ask for all of it (else `67 00`).
 *
 * @example
 * ```ts
 * handleComputeSignature(state, decodeCommand(concat(hexToBytes('802A009733'), digestInfo, [0])));
 * ```
 */
import type { DecodedCommandApdu } from '@kakunin/core/iso7816';
import { SW } from '@kakunin/core/iso7816';
import { reply } from '../apdu-reply.js';
import type { KeyFileSpec } from '../card-file.js';
import type { CardState } from '../card-state.js';
import {
  PKCS1_MAX_INPUT,
  RSA_2048_BYTES,
  SHA256_LENGTH,
  sha256,
  sha256DigestInfo,
  signPkcs1,
  signPss,
} from '../rsa-signature.js';

/** P1 schemes (jpki-card.md §10 table). */
const SCHEME = {
  PAD_GIVEN: 0x00,
  HASH_THEN_PAD_BARE: 0x01,
  WRAP_HASH: 0x02,
  HASH_THEN_WRAP: 0x03,
  PSS_HASH: 0x04,
  HASH_THEN_PSS: 0x05,
} as const;
/** P2 = 80: key in the current EF; 80|SFI names the key EF. */
const P2_KEY_REFERENCE = 0x80;
const P2_SFI_MASK = 0x1f;
/** P1 = P2 = 00: internal authentication in the 券面 APs (jpki-card.md §9). */
const INTERNAL_AUTHENTICATION_P1P2 = 0x00;

function resolveKey(state: CardState, p2: number): KeyFileSpec | number {
  if ((p2 & 0xe0) !== P2_KEY_REFERENCE) return SW.INCORRECT_P1_P2;
  const sfi = p2 & P2_SFI_MASK;
  const file = sfi === 0 ? state.file : (state.application?.bySfi.get(sfi) ?? null);
  if (file === null) return sfi === 0 ? SW.COMMAND_NOT_ALLOWED : SW.REFERENCED_DATA_NOT_FOUND;
  if (file.kind !== 'key') return sfi === 0 ? SW.COMMAND_INCOMPATIBLE : SW.REFERENCED_DATA_NOT_FOUND;
  return file;
}

function jpkiSignature(state: CardState, apdu: DecodedCommandApdu): Uint8Array {
  const key = resolveKey(state, apdu.p2);
  if (typeof key === 'number') return reply(key);
  if (apdu.p1 > SCHEME.HASH_THEN_PSS) return reply(SW.INCORRECT_P1_P2);
  const unlock = key.unlockedBy === null ? undefined : state.application?.files.get(key.unlockedBy);
  if (
    key.unlockedBy !== null &&
    (unlock === undefined || unlock.kind !== 'pin' || !state.verified.has(unlock))
  ) {
    return reply(SW.SECURITY_STATUS_NOT_SATISFIED);
  }
  const input = apdu.data;
  if (input.length === 0) return reply(SW.WRONG_LENGTH);
  const hashGiven = apdu.p1 === SCHEME.WRAP_HASH || apdu.p1 === SCHEME.PSS_HASH;
  if (hashGiven && input.length !== SHA256_LENGTH) return reply(SW.WRONG_LENGTH);
  let signature: Uint8Array;
  switch (apdu.p1) {
    case SCHEME.PAD_GIVEN:
      if (input.length > PKCS1_MAX_INPUT) return reply(SW.WRONG_LENGTH);
      signature = signPkcs1(key.privateKey, input);
      break;
    case SCHEME.HASH_THEN_PAD_BARE:
      signature = signPkcs1(key.privateKey, sha256(input));
      break;
    case SCHEME.WRAP_HASH:
      signature = signPkcs1(key.privateKey, sha256DigestInfo(input));
      break;
    case SCHEME.HASH_THEN_WRAP:
      signature = signPkcs1(key.privateKey, sha256DigestInfo(sha256(input)));
      break;
    case SCHEME.PSS_HASH:
      signature = signPss(key.privateKey, input, state.random(SHA256_LENGTH));
      break;
    default:
      signature = signPss(key.privateKey, sha256(input), state.random(SHA256_LENGTH));
      break;
  }
  return reply(SW.SUCCESS, signature);
}

function internalAuthentication(state: CardState, apdu: DecodedCommandApdu): Uint8Array {
  if (apdu.p1 !== INTERNAL_AUTHENTICATION_P1P2 || apdu.p2 !== INTERNAL_AUTHENTICATION_P1P2) {
    return reply(SW.INCORRECT_P1_P2);
  }
  const application = state.application;
  const key = application?.spec.internalAuthenticationKey;
  if (application === null || key === undefined) return reply(SW.REFERENCED_DATA_NOT_FOUND);
  const challenge = state.challenge;
  state.challenge = null;
  if (challenge === null || challenge.application !== application) return reply(SW.CONDITIONS_NOT_SATISFIED);
  if (apdu.data.length === 0 || apdu.data.length > PKCS1_MAX_INPUT) return reply(SW.WRONG_LENGTH);
  return reply(SW.SUCCESS, signPkcs1(key, apdu.data));
}

export function handleComputeSignature(state: CardState, apdu: DecodedCommandApdu): Uint8Array {
  const application = state.application;
  if (application === null) return reply(SW.COMMAND_NOT_ALLOWED);
  if (apdu.le === undefined || apdu.le < RSA_2048_BYTES) return reply(SW.WRONG_LENGTH);
  switch (application.spec.kind) {
    case 'jpki':
      return jpkiSignature(state, apdu);
    case 'text':
    case 'face':
      return internalAuthentication(state, apdu);
    default:
      return reply(SW.INCORRECT_P1_P2);
  }
}
