/**
 * Synthetic card holders: realistic Japanese names and addresses, deterministic from a seed,
 * deliberately including characters outside JIS X 0208 (髙, 﨑 from the IBM extensions, 𠮷
 * from JIS X 0213 plane 2 / outside the BMP) so that every UTF-8, UTF-16 and substitute-map path
 * is exercised. Every value is invented; any likeness to a real person is accidental.
 *
 * @example
 * ```ts
 * const person = createSyntheticPerson('kakunin', { issuedOn: '20251027' });
 * person.name; // e.g. '髙橋　花子'
 * ```
 */
import { SeededRandom } from '../pki/seeded-random.js';
import { myNumberCheckDigit } from './my-number.js';

/**
 * Sex as the card's text AP encodes it (JIS X 0303: 1 male, 2 female, 9 not applicable).
 *
 * @example
 * ```ts
 * const sex: Sex = 'female';
 * ```
 */
export type Sex = 'male' | 'female' | 'not-applicable';

/**
 * The municipality a person lives in.
 *
 * @example
 * ```ts
 * person.municipality.cityRomaji; // e.g. 'Kiyose-shi'
 * ```
 */
export interface Municipality {
  /** e.g. 東京都 */
  readonly prefecture: string;
  /** e.g. Tokyo-to (sign certificate subject L=, certificates.md §3). */
  readonly prefectureRomaji: string;
  /** e.g. 清瀬市 */
  readonly city: string;
  /** e.g. Kiyose-shi */
  readonly cityRomaji: string;
  /** 5-digit 全国地方公共団体コード without check digit (face AP DF34, 共通AP record). */
  readonly code: string;
  readonly towns: readonly string[];
}

/**
 * A synthetic card holder.
 *
 * @example
 * ```ts
 * const person: SyntheticPerson = createSyntheticPerson('kakunin');
 * ```
 */
export interface SyntheticPerson {
  /** 氏名: surname, U+3000 ideographic space, given name (certificates.md §3 SAN .1). */
  readonly name: string;
  readonly surname: string;
  readonly givenName: string;
  /** 住所 without postcode. */
  readonly address: string;
  readonly municipality: Municipality;
  /** Gregorian YYYYMMDD. */
  readonly birthDate: string;
  readonly sex: Sex;
  /** 12-digit 個人番号 with a valid check digit (照合番号A). */
  readonly myNumber: string;
  /** 4-digit セキュリティコード printed on the card face (part of 照合番号B). */
  readonly securityCode: string;
  /** 15-digit card serial (共通AP record, jpki-card.md §6). */
  readonly cardSerial: string;
  /** Card issue date YYYYMMDD. */
  readonly cardIssuedOn: string;
  /** Card expiry YYYYMMDD: the 10th birthday after issue (5th for minors). */
  readonly cardExpiresOn: string;
}

/**
 * How to make a synthetic person.
 *
 * @example
 * ```ts
 * createSyntheticPerson('kakunin', { ageClass: 'child', issuedOn: '20251027' });
 * ```
 */
export interface SyntheticPersonOptions {
  /** Card issue date YYYYMMDD (default 20251027). */
  readonly issuedOn?: string;
  /** `child`: aged 5–14 at issue (no sign certificate); `adult` (default): 20–79. */
  readonly ageClass?: 'adult' | 'child';
  /** Guarantee a surname with a character outside JIS X 0208 (default true). */
  readonly outsideJis?: boolean;
}

/**
 * Default card issue date of the simulator's persons.
 *
 * @example
 * ```ts
 * createSyntheticPerson('kakunin', { issuedOn: DEFAULT_ISSUED_ON });
 * ```
 */
export const DEFAULT_ISSUED_ON = '20251027';

/** Surnames with a character outside JIS X 0208 (IBM-extension 髙 﨑, plane-2 𠮷). */
const SURNAMES_OUTSIDE_JIS: readonly string[] = ['髙橋', '山﨑', '𠮷田', '髙木', '宮﨑', '𠮷川'];
const SURNAMES: readonly string[] = [
  ...SURNAMES_OUTSIDE_JIS,
  '渡邊',
  '齋藤',
  '佐藤',
  '鈴木',
  '田中',
  '伊藤',
  '中村',
  '小林',
  '加藤',
];
const MALE_NAMES: readonly string[] = ['太郎', '𠮷男', '翔太', '蓮', '健一', '大輔', '悠真', '誠'];
const FEMALE_NAMES: readonly string[] = ['花子', '美咲', '陽菜', '結衣', '裕子', '𠮷乃', '恵', '葵'];

/** Municipalities (real names and codes; the street addresses built on them are invented). */
const MUNICIPALITIES: readonly Municipality[] = [
  {
    prefecture: '東京都',
    prefectureRomaji: 'Tokyo-to',
    city: '清瀬市',
    cityRomaji: 'Kiyose-shi',
    code: '13221',
    towns: ['中里', '元町', '松山', '竹丘'],
  },
  {
    prefecture: '大阪府',
    prefectureRomaji: 'Osaka-fu',
    city: '大阪市北区',
    cityRomaji: 'Osaka-shi Kita-ku',
    code: '27127',
    towns: ['梅田', '天神橋', '中崎'],
  },
  {
    prefecture: '福岡県',
    prefectureRomaji: 'Fukuoka-ken',
    city: '福岡市中央区',
    cityRomaji: 'Fukuoka-shi Chuo-ku',
    code: '40133',
    towns: ['天神', '大名', '赤坂'],
  },
  {
    prefecture: '北海道',
    prefectureRomaji: 'Hokkaido',
    city: '札幌市中央区',
    cityRomaji: 'Sapporo-shi Chuo-ku',
    code: '01101',
    towns: ['北一条西', '南三条東', '宮の森'],
  },
  {
    prefecture: '神奈川県',
    prefectureRomaji: 'Kanagawa-ken',
    city: '川崎市川崎区',
    cityRomaji: 'Kawasaki-shi Kawasaki-ku',
    code: '14131',
    towns: ['砂子', '小川町', '大島'],
  },
];
const BUILDINGS: readonly string[] = ['', '', 'コーポ髙木', '山﨑ハイツ', '𠮷野レジデンス', 'メゾン清風'];
const KANJI_NUMERALS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** Half-width digits → full-width (U+FF10…), as addresses are printed on the card. */
function fullWidth(digits: string): string {
  return [...digits].map((digit) => String.fromCharCode(0xff10 + digit.charCodeAt(0) - 0x30)).join('');
}

function addYears(date: string, years: number): string {
  return String(Number(date.slice(0, 4)) + years).padStart(4, '0') + date.slice(4);
}

/**
 * The n-th birthday strictly after `after` (both YYYYMMDD). 29 Feb becomes 28 Feb in other years.
 *
 * @example
 * ```ts
 * nthBirthdayAfter('19800217', '20251027', 5); // '20300217'
 * ```
 */
export function nthBirthdayAfter(birthDate: string, after: string, n: number): string {
  let year = Number(after.slice(0, 4));
  const monthDay = birthDate.slice(4);
  if (`${year}${monthDay}` <= after) year += 1;
  year += n - 1;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return `${year}${monthDay === '0229' && !leap ? '0228' : monthDay}`;
}

function dayOfYear(random: SeededRandom, year: number): string {
  const month = 1 + random.integer(12);
  const days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  const day = 1 + random.integer(days);
  return `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
}

/**
 * A synthetic person, deterministic from `seed`.
 *
 * @example
 * ```ts
 * createSyntheticPerson('kakunin').myNumber; // 12 digits, valid check digit
 * ```
 */
export function createSyntheticPerson(seed: string, options: SyntheticPersonOptions = {}): SyntheticPerson {
  const issuedOn = options.issuedOn ?? DEFAULT_ISSUED_ON;
  if (!/^[0-9]{8}$/.test(issuedOn)) throw new TypeError('options.issuedOn must be YYYYMMDD');
  const random = new SeededRandom(seed, `person:${options.ageClass ?? 'adult'}`);
  const sex: Sex = random.integer(2) === 0 ? 'female' : 'male';
  const surname = random.pick(options.outsideJis === false ? SURNAMES : SURNAMES_OUTSIDE_JIS);
  const givenName = random.pick(sex === 'female' ? FEMALE_NAMES : MALE_NAMES);
  const municipality = random.pick(MUNICIPALITIES);
  const town = random.pick(municipality.towns);
  const chome = KANJI_NUMERALS[1 + random.integer(9)]!;
  const block = fullWidth(String(1 + random.integer(40)));
  const lot = fullWidth(String(1 + random.integer(30)));
  const building = random.pick(BUILDINGS);
  const room = building === '' ? '' : fullWidth(String(101 + random.integer(4) * 100 + random.integer(5)));
  const address =
    `${municipality.prefecture}${municipality.city}${town}${chome}丁目${block}番${lot}号` +
    (building === '' ? '' : `　${building}${room}号室`);
  const age = options.ageClass === 'child' ? 5 + random.integer(10) : 20 + random.integer(60);
  const birthYear = Number(issuedOn.slice(0, 4)) - age - 1;
  const birthDate = dayOfYear(random, birthYear);
  const leading = `${1 + random.integer(9)}${random.digits(10)}`;
  const myNumber = leading + String(myNumberCheckDigit(leading));
  const isMinor = Number(addYears(birthDate, 18)) > Number(issuedOn);
  return {
    name: `${surname}\u3000${givenName}`,
    surname,
    givenName,
    address,
    municipality,
    birthDate,
    sex,
    myNumber,
    securityCode: random.digits(4),
    cardSerial: `4${random.digits(14)}`,
    cardIssuedOn: issuedOn,
    cardExpiresOn: nthBirthdayAfter(birthDate, issuedOn, isMinor ? 5 : 10),
  };
}

/**
 * Text-AP sex code (jpki-card.md §4 DF25: JIS X 0303).
 *
 * @example
 * ```ts
 * textApSexCode('male'); // '1'
 * ```
 */
export function textApSexCode(sex: Sex): '1' | '2' | '9' {
  return sex === 'male' ? '1' : sex === 'female' ? '2' : '9';
}

/**
 * Sign-certificate sex code (certificates.md §3 SAN .3: 1 male, 2 female, 3 unknown).
 *
 * @example
 * ```ts
 * certificateSexCode('female'); // '2'
 * ```
 */
export function certificateSexCode(sex: Sex): '1' | '2' | '3' {
  return sex === 'male' ? '1' : sex === 'female' ? '2' : '3';
}
