/**
 * The one guidance table of the reception app, derived from the user's FAQ (マイナ資格確認アプリ
 * よくある質問: Q1 A1-1/A1-2/A1-3 reading, Q2 A2-1/A2-2 reader connection, Q4, Q5, Q9) and the
 * ministry flyer (failure categories ①②③, the documents each allows, the PIN reset routes):
 *
 * - {@link SDK_ERROR_CODES}: every error code the SDK and the check flow can produce;
 * - {@link CODE_GUIDANCE}: per code, the remedy (per reader setup where the setup matters) and the
 *   flyer's failure category;
 * - {@link REMEDY_TEXT}: the words staff read, per remedy and, where it differs, per setup —
 *   overriding the SDK catalogue where the reception desk needs more (the PIN reset routes, the
 *   documents of category ②, the smartphone/Bluetooth/wired reader wording);
 * - {@link FALLBACK_BY_CATEGORY}: what the patient may show instead, per category (flyer).
 *
 * A test asserts that every code has Japanese and English words for every setup.
 *
 * @example
 * ```ts
 * CODE_GUIDANCE.READER_UNAVAILABLE.remedy; // { 'wired-reader': 'reader.usb-cable', 'ble-reader': 'ble.link-lost', smartphone: 'bridge.network' }
 * ```
 */
import { DerErrorCode } from '@kakunin/core/der';
import {
  type LocalizedText,
  type ReaderSetup,
  type RemedyKey,
  TransportErrorCode,
} from '@kakunin/core/transport';
import { X509ErrorCode } from '@kakunin/core/x509';

export type FailureCategory = 1 | 2 | 3;
export type PerSetup<T> = T | Readonly<Record<ReaderSetup, T>>;

export const READER_SETUPS: readonly ReaderSetup[] = ['wired-reader', 'ble-reader', 'smartphone'];

/** Codes thrown by @kakunin/core/jpki and iso7816 that reach the check flow. */
export const JPKI_ERROR_CODES = [
  'PIN_INCORRECT',
  'PIN_BLOCKED',
  'PIN_ABSENT',
  'LAST_TRY_REFUSED',
  'PIN_FORMAT',
  'NOT_A_MYNUMBER_CARD',
  'SECURITY_STATUS_NOT_SATISFIED',
  'CERTIFICATE_ABSENT',
  'CERT_MALFORMED',
  'FILE_NOT_FOUND',
  'FILE_MALFORMED',
  'FILE_TRUNCATED',
  'APDU_MALFORMED',
  'APDU_STATUS',
  'CARD_DAMAGED',
] as const;

/** Codes the check flow itself produces (qualification answer, network). */
export const APP_ERROR_CODES = [
  'SERVER_UNREACHABLE',
  'TLS_ROOT_MISSING',
  'PROXY_UNSUPPORTED',
  'QUALIFICATION_NONE',
  'QUALIFICATION_MULTIPLE',
  'NOT_REGISTERED',
  'CERT_EXPIRING_SOON',
] as const;

export const SDK_ERROR_CODES: readonly string[] = [
  ...Object.values(TransportErrorCode),
  ...JPKI_ERROR_CODES,
  ...Object.values(X509ErrorCode),
  ...Object.values(DerErrorCode),
  ...APP_ERROR_CODES,
];

const perSetup = (wired: RemedyKey, ble: RemedyKey, smartphone: RemedyKey) => ({
  'wired-reader': wired,
  'ble-reader': ble,
  smartphone,
});

/** Remedy and failure category per code; a per-setup remedy wins over the one an error carries. */
export const CODE_GUIDANCE: Readonly<
  Record<string, { remedy: PerSetup<RemedyKey>; category?: FailureCategory }>
> = {
  // transport layer
  SERVICE_UNAVAILABLE: {
    remedy: perSetup('pcsc.service', 'ble.bluetooth-off', 'bridge.network'),
    category: 1,
  },
  NO_READERS: { remedy: perSetup('reader.usb-cable', 'ble.reader-not-found', 'bridge.pairing'), category: 1 },
  READER_NOT_FOUND: {
    remedy: perSetup('reader.usb-cable', 'ble.reader-not-found', 'bridge.pairing'),
    category: 1,
  },
  READER_UNAVAILABLE: {
    remedy: perSetup('reader.usb-cable', 'ble.link-lost', 'bridge.network'),
    category: 1,
  },
  SHARING_VIOLATION: { remedy: 'reader.in-use', category: 1 },
  CARD_ABSENT: { remedy: perSetup('card.absent', 'card.absent', 'nfc.card-position') },
  CARD_REMOVED: { remedy: perSetup('card.moved', 'card.moved', 'nfc.moved') },
  CARD_UNPOWERED: { remedy: perSetup('card.moved', 'card.moved', 'nfc.moved') },
  CARD_UNRESPONSIVE: {
    remedy: perSetup('card.orientation', 'card.orientation', 'nfc.card-position'),
    category: 2,
  },
  BUSY: { remedy: 'app.restart', category: 1 },
  TIMEOUT: { remedy: perSetup('card.absent', 'card.absent', 'nfc.card-position') },
  ABORTED: { remedy: 'app.restart' },
  IO: { remedy: perSetup('reader.usb-cable', 'ble.link-lost', 'nfc.moved'), category: 1 },
  CLOSED: { remedy: 'app.restart', category: 1 },
  LINK_LOST: { remedy: perSetup('reader.usb-cable', 'ble.link-lost', 'bridge.network'), category: 1 },
  PROTOCOL: { remedy: 'reader.unsupported', category: 1 },
  NOT_SUPPORTED: { remedy: 'reader.unsupported', category: 1 },
  COMMAND_TOO_LONG: { remedy: 'reader.unsupported', category: 1 },
  BLUETOOTH_OFF: { remedy: 'ble.bluetooth-off', category: 1 },
  BLUETOOTH_UNAUTHORIZED: { remedy: 'ble.permission', category: 1 },
  READER_AUTH_FAILED: { remedy: 'reader.auth-key', category: 1 },
  READER_ASLEEP: { remedy: 'reader.asleep', category: 1 },
  PEER_REJECTED: { remedy: 'bridge.pairing', category: 1 },
  // ISO 7816 / JPKI layer
  APDU_MALFORMED: { remedy: 'reader.unsupported', category: 1 },
  APDU_STATUS: { remedy: 'card.damaged', category: 2 },
  PIN_INCORRECT: { remedy: 'pin.incorrect' },
  PIN_BLOCKED: { remedy: 'pin.blocked', category: 2 },
  PIN_ABSENT: { remedy: 'card.not-mynumber' },
  LAST_TRY_REFUSED: { remedy: 'pin.last-try' },
  PIN_FORMAT: { remedy: 'pin.format' },
  NOT_A_MYNUMBER_CARD: { remedy: 'card.not-mynumber' },
  SECURITY_STATUS_NOT_SATISFIED: { remedy: 'app.restart' },
  CERTIFICATE_ABSENT: { remedy: 'card.not-mynumber' },
  CERT_MALFORMED: { remedy: 'cert.invalid', category: 2 },
  FILE_NOT_FOUND: { remedy: 'card.not-mynumber' },
  FILE_MALFORMED: { remedy: 'card.damaged', category: 2 },
  FILE_TRUNCATED: { remedy: 'card.damaged', category: 2 },
  CARD_DAMAGED: { remedy: 'card.damaged', category: 2 },
  // certificates (x509, der)
  CERT_EXPIRED: { remedy: 'cert.expired', category: 2 },
  CERT_NOT_YET_VALID: { remedy: 'cert.invalid', category: 2 },
  CHAIN_UNTRUSTED: { remedy: 'cert.untrusted', category: 2 },
  REVOKED: { remedy: 'cert.revoked', category: 2 },
  REVOCATION_UNKNOWN: { remedy: 'cert.revocation-unknown', category: 1 },
  MALFORMED: { remedy: 'cert.invalid', category: 2 },
  PROFILE_VIOLATION: { remedy: 'cert.invalid', category: 2 },
  UNSUPPORTED_ALGORITHM: { remedy: 'cert.invalid', category: 2 },
  CRL_INVALID: { remedy: 'cert.revocation-unknown', category: 1 },
  VALIDATION_FAILED: { remedy: 'cert.invalid', category: 2 },
  DER_TRUNCATED: { remedy: 'cert.invalid', category: 2 },
  DER_MALFORMED: { remedy: 'cert.invalid', category: 2 },
  // network and qualification
  SERVER_UNREACHABLE: { remedy: 'network.server-unreachable', category: 1 },
  TLS_ROOT_MISSING: { remedy: 'network.tls-root', category: 1 },
  PROXY_UNSUPPORTED: { remedy: 'network.proxy-unsupported', category: 1 },
  QUALIFICATION_NONE: { remedy: 'qualification.none', category: 3 },
  QUALIFICATION_MULTIPLE: { remedy: 'qualification.multiple', category: 3 },
  NOT_REGISTERED: { remedy: 'qualification.not-registered', category: 3 },
  CERT_EXPIRING_SOON: { remedy: 'cert.expiring-soon' },
};

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
