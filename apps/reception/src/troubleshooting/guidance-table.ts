/**
 * The one guidance table of the reception app, derived from the user's FAQ (マイナ資格確認アプリ
 * よくある質問: Q1 A1-1/A1-2/A1-3 reading, Q2 A2-1/A2-2 reader connection, Q4, Q5, Q9) and the
 * ministry flyer (failure categories ①②③, the documents each allows, the PIN reset routes):
 *
 * - {@link SDK_ERROR_CODES}: every error code the SDK (its closed union) and the check flow produce;
 * - {@link remedyOf}: per code and setup, the remedy — the SDK's code → remedy table
 *   (`@kakunin/core/remedies`) for SDK codes, the app's own for its codes;
 * - {@link CODE_GUIDANCE}: per code, the flyer's failure category;
 * - {@link REMEDY_TEXT}: the words staff read, per remedy and, where it differs, per setup —
 *   overriding the SDK catalogue where the reception desk needs more (the PIN reset routes, the
 *   documents of category ②, the smartphone/Bluetooth/wired reader wording);
 * - {@link FALLBACK_BY_CATEGORY}: what the patient may show instead, per category (flyer).
 *
 * A test asserts that every code has Japanese and English words for every setup.
 *
 * @example
 * ```ts
 * remedyOf('READER_UNAVAILABLE', 'smartphone'); // { remedy: 'bridge.network', perSetup: true }
 * ```
 */
import { ERROR_TABLE, type LocalizedText, type ReaderSetup, remedyFor } from '@kakunin/core/remedies';
import { ERROR_CODES, isErrorCode, type RemedyKey } from '@kakunin/core/transport';

export type FailureCategory = 1 | 2 | 3;
export type PerSetup<T> = T | Readonly<Record<ReaderSetup, T>>;

export const READER_SETUPS: readonly ReaderSetup[] = ['wired-reader', 'ble-reader', 'smartphone'];

/** Codes the check flow itself produces (qualification answer, network), beside the SDK's. */
export const APP_ERROR_CODES = [
  'SERVER_UNREACHABLE',
  'TLS_ROOT_MISSING',
  'PROXY_UNSUPPORTED',
  'QUALIFICATION_NONE',
  'QUALIFICATION_MULTIPLE',
  'NOT_REGISTERED',
  'CERT_EXPIRING_SOON',
] as const;

/** Every code the guidance must cover: the SDK's closed union and the app's own. */
export const SDK_ERROR_CODES: readonly string[] = [...ERROR_CODES, ...APP_ERROR_CODES];

/** Remedies of the app's own codes (the SDK's come from `@kakunin/core/remedies`). */
const APP_REMEDIES: Readonly<Record<(typeof APP_ERROR_CODES)[number], RemedyKey>> = {
  SERVER_UNREACHABLE: 'network.server-unreachable',
  TLS_ROOT_MISSING: 'network.tls-root',
  PROXY_UNSUPPORTED: 'network.proxy-unsupported',
  QUALIFICATION_NONE: 'qualification.none',
  QUALIFICATION_MULTIPLE: 'qualification.multiple',
  NOT_REGISTERED: 'qualification.not-registered',
  CERT_EXPIRING_SOON: 'cert.expiring-soon',
};

/** The flyer's failure category per code, where the code alone decides it. */
const CODE_CATEGORY: Readonly<Record<string, FailureCategory>> = {
  SERVICE_UNAVAILABLE: 1,
  NO_READERS: 1,
  READER_NOT_FOUND: 1,
  READER_UNAVAILABLE: 1,
  SHARING_VIOLATION: 1,
  CARD_UNRESPONSIVE: 2,
  BUSY: 1,
  IO: 1,
  CLOSED: 1,
  LINK_LOST: 1,
  PROTOCOL: 1,
  NOT_SUPPORTED: 1,
  COMMAND_TOO_LONG: 1,
  BLUETOOTH_OFF: 1,
  BLUETOOTH_UNAUTHORIZED: 1,
  READER_AUTH_FAILED: 1,
  READER_ASLEEP: 1,
  PEER_REJECTED: 1,
  APDU_MALFORMED: 1,
  MEMORY_FAILURE: 2,
  FILE_MALFORMED: 2,
  FILE_TRUNCATED: 2,
  PIN_BLOCKED: 2,
  AUTH_METHOD_BLOCKED: 2,
  CERT_MALFORMED: 2,
  SIGNATURE_INVALID: 2,
  DER_TRUNCATED: 2,
  DER_MALFORMED: 2,
  X509_MALFORMED: 2,
  CERT_EXPIRED: 2,
  CERT_NOT_YET_VALID: 2,
  CHAIN_UNTRUSTED: 2,
  REVOKED: 2,
  REVOCATION_UNKNOWN: 1,
  PROFILE_VIOLATION: 2,
  UNSUPPORTED_ALGORITHM: 2,
  VALIDATION_FAILED: 2,
  SERVER_UNREACHABLE: 1,
  TLS_ROOT_MISSING: 1,
  PROXY_UNSUPPORTED: 1,
  QUALIFICATION_NONE: 3,
  QUALIFICATION_MULTIPLE: 3,
  NOT_REGISTERED: 3,
};

/**
 * Per code: the remedy of the app's own codes and the flyer's category (the SDK codes' remedies
 * are the core's table, `ERROR_TABLE` of `@kakunin/core/remedies`).
 */
export const CODE_GUIDANCE: Readonly<Record<string, { remedy?: RemedyKey; category?: FailureCategory }>> =
  Object.fromEntries(
    SDK_ERROR_CODES.map((code) => [
      code,
      {
        ...(code in APP_REMEDIES ? { remedy: APP_REMEDIES[code as keyof typeof APP_REMEDIES] } : {}),
        ...(CODE_CATEGORY[code] === undefined ? {} : { category: CODE_CATEGORY[code] }),
      },
    ]),
  );

/**
 * The remedy for a code and setup, and whether it depends on the setup (then it wins over the
 * remedy an error carries: a transport does not know whether the reader is wired, Bluetooth or a
 * smartphone).
 */
export function remedyOf(code: string, setup: ReaderSetup): { remedy?: RemedyKey; perSetup: boolean } {
  if (isErrorCode(code)) {
    const row = ERROR_TABLE[code].remedy;
    const remedy = remedyFor(code, setup);
    return { ...(remedy === undefined ? {} : { remedy }), perSetup: row !== null && typeof row === 'object' };
  }
  const remedy = CODE_GUIDANCE[code]?.remedy;
  return { ...(remedy === undefined ? {} : { remedy }), perSetup: false };
}

const t = (ja: string, en: string): LocalizedText => ({ ja, en });

/** Words for a remedy (per setup where it differs), replacing the SDK catalogue's where present. */
export const REMEDY_TEXT: Partial<
  Record<RemedyKey, { readonly title?: PerSetup<LocalizedText>; readonly action?: PerSetup<LocalizedText> }>
> = {
  'reader.usb-cable': {
    title: {
      'wired-reader': t('有線カードリーダーとの接続が切れました', 'The wired card reader was disconnected'),
      'ble-reader': t('Bluetoothカードリーダーとの接続が切れました', 'The Bluetooth reader was disconnected'),
      smartphone: t(
        '読み取り用のスマートフォンとの接続が切れました',
        'The reading smartphone was disconnected',
      ),
    },
    action: {
      'wired-reader': t(
        'カードリーダーのUSBケーブルを挿し直し、アプリとカードリーダーを再起動してください。',
        'Re-plug the reader’s USB cable, then restart the app and the reader.',
      ),
      'ble-reader': t(
        'カードリーダーの電源と端末のBluetooth設定を確認し、アプリとカードリーダーを再起動してください。',
        'Check the reader’s power and the device’s Bluetooth, then restart the app and the reader.',
      ),
      smartphone: t(
        'スマートフォンのアプリを再起動し、同じネットワークにつながっているか確認してください。',
        'Restart the app on the smartphone and check it is on the same network.',
      ),
    },
  },
  'ble.link-lost': {
    title: t('Bluetoothカードリーダーとの接続が切れました', 'The Bluetooth reader connection was lost'),
  },
  'pin.format': {
    action: t('暗証番号は数字4桁です。', 'The PIN is 4 digits.'),
  },
  'pin.last-try': {
    title: t('暗証番号の入力は残り1回です', 'One PIN try is left'),
    action: t(
      '次に間違えるとロックされ、市区町村窓口等での初期化が必要になります。患者に最後の1回であることを伝え、同意を得てから入力していただいてください。',
      'A further mistake locks the card and needs a reset at the municipal office. Tell the patient it is the last try and get their agreement first.',
    ),
  },
  'pin.blocked': {
    title: t('暗証番号がロックされています', 'The PIN is locked'),
    action: t(
      '暗証番号の初期化・再設定は、住民票のある市区町村の窓口等で行います。署名用パスワード(英数字6〜16桁)がわかる場合は、スマートフォンの専用アプリとコンビニのキオスク端末でも初期化・再設定できます。本日は下の書類で資格を確認してください。',
      'The PIN is reset at the municipal office of the patient’s residence. If the patient knows the signing password (6–16 letters and digits), a smartphone app and a convenience-store kiosk can reset it too. Today, confirm eligibility with the documents below.',
    ),
  },
  'cert.expired': {
    title: t('電子証明書の有効期限が切れています', 'The card’s certificate has expired'),
    action: t(
      'このカードではマイナポータルにログインできないため、マイナポータルの資格情報画面は提示できません。電子証明書の更新は住民票のある市区町村の窓口で行うよう案内してください。',
      'The Mynaportal screen cannot be shown, as the patient cannot log in with this card. Guide the patient to renew the certificate at the municipal office.',
    ),
  },
  'cert.revoked': {
    title: t('電子証明書が失効しています', 'The card’s certificate is revoked'),
    action: t(
      'このカードでは資格確認できません。電子証明書の再発行は住民票のある市区町村の窓口で行うよう案内してください。',
      'This card cannot be used. Guide the patient to have the certificate re-issued at the municipal office.',
    ),
  },
  'cert.untrusted': {
    action: t(
      'このカードの電子証明書を確認できません。市区町村の窓口での確認を案内してください。',
      'This card’s certificate cannot be verified. Guide the patient to the municipal office.',
    ),
  },
  'cert.invalid': {
    action: t(
      'このカードの電子証明書を確認できません。市区町村の窓口での確認を案内してください。',
      'This card’s certificate cannot be verified. Guide the patient to the municipal office.',
    ),
  },
  'card.damaged': {
    title: t('ICチップを読み取れません(破損の可能性)', 'The chip cannot be read (possibly damaged)'),
    action: t(
      'カードの向きと置き方を確かめてもう一度読み取り、それでも読めない場合は市区町村の窓口でのカードの再交付を案内してください。',
      'Check the card’s position and read again; if it still fails, guide the patient to have the card re-issued at the municipal office.',
    ),
  },
};

/** What the patient may show instead, per category (flyer). */
export const FALLBACK_BY_CATEGORY: Readonly<Record<FailureCategory, LocalizedText>> = {
  1: t(
    'マイナンバーカードと併せて、マイナポータルの資格情報画面(または保存したPDF)か資格情報のお知らせ、または資格確認書を提示していただいてください。',
    'Ask for the Mynaportal qualification screen (or its saved PDF) or the qualification notice, each with the card, or the eligibility certificate.',
  ),
  2: t(
    'マイナンバーカードと併せて、事前に保存したマイナポータルのPDFファイルか資格情報のお知らせ、または資格確認書を提示していただいてください(マイナポータルの資格情報画面は提示できません)。',
    'Ask for the PDF saved beforehand from Mynaportal or the qualification notice, each with the card, or the eligibility certificate (the Mynaportal screen itself cannot be shown).',
  ),
  3: t(
    '転職等で加入手続き中の可能性があります。マイナポータルの資格情報画面(または保存したPDF)か資格情報のお知らせ、または資格確認書を提示していただいてください。',
    'The patient may be enrolling with a new insurer after a job change. Ask for the Mynaportal screen (or its PDF), the qualification notice or the eligibility certificate.',
  ),
};

/** The FAQ section for a checklist kind and a setup (Q1: reading, Q2: connecting the reader). */
export const FAQ_SECTION: Readonly<Record<'read' | 'connect', Readonly<Record<ReaderSetup, string>>>> = {
  read: { smartphone: 'A1-1', 'ble-reader': 'A1-2', 'wired-reader': 'A1-3' },
  connect: { smartphone: 'A1-1', 'ble-reader': 'A2-1', 'wired-reader': 'A2-2' },
};

/** The value for a setup of a per-setup entry (or the entry itself when it does not depend on the setup). */
export function pick<T>(value: PerSetup<T>, setup: ReaderSetup): T {
  return typeof value === 'object' && value !== null && 'wired-reader' in value
    ? (value as Record<ReaderSetup, T>)[setup]
    : (value as T);
}
