/**
 * Formats of the card's reference data (jpki-card.md §8). The card compares the bytes it is given;
 * the format matters only for CHANGE REFERENCE DATA, which refuses a new value that breaks it
 * (`6A 80`, the simulator's choice: no public source says what the card answers).
 *
 * @example
 * ```ts
 * PIN_FORMAT.SIGN_PASSWORD.accepts('KAKUNIN1'); // true
 * ```
 */
export interface PinFormat {
  readonly name: string;
  readonly pattern: RegExp;
  accepts(value: string): boolean;
}

function format(name: string, pattern: RegExp): PinFormat {
  return { name, pattern, accepts: (value) => pattern.test(value) };
}

/**
 * Every reference-data format the card uses.
 *
 * @example
 * ```ts
 * PIN_FORMAT.SIGN_PASSWORD.accepts('KAKUNIN1'); // true
 * ```
 */
export const PIN_FORMAT = {
  /** 利用者証明用暗証番号 / 券面事項入力補助用暗証番号 / 住基 PIN: 4 digits. */
  FOUR_DIGITS: format('4 digits', /^[0-9]{4}$/),
  /** 署名用パスワード: 6–16 of A–Z 0–9 (jpki-card.md §3.1, §8). */
  SIGN_PASSWORD: format('6-16 A-Z0-9', /^[A-Z0-9]{6,16}$/),
  /** 照合番号A: the 12-digit 個人番号. */
  TWELVE_DIGITS: format('12 digits', /^[0-9]{12}$/),
  /** 照合番号B: 14 digits (era YYMMDD + expiry YYYY + security code, jpki-card.md §5.2). */
  FOURTEEN_DIGITS: format('14 digits', /^[0-9]{14}$/),
  /** Birth-date key: 6 digits, era YYMMDD (jpki-card.md §5.1). */
  SIX_DIGITS: format('6 digits', /^[0-9]{6}$/),
} as const;
