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
import { type LocalizedText, type ReaderSetup, remedyFor, troubleshoot } from '@kakunin/core/remedies';
import { CardError, isErrorCode, isRemedyKey, type RemedyKey } from '@kakunin/core/transport';

export type FailureCategory = 1 | 2 | 3;

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
  readonly source: string;
}

type PerSetup = RemedyKey | Readonly<Record<ReaderSetup, RemedyKey>>;

/**
 * The reception's own codes (network and qualification answers) with their remedy, and the flyer's
 * failure category per code. The remedy of every CardError code comes from `@kakunin/core/remedies`.
 */
export const ERROR_CODE_GUIDANCE: Readonly<
  Record<string, { remedy?: PerSetup; category?: FailureCategory }>
> = {
  // transport layer
  SERVICE_UNAVAILABLE: { category: 1 },
  NO_READERS: { category: 1 },
  READER_NOT_FOUND: { category: 1 },
  READER_UNAVAILABLE: { category: 1 },
  SHARING_VIOLATION: { category: 1 },
  CARD_UNRESPONSIVE: { category: 2 },
  BUSY: { category: 1 },
  IO: { category: 1 },
  CLOSED: { category: 1 },
  LINK_LOST: { category: 1 },
  PROTOCOL: { category: 1 },
  NOT_SUPPORTED: { category: 1 },
  COMMAND_TOO_LONG: { category: 1 },
  BLUETOOTH_OFF: { category: 1 },
  BLUETOOTH_UNAUTHORIZED: { category: 1 },
  READER_AUTH_FAILED: { category: 1 },
  READER_ASLEEP: { category: 1 },
  PEER_REJECTED: { category: 1 },
  // ISO 7816 / JPKI layer
  APDU_MALFORMED: { category: 1 },
  PIN_BLOCKED: { category: 2 },
  // certificates
  CERT_EXPIRED: { category: 2 },
  CERT_NOT_YET_VALID: { category: 2 },
  CHAIN_UNTRUSTED: { category: 2 },
  REVOKED: { category: 2 },
  REVOCATION_UNKNOWN: { category: 1 },
  X509_MALFORMED: { category: 2 },
  VALIDATION_FAILED: { category: 2 },
  // network and qualification
  SERVER_UNREACHABLE: { remedy: 'network.server-unreachable', category: 1 },
  TLS_ROOT_MISSING: { remedy: 'network.tls-root', category: 1 },
  PROXY_UNSUPPORTED: { remedy: 'network.proxy-unsupported', category: 1 },
  QUALIFICATION_NONE: { remedy: 'qualification.none', category: 3 },
  QUALIFICATION_MULTIPLE: { remedy: 'qualification.multiple', category: 3 },
  NOT_REGISTERED: { remedy: 'qualification.not-registered', category: 3 },
};

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

/** Guidance for a code (and optional remedy from the error), for the reader setup in use. */
export function guidanceFor(
  code: string,
  setup: ReaderSetup,
  options: { message?: string; remedy?: RemedyKey | undefined; triesLeft?: number } = {},
): Guidance {
  const entry = ERROR_CODE_GUIDANCE[code];
  const fromTable = isErrorCode(code)
    ? remedyFor(code, setup)
    : entry?.remedy === undefined
      ? undefined
      : typeof entry.remedy === 'string'
        ? entry.remedy
        : entry.remedy[setup];
  let remedyKey: RemedyKey = options.remedy ?? fromTable ?? 'app.restart';
  if (code === 'PIN_INCORRECT' && options.triesLeft === 1) remedyKey = 'pin.last-try';
  const guide = troubleshoot(remedyKey, setup);
  const failureCategory = entry?.category ?? CATEGORY_BY_REMEDY[remedyKey];
  return {
    code,
    message: options.message ?? guide.remedy.title.en,
    remedyKey,
    setup,
    title: guide.remedy.title,
    action: guide.remedy.action,
    checklist: guide.checklist,
    ...(guide.fallback === undefined ? {} : { fallback: guide.fallback }),
    ...(failureCategory === undefined ? {} : { failureCategory }),
    ...(options.triesLeft === undefined ? {} : { triesLeft: options.triesLeft }),
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
