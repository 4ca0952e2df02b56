/**
 * A tiny BER-TLV writer for the card's private-tag files (`FF 20`, `DF 21`, `7F 21`, `5F 4E`, …;
 * ISO 8825-1 §8.1.2 tags, §8.1.3 definite lengths). X.509 structures use the DER writer of
 * `@kakunin/core/der`; this one only serves the proprietary card files of jpki-card.md §4–§5.
 *
 * @example
 * ```ts
 * const tlv = berTlv(0xdf22, new TextEncoder().encode('山田 花子')); // DF 22 0D …
 * ```
 */
import { concatBytes } from '@kakunin/core/transport';

/** Encodes a tag number given as its big-endian byte value (0xDF22 → DF 22). */
function tagBytes(tag: number): number[] {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xffffff)
    throw new RangeError(`tag must be 0..0xFFFFFF, got ${tag}`);
  if (tag > 0xffff) return [tag >> 16, (tag >> 8) & 0xff, tag & 0xff];
  if (tag > 0xff) return [tag >> 8, tag & 0xff];
  return [tag];
}

/** Definite-length encoding (ISO 8825-1 §8.1.3.4 short form, §8.1.3.5 long form). */
export function berLength(length: number): number[] {
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`length must be ≥ 0, got ${length}`);
  if (length < 0x80) return [length];
  if (length <= 0xff) return [0x81, length];
  if (length <= 0xffff) return [0x82, length >> 8, length & 0xff];
  if (length <= 0xffffff) return [0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
  return [0x84, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff];
}

/**
 * One TLV: tag ‖ length ‖ value. `value` may be several parts, concatenated.
 *
 * @example
 * ```ts
 * berTlv(0xff20, berTlv(0xdf22, name), berTlv(0xdf23, address));
 * ```
 */
export function berTlv(tag: number, ...value: readonly Uint8Array[]): Uint8Array {
  const body = value.length === 1 ? value[0]! : concatBytes(...value);
  const head = [...tagBytes(tag), ...berLength(body.length)];
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

/**
 * Right-pads `content` with `filler` to `size` bytes (the card's files end in `00`/`FF` filler,
 * jpki-card.md §11). Returns `content` itself when it already fills `size`.
 */
export function padWithFiller(content: Uint8Array, size: number, filler = 0xff): Uint8Array {
  if (content.length >= size) return content;
  const out = new Uint8Array(size).fill(filler);
  out.set(content, 0);
  return out;
}
