/**
 * Cutting a byte string into GATT-sized pieces (ATT MTU − 3; 20 bytes on a default link).
 *
 * @example
 * ```ts
 * fragment(new Uint8Array(45), 20).map((piece) => piece.length); // [20, 20, 5]
 * ```
 */
export function fragment(bytes: Uint8Array, length: number): Uint8Array[] {
  if (!Number.isInteger(length) || length < 1)
    throw new RangeError(`fragment: length must be a positive integer, got ${length}`);
  const pieces: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += length) {
    pieces.push(bytes.subarray(offset, Math.min(bytes.length, offset + length)));
  }
  return pieces;
}
