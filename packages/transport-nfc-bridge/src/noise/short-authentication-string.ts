/**
 * A 6-digit code derived from the Noise handshake hash, shown on the PC and on the phone after
 * pairing. Matching codes confirm to a person that the phone talks to this PC (docs/protocol.md
 * §4.3). The QR code already authenticates both sides; the code is a visible cross-check.
 *
 * @example
 * ```ts
 * shortAuthenticationString(handshakeHash); // '052817'
 * ```
 */
import { assertBytes } from '@kakunin/core/transport';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

/** HMAC label separating this use of the handshake hash from the session id (docs/protocol.md §4.3). */
const SAS_LABEL = new TextEncoder().encode('kakunin-bridge sas');
const SAS_DIGITS = 6;
const SAS_MODULUS = 10 ** SAS_DIGITS;

/**
 * Six decimal digits from the handshake hash.
 *
 * @example
 * ```ts
 * shortAuthenticationString(split.handshakeHash); // '052817'
 * ```
 */
export function shortAuthenticationString(handshakeHash: Uint8Array): string {
  assertBytes(handshakeHash, 'handshakeHash');
  if (handshakeHash.length !== 32) throw new RangeError('handshakeHash must be 32 bytes');
  const mac = hmac(sha256, handshakeHash, SAS_LABEL);
  const value = new DataView(mac.buffer, mac.byteOffset, 4).getUint32(0) % SAS_MODULUS;
  return String(value).padStart(SAS_DIGITS, '0');
}
