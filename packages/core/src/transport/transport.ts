/**
 * The Transport contract (architecture.md §2): a dumb pipe that carries one command APDU to the
 * card and returns the raw response (data + SW1 SW2). It never interprets status words, never
 * sends GET RESPONSE, never chains, never retries, never logs payloads.
 *
 * @example
 * ```ts
 * await using transport = await provider.connect(readerId, { share: 'exclusive' });
 * const response = await transport.transmit(new Uint8Array([0x00, 0xa4, 0x04, 0x0c, 0x0a, ...aid]));
 * ```
 */
import type { CardError } from './card-error.js';

/** What an individual link can carry. Reported honestly: default short unless proven. */
export interface TransportCapabilities {
  /** Extended-length APDUs (Lc up to 65535, Le up to 65536) pass through this link. */
  readonly extendedLength: boolean;
  /** Largest command APDU in bytes the link accepts (header + Lc + data + Le). */
  readonly maxCommandLength: number;
  /** Largest response in bytes (data + SW) the link returns. */
  readonly maxResponseLength: number;
  /** Contact (ISO 7816-3) or contactless (ISO 14443) interface to the card. */
  readonly interface: 'contact' | 'contactless' | 'unknown';
  /** Human note on who can see the bytes on this link (e.g. "BLE default key: no secrecy"). */
  readonly linkSecurity?: string;
}

/** One reader as a provider sees it. */
export interface ReaderInfo {
  /** Stable id to pass to `connect()`; for PC/SC the reader name. */
  readonly id: string;
  /** Label for people. */
  readonly label: string;
  readonly cardPresent: boolean;
  /** The card's ATR when present. */
  readonly atr?: Uint8Array;
}

/** Events from `watch()`; the current state is replayed first. */
export type ReaderEvent =
  | { readonly type: 'reader-add'; readonly reader: ReaderInfo }
  | { readonly type: 'reader-remove'; readonly readerId: string }
  | { readonly type: 'card-insert'; readonly readerId: string; readonly atr: Uint8Array }
  | { readonly type: 'card-remove'; readonly readerId: string }
  | { readonly type: 'error'; readonly error: CardError };

export interface SignalOptions {
  readonly signal?: AbortSignal;
}

export interface ConnectOptions extends SignalOptions {
  /** Give up after this many milliseconds (default chosen by the provider). */
  readonly timeoutMs?: number;
  /** `exclusive` keeps other processes away while a PIN is verified (jpki-card.md §8). */
  readonly share?: 'shared' | 'exclusive';
  /** Wait for a card instead of failing with CARD_ABSENT. */
  readonly waitForCard?: boolean;
}

/** Why a transport closed. `closed` always resolves, never rejects. */
export interface CloseInfo {
  readonly reason: 'closed' | 'card-removed' | 'reader-removed' | 'link-lost' | 'error';
  readonly error?: CardError;
}

/** One card connection. */
export interface Transport extends AsyncDisposable {
  readonly kind: string;
  readonly atr: Uint8Array;
  readonly capabilities: TransportCapabilities;
  /**
   * Sends one command APDU and resolves with the raw response (data ‖ SW1 ‖ SW2).
   * A second call while one is in flight rejects with `BUSY`.
   */
  transmit(command: Uint8Array, options?: SignalOptions): Promise<Uint8Array>;
  /** Reader control code (PC/SC SCardControl, BLE escape). Optional. */
  control?(code: number, data: Uint8Array, options?: SignalOptions): Promise<Uint8Array>;
  /** Resets the card; `cold` removes power and clears every security state. Resolves with the new ATR. */
  reset?(kind: 'cold' | 'warm', options?: SignalOptions): Promise<Uint8Array>;
  /** Settles once when the connection ends, for any reason. */
  readonly closed: Promise<CloseInfo>;
  /** Idempotent. */
  close(): Promise<void>;
}

/** Discovery and connection for one kind of reader. */
export interface TransportProvider extends AsyncDisposable {
  readonly kind: string;
  isSupported(options?: SignalOptions): Promise<boolean>;
  listReaders(options?: SignalOptions): Promise<ReaderInfo[]>;
  watch(options?: SignalOptions): AsyncIterable<ReaderEvent>;
  connect(readerId: string, options?: ConnectOptions): Promise<Transport>;
  close(): Promise<void>;
}
