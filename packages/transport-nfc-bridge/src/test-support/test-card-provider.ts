/**
 * Test fixture standing in for "the phone's NFC": an in-process TransportProvider with one reader
 * whose card can be inserted, removed, or told to hold back its next answer. The card itself is a
 * small function (command → response). Used by the bridge tests on the relay side; the JPKI flow
 * test uses the real simulator.
 *
 * @example
 * ```ts
 * const local = new TestCardProvider(pinCard('1234'));
 * local.insert();
 * ```
 */
import {
  BaseTransport,
  CardError,
  type CloseInfo,
  type ConnectOptions,
  EventHub,
  hexToBytes,
  type ReaderEvent,
  type ReaderInfo,
  type SignalOptions,
  type Transport,
  TransportErrorCode,
  type TransportProvider,
} from '@kakunin/core/transport';

export type TestCard = (command: Uint8Array) => Uint8Array;

/** A contactless-style ATR (PC/SC part 3 synthesised, jpki-card.md §12.2). */
export const TEST_ATR = hexToBytes('3B 88 80 01 00 00 05 E0 B3 81 A1 00 7F');
export const TEST_READER = 'test-reader';

class TestTransport extends BaseTransport {
  readonly #provider: TestCardProvider;
  constructor(provider: TestCardProvider) {
    super({
      kind: 'test',
      atr: TEST_ATR,
      capabilities: {
        extendedLength: true,
        maxCommandLength: 65_544,
        maxResponseLength: 65_538,
        interface: 'contactless',
      },
    });
    this.#provider = provider;
  }
  protected exchange(command: Uint8Array): Promise<Uint8Array> {
    return this.#provider.process(command);
  }
  protected async release(_info: CloseInfo): Promise<void> {
    this.#provider.connections.delete(this);
  }
  async reset(_kind: 'cold' | 'warm'): Promise<Uint8Array> {
    this.#provider.resets += 1;
    return TEST_ATR.slice();
  }
  removed(): void {
    this.markClosed({
      reason: 'card-removed',
      error: new CardError(TransportErrorCode.CARD_REMOVED, 'test card removed'),
    });
  }
}

export class TestCardProvider implements TransportProvider {
  readonly kind = 'test';
  readonly connections = new Set<TestTransport>();
  /** Every command the card received, for assertions. */
  readonly received: Uint8Array[] = [];
  resets = 0;
  readonly #hub = new EventHub<ReaderEvent>();
  readonly #card: TestCard;
  #present = false;
  #stall: { resolve?: () => void } | undefined;
  #stalled: Array<() => void> = [];

  constructor(card: TestCard) {
    this.#card = card;
  }

  insert(): void {
    this.#present = true;
    this.#hub.emit({ type: 'card-insert', readerId: TEST_READER, atr: TEST_ATR });
  }

  remove(): void {
    this.#present = false;
    for (const release of this.#stalled.splice(0)) release();
    for (const connection of [...this.connections]) connection.removed();
    this.#hub.emit({ type: 'card-remove', readerId: TEST_READER });
  }

  /** The next command gets no answer until the card is removed. */
  stallNext(): void {
    this.#stall = {};
  }

  async process(command: Uint8Array): Promise<Uint8Array> {
    this.received.push(command.slice());
    if (this.#stall !== undefined) {
      this.#stall = undefined;
      await new Promise<void>((resolve) => this.#stalled.push(resolve));
      throw new CardError(TransportErrorCode.CARD_REMOVED, 'test card removed mid-command');
    }
    if (!this.#present) throw new CardError(TransportErrorCode.CARD_REMOVED, 'no card');
    return this.#card(command);
  }

  async isSupported(): Promise<boolean> {
    return true;
  }

  async listReaders(): Promise<ReaderInfo[]> {
    return [
      {
        id: TEST_READER,
        label: 'Test reader',
        cardPresent: this.#present,
        ...(this.#present ? { atr: TEST_ATR } : {}),
      },
    ];
  }

  watch(options: SignalOptions = {}): AsyncIterable<ReaderEvent> {
    return this.#hub.watch(() => {
      const events: ReaderEvent[] = [
        { type: 'reader-add', reader: { id: TEST_READER, label: 'Test reader', cardPresent: this.#present } },
      ];
      if (this.#present) events.push({ type: 'card-insert', readerId: TEST_READER, atr: TEST_ATR });
      return events;
    }, options.signal);
  }

  async connect(readerId: string, _options: ConnectOptions = {}): Promise<Transport> {
    if (readerId !== TEST_READER) throw new CardError(TransportErrorCode.READER_NOT_FOUND, 'no such reader');
    if (!this.#present) throw new CardError(TransportErrorCode.CARD_ABSENT, 'no card');
    const transport = new TestTransport(this);
    this.connections.add(transport);
    return transport;
  }

  async close(): Promise<void> {
    this.#hub.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** VERIFY (ISO 7816-4 §7.5.6) instruction byte. */
const INS_VERIFY = 0x20;
/** JPKI COMPUTE DIGITAL SIGNATURE: CLA 80, INS 2A (jpki-card.md §9). */
const INS_SIGN = 0x2a;

/**
 * A card that answers SELECT and READ BINARY with 9000, checks VERIFY against `pin` with a retry
 * counter (63Cx, 6983 when blocked) and signs only after a good VERIFY (6982 otherwise).
 */
export function pinCard(pin: string, tries = 3): TestCard {
  const expected = new TextEncoder().encode(pin);
  let left = tries;
  let verified = false;
  return (command) => {
    const ins = command[1];
    if (ins === INS_VERIFY) {
      if (command.length <= 5) return Uint8Array.of(0x63, 0xc0 | left);
      if (left === 0) return Uint8Array.of(0x69, 0x83);
      const data = command.subarray(5, 5 + (command[4] ?? 0));
      const good = data.length === expected.length && data.every((byte, index) => byte === expected[index]);
      if (good) {
        left = tries;
        verified = true;
        return Uint8Array.of(0x90, 0x00);
      }
      left -= 1;
      return Uint8Array.of(0x63, 0xc0 | left);
    }
    if (ins === INS_SIGN) {
      if (!verified) return Uint8Array.of(0x69, 0x82);
      const signature = new Uint8Array(258).fill(0x5a);
      signature[256] = 0x90;
      signature[257] = 0x00;
      return signature;
    }
    if (ins === 0xb0) {
      const length = command[4] === 0 ? 256 : (command[4] ?? 0);
      const out = new Uint8Array(length + 2).fill(0x11);
      out[length] = 0x90;
      out[length + 1] = 0x00;
      return out;
    }
    return Uint8Array.of(0x90, 0x00);
  };
}
