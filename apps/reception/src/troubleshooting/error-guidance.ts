/**
 * Maps every error the check flow can meet — CardError codes from the transports, the JPKI layer
 * and x509, plus the qualification answer — to a remedy key of the FAQ catalogue, the FAQ checklist
 * for the reader setup in use (`troubleshoot(remedyKey, setup)` from `@kakunin/core/transport`) and
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
import {
  CardError,
  isRemedyKey,
  type LocalizedText,
  type ReaderSetup,
  type RemedyKey,
  troubleshoot,
} from '@kakunin/core/transport';

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

/** Default remedy and failure category per error code (used when the error carries no remedy). */
export const ERROR_CODE_GUIDANCE: Readonly<Record<string, { remedy: PerSetup; category?: FailureCategory }>> =
  {
    // transport layer (packages/core/src/transport/error-codes.ts)
    SERVICE_UNAVAILABLE: {
      remedy: {
        'wired-reader': 'pcsc.service',
        'ble-reader': 'ble.bluetooth-off',
        smartphone: 'bridge.network',
      },
      category: 1,
    },
    NO_READERS: {
      remedy: {
        'wired-reader': 'reader.usb-cable',
        'ble-reader': 'ble.reader-not-found',
        smartphone: 'bridge.pairing',
      },
      category: 1,
    },
    READER_NOT_FOUND: {
      remedy: {
        'wired-reader': 'reader.usb-cable',
        'ble-reader': 'ble.reader-not-found',
        smartphone: 'bridge.pairing',
      },
      category: 1,
    },
    READER_UNAVAILABLE: {
      remedy: {
        'wired-reader': 'reader.usb-cable',
        'ble-reader': 'ble.link-lost',
        smartphone: 'bridge.network',
      },
      category: 1,
    },
    SHARING_VIOLATION: { remedy: 'reader.in-use', category: 1 },
    CARD_ABSENT: {
      remedy: { 'wired-reader': 'card.absent', 'ble-reader': 'card.absent', smartphone: 'nfc.card-position' },
    },
    CARD_REMOVED: {
      remedy: { 'wired-reader': 'card.moved', 'ble-reader': 'card.moved', smartphone: 'nfc.moved' },
    },
    CARD_UNPOWERED: {
      remedy: { 'wired-reader': 'card.moved', 'ble-reader': 'card.moved', smartphone: 'nfc.moved' },
    },
    CARD_UNRESPONSIVE: {
      remedy: {
        'wired-reader': 'card.orientation',
        'ble-reader': 'card.orientation',
        smartphone: 'nfc.card-position',
      },
      category: 2,
    },
    BUSY: { remedy: 'app.restart', category: 1 },
    TIMEOUT: {
      remedy: { 'wired-reader': 'card.absent', 'ble-reader': 'card.absent', smartphone: 'nfc.card-position' },
    },
    ABORTED: { remedy: 'app.restart' },
    IO: {
      remedy: { 'wired-reader': 'reader.usb-cable', 'ble-reader': 'ble.link-lost', smartphone: 'nfc.moved' },
      category: 1,
    },
    CLOSED: { remedy: 'app.restart', category: 1 },
    LINK_LOST: {
      remedy: {
        'wired-reader': 'reader.usb-cable',
        'ble-reader': 'ble.link-lost',
        smartphone: 'bridge.network',
      },
      category: 1,
    },
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
    PIN_INCORRECT: { remedy: 'pin.incorrect' },
    PIN_BLOCKED: { remedy: 'pin.blocked', category: 2 },
    LAST_TRY_REFUSED: { remedy: 'pin.last-try' },
    PIN_FORMAT: { remedy: 'pin.format' },
    NOT_A_MYNUMBER_CARD: { remedy: 'card.not-mynumber' },
    SECURITY_STATUS_NOT_SATISFIED: { remedy: 'app.restart' },
    CARD_DAMAGED: { remedy: 'card.damaged', category: 2 },
    // certificates
    CERT_EXPIRED: { remedy: 'cert.expired', category: 2 },
    CERT_NOT_YET_VALID: { remedy: 'cert.invalid', category: 2 },
    CHAIN_UNTRUSTED: { remedy: 'cert.untrusted', category: 2 },
    REVOKED: { remedy: 'cert.revoked', category: 2 },
    REVOCATION_UNKNOWN: { remedy: 'cert.revocation-unknown', category: 1 },
    MALFORMED: { remedy: 'cert.invalid', category: 2 },
    VALIDATION_FAILED: { remedy: 'cert.invalid', category: 2 },
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
  const fromTable =
    entry === undefined ? undefined : typeof entry.remedy === 'string' ? entry.remedy : entry.remedy[setup];
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
