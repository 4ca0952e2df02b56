/**
 * The slice of the `smartcard` N-API binding (tomkp/smartcard 3.x) this package uses, typed by
 * us so that no type of the binding leaks into kakunin's public API. Byte buffers stay inside
 * this package: the public surface is Uint8Array only.
 *
 * @example
 * ```ts
 * const binding = loadNativeBinding();
 * const context = binding.createContext();
 * ```
 */

/** One reader state from SCardGetStatusChange (state flags, ATR when a card is present). */
export interface NativeReaderState {
  readonly name: string;
  readonly state: number;
  readonly changed: boolean;
  readonly atr: Uint8Array | null;
}

/** What the binding's `getStatus()` (SCardStatus) returns. */
export interface NativeCardStatus {
  readonly state: number;
  readonly protocol: number;
  readonly atr: Uint8Array;
}

/** A card handle (SCARDHANDLE) with its own context. */
export interface NativeCard {
  readonly protocol: number;
  transmit(command: Uint8Array, options: { maxRecvLength: number }): Promise<Uint8Array>;
  control(code: number, data: Uint8Array): Promise<Uint8Array>;
  /** SCardStatus; throws the PC/SC error message (e.g. "Card was removed"). Synchronous. */
  getStatus(): NativeCardStatus;
  /** SCardDisconnect; synchronous. */
  disconnect(disposition: number): void;
  reconnect(shareMode: number, protocols: number, initialization: number): Promise<number>;
}

export interface NativeReader {
  readonly name: string;
  readonly state: number;
  readonly atr: Uint8Array | null;
  connect(shareMode: number, protocols: number): Promise<NativeCard>;
}

/** An SCARDCONTEXT. Its synchronous calls block while another thread uses the same context. */
export interface NativeContext {
  readonly isValid: boolean;
  /** SCardListReaders + a zero-timeout SCardGetStatusChange. `[]` when there is no reader. */
  listReaders(): NativeReader[];
  /** SCardGetStatusChange on a worker thread: `[]` on timeout, `null` when cancelled. */
  waitForChange(
    readers: ReadonlyArray<{ readonly name: string; readonly state: number }>,
    timeoutMs: number,
  ): Promise<NativeReaderState[] | null>;
  /** SCardCancel: releases a pending waitForChange. */
  cancel(): void;
  /** SCardReleaseContext. */
  close(): void;
}

/** PC/SC constants as the binding's platform defines them (pcsclite.h / winscard.h). */
export interface NativeConstants {
  readonly SCARD_SHARE_EXCLUSIVE: number;
  readonly SCARD_SHARE_SHARED: number;
  readonly SCARD_PROTOCOL_T0: number;
  readonly SCARD_PROTOCOL_T1: number;
  readonly SCARD_PROTOCOL_RAW: number;
  readonly SCARD_LEAVE_CARD: number;
  readonly SCARD_RESET_CARD: number;
  readonly SCARD_UNPOWER_CARD: number;
  readonly SCARD_STATE_CHANGED: number;
  readonly SCARD_STATE_UNAVAILABLE: number;
  readonly SCARD_STATE_EMPTY: number;
  readonly SCARD_STATE_PRESENT: number;
  readonly SCARD_STATE_MUTE: number;
}

export interface NativeBinding {
  readonly constants: NativeConstants;
  /** SCardEstablishContext; throws the PC/SC error message when the service is down. */
  createContext(): NativeContext;
  /** SCARD_CTL_CODE for this platform (reader control codes differ on Windows and Unix). */
  controlCode(code: number): number;
}
