/**
 * ACR1255U-J1 mutual authentication (transports.md §4.4, manual V1.01 §5.3/§5.7; FIDOk; obniz),
 * both roles as pure functions so that the host and the simulated reader share one tested core:
 *
 * 1. host → `E0 00 00 45 00`;
 * 2. reader → `E1 00 00 45 00 ‖ AES-CBC-encrypt(CMK, RND_A)`;
 * 3. host → `E0 00 00 46 00 ‖ AES-CBC-decrypt(CMK, RND_B ‖ RND_A)` (a decrypt: the reader encrypts
 *    it again to check — FIDOk remarks on this);
 * 4. reader → `E1 00 00 46 00 ‖ AES-CBC-encrypt(CMK, RND_B)`;
 * 5. session key = RND_A[0..7] ‖ RND_B[0..7].
 *
 * @example
 * ```ts
 * const step3 = hostAnswerChallenge(cipher, masterKey, readerChallenge, rndB);
 * hostVerifyConfirmation(cipher, masterKey, readerConfirmation, rndB); // true
 * const sessionKey = deriveSessionKey(step3.rndA, rndB);
 * ```
 */
import { concatBytes } from '@kakunin/core/transport';
import type { AesCbc } from './aes-cbc.js';
import { ACR1255_ESCAPE, ESCAPE_COMMAND_PREFIX, ESCAPE_RESPONSE_PREFIX, RANDOM_LENGTH } from './constants.js';

/** `E0 00 00 xx 00` / `E1 00 00 xx 00`: the 5-byte escape header of both phases. */
const ESCAPE_HEADER_LENGTH = 5;

function escapeHeader(prefix: number, code: number): Uint8Array {
  return Uint8Array.of(prefix, 0x00, 0x00, code, 0x00);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index += 1) difference |= a[index]! ^ b[index]!;
  return difference === 0;
}

/**
 * Splits an authentication escape payload `E1/E0 00 00 code 00 ‖ body`; undefined if malformed.
 *
 * @example
 * ```ts
 * parseAuthenticationPayload(payload, 0xe1, 0x45)?.length; // 16
 * ```
 */
export function parseAuthenticationPayload(
  payload: Uint8Array,
  prefix: number,
  code: number,
): Uint8Array | undefined {
  if (payload.length < ESCAPE_HEADER_LENGTH) return undefined;
  if (
    payload[0] !== prefix ||
    payload[1] !== 0 ||
    payload[2] !== 0 ||
    payload[3] !== code ||
    payload[4] !== 0
  )
    return undefined;
  return payload.subarray(ESCAPE_HEADER_LENGTH);
}

/**
 * Step 1 (host): the escape payload that asks the reader for its challenge.
 *
 * @example
 * ```ts
 * authenticationRequest(); // E0 00 00 45 00
 * ```
 */
export function authenticationRequest(): Uint8Array {
  return escapeHeader(ESCAPE_COMMAND_PREFIX, ACR1255_ESCAPE.AUTHENTICATE_PHASE_1);
}

/**
 * Step 2 (reader): `E1 00 00 45 00 ‖ E(CMK, RND_A)`.
 *
 * @example
 * ```ts
 * const challenge = readerChallenge(cipher, masterKey, rndA);
 * ```
 */
export function readerChallenge(cipher: AesCbc, masterKey: Uint8Array, rndA: Uint8Array): Uint8Array {
  return concatBytes(
    escapeHeader(ESCAPE_RESPONSE_PREFIX, ACR1255_ESCAPE.AUTHENTICATE_PHASE_1),
    cipher.encrypt(masterKey, rndA),
  );
}

/**
 * Step 3 (host): recovers RND_A from the reader's challenge and builds the answer
 * `E0 00 00 46 00 ‖ D(CMK, RND_B ‖ RND_A)`. Returns undefined when the challenge is malformed.
 *
 * @example
 * ```ts
 * const { payload, rndA } = hostAnswerChallenge(cipher, masterKey, challenge, rndB)!;
 * ```
 */
export function hostAnswerChallenge(
  cipher: AesCbc,
  masterKey: Uint8Array,
  challenge: Uint8Array,
  rndB: Uint8Array,
): { payload: Uint8Array; rndA: Uint8Array } | undefined {
  const body = parseAuthenticationPayload(
    challenge,
    ESCAPE_RESPONSE_PREFIX,
    ACR1255_ESCAPE.AUTHENTICATE_PHASE_1,
  );
  if (body?.length !== RANDOM_LENGTH || rndB.length !== RANDOM_LENGTH) return undefined;
  const rndA = cipher.decrypt(masterKey, body);
  const payload = concatBytes(
    escapeHeader(ESCAPE_COMMAND_PREFIX, ACR1255_ESCAPE.AUTHENTICATE_PHASE_2),
    cipher.decrypt(masterKey, concatBytes(rndB, rndA)),
  );
  return { payload, rndA };
}

/**
 * Step 4 (reader): checks the host's answer; on success returns RND_B and the confirmation
 * `E1 00 00 46 00 ‖ E(CMK, RND_B)`, otherwise undefined (the host does not hold the master key).
 *
 * @example
 * ```ts
 * const outcome = readerCheckAnswer(cipher, masterKey, rndA, answer);
 * ```
 */
export function readerCheckAnswer(
  cipher: AesCbc,
  masterKey: Uint8Array,
  rndA: Uint8Array,
  answer: Uint8Array,
): { rndB: Uint8Array; confirmation: Uint8Array } | undefined {
  const body = parseAuthenticationPayload(answer, ESCAPE_COMMAND_PREFIX, ACR1255_ESCAPE.AUTHENTICATE_PHASE_2);
  if (body?.length !== 2 * RANDOM_LENGTH) return undefined;
  const plain = cipher.encrypt(masterKey, body);
  const rndB = plain.slice(0, RANDOM_LENGTH);
  if (!equal(plain.subarray(RANDOM_LENGTH), rndA)) return undefined;
  return {
    rndB,
    confirmation: concatBytes(
      escapeHeader(ESCAPE_RESPONSE_PREFIX, ACR1255_ESCAPE.AUTHENTICATE_PHASE_2),
      cipher.encrypt(masterKey, rndB),
    ),
  };
}

/**
 * Step 4 check (host): the reader proves it knows the master key by returning E(CMK, RND_B).
 *
 * @example
 * ```ts
 * if (!hostVerifyConfirmation(cipher, masterKey, confirmation, rndB)) throw authFailed();
 * ```
 */
export function hostVerifyConfirmation(
  cipher: AesCbc,
  masterKey: Uint8Array,
  confirmation: Uint8Array,
  rndB: Uint8Array,
): boolean {
  const body = parseAuthenticationPayload(
    confirmation,
    ESCAPE_RESPONSE_PREFIX,
    ACR1255_ESCAPE.AUTHENTICATE_PHASE_2,
  );
  if (body?.length !== RANDOM_LENGTH) return false;
  return equal(cipher.decrypt(masterKey, body), rndB);
}

/**
 * Step 5: session key = RND_A[0..7] ‖ RND_B[0..7] (transports.md §4.4; FIDOk `buildSessionKey`).
 *
 * @example
 * ```ts
 * deriveSessionKey(rndA, rndB).length; // 16
 * ```
 */
export function deriveSessionKey(rndA: Uint8Array, rndB: Uint8Array): Uint8Array {
  return concatBytes(rndA.subarray(0, 8), rndB.subarray(0, 8));
}
