/**
 * The reader-driver seam. No standard GATT profile exists for smart-card readers
 * (transports.md §4.6), so each reader family is one driver: how to recognise its advertisement,
 * which GATT service/characteristics to use, and how to open a session (authenticate, frame,
 * power, exchange APDUs). The provider does scanning, connecting, GATT discovery, reconnects and
 * the Transport contract; a driver only speaks its reader's protocol over a {@link GattLink}.
 *
 * A vendor adds a family in one file plus tests: see README "Adding a reader family" and
 * examples/driver-template.test.ts.
 *
 * @example
 * ```ts
 * const provider = new BleTransportProvider({ drivers: [acr1255Driver(), myReaderDriver()] });
 * ```
 */
import type { CardError, TransportCapabilities } from '@kakunin/core/transport';

/** What a scan saw of a peripheral (noble's advertisement, normalised). */
export interface BleAdvertisement {
  readonly localName: string | undefined;
  /** Advertised service UUIDs, lower case without dashes (noble's spelling). */
  readonly serviceUuids: readonly string[];
  readonly manufacturerData: Uint8Array | undefined;
}

/** One GATT layout a reader family may use (firmware generations differ, transports.md §4.2). */
export interface GattProfile {
  /** Label for logs and `ReaderInfo.label`, e.g. 'legacy' or 'v2'. */
  readonly generation: string;
  /** Service UUID, lower case without dashes. */
  readonly service: string;
  /** Characteristic the host writes commands to. */
  readonly write: string;
  /** Characteristic the reader notifies responses and events on. */
  readonly notify: string;
}

/** A connected GATT link to one reader: the only I/O a driver sees. */
export interface GattLink {
  /** Stable id of the peripheral (noble's `peripheral.id`). */
  readonly id: string;
  /** Which of the driver's profiles the peripheral offered. */
  readonly profile: GattProfile;
  /** Largest write/notification payload the negotiated ATT MTU allows (MTU − 3; 20 when unknown). */
  readonly maxPayload: number;
  /** True until the link drops or is closed. */
  readonly connected: boolean;
  /** Cuts `bytes` into pieces of `fragmentLength` and writes them in order. Rejects with LINK_LOST. */
  write(bytes: Uint8Array, fragmentLength: number, signal?: AbortSignal): Promise<void>;
  /** Subscribes to notification pieces; returns the unsubscribe function. */
  onData(listener: (piece: Uint8Array) => void): () => void;
  /** Called once when the link drops (not on `disconnect()`); returns the unsubscribe function. */
  onDisconnect(listener: () => void): () => void;
  /** Drops the link. Idempotent. */
  disconnect(): Promise<void>;
}

/** Card state as the reader reports it. */
export type CardStatus = 'absent' | 'present' | 'powered';

/** Why a session ended on its own. */
export interface SessionEnd {
  /** `asleep` when the link dropped while idle; `lost` when it dropped mid-command. */
  readonly reason: 'asleep' | 'lost' | 'closed';
  readonly error: CardError;
}

/** An open, authenticated session with one reader. Errors are CardErrors with remedy keys. */
export interface ReaderSession {
  /** Human note for `TransportCapabilities.linkSecurity`. */
  readonly linkSecurity: string;
  /** What APDUs this reader carries (without linkSecurity). */
  readonly capabilities: Omit<TransportCapabilities, 'linkSecurity'>;
  /** True once the session ended (link lost, closed). */
  readonly ended: boolean;
  cardStatus(signal?: AbortSignal): Promise<CardStatus>;
  /** Powers the card; resolves with its ATR. CARD_ABSENT when there is none. */
  powerOn(signal?: AbortSignal): Promise<Uint8Array>;
  powerOff(signal?: AbortSignal): Promise<void>;
  /** One command APDU → data ‖ SW1 SW2. Never interprets, chains or retries. */
  transmit(command: Uint8Array, signal?: AbortSignal): Promise<Uint8Array>;
  /** One vendor escape command → its raw answer. */
  escape(command: Uint8Array, signal?: AbortSignal): Promise<Uint8Array>;
  /** Card inserted/removed, pushed by the reader. Returns the unsubscribe function. */
  onCardStatus(listener: (present: boolean) => void): () => void;
  /** The session ended on its own (link lost, reader asleep). Returns the unsubscribe function. */
  onEnd(listener: (end: SessionEnd) => void): () => void;
  /** Ends the session without touching the link (the provider owns it). Idempotent. */
  close(): Promise<void>;
}

/** What the provider hands a driver when it opens a session. */
export interface DriverOpenOptions {
  readonly signal?: AbortSignal;
  /** Reports non-fatal concerns (e.g. the public default key is in use). */
  readonly onWarning?: (warning: BleWarning) => void;
}

/** A non-fatal concern worth showing to staff or an administrator. */
export interface BleWarning {
  readonly code: 'default-master-key' | 'probe-failed' | 'unexpected-notification';
  readonly message: string;
  readonly readerId: string;
}

/**
 * One BLE reader family.
 *
 * @example
 * ```ts
 * const driver: BleReaderDriver = acr1255Driver({ masterKey });
 * driver.matches({ localName: 'ACR1255U-J1-003152', serviceUuids: [], manufacturerData: undefined }); // true
 * ```
 */
export interface BleReaderDriver {
  /** Family name, e.g. 'ACS ACR1255U-J1'. */
  readonly family: string;
  /** GATT layouts to try, in order. */
  readonly profiles: readonly GattProfile[];
  /** True when an advertisement belongs to this family. */
  matches(advertisement: BleAdvertisement): boolean;
  /**
   * Recognises this family among wired (PC/SC) reader names, to tell "in USB mode" apart from
   * "not found" (FAQ Q2 A2-1 mode switch).
   */
  readonly wiredNamePattern?: RegExp;
  /** Authenticates and returns a session. Must clean up (not disconnect) on failure. */
  open(link: GattLink, options: DriverOpenOptions): Promise<ReaderSession>;
}
