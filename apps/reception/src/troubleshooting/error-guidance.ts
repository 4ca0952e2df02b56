/**
 * Maps every error the check flow can meet — CardError codes from the transports, the JPKI layer
 * and x509, plus the qualification answer — to a remedy key of the FAQ catalogue, the FAQ checklist
 * for the reader setup in use (`troubleshoot(remedyKey, setup)` from `@kakunin/core/remedies`) and
 * the flyer's failure category:
 *   1 ネットワークや機器の不具合 (network or equipment),
 *   2 電子証明書の有効期限切れやICチップの破損 (certificate expired or chip unusable; a locked PIN
 *     is put here too, because the patient cannot log in to マイナポータル with that card either —
 *     an inference, so only a PDF saved beforehand can be shown),
 *   3 有効な資格が確認できない (no valid qualification).
 *
 * @example
 * ```ts
 * const guidance = guidanceForError(error, 'wired-reader');
 * guidance.checklist; // FAQ A2-2 items, in FAQ order, the matching ones flagged
 * ```
 */
import { type LocalizedText, type ReaderSetup, type Remedy, troubleshoot } from '@kakunin/core/remedies';
import { CardError, isRemedyKey, type RemedyKey } from '@kakunin/core/transport';
import {
  CODE_GUIDANCE,
  FALLBACK_BY_CATEGORY,
  FAQ_SECTION,
  type FailureCategory,
  pick,
  REMEDY_TEXT,
  remedyOf,
} from './guidance-table.js';

export type { FailureCategory } from './guidance-table.js';

export interface Guidance {
  readonly code: string;
  readonly message: string;
  readonly remedyKey: RemedyKey;
  readonly setup: ReaderSetup;
  readonly title: LocalizedText;
  readonly action: LocalizedText;
  readonly checklist: readonly { id: string; ja: string; en: string; focus: boolean }[];
  readonly fallback?: LocalizedText;
  readonly failureCategory?: FailureCategory;
  readonly triesLeft?: number;
  /** The FAQ section staff can look up (e.g. `A1-1`, `Q4`), when the guidance comes from the FAQ. */
  readonly faqSection?: string;
  /** Internal provenance (FAQ, flyer or spec section): for logs and tests, never shown on screen. */
  readonly source: string;
}

/** The app's codes with their remedy, and the flyer's failure category per code (the guidance table). */
export const ERROR_CODE_GUIDANCE = CODE_GUIDANCE;

/** Remedy keys whose situation belongs to a flyer category even when the code is unknown. */
const CATEGORY_BY_REMEDY: Partial<Record<RemedyKey, FailureCategory>> = {
  'card.damaged': 2,
  'cert.expired': 2,
  'cert.revoked': 2,
  'cert.untrusted': 2,
  'cert.invalid': 2,
  'pin.blocked': 2,
  'qualification.none': 3,
  'qualification.multiple': 3,
  'qualification.not-registered': 3,
  'network.server-unreachable': 1,
  'pcsc.service': 1,
  'reader.usb-cable': 1,
};

function faqSectionOf(remedy: Remedy, setup: ReaderSetup): string | undefined {
  if (remedy.checklist !== undefined) return FAQ_SECTION[remedy.checklist][setup];
  return /^FAQ (Q\d+)/.exec(remedy.source)?.[1];
}

/**
 * Guidance for a code (and optional remedy from the error), for the reader setup in use. Where the
 * table gives a remedy per setup, the table wins over the remedy the error carries (a transport
 * does not know whether the reader is wired, Bluetooth or a smartphone).
 */
export function guidanceFor(
  code: string,
  setup: ReaderSetup,
  options: { message?: string; remedy?: RemedyKey | undefined; triesLeft?: number } = {},
): Guidance {
  const entry = CODE_GUIDANCE[code];
  const fromTable = remedyOf(code, setup);
  let remedyKey: RemedyKey =
    (fromTable.perSetup ? fromTable.remedy : (options.remedy ?? fromTable.remedy)) ?? 'app.restart';
  if (code === 'PIN_INCORRECT' && options.triesLeft === 1) remedyKey = 'pin.last-try';
  const guide = troubleshoot(remedyKey, setup);
  const failureCategory = entry?.category ?? CATEGORY_BY_REMEDY[remedyKey];
  const text = REMEDY_TEXT[remedyKey];
  const title = text?.title === undefined ? guide.remedy.title : pick(text.title, setup);
  const action = text?.action === undefined ? guide.remedy.action : pick(text.action, setup);
  const fallback =
    failureCategory !== undefined && (guide.fallback !== undefined || failureCategory !== 1)
      ? FALLBACK_BY_CATEGORY[failureCategory]
      : guide.fallback;
  const faqSection = faqSectionOf(guide.remedy, setup);
  return {
    code,
    message: options.message ?? title.en,
    remedyKey,
    setup,
    title,
    action,
    checklist: guide.checklist,
    ...(fallback === undefined ? {} : { fallback }),
    ...(failureCategory === undefined ? {} : { failureCategory }),
    ...(options.triesLeft === undefined ? {} : { triesLeft: options.triesLeft }),
    ...(faqSection === undefined ? {} : { faqSection }),
    source: guide.remedy.source,
  };
}

/** Guidance for anything thrown by the card port; non-CardErrors count as I/O failures. */
export function guidanceForError(error: unknown, setup: ReaderSetup): Guidance {
  if (CardError.isInstance(error)) {
    const triesLeft = typeof error.details.triesLeft === 'number' ? error.details.triesLeft : undefined;
    return guidanceFor(error.code, setup, {
      message: error.message,
      remedy: isRemedyKey(error.remedy) ? error.remedy : undefined,
      ...(triesLeft === undefined ? {} : { triesLeft }),
    });
  }
  return guidanceFor('IO', setup, { message: error instanceof Error ? error.message : String(error) });
}
