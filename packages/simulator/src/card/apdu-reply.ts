/**
 * Builds response APDUs (data ‖ SW1 ‖ SW2, ISO 7816-4 §5.1.3) and names the status words the
 * card uses that `SW` of `@kakunin/core/iso7816` does not (jpki-card.md §8).
 *
 * @example
 * ```ts
 * reply(SW.SUCCESS, certificateChunk);
 * ```
 */

/** 69 FC: secure-messaging CLA refused on READ BINARY and VERIFY (jpki-card.md §9, [SOL]). */
export const SW_SECURE_MESSAGING_REFUSED = 0x69fc;
/** 68 84: command chaining not supported (ISO 7816-4 §5.1.3 table 6). */
export const SW_CHAINING_NOT_SUPPORTED = 0x6884;

/** Response with optional data. Returns a fresh array. */
export function reply(sw: number, data?: Uint8Array): Uint8Array {
  const length = data?.length ?? 0;
  const out = new Uint8Array(length + 2);
  if (data !== undefined) out.set(data, 0);
  out[length] = sw >> 8;
  out[length + 1] = sw & 0xff;
  return out;
}
