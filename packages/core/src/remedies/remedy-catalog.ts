// Over 600 lines: data: the FAQ and flyer texts (ja/en) for every remedy key; the code around them is short.
/**
 * The troubleshooting catalogue: what staff should do, Japanese first with English, built from the
 * user's FAQ (マイナ資格確認アプリ よくある質問, ../shared/seeds/000_e41451275ca2d459.txt) and the
 * ministry's flyer (../shared/seeds/004_4497a9db765fb9c3.txt). `source` cites the FAQ answer.
 *
 * @example
 * ```ts
 * import { troubleshoot } from '@kakunin/core/remedies';
 * const guide = troubleshoot('reader.usb-cable', 'wired-reader');
 * console.log(guide.title.ja, guide.checklist.map((item) => item.ja));
 * ```
 */
import type { RemedyKey } from '../transport/remedy-keys.js';

/** The three reader setups of the FAQ (Q1 A1-1, A1-2, A1-3). */
export type ReaderSetup = 'smartphone' | 'ble-reader' | 'wired-reader';

export interface LocalizedText {
  readonly ja: string;
  readonly en: string;
}

/** One item of an FAQ checklist, in the FAQ's order. */
export interface ChecklistItem extends LocalizedText {
  readonly id: string;
}

export interface Remedy {
  readonly key: RemedyKey;
  readonly title: LocalizedText;
  /** The first thing staff should do. */
  readonly action: LocalizedText;
  /** Which FAQ checklist applies: card reading (Q1) or reader connection (Q2). */
  readonly checklist?: 'read' | 'connect';
  /** Checklist item ids that match this situation; shown first-highlighted, FAQ order kept. */
  readonly focus?: readonly string[];
  /** True when the flyer's fallback (マイナポータル資格情報画面・資格情報のお知らせ etc.) applies. */
  readonly fallback?: boolean;
  /** Where the guidance comes from. */
  readonly source: string;
}

const item = (id: string, ja: string, en: string): ChecklistItem => ({ id, ja, en });

const RESTART_APP = item(
  'restart',
  'アプリを再起動してもう一度読み取ってください。',
  'Restart the app and read the card again.',
);
const RESTART_APP_AND_READER = item(
  'restart',
  'アプリとカードリーダーを再起動してもう一度読み取ってください。',
  'Restart the app and the card reader, then read again.',
);
const SUPPORTED_DEVICE = item(
  'supported-device',
  '対応しているスマートフォン/タブレット・カードリーダーを利用しているか確認してください。',
  'Check that the phone/tablet and the card reader are supported models.',
);
const LOCATION_AIRPLANE = item(
  'location-airplane',
  '位置情報がOFFならONに、機内モードがONならOFFにしてください。iPhoneはTouch ID・Face ID、AndroidはNFC(おサイフケータイ)及びReader/Writer, P2PもONにしてください。',
  'Turn location ON and airplane mode OFF. On iPhone enable Touch ID/Face ID; on Android enable NFC (Osaifu-Keitai) and Reader/Writer, P2P.',
);
const PHONE_CASE = item(
  'phone-case',
  'スマートフォン/タブレットのケースを外してから読み取ってください。',
  'Remove the phone/tablet case before reading.',
);
const CARD_POSITION_PHONE = item(
  'card-position',
  'マイナンバーカードを機種ごとの正しい読み取り位置に密着させ、読み取り中は動かさないでください。',
  'Hold the card flat against the phone at the model-specific reading spot and do not move it while reading.',
);
const FLAT_SURFACE = item(
  'flat-surface',
  '布団の上等の不安定な場所や金属製の机の上を避け、平らな机の上で読み取ってください。',
  'Read on a flat desk, not on bedding or a metal table.',
);
const WAIT_FOR_PROMPT = item(
  'wait-prompt',
  '「スキャンの準備ができました」と表示されてからカードをセットしてください。',
  'Place the card only after “Ready to scan” is shown.',
);
const CARD_DAMAGED = item(
  'card-damaged',
  'カードが破損している場合は読み取れません。マイナポータルの資格情報画面や資格情報のお知らせで資格確認してください。',
  'A damaged card cannot be read; confirm eligibility with the Mynaportal qualification screen or the qualification notice.',
);
const AIRDROP = item(
  'airdrop',
  'iPhone同士でAirDropが起動する場合、「設定」>「一般」>「AirDrop」の「デバイス同士を近づける」をオフにしてください。',
  'If AirDrop starts between iPhones, turn off Settings > General > AirDrop > “Bringing Devices Together”.',
);
const BLUETOOTH_ON = item(
  'bluetooth-on',
  '設定からBluetoothを有効にし、カードリーダーが認識されているか、アプリの設定でカードリーダーが選択されているか確認してください。',
  'Turn Bluetooth on, check the reader is recognised, and that it is selected in the app settings.',
);
const CARD_ORIENTATION = item(
  'card-orientation',
  '差し込み型ではカードの表裏・上下が逆になっていないか確認し、かざす型ではカードを浮かせずリーダーの上に置いてください。読み取り中は動かさないでください。',
  'Insert-type reader: check the card is not upside down or reversed. Tap-type reader: lay the card on the reader. Do not move it while reading.',
);
const SET_CARD_FIRST = item(
  'set-card-first',
  'カードリーダーにカードをセットしてから「読み取り開始」を押してください。',
  'Put the card on the reader before pressing “Start reading”.',
);
const USB_CABLE = item(
  'usb-cable',
  'USBケーブルがPCにしっかり差し込まれているか確認してください。USBハブや延長ケーブルは外し、PCに直接接続してください。',
  'Check the USB cable is firmly plugged in; remove USB hubs or extension cables and connect the reader directly to the PC.',
);
const READER_RECOGNISED = item(
  'reader-recognised',
  'PCの設定でカードリーダーが認識されているか、アプリの設定でカードリーダーが選択されているか確認してください。',
  'Check the PC recognises the reader and that it is selected in the app settings.',
);
const DRIVER = item(
  'driver',
  '有線カードリーダーにはドライバーのインストールが必要です。取扱説明書を参照してください。',
  'Wired readers need their driver installed; see the reader manual.',
);
const PHONE_CARD_FEATURES = item(
  'phone-card-features',
  'スマートフォンのマイナンバーカードの場合、iPhoneはTouch ID・Face ID、AndroidはReader/Writer, P2PをONにしてください。',
  'For a smartphone My Number card, enable Touch ID/Face ID (iPhone) or Reader/Writer, P2P (Android).',
);
const READER_MODE = item(
  'reader-mode',
  'USB/Bluetooth両対応のリーダーは、モードと接続方法が一致しているか確認してください(例: USBモードは緑点灯、Bluetoothモードは青点滅、側面ボタンのダブルクリックで切替)。',
  'Dual USB/Bluetooth readers: the mode must match the connection (e.g. green steady = USB, blue blinking = Bluetooth; double-click the side button to switch).',
);

/** The FAQ's checklists, in the FAQ's order (Q1: reading fails, Q2: reader connection fails). */
export const FAQ_CHECKLISTS: Readonly<
  Record<'read' | 'connect', Readonly<Record<ReaderSetup, readonly ChecklistItem[]>>>
> = {
  read: {
    smartphone: [
      RESTART_APP,
      SUPPORTED_DEVICE,
      LOCATION_AIRPLANE,
      PHONE_CASE,
      CARD_POSITION_PHONE,
      FLAT_SURFACE,
      WAIT_FOR_PROMPT,
      CARD_DAMAGED,
      AIRDROP,
    ],
    'ble-reader': [
      RESTART_APP_AND_READER,
      SUPPORTED_DEVICE,
      BLUETOOTH_ON,
      LOCATION_AIRPLANE,
      CARD_ORIENTATION,
      FLAT_SURFACE,
      SET_CARD_FIRST,
      CARD_DAMAGED,
    ],
    'wired-reader': [
      RESTART_APP,
      SUPPORTED_DEVICE,
      USB_CABLE,
      READER_RECOGNISED,
      DRIVER,
      CARD_ORIENTATION,
      PHONE_CARD_FEATURES,
      FLAT_SURFACE,
      SET_CARD_FIRST,
      CARD_DAMAGED,
    ],
  },
  connect: {
    smartphone: [RESTART_APP, SUPPORTED_DEVICE, LOCATION_AIRPLANE],
    'ble-reader': [RESTART_APP_AND_READER, SUPPORTED_DEVICE, BLUETOOTH_ON, LOCATION_AIRPLANE, READER_MODE],
    'wired-reader': [
      RESTART_APP_AND_READER,
      SUPPORTED_DEVICE,
      USB_CABLE,
      READER_RECOGNISED,
      DRIVER,
      READER_MODE,
    ],
  },
};

const t = (ja: string, en: string): LocalizedText => ({ ja, en });
const FALLBACK_TEXT = t(
  'マイナ保険証で確認できない場合は、マイナポータルの資格情報画面、資格情報のお知らせ、資格確認書のいずれかで資格を確認してください。',
  'If the card cannot be used, confirm eligibility with the Mynaportal qualification screen, the qualification notice (資格情報のお知らせ) or the eligibility certificate (資格確認書).',
);

/** Every remedy, keyed by {@link RemedyKey}. */
export const remedyCatalog: Readonly<Record<RemedyKey, Remedy>> = {
  'app.restart': {
    key: 'app.restart',
    title: t('アプリを再起動してください', 'Restart the app'),
    action: t('アプリを再起動してもう一度読み取ってください。', 'Restart the app and read again.'),
    checklist: 'read',
    focus: ['restart'],
    source: 'FAQ Q1 A1-1/A1-3',
  },
  'pcsc.service': {
    key: 'pcsc.service',
    title: t('カードリーダーのサービスが動いていません', 'The smart-card service is not running'),
    action: t(
      'PCを再起動するか、スマートカードサービス(Windows: SCardSvr / Linux: pcscd)を起動してください。',
      'Restart the PC or start the smart-card service (Windows: SCardSvr, Linux: pcscd).',
    ),
    checklist: 'connect',
    focus: ['restart', 'driver'],
    source: 'FAQ Q2 A2-2',
  },
  'reader.usb-cable': {
    key: 'reader.usb-cable',
    title: t('カードリーダーが接続されていません', 'The card reader is not connected'),
    action: USB_CABLE,
    checklist: 'connect',
    focus: ['usb-cable', 'reader-recognised'],
    source: 'FAQ Q2 A2-2',
  },
  'reader.not-recognized': {
    key: 'reader.not-recognized',
    title: t('カードリーダーが認識されていません', 'The card reader is not recognised'),
    action: READER_RECOGNISED,
    checklist: 'connect',
    focus: ['reader-recognised', 'driver'],
    source: 'FAQ Q2 A2-2',
  },
  'reader.not-selected': {
    key: 'reader.not-selected',
    title: t('カードリーダーが選択されていません', 'No card reader is selected'),
    action: t(
      'アプリの設定からカードリーダーを選択してください。',
      'Select the card reader in the app settings.',
    ),
    checklist: 'connect',
    focus: ['reader-recognised', 'bluetooth-on'],
    source: 'FAQ Q1 A1-2/A1-3, Q2',
  },
  'reader.driver-missing': {
    key: 'reader.driver-missing',
    title: t('カードリーダーのドライバーがありません', 'The card reader driver is missing'),
    action: DRIVER,
    checklist: 'connect',
    focus: ['driver'],
    source: 'FAQ Q2 A2-2',
  },
  'reader.unsupported': {
    key: 'reader.unsupported',
    title: t('対応していないカードリーダーです', 'Unsupported card reader'),
    action: SUPPORTED_DEVICE,
    checklist: 'connect',
    focus: ['supported-device'],
    source: 'FAQ Q1, Q2',
  },
  'reader.in-use': {
    key: 'reader.in-use',
    title: t('カードリーダーを他のアプリが使用中です', 'Another application is using the reader'),
    action: t(
      '他のアプリを終了してからもう一度読み取ってください。',
      'Close the other application and read again.',
    ),
    checklist: 'read',
    focus: ['restart'],
    source: 'transports.md §2.4 (SCARD_E_SHARING_VIOLATION)',
  },
  'reader.mode-mismatch': {
    key: 'reader.mode-mismatch',
    title: t(
      'カードリーダーのモードが接続方法と一致していません',
      'The reader mode does not match the connection',
    ),
    action: READER_MODE,
    checklist: 'connect',
    focus: ['reader-mode'],
    source: 'FAQ Q2 A2-1/A2-2',
  },
  'reader.asleep': {
    key: 'reader.asleep',
    title: t('カードリーダーがスリープしています', 'The card reader is asleep'),
    action: t(
      'カードリーダーのボタンを押して起こし、もう一度接続してください。',
      'Press the reader button to wake it and connect again.',
    ),
    checklist: 'connect',
    focus: ['restart'],
    source: 'FAQ Q2 A2-1',
  },
  'reader.auth-key': {
    key: 'reader.auth-key',
    title: t('カードリーダーとの認証に失敗しました', 'Authentication with the reader failed'),
    action: t(
      'カードリーダーのマスターキー設定を確認し、リーダーを再起動してください。',
      'Check the reader master-key setting and restart the reader.',
    ),
    checklist: 'connect',
    focus: ['restart', 'supported-device'],
    source: 'transports.md §4.4',
  },
  'card.absent': {
    key: 'card.absent',
    title: t('カードがセットされていません', 'No card on the reader'),
    action: SET_CARD_FIRST,
    checklist: 'read',
    focus: ['card-orientation', 'set-card-first', 'card-position', 'wait-prompt'],
    source: 'FAQ Q1',
  },
  'card.orientation': {
    key: 'card.orientation',
    title: t('カードを読み取れません(向き・置き方)', 'The card cannot be read (orientation/placement)'),
    action: CARD_ORIENTATION,
    checklist: 'read',
    focus: ['card-orientation', 'card-position'],
    source: 'FAQ Q1 A1-2/A1-3',
  },
  'card.moved': {
    key: 'card.moved',
    title: t('読み取り中にカードが動きました', 'The card moved during reading'),
    action: t(
      'カードをしっかりセットし、読み取りが終わるまで動かさないでください。',
      'Place the card firmly and do not move it until reading finishes.',
    ),
    checklist: 'read',
    focus: ['card-orientation', 'card-position', 'flat-surface'],
    source: 'FAQ Q1 (※読み取り中は動かさない)',
  },
  'card.damaged': {
    key: 'card.damaged',
    title: t('カードのICチップを読み取れません', 'The card chip cannot be read'),
    action: CARD_DAMAGED,
    checklist: 'read',
    focus: ['card-damaged'],
    fallback: true,
    source: 'FAQ Q1; flyer (ICチップの破損)',
  },
  'card.not-mynumber': {
    key: 'card.not-mynumber',
    title: t('マイナンバーカードではありません', 'This is not a My Number Card'),
    action: t(
      'マイナンバーカード(またはスマートフォンのマイナンバーカード)をセットしてください。',
      'Present a My Number Card (or a smartphone My Number card).',
    ),
    checklist: 'read',
    focus: ['card-orientation'],
    source: 'jpki-card.md §3.2',
  },
  'card.busy-elsewhere': {
    key: 'card.busy-elsewhere',
    title: t('カードを他のアプリが使用中です', 'Another application is using the card'),
    action: t(
      '他のアプリを終了してからもう一度読み取ってください。',
      'Close the other application and read again.',
    ),
    checklist: 'read',
    focus: ['restart'],
    source: 'transports.md §2.4',
  },
  'ble.bluetooth-off': {
    key: 'ble.bluetooth-off',
    title: t('Bluetoothがオフです', 'Bluetooth is off'),
    action: BLUETOOTH_ON,
    checklist: 'connect',
    focus: ['bluetooth-on'],
    source: 'FAQ Q2 A2-1',
  },
  'ble.permission': {
    key: 'ble.permission',
    title: t('Bluetooth/位置情報の許可がありません', 'Bluetooth/location permission is missing'),
    action: LOCATION_AIRPLANE,
    checklist: 'connect',
    focus: ['location-airplane'],
    source: 'FAQ Q2 A2-1',
  },
  'ble.airplane-mode': {
    key: 'ble.airplane-mode',
    title: t('機内モードがオンです', 'Airplane mode is on'),
    action: LOCATION_AIRPLANE,
    checklist: 'connect',
    focus: ['location-airplane'],
    source: 'FAQ Q2 A2-1',
  },
  'ble.reader-not-found': {
    key: 'ble.reader-not-found',
    title: t('Bluetoothカードリーダーが見つかりません', 'No Bluetooth card reader found'),
    action: t(
      'カードリーダーの電源とBluetoothモードを確認し、アプリの設定でリーダーを選択してください。',
      'Check the reader is on and in Bluetooth mode, and select it in the app settings.',
    ),
    checklist: 'connect',
    focus: ['bluetooth-on', 'reader-mode'],
    source: 'FAQ Q2 A2-1',
  },
  'ble.link-lost': {
    key: 'ble.link-lost',
    title: t('カードリーダーとの接続が切れました', 'The reader connection was lost'),
    action: RESTART_APP_AND_READER,
    checklist: 'connect',
    focus: ['restart', 'bluetooth-on'],
    source: 'FAQ Q2 A2-1',
  },
  'nfc.off': {
    key: 'nfc.off',
    title: t('NFCがオフです', 'NFC is off'),
    action: LOCATION_AIRPLANE,
    checklist: 'read',
    focus: ['location-airplane'],
    source: 'FAQ Q1 A1-1',
  },
  'nfc.phone-case': {
    key: 'nfc.phone-case',
    title: t('ケースを外してください', 'Remove the phone case'),
    action: PHONE_CASE,
    checklist: 'read',
    focus: ['phone-case'],
    source: 'FAQ Q1 A1-1',
  },
  'nfc.card-position': {
    key: 'nfc.card-position',
    title: t('カードの位置を合わせてください', 'Adjust the card position'),
    action: CARD_POSITION_PHONE,
    checklist: 'read',
    focus: ['card-position', 'flat-surface'],
    source: 'FAQ Q1 A1-1',
  },
  'nfc.moved': {
    key: 'nfc.moved',
    title: t('読み取り中にカードが動きました', 'The card moved during reading'),
    action: CARD_POSITION_PHONE,
    checklist: 'read',
    focus: ['card-position', 'flat-surface'],
    source: 'FAQ Q1 A1-1',
  },
  'nfc.airplane-mode': {
    key: 'nfc.airplane-mode',
    title: t('機内モードがオンです', 'Airplane mode is on'),
    action: LOCATION_AIRPLANE,
    checklist: 'read',
    focus: ['location-airplane'],
    source: 'FAQ Q1 A1-1',
  },
  'nfc.location-off': {
    key: 'nfc.location-off',
    title: t('位置情報がオフです', 'Location is off'),
    action: LOCATION_AIRPLANE,
    checklist: 'read',
    focus: ['location-airplane'],
    source: 'FAQ Q1 A1-1',
  },
  'nfc.unsupported-device': {
    key: 'nfc.unsupported-device',
    title: t('対応していない端末です', 'Unsupported device'),
    action: SUPPORTED_DEVICE,
    checklist: 'read',
    focus: ['supported-device'],
    source: 'FAQ Q1 A1-1',
  },
  'bridge.pairing': {
    key: 'bridge.pairing',
    title: t('スマートフォンとのペアリングに失敗しました', 'Pairing with the phone failed'),
    action: t(
      'PCに表示された新しいQRコードをスマートフォンで読み取ってください。',
      'Scan the new QR code shown on the PC with the phone.',
    ),
    source: 'transports.md §6',
  },
  'bridge.network': {
    key: 'bridge.network',
    title: t('スマートフォンとの通信が切れました', 'Lost contact with the phone'),
    action: t(
      'PCとスマートフォンが同じネットワークにあるか確認し、もう一度ペアリングしてください。',
      'Check the PC and the phone share a network and pair again.',
    ),
    checklist: 'read',
    focus: ['location-airplane'],
    source: 'transports.md §6',
  },
  'pin.incorrect': {
    key: 'pin.incorrect',
    title: t('暗証番号が違います', 'Wrong PIN'),
    action: t(
      '残り回数を確認し、患者ご本人に正しい暗証番号を入力していただいてください。',
      'Check the remaining tries and let the patient enter the correct PIN.',
    ),
    source: 'jpki-card.md §8',
  },
  'pin.last-try': {
    key: 'pin.last-try',
    title: t('残り1回です', 'One try left'),
    action: t(
      '次に間違えるとロックされ、市区町村窓口での手続きが必要になります。不確かな場合は目視確認または他の方法で資格確認してください。',
      'One more mistake locks the card and needs the municipal office. If unsure, use visual check or another confirmation path.',
    ),
    fallback: true,
    source: 'jpki-card.md §8; flyer',
  },
  'pin.blocked': {
    key: 'pin.blocked',
    title: t('暗証番号がロックされています', 'The PIN is locked'),
    action: t(
      'ロック解除はお住まいの市区町村窓口で行います。本日はマイナポータルの資格情報画面・資格情報のお知らせ等で資格確認してください。',
      'Unlocking is done at the municipal office. Today, confirm eligibility with the Mynaportal qualification screen or the qualification notice.',
    ),
    fallback: true,
    source: 'FAQ P17; flyer',
  },
  'pin.not-set': {
    key: 'pin.not-set',
    title: t('このカードでは暗証番号を使えません', 'No PIN can be used with this card'),
    action: t(
      '顔認証マイナンバーカード(暗証番号の設定がないカード)です。顔認証または目視で本人確認してください。',
      'A face-authentication My Number card (issued without a PIN). Confirm identity by face or visually.',
    ),
    fallback: true,
    source: '顔認証マイナンバーカード (municipal guidance, 2023-12)',
  },
  'pin.format': {
    key: 'pin.format',
    title: t('暗証番号の形式が正しくありません', 'The PIN format is wrong'),
    action: t(
      '利用者証明用は数字4桁、署名用は英大文字と数字6〜16桁です。',
      'The auth PIN is 4 digits; the signing password is 6–16 upper-case letters and digits.',
    ),
    source: 'jpki-card.md §8',
  },
  'sign-password.blocked': {
    key: 'sign-password.blocked',
    title: t('署名用パスワードがロックされています', 'The signing password is locked'),
    action: t(
      '市区町村窓口で再設定してください(利用者証明用暗証番号が分かればコンビニでも再設定できます)。',
      'Reset it at the municipal office (or a convenience-store kiosk if the auth PIN is known).',
    ),
    source: 'jpki-card.md §8',
  },
  'cert.expired': {
    key: 'cert.expired',
    title: t('電子証明書の有効期限が切れています', 'The certificate has expired'),
    action: t(
      'マイナポータルの資格情報画面、またはそのPDF(期限切れの場合のみ可)等で資格確認し、市区町村で電子証明書の更新を案内してください。',
      'Confirm eligibility with the Mynaportal qualification screen or its saved PDF (allowed only for an expired certificate), and guide the patient to renew at the municipal office.',
    ),
    fallback: true,
    source: 'flyer (電子証明書の有効期限切れ)',
  },
  'cert.expiring-soon': {
    key: 'cert.expiring-soon',
    title: t('電子証明書の有効期限が近づいています', 'The certificate expires soon'),
    action: t(
      '3か月以内に有効期限が切れます。市区町村で更新するよう患者に案内してください。',
      'It expires within 3 months; advise the patient to renew at the municipal office.',
    ),
    source: 'domain.md (renewal window)',
  },
  'cert.revoked': {
    key: 'cert.revoked',
    title: t('電子証明書は失効しています', 'The certificate is revoked'),
    action: FALLBACK_TEXT,
    fallback: true,
    source: 'certificates.md §4; flyer',
  },
  'cert.untrusted': {
    key: 'cert.untrusted',
    title: t('電子証明書を検証できません', 'The certificate cannot be verified'),
    action: FALLBACK_TEXT,
    fallback: true,
    source: 'certificates.md §5',
  },
  'cert.trust-anchor-missing': {
    key: 'cert.trust-anchor-missing',
    title: t(
      'この電子証明書を発行した認証局のルート証明書が未登録です',
      "The root certificate of this card's issuing generation is not installed",
    ),
    action: t(
      '管理者に連絡してください。管理者は地方公共団体情報システム機構の認証局ページからルート証明書を入手し、公開されているフィンガープリントを確かめて登録します。それまでは他の方法で資格を確認してください。',
      "Contact the administrator: download the root from J-LIS's CA page, compare the published fingerprint and add it (kakunin trust add). Meanwhile confirm eligibility another way.",
    ),
    fallback: true,
    source: 'certificates.md §2.1 (root generations)',
  },
  'cert.revocation-unknown': {
    key: 'cert.revocation-unknown',
    title: t('失効確認ができません', 'Revocation status unknown'),
    action: t(
      'ネットワーク接続を確認してもう一度お試しください。',
      'Check the network connection and try again.',
    ),
    source: 'certificates.md §4',
  },
  'cert.invalid': {
    key: 'cert.invalid',
    title: t('電子証明書が不正です', 'The certificate is invalid'),
    action: FALLBACK_TEXT,
    fallback: true,
    source: 'certificates.md §5',
  },
  'cert.sign-absent': {
    key: 'cert.sign-absent',
    title: t('署名用電子証明書がありません', 'No signing certificate on the card'),
    action: t(
      '15歳未満のカード等には署名用電子証明書がありません。利用者証明用電子証明書で本人確認してください。',
      'Cards of children under 15 have no signing certificate; use the authentication certificate.',
    ),
    source: 'jpki-card.md §3.1',
  },
  'network.server-unreachable': {
    key: 'network.server-unreachable',
    title: t('サーバーに接続できませんでした', 'Could not reach the server'),
    action: t(
      'ネットワーク接続を確認してください。解消しない場合はマイナポータルの資格情報画面等で資格確認してください。',
      'Check the network connection; if it persists, confirm eligibility with the Mynaportal screen or the qualification notice.',
    ),
    fallback: true,
    source: 'FAQ Q9; flyer',
  },
  'network.tls-root': {
    key: 'network.tls-root',
    title: t('ルート証明書がありません(E-*-*-W-6401)', 'Root certificate missing (E-*-*-W-6401)'),
    action: t(
      '「Starfield Services Root Certificate Authority - G2」が信頼されたルート証明機関にあるか確認し、なければAWSのルート証明書をインストールしてください。',
      'Check “Starfield Services Root Certificate Authority - G2” is a trusted root; if not, install the AWS root certificate.',
    ),
    source: 'FAQ Q9',
  },
  'network.proxy-unsupported': {
    key: 'network.proxy-unsupported',
    title: t('プロキシ接続には対応していません', 'Proxy connections are not supported'),
    action: t('プロキシを経由せずに接続してください。', 'Connect without a proxy.'),
    source: 'FAQ (プロキシ)',
  },
  'qualification.none': {
    key: 'qualification.none',
    title: t('有効な資格が確認できません', 'No valid qualification'),
    action: t(
      '患者に加入している保険を確認し、資格情報のお知らせ・資格確認書等の提示、または被保険者資格申立書の記入をお願いしてください。',
      'Ask the patient about their insurance and for the qualification notice or eligibility certificate, or have them fill in the insured-status declaration (被保険者資格申立書).',
    ),
    fallback: true,
    source: 'flyer (有効な資格がない)',
  },
  'qualification.multiple': {
    key: 'qualification.multiple',
    title: t('複数の資格が見つかりました', 'Multiple qualifications found'),
    action: t('患者に現在の保険を確認してください。', 'Ask the patient which insurance is current.'),
    source: 'domain.md §6',
  },
  'qualification.not-registered': {
    key: 'qualification.not-registered',
    title: t('保険証利用登録がされていません', 'The card is not registered for insurance use'),
    action: t(
      'マイナポータル等での保険証利用登録を案内してください。本日は資格情報のお知らせ・資格確認書等で資格を確認してください。',
      'Guide the patient to register the card for insurance use (e.g. in マイナポータル); today, confirm eligibility with the qualification notice or the eligibility certificate.',
    ),
    fallback: true,
    source: 'domain.md §4.1 (保険証利用登録), §11 error category 4; flyer',
  },
  'account.locked': {
    key: 'account.locked',
    title: t('アカウントがロックされています', 'The account is locked'),
    action: t(
      '30分後にロックが解除されます。パスワードが不明な場合はコールセンターにお問い合わせください。',
      'The lock lifts after 30 minutes; call the support centre if the password is unknown.',
    ),
    source: 'FAQ Q4',
  },
  'account.passcode-reset': {
    key: 'account.passcode-reset',
    title: t('パスコードを5回間違えました', 'Passcode entered wrongly 5 times'),
    action: t(
      'ID及びパスワードで再ログインし、パスコードを再設定してください。',
      'Log in again with ID and password, then set a new passcode.',
    ),
    source: 'FAQ Q5',
  },
};

export interface TroubleshootingGuide {
  readonly remedy: Remedy;
  readonly setup: ReaderSetup;
  /** The FAQ checklist for this setup, in the FAQ's order, with matching items marked. */
  readonly checklist: readonly (ChecklistItem & { readonly focus: boolean })[];
  /** The flyer's fallback guidance, when it applies. */
  readonly fallback?: LocalizedText;
}

/**
 * The guidance to show at the moment of a failure: the remedy plus the FAQ checklist for the
 * reader setup in use, in the FAQ's order, with the items that match this failure flagged.
 *
 * @example
 * ```ts
 * const guide = troubleshoot(error.remedy ?? 'app.restart', 'wired-reader');
 * ```
 */
export function troubleshoot(key: RemedyKey, setup: ReaderSetup): TroubleshootingGuide {
  const remedy = remedyCatalog[key];
  if (remedy === undefined) throw new RangeError(`troubleshoot: unknown remedy key ${JSON.stringify(key)}`);
  const focus = new Set(remedy.focus ?? []);
  const list = remedy.checklist === undefined ? [] : FAQ_CHECKLISTS[remedy.checklist][setup];
  return {
    remedy,
    setup,
    checklist: list.map((entry) => ({ ...entry, focus: focus.has(entry.id) })),
    ...(remedy.fallback === true ? { fallback: FALLBACK_TEXT } : {}),
  };
}
