/**
 * The app's port to the card: the smallest surface the check flow needs. The integrator wires it to
 * `@kakunin/core/jpki` (`openCard(transport)` → `MyNumberCard`) over any `TransportProvider`; tests
 * wire it to the simulator's in-process card. Every method takes an AbortSignal; errors are
 * `CardError`s with stable codes (PIN_INCORRECT with `details.triesLeft`, PIN_BLOCKED,
 * LAST_TRY_REFUSED, CARD_REMOVED, NOT_A_MYNUMBER_CARD, …).
 *
 * PIN safety (brief): the adapter never retries VERIFY, reads the retry counter before a PIN is
 * presented, refuses the last try unless `allowLastTry`, zeroes the PIN buffer it receives, and
 * unpowers the card on close after a verified PIN.
 *
 * @example
 * ```ts
 * const reader = await factory.open(readerId, { signal });
 * await reader.waitForCard({ signal, timeoutMs: 30_000 });
 * const status = await reader.pinStatus({ signal });
 * const proof = await reader.checkWithPin({ pin, challenge, allowLastTry: status.triesLeft === 1, signal });
 * await reader.close();
 * ```
 */
import type { ReaderSetup } from '@kakunin/core/remedies';

/** A reader the staff can choose in settings. */
export interface ReaderChoice {
  readonly id: string;
  readonly label: string;
  /** Which FAQ setup (Q1/Q2) applies to troubleshooting with this reader. */
  readonly setup: ReaderSetup;
  /** Transport kind, e.g. `pcsc`, `ble`, `bridge`, `sim`. */
  readonly kind: string;
  readonly cardPresent: boolean;
}

export interface PinStatus {
  /** Tries left; null when the card does not report a counter (answers 90 00 to the query). */
  readonly triesLeft: number | null;
  readonly blocked: boolean;
  /** The card has no PIN (顔認証マイナンバーカード): route to face/visual confirmation, never VERIFY. */
  readonly pinNotSet?: true;
}

/** 基本4情報 as read from the card-info AP (jpki-card.md §4). */
export interface HolderBasicFour {
  readonly name: string;
  readonly address: string;
  /** `YYYYMMDD` (Gregorian). */
  readonly birthDate: string;
  readonly sex: 'male' | 'female' | 'not-applicable' | 'unknown';
}

/** What a PIN-mode check returns: the auth certificate and the card's signature over the challenge. */
export interface PinCheckProof {
  /** DER of the user-authentication certificate (EF 000A). */
  readonly certificate: Uint8Array;
  /** RSASSA-PKCS1-v1_5 / SHA-256 signature by the auth key over the challenge. */
  readonly signature: Uint8Array;
  /** Milliseconds per step, for the UI and benchmarks. */
  readonly timings?: Readonly<Record<string, number>>;
}

export interface CardOperationOptions {
  readonly signal?: AbortSignal;
}

/** One open reader (and the card in it). */
export interface CardReader extends AsyncDisposable {
  readonly readerId: string;
  readonly setup: ReaderSetup;
  /** Resolves when a My Number card is present and answers (detect); rejects with a CardError. */
  waitForCard(options: CardOperationOptions & { readonly timeoutMs?: number }): Promise<void>;
  /** Retry counter of the auth PIN, read without spending a try. */
  pinStatus(options: CardOperationOptions): Promise<PinStatus>;
  /**
   * VERIFY the auth PIN once, then sign `challenge` with the auth key and read the auth certificate.
   * The adapter zeroes `pin` when done.
   */
  checkWithPin(
    options: CardOperationOptions & {
      readonly pin: Uint8Array;
      readonly challenge: Uint8Array;
      readonly allowLastTry: boolean;
    },
  ): Promise<PinCheckProof>;
  /** Reads the auth certificate without a PIN (visual-check mode). */
  readAuthCertificate(options: CardOperationOptions): Promise<Uint8Array>;
  /**
   * Retry counter of the 券面事項入力補助用暗証番号 (card-info AP PIN, 4 digits), read without
   * spending a try. Optional: a reader that cannot reach the card-info AP leaves it out.
   */
  textPinStatus?(options: CardOperationOptions): Promise<PinStatus>;
  /**
   * VERIFY the card-info AP PIN once (counter read first, the last try refused unless
   * `allowLastTry`) and read the 基本4情報. Only with the holder's consent; the adapter zeroes `pin`.
   */
  readBasicFour?(
    options: CardOperationOptions & { readonly pin: Uint8Array; readonly allowLastTry: boolean },
  ): Promise<HolderBasicFour>;
  close(): Promise<void>;
}

/** Discovers readers and opens them. Given to {@link startReceptionServer} as `cardReaderFactory`. */
export interface CardReaderFactory {
  /** Transport kind for display (`sim`, `pcsc`, …). */
  readonly kind: string;
  listReaders(options: CardOperationOptions): Promise<readonly ReaderChoice[]>;
  open(readerId: string, options: CardOperationOptions): Promise<CardReader>;
  close(): Promise<void>;
}
