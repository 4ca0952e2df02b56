/**
 * Membership in JIS X 0208 (the character set the card's substitute-character maps refer to,
 * certificates.md §3 SAN .2 / .6). Computed, not tabulated: every two-byte Shift_JIS code of
 * rows 1–84 is decoded with the WHATWG Shift_JIS decoder, leaving out row 13 (NEC special
 * characters) and rows 89–94 (NEC-selected and IBM extensions: 髙, 﨑, …), which are Windows-31J
 * additions, not JIS X 0208.
 *
 * @example
 * ```ts
 * const jis = new JisX0208();
 * jis.has('高'); // true
 * jis.has('髙'); // false (IBM extension)
 * jis.has('𠮷'); // false (JIS X 0213 plane 2)
 * ```
 */

/** Shift_JIS lead-byte ranges of rows 1–62 and 63–94 (JIS X 0208 Annex 1). */
const LEAD_LOW_START = 0x81;
const LEAD_LOW_END = 0x9f;
const LEAD_HIGH_START = 0xe0;
/** Lead byte EA holds rows 83–84: the last JIS X 0208 rows. */
const LEAD_HIGH_END = 0xea;
/** Lead byte 87 holds rows 13–14; row 13 (odd row, trail 40–9E) is NEC's, row 14 is empty. */
const LEAD_NEC_ROW_13 = 0x87;

/**
 * The JIS X 0208 character set.
 *
 * @example
 * ```ts
 * new JisX0208().has('髙'); // false
 * ```
 */
export class JisX0208 {
  readonly #characters: ReadonlySet<string>;

  constructor() {
    const decoder = new TextDecoder('shift_jis', { fatal: false });
    const characters = new Set<string>();
    const pair = new Uint8Array(2);
    for (let lead = LEAD_LOW_START; lead <= LEAD_HIGH_END; lead++) {
      if (lead > LEAD_LOW_END && lead < LEAD_HIGH_START) continue;
      if (lead === LEAD_NEC_ROW_13) continue;
      for (let trail = 0x40; trail <= 0xfc; trail++) {
        if (trail === 0x7f) continue;
        pair[0] = lead;
        pair[1] = trail;
        const character = decoder.decode(pair);
        if (character.length > 0 && character !== '\ufffd') characters.add(character);
      }
    }
    this.#characters = characters;
  }

  /** True when `character` (one code point) is in JIS X 0208. */
  has(character: string): boolean {
    return this.#characters.has(character);
  }

  /**
   * The substitute-character map of certificates.md §3: `0` per character in JIS X 0208, `1`
   * per character outside it (which the issuing system would have had to substitute).
   *
   * @example
   * ```ts
   * jis.substitutionMap('髙橋　花子'); // '10000'
   * ```
   */
  substitutionMap(text: string): string {
    return [...text].map((character) => (this.has(character) ? '0' : '1')).join('');
  }
}
