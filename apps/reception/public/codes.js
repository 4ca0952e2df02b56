// The one code table of the UI: every coded value of a qualification result (domain.md §6, OQSCD
// code lists) as words, in Japanese and English, plus Japanese-style dates. Views never print a raw
// code: they call label(table, code) or the helpers below. An unknown code is shown as 「不明」,
// never as the code itself.

/** @typedef {{ ja: string, en: string }} Words */

export const CODES = {
  /** Sex1 / Sex2 */
  sex: { 1: { ja: '男', en: 'Male' }, 2: { ja: '女', en: 'Female' }, 3: { ja: '未設定', en: 'Not set' } },
  /** PersonalFamilyClassification */
  family: { 1: { ja: '本人', en: 'Insured person' }, 2: { ja: '家族', en: 'Dependant' } },
  /** ReasonOfLoss */
  reasonOfLoss: {
    '01': { ja: '死亡', en: 'Death' },
    '02': { ja: '生活保護の開始', en: 'Public assistance started' },
    '03': { ja: '他の保険の資格取得(転職等)', en: 'Other insurance acquired (job change etc.)' },
    99: { ja: 'その他', en: 'Other' },
  },
  /** InsuredCardClassification */
  cardClassification: {
    '01': { ja: '一般', en: 'General' },
    '02': { ja: '退職者', en: 'Retiree' },
    '03': { ja: '短期被保険者証', en: 'Short-term card' },
    '04': { ja: '短期被保険者証', en: 'Short-term card' },
    '05': { ja: '被保険者資格証明書', en: 'Qualification certificate' },
    '06': { ja: '特例退職', en: 'Special retiree' },
    '07': { ja: '自衛官診療証', en: 'Self-Defense Forces card' },
  },
  /** LimitApplicationCertificateClassification */
  limitClassification: {
    '01': { ja: '限度額適用認定証', en: 'Limit certificate' },
    '02': { ja: '限度額適用・標準負担額減額認定証', en: 'Limit and standard-charge reduction certificate' },
    '03': { ja: '標準負担額減額認定証', en: 'Standard-charge reduction certificate' },
  },
  /** LimitApplicationCertificateClassificationFlag (限度区分) */
  limitCategory: {
    A01: { ja: '区分ア', en: 'Category A' },
    A02: { ja: '区分イ', en: 'Category I' },
    A03: { ja: '区分ウ', en: 'Category U' },
    A04: { ja: '区分エ', en: 'Category E' },
    A05: { ja: '区分オ', en: 'Category O' },
    A06: { ja: '区分オ(境)', en: 'Category O (boundary)' },
    B01: { ja: '現役並みⅢ', en: 'Working-age-level III' },
    B02: { ja: '現役並みⅡ', en: 'Working-age-level II' },
    B03: { ja: '現役並みⅠ', en: 'Working-age-level I' },
    B04: { ja: '一般', en: 'General' },
    B05: { ja: '低所得Ⅱ', en: 'Low income II' },
    B06: { ja: '低所得Ⅰ', en: 'Low income I' },
    B07: { ja: '低所得Ⅰ(老福)', en: 'Low income I (old-age welfare)' },
    B08: { ja: '低所得Ⅰ(境)', en: 'Low income I (boundary)' },
    B09: { ja: '一般Ⅱ', en: 'General II' },
    B10: { ja: '一般Ⅰ', en: 'General I' },
  },
  /** SpecificDiseasesCertificateRelatedConsFlg and the other consent flags */
  consent: {
    0: { ja: '同意なし', en: 'Not consented' },
    1: { ja: '同意あり', en: 'Consented' },
    2: { ja: '同意の有効期限切れ', en: 'Consent expired' },
  },
  /** Specific disease certificate categories (OQSCD013) */
  specificDisease: {
    1: { ja: '特定疾病(人工透析を要する慢性腎不全)', en: 'Chronic renal failure requiring dialysis' },
    2: { ja: '特定疾病(血友病)', en: 'Haemophilia' },
    3: {
      ja: '特定疾病(抗ウイルス剤を投与している後天性免疫不全症候群)',
      en: 'HIV under antiviral treatment',
    },
  },
  /** QualificationValidity */
  validity: {
    1: { ja: '有効', en: 'Valid' },
    2: { ja: '無効', en: 'Invalid' },
    3: { ja: '無効(新しい資格があります)', en: 'Invalid — a newer qualification exists' },
    4: { ja: '該当する資格がありません', en: 'No matching qualification' },
    5: { ja: '複数の資格が該当しました', en: 'Several qualifications match' },
  },
  /** Failure categories of the flyer */
  failureCategory: {
    1: { ja: '①ネットワークや機器の不具合', en: '(1) Network or equipment problem' },
    2: {
      ja: '②電子証明書の有効期限切れやICチップの破損など',
      en: '(2) Certificate expired, chip damaged or similar',
    },
    3: { ja: '③有効な資格が確認できない', en: '(3) No valid qualification confirmed' },
  },
  /** Fallback evidence types */
  evidence: {
    'myna-portal-screen': { ja: 'マイナポータルの資格情報画面', en: 'Mynaportal qualification screen' },
    'myna-portal-pdf': { ja: 'マイナポータルで保存したPDF', en: 'PDF saved from Mynaportal' },
    'qualification-notice': { ja: '資格情報のお知らせ', en: 'Qualification notice' },
    'eligibility-certificate': { ja: '資格確認書', en: 'Eligibility certificate' },
    'smartphone-portal-login': {
      ja: 'スマートフォンでその場でマイナポータルにログインした資格情報画面',
      en: 'Mynaportal screen logged in on the spot on a smartphone',
    },
    'oral-confirmation': { ja: '口頭確認(再診)', en: 'Oral confirmation (returning patient)' },
    declaration: { ja: '被保険者資格申立書(初診)', en: 'Declaration form (first visit)' },
    'full-payment': { ja: '10割負担', en: 'Full payment' },
  },
  /** Reader setups */
  setup: {
    'wired-reader': { ja: 'PC/タブレット(Windows)+有線カードリーダー', en: 'PC + wired reader' },
    'ble-reader': {
      ja: 'スマートフォン/タブレット+Bluetoothカードリーダー',
      en: 'Phone/tablet + Bluetooth reader',
    },
    smartphone: { ja: 'スマートフォン/タブレット単体', en: 'Phone/tablet alone' },
  },
};

const UNKNOWN = { ja: '不明', en: 'Unknown' };

/** The words for a code of one table, in the language. */
export function label(table, code, lang = 'ja') {
  const entry = CODES[table]?.[String(code ?? '')];
  return (entry ?? UNKNOWN)[lang] ?? (entry ?? UNKNOWN).ja;
}

/** Copayment ratio in percent (30) as words: 3割 / 30 %. */
export function ratioLabel(percent, lang = 'ja') {
  const value = Number(percent);
  if (!Number.isFinite(value) || value <= 0) return UNKNOWN[lang];
  return lang === 'ja' ? `${value / 10}割` : `${value} %`;
}

const ERAS = [
  { name: '令和', start: '2019-05-01' },
  { name: '平成', start: '1989-01-08' },
  { name: '昭和', start: '1926-12-25' },
  { name: '大正', start: '1912-07-30' },
];

/** 和暦 of a YYYY-MM-DD date: 令和8年4月1日 (元年 for the first year). */
export function warekiLabel(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso ?? ''));
  if (match === null) return '';
  const [, y, m, d] = match;
  const era = ERAS.find((entry) => `${y}-${m}-${d}` >= entry.start);
  if (era === undefined) return '';
  const year = Number(y) - Number(era.start.slice(0, 4)) + 1;
  return `${era.name}${year === 1 ? '元' : year}年${Number(m)}月${Number(d)}日`;
}

/** A YYYY-MM-DD date in Japanese style (2026年4月1日(令和8年)) or English (1 Apr 2026). */
export function dateLabel(iso, lang = 'ja', { wareki = true } = {}) {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso ?? ''));
  if (match === null) return iso ? String(iso) : '';
  const [, y, m, d] = match;
  if (lang !== 'ja') {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    return `${Number(d)} ${months[Number(m) - 1]} ${y}`;
  }
  const western = `${y}年${Number(m)}月${Number(d)}日`;
  const era = wareki ? warekiLabel(iso) : '';
  return era === '' ? western : `${western}（${era.replace(/\d+月\d+日$/, '')}）`;
}

/** A timestamp in local time: 2026年12月7日 14:05 / 7 Dec 2026 14:05. */
export function dateTimeLabel(iso, lang = 'ja') {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${dateLabel(day, lang, { wareki: false })} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Whether a result is the current qualification (not lost, not past its end date). */
export function isCurrentResult(result, today = new Date().toISOString().slice(0, 10)) {
  if (result == null) return false;
  if (result.reasonOfLoss) return false;
  return !result.insuredCardExpirationDate || result.insuredCardExpirationDate >= today;
}
