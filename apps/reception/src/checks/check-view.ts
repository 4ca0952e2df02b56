/**
 * What one qualification check looks like to the UI and the routes ({@link CheckView}), and the
 * server-side state behind it ({@link CheckState}); shared by the check service and its parts
 * (check-query.ts).
 */
import type { ReaderSetup } from '@kakunin/core/remedies';
import type { CardReader, PinStatus } from '../ports/card-reader.js';
import type { CertificateReport } from '../ports/certificate-validator.js';
import type { QualificationAnswer } from '../ports/qualification-service.js';
import type { Guidance } from '../troubleshooting/error-guidance.js';
import type { ReconciliationReport } from './reconciliation.js';
import type { RefusedPins } from './refused-pins.js';

export type CheckStatus =
  | 'waiting-card'
  | 'pin-entry'
  | 'visual-attest'
  | 'querying'
  | 'result'
  | 'failed'
  | 'cancelled';

/** What the UI shows of the certificate validation: every check, the status and the revocation answer. */
export interface CertificateSummary {
  readonly status: CertificateReport['status'];
  readonly valid: boolean;
  readonly code?: string;
  readonly remedy?: string;
  readonly serialNumber?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
  readonly daysUntilExpiry?: number;
  readonly expiringSoon: boolean;
  readonly testHierarchy: boolean;
  readonly revocation?: CertificateReport['revocation'];
  /** Revocation is left to the qualification service (shown on screen, written to the audit log). */
  readonly revocationDelegated?: boolean;
  readonly checks: CertificateReport['checks'];
}

export interface CheckView {
  readonly id: string;
  readonly status: CheckStatus;
  /** `numbers`: query by the numbers on a 資格確認書 / old 保険証 (no card, no reader). */
  readonly mode: 'pin' | 'visual' | 'numbers';
  readonly readerId: string;
  readonly setup: ReaderSetup;
  readonly startedAt: string;
  readonly pinStatus?: PinStatus;
  /** Guidance for the last failure (shown at the moment of failure). */
  readonly guidance?: Guidance;
  /** Warnings on success (certificate expiring or inside the grace period). */
  readonly warnings: readonly Guidance[];
  readonly certificate?: CertificateSummary;
  readonly answer?: QualificationAnswer;
  readonly reconciliation?: readonly ReconciliationReport[];
  readonly visual?: { readonly staffId: string; readonly confirmedAt: string };
  readonly standInLabel: { readonly ja: string; readonly en: string };
  readonly timings: Readonly<Record<string, number>>;
}

export interface CheckState {
  view: CheckView;
  actor: string;
  reader: CardReader | undefined;
  controller: AbortController;
  busy: boolean;
  /**
   * Wrong PINs already presented in this check, as HMAC-SHA256 under a per-check random key held
   * only in memory (never the PIN itself; dropped with the check). A repeat is refused before it
   * reaches the card: the same PIN cannot become right, so presenting it again only spends a try.
   */
  readonly refusedPins: RefusedPins;
}
