/**
 * A tiny stand-in card for transport tests and benchmarks when the full virtual My Number card
 * (`@kakunin/simulator`) is not wanted: it answers by INS with fixed-size, content-free responses
 * (SELECT → 90 00, retry query → 63 C3, VERIFY → 90 00, SIGN → 256 bytes ‖ 90 00, READ BINARY →
 * Le bytes ‖ 90 00, anything else → 6D 00). It never inspects a PIN.
 *
 * @example
 * ```ts
 * const reader = new SimulatedAcr1255Reader({ card: new ScriptedCard() });
 * ```
 */
import type { CardEndpointLike } from './simulated-acr1255-reader.js';

/** ISO/IEC 7816-4 §5.1 instruction bytes and status words this card answers. */
const INS_SELECT = 0xa4;
const INS_VERIFY = 0x20;
const INS_READ_BINARY = 0xb0;
const INS_COMPUTE_SIGNATURE = 0x2a;
const SW_OK = [0x90, 0x00] as const;
const SW_INS_NOT_SUPPORTED = [0x6d, 0x00] as const;
/** `63 C3`: three tries left (jpki-card.md §8 retry query). */
const SW_THREE_TRIES = [0x63, 0xc3] as const;
/** A contactless-style ATR (jpki-card.md §12.2, PC/SC part 3 synthesized form). */
const SCRIPTED_ATR = Uint8Array.of(
  0x3b,
  0x88,
  0x80,
  0x01,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x00,
  0x09,
);

/**
 * The stand-in card.
 *
 * @example
 * ```ts
 * await new ScriptedCard().process(Uint8Array.of(0x00, 0x20, 0x00, 0x80)); // 63 C3
 * ```
 */
export class ScriptedCard implements CardEndpointLike {
  readonly atr = SCRIPTED_ATR;
  powered = false;
  /** Commands processed (count only). */
  processed = 0;

  powerOn(): Uint8Array {
    this.powered = true;
    return this.atr.slice();
  }

  powerOff(): void {
    this.powered = false;
  }

  warmReset(): Uint8Array {
    return this.atr.slice();
  }

  async process(command: Uint8Array): Promise<Uint8Array> {
    this.processed += 1;
    const ins = command[1];
    switch (ins) {
      case INS_SELECT:
        return Uint8Array.of(...SW_OK);
      case INS_VERIFY:
        return Uint8Array.of(...(command.length === 4 ? SW_THREE_TRIES : SW_OK));
      case INS_COMPUTE_SIGNATURE:
        return withStatus(new Uint8Array(256).fill(0x5a));
      case INS_READ_BINARY: {
        const le = command.length === 5 ? command[4]! : 0;
        return withStatus(new Uint8Array(le === 0 ? 256 : le).fill(0x30));
      }
      default:
        return Uint8Array.of(...SW_INS_NOT_SUPPORTED);
    }
  }
}

function withStatus(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out.set(SW_OK, data.length);
  return out;
}
