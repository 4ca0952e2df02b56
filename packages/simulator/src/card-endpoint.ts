/**
 * What a presence layer (in-process transport, vpcd connector, BLE peripheral, bridge relay)
 * needs from a virtual card: power, reset and one APDU at a time. Raw bytes in, raw bytes out.
 *
 * @example
 * ```ts
 * const atr = card.powerOn();
 * const response = await card.process(new Uint8Array([0x00, 0xa4, 0x04, 0x0c, 0x0a, ...aid]));
 * ```
 */
export interface VirtualCardEndpoint {
  /** ATR the card presents on the contact interface. */
  readonly atr: Uint8Array;
  /** Applies power; resets every volatile state; returns the ATR. */
  powerOn(): Uint8Array;
  /** Removes power: every security state is lost. */
  powerOff(): void;
  /** Warm reset: the card's security state survives (jpki-card.md §8), the selection does not. */
  warmReset(): Uint8Array;
  /** Processes one command APDU and returns data ‖ SW1 SW2. Never throws for bad input. */
  process(command: Uint8Array): Promise<Uint8Array>;
}
