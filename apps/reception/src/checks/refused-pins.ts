/**
 * PINs the card has already refused during one check or one holder read, remembered only as an
 * HMAC under a key that lives in memory for that check (so a double press or a re-post of the
 * same wrong PIN is refused before it reaches the card, and no PIN is ever stored). One piece for
 * the check service and the 基本4情報 read of the 申立書.
 */
import { createHmac } from 'node:crypto';

/** The four-digit PINs of the JPKI auth AP and the 券面事項入力補助 AP (jpki-card.md §8). */
const PIN_LENGTH = 4;
/** ASCII '0' and '9': the PINs are sent as ASCII digits. */
const ASCII_ZERO = 0x30;
const ASCII_NINE = 0x39;

/** Four ASCII digits — the only shape the app presents to a card. */
export function isWellFormedPin(pin: Uint8Array): boolean {
  return pin.length === PIN_LENGTH && pin.every((byte) => byte >= ASCII_ZERO && byte <= ASCII_NINE);
}

export class RefusedPins {
  readonly #key: Uint8Array;
  readonly #digests = new Set<string>();

  /** `key`: fresh random bytes for this check (an empty key for a state that never takes a PIN). */
  constructor(key: Uint8Array) {
    this.#key = key;
  }

  /**
   * The PIN's digest (for `remember`), or undefined when the card already refused this PIN in
   * this check: then it must not be presented again.
   */
  admit(pin: Uint8Array): string | undefined {
    const digest = createHmac('sha256', this.#key).update(pin).digest('hex');
    return this.#digests.has(digest) ? undefined : digest;
  }

  /** The card answered PIN_INCORRECT to the PIN with this digest. */
  remember(digest: string): void {
    this.#digests.add(digest);
  }

  /** At the end of the check: forget every digest and zero the key. */
  forget(): void {
    this.#digests.clear();
    this.#key.fill(0);
  }
}
