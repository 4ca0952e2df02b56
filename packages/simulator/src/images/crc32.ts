/**
 * CRC-32 as PNG uses it (ISO 3309 / ITU-T V.42 polynomial 0xEDB88320, reflected; PNG spec
 * (ISO/IEC 15948) §5.5 and Annex D).
 *
 * @example
 * ```ts
 * crc32(new TextEncoder().encode('IEND')); // 0xAE426082
 * ```
 */

/** Reflected CRC-32 polynomial (PNG §5.5). */
const POLYNOMIAL = 0xedb88320;

function makeTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? POLYNOMIAL ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** CRC-32 over all parts, in order (the 1 KiB table is rebuilt per call: no module state). */
export function crc32(...parts: readonly Uint8Array[]): number {
  const table = makeTable();
  let crc = 0xffffffff;
  for (const bytes of parts) {
    for (const byte of bytes) crc = table[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}
