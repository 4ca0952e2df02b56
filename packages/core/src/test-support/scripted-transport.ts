/**
 * A Transport that plays a script: each step names the command it expects (hex) and the response
 * it returns (hex), or a function computing one. Used by tests of the ISO 7816 engine.
 */
import { BaseTransport } from '../transport/base-transport.js';
import { CardError } from '../transport/card-error.js';
import { bytesToHex, hexToBytes } from '../transport/hex.js';
import type { TransportCapabilities } from '../transport/transport.js';

export interface ScriptStep {
  readonly expect?: string;
  readonly respond: string | ((command: Uint8Array) => Uint8Array | Promise<Uint8Array>);
  readonly delayMs?: number;
}

export class ScriptedTransport extends BaseTransport {
  readonly sent: string[] = [];
  readonly #steps: ScriptStep[];

  constructor(steps: ScriptStep[], capabilities: Partial<TransportCapabilities> = {}) {
    super({
      kind: 'scripted',
      atr: hexToBytes('3BE000FF8131FE4514'),
      capabilities: {
        extendedLength: false,
        maxCommandLength: 261,
        maxResponseLength: 258,
        interface: 'contact',
        ...capabilities,
      },
    });
    this.#steps = [...steps];
  }

  get remaining(): number {
    return this.#steps.length;
  }

  protected async exchange(command: Uint8Array): Promise<Uint8Array> {
    const hex = bytesToHex(command).toUpperCase();
    this.sent.push(hex);
    const step = this.#steps.shift();
    if (step === undefined) throw new CardError('IO', `script exhausted at ${hex}`);
    if (step.expect !== undefined && step.expect.replace(/\s/g, '').toUpperCase() !== hex) {
      throw new CardError('IO', `script expected ${step.expect} got ${hex}`);
    }
    if (step.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, step.delayMs));
    return typeof step.respond === 'string' ? hexToBytes(step.respond) : await step.respond(command);
  }

  protected async release(): Promise<void> {}

  /** Simulates the card leaving the reader. */
  pull(): void {
    this.markClosed({
      reason: 'card-removed',
      error: new CardError('CARD_REMOVED', 'card removed', { remedy: 'card.moved' }),
    });
  }
}
