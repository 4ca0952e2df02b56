/**
 * Byte concatenation, the one copy every layer uses (DER and BER-TLV writers, Noise, the ACR1255
 * authentication, the simulator's encoders).
 *
 * @example
 * ```ts
 * concatBytes(Uint8Array.of(0x90), Uint8Array.of(0x00)); // Uint8Array [0x90, 0x00]
 * ```
 */

/** Concatenates byte arrays into one fresh array (the parts are copied, never shared). */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
