/**
 * The credentials derived from a card holder's data (jpki-card.md §5.1–§5.2): 照合番号A is the
 * 12-digit 個人番号; 照合番号B is the birth date `YYMMDD` with the era year + the expiry year
 * `YYYY` + the 4-digit security code; the card-face birth-date key is the birth date `YYMMDD`
 * with the era year.
 *
 * @example
 * ```ts
 * verificationNumberB({ birthDate: '19800217', cardExpiresOn: '20350217', securityCode: '2285' });
 * // '55021720352285' (the worked example of jpki-card.md §5.2)
 * ```
 */
import { eraYymmdd } from './japanese-era.js';
import type { SyntheticPerson } from './synthetic-person.js';

/**
 * 照合番号A (text AP 0014, face AP 0013).
 *
 * @example
 * ```ts
 * verificationNumberA(person); // the 12-digit 個人番号
 * ```
 */
export function verificationNumberA(person: Pick<SyntheticPerson, 'myNumber'>): string {
  return person.myNumber;
}

/**
 * 照合番号B (text AP 0015, face AP 0012).
 *
 * @example
 * ```ts
 * verificationNumberB(person); // 14 digits
 * ```
 */
export function verificationNumberB(
  person: Pick<SyntheticPerson, 'birthDate' | 'cardExpiresOn' | 'securityCode'>,
): string {
  return eraYymmdd(person.birthDate) + person.cardExpiresOn.slice(0, 4) + person.securityCode;
}

/**
 * Card-face AP birth-date key (face AP 0011).
 *
 * @example
 * ```ts
 * birthDateKey({ birthDate: '19800217' }); // '550217'
 * ```
 */
export function birthDateKey(person: Pick<SyntheticPerson, 'birthDate'>): string {
  return eraYymmdd(person.birthDate);
}
