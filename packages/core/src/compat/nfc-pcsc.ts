/**
 * An event-emitter face over any kakunin TransportProvider, shaped like the nfc-pcsc package's
 * public API so code written for it ports with few changes (docs/coming-from-nfc-pcsc.md): an `NFC`
 * object emits `reader` for each reader and `error`; each reader emits `card`, `card.off`, `error`
 * and `end`, has `name`, `card`, `aid`, `autoProcessing` and `transmit(data, responseMaxLength)`.
 * Underneath it is kakunin's provider (PC/SC, BLE, the phone bridge, the simulator, or
 * CombinedTransportProvider for all of them), so errors are `CardError`s with stable codes.
 *
 * Differences, on purpose: bytes are `Uint8Array` (wrap with `Buffer.from(bytes)` where a Buffer is
 * needed); `close()` is async and also available as `await using`; an ISO 14443-4 card without an
 * `aid` is reported as a `card` without `data` instead of an error.
 *
 * @example
 * ```ts
 * const nfc = new NFC(createPcscProvider());
 * nfc.on('reader', (reader) => {
 *   reader.aid = 'D392F000260100000001';
 *   reader.on('card', async (card) => console.log(reader.name, card.data));
 *   reader.on('card.off', () => console.log('removed'));
 * });
 * ```
 */
import { StatusWordError } from '../iso7816/status-words.js';
import { CardError, toCardError } from '../transport/card-error.js';
import { TransportErrorCode } from '../transport/error-codes.js';
import { bytesToHex, hexToBytes } from '../transport/hex.js';
import type {
  ConnectOptions,
  ReaderInfo,
  SignalOptions,
  Transport,
  TransportProvider,
} from '../transport/transport.js';
import { CompatEmitter } from './tiny-emitter.js';

/** ISO/IEC 14443-3 tags (memory cards, UID only): the name nfc-pcsc gives `card.standard`. */
export const TAG_ISO_14443_3 = 'TAG_ISO_14443_3';
/** ISO/IEC 14443-4 / ISO 7816-4 cards (the My Number Card): the name nfc-pcsc gives `card.standard`. */
export const TAG_ISO_14443_4 = 'TAG_ISO_14443_4';
export type TagStandard = typeof TAG_ISO_14443_3 | typeof TAG_ISO_14443_4;

/** What a reader's `card` event carries. */
export interface CompatCard {
  readonly atr: Uint8Array;
  readonly standard: TagStandard;
  /** Same as `standard` (nfc-pcsc has both). */
  readonly type: TagStandard;
  /** ISO 14443-3 tags with autoProcessing: the UID in hex (PC/SC GET DATA `FF CA 00 00 00`). */
  readonly uid?: string;
  /** ISO 14443-4 cards with autoProcessing and an `aid`: the SELECT response's data. */
  readonly data?: Uint8Array;
}

export type AidSetting = string | Uint8Array | ((card: CompatCard) => string | Uint8Array) | null;

export interface NfcOptions {
  /** Options for each card connection (default `{ share: 'shared' }`, as nfc-pcsc's SCARD_SHARE_SHARED). */
  readonly connect?: Omit<ConnectOptions, 'signal' | 'waitForCard'>;
  /** `close()` also closes the provider (default true). */
  readonly closeProvider?: boolean;
}

/**
 * PC/SC's GET DATA pseudo-APDU for the UID of a contactless card (PC/SC part 3 §3.2.2.1.3:
 * CLA FF, INS CA, P1 00 = UID, P2 00, Le 00).
 */
const GET_UID = Uint8Array.of(0xff, 0xca, 0x00, 0x00, 0x00);
/** ATR byte 5 = 0x4F marks a PC/SC part 3 storage-card ATR (RID/standard follows) → ISO 14443-3. */
const STORAGE_CARD_ATR_BYTE = 0x4f;

function standardOf(atr: Uint8Array): TagStandard {
  return atr[5] === STORAGE_CARD_ATR_BYTE ? TAG_ISO_14443_3 : TAG_ISO_14443_4;
}

function statusOk(response: Uint8Array): boolean {
  return (
    response.length >= 2 && response[response.length - 2] === 0x90 && response[response.length - 1] === 0x00
  );
}

/** The status-word error for a failed response, as the rest of kakunin reports it. */
function swError(response: Uint8Array, ins: number, what: string): StatusWordError {
  const sw = ((response[response.length - 2] ?? 0) << 8) | (response[response.length - 1] ?? 0);
  return new StatusWordError(sw, ins, {
    message: `${what} answered ${bytesToHex(response.slice(-2)).toUpperCase()}`,
  });
}

/** SELECT by DF name (ISO 7816-4 §11.2.2: CLA 00, INS A4, P1 04, P2 00, Lc, AID, Le 00). */
function selectCommand(aid: Uint8Array): Uint8Array {
  if (aid.length < 1 || aid.length > 16) throw new RangeError('aid must be 1..16 bytes');
  return Uint8Array.of(0x00, 0xa4, 0x04, 0x00, aid.length, ...aid, 0x00);
}

/**
 * One reader, like nfc-pcsc's Reader: events `card`, `card.off`, `error`, `end`.
 *
 * @example
 * ```ts
 * const response = await reader.transmit(Uint8Array.of(0x00, 0x84, 0x00, 0x00, 0x08), 10);
 * ```
 */
export class CompatReader extends CompatEmitter {
  /** The reader's name (kakunin: its id, e.g. the PC/SC reader name). */
  readonly name: string;
  /** nfc-pcsc exposes the pcsclite reader here; kakunin exposes its ReaderInfo. */
  readonly reader: ReaderInfo;
  /** The card on the reader, null when none. */
  card: CompatCard | null = null;
  /** When true (default), a new card is SELECTed by `aid` (14443-4) or asked for its UID (14443-3). */
  autoProcessing = true;
  /** AID to SELECT on each 14443-4 card: hex string, bytes, or a function of the card. */
  aid: AidSetting = null;
  /** The kakunin Transport of the current card (an escape hatch to the rest of the SDK), null when none. */
  transport: Transport | null = null;

  readonly #provider: TransportProvider;
  readonly #connectOptions: Omit<ConnectOptions, 'signal' | 'waitForCard'>;
  #work: Promise<void> = Promise.resolve();
  #ended = false;

  constructor(provider: TransportProvider, info: ReaderInfo, connectOptions: NfcOptions['connect']) {
    super();
    this.#provider = provider;
    this.reader = info;
    this.name = info.id;
    this.#connectOptions = connectOptions ?? { share: 'shared' };
  }

  /** Sends one command APDU to the card; the response (data ‖ SW1 SW2) must fit `responseMaxLength`. */
  async transmit(
    data: Uint8Array,
    responseMaxLength: number,
    options: SignalOptions = {},
  ): Promise<Uint8Array> {
    if (!(data instanceof Uint8Array)) throw new TypeError('transmit: data must be a Uint8Array or Buffer');
    if (!Number.isInteger(responseMaxLength) || responseMaxLength < 2)
      throw new RangeError('transmit: responseMaxLength must be an integer ≥ 2');
    const transport = this.transport;
    if (transport === null)
      throw new CardError(TransportErrorCode.CARD_ABSENT, `${this.name}: no card connected`, {
        details: { reader: this.name },
      });
    const response = await transport.transmit(data, options);
    if (response.length > responseMaxLength)
      throw new CardError(
        'RESPONSE_TOO_LARGE',
        `${this.name}: response of ${response.length} bytes exceeds responseMaxLength ${responseMaxLength}`,
        {
          details: { length: response.length, responseMaxLength },
        },
      );
    return response;
  }

  /** Connects to the card now (normally done when the card arrives). */
  async connect(options: SignalOptions = {}): Promise<void> {
    if (this.transport !== null && !this.#isClosed(this.transport)) return;
    this.transport = await this.#provider.connect(this.reader.id, { ...this.#connectOptions, ...options });
  }

  /** Closes the card connection (the card stays on the reader). */
  async disconnect(): Promise<void> {
    const transport = this.transport;
    this.transport = null;
    await transport?.close();
  }

  /** Stops using this reader: disconnects, emits `end` once, drops all listeners. */
  async close(): Promise<void> {
    await this.disconnect();
    this.end();
  }

  /** @internal Called by NFC for the provider's events, in order. */
  enqueue(step: () => Promise<void>): void {
    this.#work = this.#work.then(step).catch((error: unknown) => this.#error(error));
  }

  /** @internal A card arrived. */
  async cardInserted(atr: Uint8Array): Promise<void> {
    const standard = standardOf(atr);
    let card: CompatCard = { atr, standard, type: standard };
    await this.disconnect();
    await this.connect();
    if (this.autoProcessing) {
      if (standard === TAG_ISO_14443_3) {
        const response = await this.transmit(GET_UID, 12);
        if (!statusOk(response)) throw swError(response, 0xca, `${this.name}: GET UID`);
        card = { ...card, uid: bytesToHex(response.subarray(0, response.length - 2)) };
      } else {
        const aid = typeof this.aid === 'function' ? this.aid(card) : this.aid;
        if (aid !== null && aid !== undefined) {
          const bytes = typeof aid === 'string' ? hexToBytes(aid) : aid;
          const response = await this.transmit(selectCommand(bytes), 258);
          if (!statusOk(response)) throw swError(response, 0xa4, `${this.name}: SELECT ${bytesToHex(bytes)}`);
          card = { ...card, data: response.slice(0, response.length - 2) };
        }
      }
    }
    this.card = card;
    this.emit('card', card);
  }

  /** @internal The card left. */
  async cardRemoved(): Promise<void> {
    const card = this.card;
    this.card = null;
    await this.disconnect().catch(() => undefined);
    if (card !== null) this.emit('card.off', card);
  }

  /** @internal The reader left (or NFC closed). */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.emit('end');
    this.removeAllListeners();
  }

  #isClosed(transport: Transport): boolean {
    return (transport as { isClosed?: boolean }).isClosed === true;
  }

  #error(error: unknown): void {
    this.emit('error', toCardError(error, TransportErrorCode.IO, `${this.name}: ${String(error)}`));
  }
}

/**
 * The entry point, like nfc-pcsc's `NFC`: emits `reader` (a {@link CompatReader}) and `error`.
 *
 * @example
 * ```ts
 * await using nfc = new NFC(new SimulatorProvider({ card }));
 * nfc.on('reader', (reader) => reader.on('card', (card) => console.log(card.atr)));
 * ```
 */
export class NFC extends CompatEmitter {
  /** Readers currently known, by name. */
  readonly readers: Record<string, CompatReader> = {};
  readonly #provider: TransportProvider;
  readonly #options: NfcOptions;
  readonly #stop = new AbortController();
  readonly #done: Promise<void>;
  #closing: Promise<void> | undefined;

  constructor(provider: TransportProvider, options: NfcOptions = {}) {
    super();
    if (typeof provider?.watch !== 'function')
      throw new TypeError('NFC: provider must be a kakunin TransportProvider');
    this.#provider = provider;
    this.#options = options;
    // Started on a later tick, so listeners attached right after `new NFC()` see every reader.
    this.#done = Promise.resolve().then(() => this.#run());
  }

  /** Ends every reader (each emits `end`), stops watching and closes the provider unless told not to. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#stop.abort();
      await this.#done;
      for (const reader of Object.values(this.readers)) {
        await reader.disconnect().catch(() => undefined);
        reader.end();
      }
      for (const name of Object.keys(this.readers)) delete this.readers[name];
      if (this.#options.closeProvider !== false) await this.#provider.close();
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #run(): Promise<void> {
    try {
      for await (const event of this.#provider.watch({ signal: this.#stop.signal })) {
        switch (event.type) {
          case 'reader-add': {
            if (this.readers[event.reader.id] !== undefined) break;
            const reader = new CompatReader(this.#provider, event.reader, this.#options.connect);
            this.readers[reader.name] = reader;
            this.emit('reader', reader);
            if (event.reader.cardPresent && event.reader.atr !== undefined) {
              const atr = event.reader.atr;
              reader.enqueue(() => reader.cardInserted(atr));
            }
            break;
          }
          case 'card-insert': {
            const reader = this.readers[event.readerId];
            reader?.enqueue(() => reader.cardInserted(event.atr));
            break;
          }
          case 'card-remove': {
            const reader = this.readers[event.readerId];
            reader?.enqueue(() => reader.cardRemoved());
            break;
          }
          case 'reader-remove': {
            const reader = this.readers[event.readerId];
            if (reader === undefined) break;
            delete this.readers[event.readerId];
            reader.enqueue(async () => {
              await reader.cardRemoved();
              reader.end();
            });
            break;
          }
          case 'error':
            this.emit('error', event.error);
            break;
        }
      }
    } catch (error) {
      if (!this.#stop.signal.aborted)
        this.emit('error', toCardError(error, TransportErrorCode.IO, 'watch failed'));
    }
  }
}
