/**
 * `CardSession`: the ISO 7816 engine over any Transport. One command in flight (later calls queue),
 * AbortSignal and timeout on every call, 61xx GET RESPONSE loop, 6Cxx re-issue with the exact Le,
 * command chaining (CLA bit 0x10) when data exceeds what the link carries, short vs extended form
 * chosen from the transport's capabilities, tracking of the selected DF/EF, a redacting trace hook,
 * and power-off on close after any VERIFY.
 *
 * @example
 * ```ts
 * await using session = new CardSession(transport);
 * const response = await session.transmit({ cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: JPKI_AID });
 * const data = await session.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 }); // throws on SW ≠ 9000
 * ```
 */
import { raceAbort, throwIfAborted } from '../transport/abort.js';
import { CardError } from '../transport/card-error.js';
import { bytesToHex } from '../transport/hex.js';
import type { SignalOptions, Transport } from '../transport/transport.js';
import {
  CLA_CHAINING,
  type CommandApdu,
  EXTENDED_MAX_LC,
  encodeCommand,
  encodedCommandLength,
  needsExtendedLength,
  SHORT_MAX_LC,
  SHORT_MAX_LE,
} from './command-apdu.js';
import { INS, SECRET_BEARING_INS } from './instructions.js';
import { parseResponse, type ResponseApdu } from './response-apdu.js';
import { retryCounter, StatusWordError, SW, SW1_BYTES_AVAILABLE, SW1_WRONG_LE } from './status-words.js';
import type { TraceHook } from './trace.js';

/** SELECT P1: by DF name (ISO 7816-4 §7.1.1 table 39). */
const SELECT_BY_NAME = 0x04;
/** SELECT P1: EF under the current DF by file identifier. */
const SELECT_EF = 0x02;
/** SELECT P1: by file identifier (MF/DF/EF). */
const SELECT_BY_ID = 0x00;
/** READ BINARY P1 bit 8: P1 bits 5..1 are an SFI (ISO 7816-4 §7.2.3). */
const READ_BINARY_SFI_FLAG = 0x80;
/** Mask of the SFI in P1. */
const SFI_MASK = 0x1f;
/**
 * Class bits GET RESPONSE keeps from the command: logical channel (b2–b1) and secure messaging
 * (b4–b3) of the first interindustry class. GET RESPONSE is an interindustry command (ISO 7816-4
 * §5.4.1, §11.5.3): it goes out as class 0X whatever class the command had (a proprietary 80 sign
 * answered 61 00 is followed by 00 C0, not 80 C0, which T=0-style cards refuse with 6D 00 / 6E 00).
 */
const GET_RESPONSE_CLASS_BITS = 0x0f;
/** Further interindustry class (ISO 7816-4 §5.4.1 table 3): class bits, SM b6, channel b4–b1. */
const FURTHER_CLASS_KEPT_BITS = 0x6f;
/** Upper bound on GET RESPONSE rounds (65 536 / 256 + slack). */
const MAX_GET_RESPONSE_ROUNDS = 260;

export interface CardSessionOptions {
  /** Default time limit of one `transmit()` call, including queueing (default 30 000 ms). */
  readonly timeoutMs?: number;
  /** Largest response the session accepts after GET RESPONSE accumulation (default 65 536 + 2). */
  readonly maxResponseBytes?: number;
  /** Receives JSON-able trace events (PIN data redacted). */
  readonly trace?: TraceHook;
  /**
   * Use extended length when the transport reports it. Set false to force short APDUs even on
   * extended-capable links (e.g. a card that refuses them).
   */
  readonly extendedLength?: boolean;
}

export interface TransmitOptions extends SignalOptions {
  readonly timeoutMs?: number;
  /**
   * Encode Le in the extended form even where the short form would do (Le = 256 as `00 01 00`
   * rather than `00`), on an extended-capable link: for a reader that mishandles short Le = 00.
   */
  readonly extendedLe?: boolean;
}

/**
 * The one formatting of the selection keys (shared by the session's tracking and every caller that
 * asks whether a file is current): DF name as upper-case hex, EF as its 4-digit FID, or `sfi:NN`
 * when READ BINARY selected it implicitly by short EF identifier.
 *
 * @example
 * ```ts
 * session.selection.ef === selectionKey.ef(0x000a) || session.selection.ef === selectionKey.sfi(0x0a);
 * ```
 */
export const selectionKey = {
  df: (name: Uint8Array): string => bytesToHex(name).toUpperCase(),
  ef: (fid: number): string => fid.toString(16).toUpperCase().padStart(4, '0'),
  sfi: (sfi: number): string => `sfi:${sfi.toString(16).toUpperCase().padStart(2, '0')}`,
} as const;

/** What the session believes is selected; undefined parts are unknown. */
export interface Selection {
  /** DF name (AID) hex, upper-case, of the current application. */
  readonly df: string | undefined;
  /** Current EF: FID as 4 hex digits, or `sfi:NN` when selected implicitly by SFI. */
  readonly ef: string | undefined;
}

/**
 * The ISO 7816 engine over one Transport: queues commands (one in flight), answers 61xx/6Cxx,
 * chains long data, picks short or extended form, tracks the selection, redacts traces, and powers
 * the card off on close after a VERIFY. Use `send` for data (throws `StatusWordError` on SW ≠ 9000)
 * and `transmit` for the raw response.
 *
 * @example
 * ```ts
 * await using session = new CardSession(transport, { timeoutMs: 5_000 });
 * const certificate = await session.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 });
 * ```
 */
export class CardSession implements AsyncDisposable {
  readonly transport: Transport;
  #tail: Promise<void> = Promise.resolve();
  #seq = 0;
  #df: string | undefined;
  #ef: string | undefined;
  #verified = false;
  /**
   * A VERIFY with a PIN went out and did not come back as a clear refusal (its answer was lost,
   * corrupted or timed out): the card may hold a verified PIN the session never saw confirmed.
   * close() unpowers the card in that case too (reliability fault-injection finding).
   */
  #pinMayBeVerified = false;
  #closed = false;
  #extendedAllowed: boolean;
  /** Largest Le sent in the short form: 256 (`00`), or 255 once a reader mishandled `Le = 00`. */
  #shortMaxLe = SHORT_MAX_LE;
  readonly #observers = new Set<TraceHook>();
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;
  readonly #trace: TraceHook | undefined;

  constructor(transport: Transport, options: CardSessionOptions = {}) {
    if (typeof transport !== 'object' || transport === null || typeof transport.transmit !== 'function') {
      throw new TypeError('transport must implement the Transport contract');
    }
    this.transport = transport;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxResponseBytes = options.maxResponseBytes ?? 65_538;
    this.#trace = options.trace;
    this.#extendedAllowed = options.extendedLength ?? true;
  }

  /** True when extended APDUs will be used for commands that need them. */
  get extendedLength(): boolean {
    return this.#extendedAllowed && this.transport.capabilities.extendedLength;
  }

  /** Stop using extended length (after a card or reader refused it). Remembered for the session. */
  disableExtendedLength(): void {
    this.#extendedAllowed = false;
  }

  /**
   * Never send `Le = 00` in the short form again on this connection (a reader that mishandles it):
   * short commands, 6Cxx re-issues and GET RESPONSEs ask for at most 255 bytes.
   */
  limitShortLe(): void {
    this.#shortMaxLe = SHORT_MAX_LE - 1;
  }

  /** Largest Le this session sends in the short form (256, or 255 after `limitShortLe()`). */
  get shortMaxLe(): number {
    return this.#shortMaxLe;
  }

  /**
   * Adds a listener for the same events as the `trace` option (PIN data redacted); returns the
   * function that removes it. Counts and timings of an operation come from here, not from the
   * operation itself.
   *
   * @example
   * ```ts
   * const events: TraceEvent[] = [];
   * const stop = session.observe((event) => events.push(event));
   * try { await card.check(options); } finally { stop(); }
   * ```
   */
  observe(hook: TraceHook): () => void {
    if (typeof hook !== 'function') throw new TypeError('hook must be a function');
    const entry: TraceHook = (event) => hook(event);
    this.#observers.add(entry);
    return () => {
      this.#observers.delete(entry);
    };
  }

  /** What is currently selected, as far as this session knows. */
  get selection(): Selection {
    return { df: this.#df, ef: this.#ef };
  }

  /** Number of APDUs exchanged with the transport so far (including GET RESPONSE and chain links). */
  get exchangeCount(): number {
    return this.#seq;
  }

  /** True once a VERIFY with data succeeded since the last power-off. */
  get securityStateSet(): boolean {
    return this.#verified;
  }

  /** Forget the selection (e.g. after an error left it unknown). */
  invalidateSelection(): void {
    this.#df = undefined;
    this.#ef = undefined;
  }

  /**
   * Sends one logical command and returns the final response (after GET RESPONSE / 6Cxx / chaining).
   * Does not throw on a non-success SW; see `send()` for that.
   */
  transmit(command: CommandApdu, options: TransmitOptions = {}): Promise<ResponseApdu> {
    if (this.#closed) return Promise.reject(new CardError('CLOSED', 'session is closed'));
    try {
      throwIfAborted(options.signal, 'transmit');
    } catch (error) {
      return Promise.reject(error);
    }
    const run = this.#tail.then(() => {
      throwIfAborted(options.signal, 'transmit');
      if (this.#closed) throw new CardError('CLOSED', 'session is closed');
      return this.#execute(command, options.signal, options.extendedLe === true);
    });
    this.#tail = run.then(
      () => undefined,
      () => undefined,
    );
    return raceAbort(run, options.signal, options.timeoutMs ?? this.#timeoutMs, 'transmit');
  }

  /**
   * Like `transmit()` but returns only the data and throws a `StatusWordError` unless SW = 90 00.
   *
   * @example
   * ```ts
   * const token = await session.send({ cla: 0, ins: 0xb0, p1: 0x86, p2: 0, le: 32 });
   * ```
   */
  async send(command: CommandApdu, options: TransmitOptions = {}): Promise<Uint8Array> {
    const response = await this.transmit(command, options);
    if (response.sw !== SW.SUCCESS) throw new StatusWordError(response.sw, command.ins);
    return response.data;
  }

  async #execute(
    command: CommandApdu,
    signal: AbortSignal | undefined,
    extendedLe = false,
  ): Promise<ResponseApdu> {
    const data = command.data ?? new Uint8Array(0);
    const capabilities = this.transport.capabilities;
    const extended = this.extendedLength;
    const forceExtended = extended && extendedLe && command.le !== undefined;
    // Cap Le at what the link can return: short links ask for 256 and rely on 61xx / chunking.
    let le = command.le;
    const maxLe = extended
      ? Math.min(65_536, capabilities.maxResponseLength - 2)
      : Math.min(this.#shortMaxLe, capabilities.maxResponseLength - 2);
    if (le !== undefined && le > maxLe) le = Math.max(1, maxLe);
    const fitsOne =
      data.length <= (extended ? EXTENDED_MAX_LC : SHORT_MAX_LC) &&
      encodedCommandLength(data.length, le, extended && needsExtendedLength(data.length, le)) <=
        capabilities.maxCommandLength;
    let response: ResponseApdu;
    if (fitsOne) {
      const df = this.#df;
      const ef = this.#ef;
      try {
        response = await this.#exchange(
          {
            ...command,
            data,
            ...(le === undefined ? {} : { le: forceExtended ? le : this.#shortLe(le, extended) }),
          },
          extended,
          'command',
          signal,
          forceExtended,
        );
      } catch (error) {
        const sentExtended = forceExtended || (extended && needsExtendedLength(data.length, le));
        if (!(sentExtended && isExtendedRefusal(error, command.ins))) throw error;
        // The reader refused the extended APDU before the card saw it (ACS: SCardTransmit
        // 0x80100016): short APDUs for the rest of the connection, this command again in short form.
        this.disableExtendedLength();
        this.#df = df;
        this.#ef = ef;
        this.#emit({ type: 'session', event: 'extended-refused' });
        return this.#execute(command, signal);
      }
    } else {
      response = await this.#chain(command, data, le, signal);
    }
    response = await this.#followUp(command, response, extended, signal);
    this.#track(command, response.sw);
    return response;
  }

  /** Command chaining (ISO 7816-4 §5.4.1): every link but the last has CLA bit 0x10. */
  async #chain(
    command: CommandApdu,
    data: Uint8Array,
    le: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<ResponseApdu> {
    if ((command.cla & CLA_CHAINING) !== 0)
      throw new RangeError('command.cla already has the chaining bit set');
    const capabilities = this.transport.capabilities;
    const chunkSize = Math.min(SHORT_MAX_LC, capabilities.maxCommandLength - 6);
    if (chunkSize < 1) throw new CardError('COMMAND_TOO_LONG', 'transport cannot carry any command data');
    let offset = 0;
    for (;;) {
      const end = Math.min(offset + chunkSize, data.length);
      const last = end === data.length;
      const link: CommandApdu = {
        cla: last ? command.cla : command.cla | CLA_CHAINING,
        ins: command.ins,
        p1: command.p1,
        p2: command.p2,
        data: data.subarray(offset, end),
        ...(last && le !== undefined ? { le: Math.min(le, this.#shortMaxLe) } : {}),
      };
      const response = await this.#exchange(link, false, last ? 'command' : 'chain', signal);
      if (last || response.sw !== SW.SUCCESS) return response;
      offset = end;
    }
  }

  /** 61xx → GET RESPONSE loop; 6Cxx → one re-issue with the exact Le. */
  async #followUp(
    command: CommandApdu,
    first: ResponseApdu,
    extended: boolean,
    signal: AbortSignal | undefined,
  ): Promise<ResponseApdu> {
    let response = first;
    if (response.sw1 === SW1_WRONG_LE && !SECRET_BEARING_INS.has(command.ins)) {
      const exact = response.sw2 === 0 ? this.#shortMaxLe : response.sw2;
      response = await this.#exchange(
        { ...command, le: exact },
        extended && needsExtendedLength(command.data?.length ?? 0, exact),
        'reissue',
        signal,
      );
    }
    if (response.sw1 !== SW1_BYTES_AVAILABLE) return response;
    const parts: Uint8Array[] = [response.data];
    let total = response.data.length;
    for (let round = 0; response.sw1 === SW1_BYTES_AVAILABLE; round++) {
      if (round >= MAX_GET_RESPONSE_ROUNDS)
        throw new CardError('RESPONSE_TOO_LARGE', 'card kept answering 61xx beyond any plausible response');
      const next = response.sw2 === 0 ? this.#shortMaxLe : response.sw2;
      response = await this.#exchange(
        { cla: getResponseClass(command.cla), ins: INS.GET_RESPONSE, p1: 0, p2: 0, le: next },
        false,
        'get-response',
        signal,
      );
      total += response.data.length;
      if (total > this.#maxResponseBytes) {
        throw new CardError('RESPONSE_TOO_LARGE', `response exceeds ${this.#maxResponseBytes} bytes`, {
          details: { limit: this.#maxResponseBytes },
        });
      }
      parts.push(response.data);
    }
    const joined = new Uint8Array(total);
    let offset = 0;
    for (const part of parts) {
      joined.set(part, offset);
      offset += part.length;
    }
    return { data: joined, sw: response.sw, sw1: response.sw1, sw2: response.sw2 };
  }

  async #exchange(
    command: CommandApdu,
    extended: boolean,
    role: 'command' | 'get-response' | 'reissue' | 'chain',
    signal: AbortSignal | undefined,
    forceExtended = false,
  ): Promise<ResponseApdu> {
    const useExtended =
      forceExtended || (extended && needsExtendedLength(command.data?.length ?? 0, command.le));
    const bytes = encodeCommand(command, { extended: useExtended });
    const secret = SECRET_BEARING_INS.has(command.ins);
    const traced = this.#trace !== undefined || this.#observers.size > 0;
    const header = traced ? bytesToHex(bytes.subarray(0, 4)).toUpperCase() : '';
    const commandBytes = bytes.length;
    const seq = ++this.#seq;
    const started = performance.now();
    let raw: Uint8Array | undefined;
    let failure: unknown;
    try {
      raw = await this.transport.transmit(bytes, signal === undefined ? {} : { signal });
      return parseResponse(raw);
    } catch (error) {
      failure = error;
      this.invalidateSelection();
      throw error;
    } finally {
      if (command.ins === INS.VERIFY && (command.data?.length ?? 0) > 0 && !isPinRefusal(raw))
        this.#pinMayBeVerified = true;
      if (secret) bytes.fill(0);
      if (traced) {
        const dataLength = command.data?.length ?? 0;
        const sw =
          raw !== undefined && raw.length >= 2
            ? bytesToHex(raw.subarray(raw.length - 2)).toUpperCase()
            : undefined;
        const errorCode =
          failure === undefined ? undefined : CardError.isInstance(failure) ? failure.code : 'IO';
        this.#emit({
          type: 'apdu',
          seq,
          role,
          header,
          ...(secret || dataLength === 0 ? {} : { data: bytesToHex(command.data!).toUpperCase() }),
          dataLength,
          redacted: secret && dataLength > 0,
          ...(command.le === undefined ? {} : { le: command.le }),
          extended: useExtended,
          commandBytes,
          ...(sw === undefined ? {} : { sw }),
          responseBytes: raw?.length ?? 0,
          durationMs: Math.round((performance.now() - started) * 1000) / 1000,
          ...(errorCode === undefined ? {} : { error: errorCode }),
        });
      }
    }
  }

  #emit(event: Parameters<TraceHook>[0]): void {
    for (const hook of [this.#trace, ...this.#observers]) {
      try {
        hook?.(event);
      } catch {
        // A faulty trace hook must not break card I/O.
      }
    }
  }

  /** A short-form Le never above the connection's short limit (extended-form Le passes as is). */
  #shortLe(le: number, extended: boolean): number {
    return extended && le > SHORT_MAX_LE ? le : Math.min(le, this.#shortMaxLe);
  }

  /** Updates the selection and security-state knowledge after a command. */
  #track(command: CommandApdu, sw: number): void {
    const ins = command.ins;
    if (ins === INS.SELECT) {
      if (sw !== SW.SUCCESS) {
        // A failed SELECT may or may not have changed the current file: forget.
        this.invalidateSelection();
        return;
      }
      const data = command.data ?? new Uint8Array(0);
      if (command.p1 === SELECT_BY_NAME) {
        this.#df = selectionKey.df(data);
        this.#ef = undefined;
      } else if (command.p1 === SELECT_EF || (command.p1 === SELECT_BY_ID && data.length === 2)) {
        this.#ef = selectionKey.ef((data[0]! << 8) | data[1]!);
      } else {
        this.invalidateSelection();
      }
      return;
    }
    if (ins === INS.READ_BINARY && (command.p1 & READ_BINARY_SFI_FLAG) !== 0 && sw === SW.SUCCESS) {
      this.#ef = selectionKey.sfi(command.p1 & SFI_MASK);
      return;
    }
    if (ins === INS.VERIFY && sw === SW.SUCCESS && (command.data?.length ?? 0) > 0) {
      this.#verified = true;
    }
  }

  /**
   * Resets the card through the transport. `cold` removes power: every VERIFY state is gone.
   * Resolves with the new ATR.
   */
  async reset(kind: 'cold' | 'warm' = 'cold', options: TransmitOptions = {}): Promise<Uint8Array> {
    const transport = this.transport;
    if (transport.reset === undefined)
      throw new CardError('NOT_SUPPORTED', `transport ${transport.kind} cannot reset the card`);
    const run = this.#tail.then(() =>
      transport.reset!(kind, options.signal === undefined ? {} : { signal: options.signal }),
    );
    this.#tail = run.then(
      () => undefined,
      () => undefined,
    );
    const atr = await raceAbort(run, options.signal, options.timeoutMs ?? this.#timeoutMs, 'reset');
    this.invalidateSelection();
    if (kind === 'cold') {
      this.#verified = false;
      this.#pinMayBeVerified = false;
    }
    this.#emit({ type: 'session', event: 'reset', detail: kind });
    return atr;
  }

  /**
   * Closes the session and its transport. If a PIN was verified, the card is unpowered first
   * (cold reset) so no other process can use the unlocked key (jpki-card.md §8).
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#tail;
    if ((this.#verified || this.#pinMayBeVerified) && this.transport.reset !== undefined) {
      try {
        await this.transport.reset('cold');
        this.#verified = false;
        this.#pinMayBeVerified = false;
        this.#emit({ type: 'session', event: 'unpower' });
      } catch {
        // The card may already be gone; closing the transport is what remains.
      }
    }
    this.#emit({ type: 'session', event: 'close' });
    await this.transport.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** The class of the GET RESPONSE that follows a command of class `cla` (see GET_RESPONSE_CLASS_BITS). */
export function getResponseClass(cla: number): number {
  // Further interindustry class 01xx xxxx: b6 secure messaging, b4–b1 channel 4–19; drop chaining b5.
  if ((cla & 0xc0) === 0x40) return cla & FURTHER_CLASS_KEPT_BITS;
  return cla & GET_RESPONSE_CLASS_BITS;
}

/**
 * A transport failure of an extended APDU that shows the reader, not the card, refused it:
 * SCARD_E_NOT_TRANSACTED (0x80100016, code IO) or NOT_SUPPORTED. Never for secret-bearing commands.
 */
function isExtendedRefusal(error: unknown, ins: number): boolean {
  if (SECRET_BEARING_INS.has(ins) || !CardError.isInstance(error)) return false;
  return error.code === 'IO' || error.code === 'NOT_SUPPORTED';
}

/** VERIFY answers that prove the PIN was not accepted: 63 Cx, 63 00, 69 83, 69 84 (jpki-card.md §8). */
function isPinRefusal(raw: Uint8Array | undefined): boolean {
  if (raw === undefined || raw.length < 2) return false;
  const sw = (raw[raw.length - 2]! << 8) | raw[raw.length - 1]!;
  return (
    retryCounter(sw) !== undefined ||
    sw === SW.VERIFICATION_FAILED_NO_COUNTER ||
    sw === SW.AUTHENTICATION_METHOD_BLOCKED ||
    sw === SW.REFERENCE_DATA_NOT_USABLE
  );
}
