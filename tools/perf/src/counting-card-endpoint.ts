/**
 * Counts what reaches the card: wraps any {@link VirtualCardEndpoint} and logs every command's
 * header, length form and sizes, and the status word of its answer. Because it sits at the card,
 * it counts the same way whichever path carries the APDUs — the in-process provider, or
 * vpcd → pcscd → any PC/SC client (kakunin, OpenSC) — so the figures of different clients are
 * comparable. Command data is never kept (a VERIFY carries a PIN).
 *
 * @example
 * ```ts
 * const counter = new CountingCardEndpoint(createVirtualCard('plastic', { keyStore }));
 * const provider = new SimulatorProvider({ card: counter });
 * // … run a flow …
 * console.log(counter.tally()); // { apdus: 5, bytes: 1762, wastedProbes: 0, … }
 * ```
 */
import type { VirtualCardEndpoint } from '@kakunin/simulator';
import { isExtendedCommand } from '@kakunin/simulator';
import { type ApduLogEntry, type ApduTally, tallyApdus } from './apdu-tally.js';

/** ISO/IEC 7816-4 §5.1: CLA INS P1 P2. */
const HEADER_LENGTH = 4;

/**
 * The counting wrapper.
 *
 * @example
 * ```ts
 * const counter = new CountingCardEndpoint(card);
 * counter.reset(); // start a new flow
 * ```
 */
export class CountingCardEndpoint implements VirtualCardEndpoint {
  readonly inner: VirtualCardEndpoint;
  readonly #log: ApduLogEntry[] = [];
  #powerOns = 0;

  constructor(inner: VirtualCardEndpoint) {
    if (typeof inner !== 'object' || inner === null || typeof inner.process !== 'function')
      throw new TypeError('inner must be a VirtualCardEndpoint');
    this.inner = inner;
  }

  get atr(): Uint8Array {
    return this.inner.atr;
  }

  /** Commands since construction or the last {@link reset}. */
  get log(): readonly ApduLogEntry[] {
    return this.#log;
  }

  /** Power-ons (cold resets) seen since the last {@link reset}. */
  get powerOns(): number {
    return this.#powerOns;
  }

  /** Sums the log. */
  tally(): ApduTally {
    return tallyApdus(this.#log);
  }

  /** Forgets the log (the card itself is untouched). */
  reset(): void {
    this.#log.length = 0;
    this.#powerOns = 0;
  }

  powerOn(): Uint8Array {
    this.#powerOns += 1;
    return this.inner.powerOn();
  }

  powerOff(): void {
    this.inner.powerOff();
  }

  warmReset(): Uint8Array {
    return this.inner.warmReset();
  }

  async process(command: Uint8Array): Promise<Uint8Array> {
    const response = await this.inner.process(command);
    const length = response.length;
    this.#log.push({
      cla: command[0] ?? 0,
      ins: command[1] ?? 0,
      p1: command[2] ?? 0,
      p2: command[3] ?? 0,
      commandLength: command.length,
      responseLength: length,
      extended: command.length > HEADER_LENGTH && isExtendedCommand(command),
      sw: length >= 2 ? (response[length - 2]! << 8) | response[length - 1]! : 0,
    });
    return response;
  }
}
