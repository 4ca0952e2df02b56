/**
 * Which evidence the ministry's flyer (../shared/seeds/004_…) accepts for each failure category:
 *   ① network/device, ② certificate expired or IC chip damaged, ③ no valid qualification.
 * - マイナポータル 資格情報 screen, or its saved PDF, shown with the card — in case ② only a PDF
 *   saved beforehand;
 * - 資格情報のお知らせ, shown with the card;
 * - 資格確認書 on its own (domain.md §8.1);
 * - smartphone マイナ保険証 unreadable and no physical card: log in to マイナポータル on the spot and
 *   show the screen (the login uses the phone's biometrics, not the card);
 * - none of these: returning patient → oral confirmation recorded; first visit → 被保険者資格申立書;
 * - last resort: 10割 (full) payment (domain.md §11).
 *
 * @example
 * ```ts
 * allowedEvidence(2); // ['myna-portal-pdf', 'qualification-notice', 'eligibility-certificate', …]
 * ```
 */
import type { FailureCategory } from '../troubleshooting/error-guidance.js';

export const EVIDENCE_TYPES = [
  'myna-portal-screen',
  'myna-portal-pdf',
  'qualification-notice',
  'eligibility-certificate',
  'smartphone-portal-login',
  'oral-confirmation',
  'declaration',
  'full-payment',
] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

export const EVIDENCE_LABELS: Readonly<Record<EvidenceType, { ja: string; en: string }>> = {
  'myna-portal-screen': {
    ja: 'マイナポータルの資格情報画面(カードと併せて)',
    en: 'Mynaportal qualification screen (with the card)',
  },
  'myna-portal-pdf': {
    ja: 'マイナポータルから保存したPDF(カードと併せて)',
    en: 'PDF saved from Mynaportal (with the card)',
  },
  'qualification-notice': {
    ja: '資格情報のお知らせ(カードと併せて)',
    en: 'Qualification notice 資格情報のお知らせ (with the card)',
  },
  'eligibility-certificate': { ja: '資格確認書', en: 'Eligibility certificate 資格確認書' },
  'smartphone-portal-login': {
    ja: 'スマホでその場でマイナポータルにログインし資格情報画面を提示',
    en: 'Smartphone: log in to Mynaportal on the spot and show the screen',
  },
  'oral-confirmation': {
    ja: '再診: 口頭確認(変更なし)',
    en: 'Returning patient: oral confirmation (no change)',
  },
  declaration: { ja: '初診: 被保険者資格申立書', en: 'First visit: insured-status declaration' },
  'full-payment': { ja: '10割負担(最終手段)', en: 'Full payment (last resort)' },
};

export const FAILURE_CATEGORY_LABELS: Readonly<Record<FailureCategory, { ja: string; en: string }>> = {
  1: { ja: '① ネットワークや機器の不具合', en: '① Network or equipment failure' },
  2: {
    ja: '② 電子証明書の有効期限切れやICチップの破損',
    en: '② Card certificate expired or IC chip damaged',
  },
  3: { ja: '③ 有効な資格が確認できない', en: '③ No valid qualification could be confirmed' },
};

/** Evidence that must be shown together with the physical card (flyer). */
export const REQUIRES_CARD: ReadonlySet<EvidenceType> = new Set([
  'myna-portal-screen',
  'myna-portal-pdf',
  'qualification-notice',
]);

/** Evidence accepted in a failure category, in the flyer's order. */
export function allowedEvidence(category: FailureCategory): readonly EvidenceType[] {
  return EVIDENCE_TYPES.filter((evidence) => !(category === 2 && evidence === 'myna-portal-screen'));
}

/** Why an evidence type is refused in a category, or undefined when it is allowed. */
export function refusalReason(
  category: FailureCategory,
  evidence: EvidenceType,
): { ja: string; en: string } | undefined {
  if (category === 2 && evidence === 'myna-portal-screen') {
    return {
      ja: '電子証明書の有効期限切れ等の場合は、事前に保存したPDFファイルのみ提示可能です。',
      en: 'When the card certificate has expired (or the chip is damaged) only a PDF saved beforehand can be shown.',
    };
  }
  return undefined;
}
