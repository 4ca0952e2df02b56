/**
 * Contact or contactless, from the ATR. A PC/SC reader that talks to an ISO/IEC 14443 card
 * synthesizes a "pseudo-ATR" (PC/SC Part 3 §3.1.3.2.3): TS 3B, T0 = 8n (only TD1 follows, n
 * historical bytes), TD1 = 80 (TD2 follows, T=0), TD2 = 01 (T=1). The My Number Card's
 * contactless ATRs have this shape (`3B 88 80 01 …`, jpki-card.md §12.2); its contact ATRs do not
 * (`3B E0 00 FF 81 31 FE 45 14`, §12.1).
 *
 * @example
 * ```ts
 * cardInterfaceFromAtr(hexToBytes('3b888001000000...')); // 'contactless'
 * ```
 */

/** Direct convention initial character (ISO/IEC 7816-3 §8.1). */
const TS_DIRECT = 0x3b;
/** Inverse convention initial character (ISO/IEC 7816-3 §8.1). */
const TS_INVERSE = 0x3f;
/** T0 high nibble 8: only TD1 present (PC/SC Part 3 pseudo-ATR). */
const PSEUDO_ATR_T0_HIGH = 0x80;
/** TD1 = 80: TD2 present, protocol T=0 (PC/SC Part 3 pseudo-ATR). */
const PSEUDO_ATR_TD1 = 0x80;
/** TD2 = 01: no more interface bytes, protocol T=1 (PC/SC Part 3 pseudo-ATR). */
const PSEUDO_ATR_TD2 = 0x01;

export function cardInterfaceFromAtr(atr: Uint8Array): 'contact' | 'contactless' | 'unknown' {
  if (atr.length < 2) return 'unknown';
  const ts = atr[0];
  if (ts !== TS_DIRECT && ts !== TS_INVERSE) return 'unknown';
  if (
    ts === TS_DIRECT &&
    atr.length >= 4 &&
    (atr[1]! & 0xf0) === PSEUDO_ATR_T0_HIGH &&
    atr[2] === PSEUDO_ATR_TD1 &&
    atr[3] === PSEUDO_ATR_TD2
  ) {
    return 'contactless';
  }
  return 'contact';
}
