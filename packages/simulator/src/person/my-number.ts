/**
 * 個人番号 check digit (行政手続における特定の個人を識別するための番号の利用等に関する法律施行令
 * 第8条 / 総務省令第85号 第5条): for the 11 leading digits P(n), n = 1 at the right,
 * Q(n) = n + 1 for n ≤ 6 and n − 5 for n ≥ 7; r = Σ P(n)·Q(n) mod 11; check = 0 if r ≤ 1 else 11 − r.
 *
 * @example
 * ```ts
 * myNumberCheckDigit('12345678901'); // 8 → '123456789018'
 * ```
 */

/**
 * Check digit for 11 leading digits.
 *
 * @example
 * ```ts
 * myNumberCheckDigit('12345678901'); // 8
 * ```
 */
export function myNumberCheckDigit(leading: string): number {
  if (typeof leading !== 'string' || !/^[0-9]{11}$/.test(leading)) {
    throw new TypeError('leading must be 11 ASCII digits');
  }
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const digit = leading.charCodeAt(11 - n) - 0x30;
    sum += digit * (n <= 6 ? n + 1 : n - 5);
  }
  const remainder = sum % 11;
  return remainder <= 1 ? 0 : 11 - remainder;
}

/**
 * True for a 12-digit 個人番号 whose check digit is right.
 *
 * @example
 * ```ts
 * isValidMyNumber('123456789018'); // true
 * ```
 */
export function isValidMyNumber(value: string): boolean {
  return /^[0-9]{12}$/.test(value) && myNumberCheckDigit(value.slice(0, 11)) === Number(value[11]);
}
