/**
 * One authenticated session with an ACR1255U-J1 over a {@link GattLink}: mutual authentication,
 * encrypted framing, one request in flight, card-status notifications, and every failure mapped
 * to a CardError (transports.md §4.3–4.4). A wire exchange that the caller abandoned (abort,
 * timeout) still drains before the next one starts, so a late answer is never taken for the
 * answer to the next command; a reader that does not answer within `responseTimeoutMs` ends the
 * session (TIMEOUT) so the provider reconnects cleanly.
 *
 * @example
 * ```ts
 * const session = await Acr1255Session.open(link, { masterKey, cipher, random });
 * const atr = await session.powerOn();
 * const response = await session.transmit(selectJpki);
 * ```
 */
import {
  assertBytes,
  CardError,
  raceAbort,
  TransportErrorCode,
  throwIfAborted,
} from '@kakunin/core/transport';
import type { CardStatus, GattLink, ReaderSession, SessionEnd } from '../driver.js';
import { bleErrors } from '../errors.js';
import type { AesCbc } from './aes-cbc.js';
import {
  ACR1255_ESCAPE,
  ACR1255_FRAGMENT_LENGTH,
  ACR1255_MESSAGE,
  APDU_CHUNK_LENGTH,
  APDU_PARAMETER,
  ESCAPE_COMMAND_PREFIX,
  NOTIFY_CARD,
  RANDOM_LENGTH,
  SLOT_STATUS,
} from './constants.js';
import { encodeFrame, type FrameEvent, FrameReassembler } from './frame.js';
import { hardwareError } from './hardware-error.js';
import { type AcrMessage, decodeMessage, encodeMessage } from './message.js';
import {
  authenticationRequest,
  deriveSessionKey,
  hostAnswerChallenge,
  hostVerifyConfirmation,
} from './mutual-authentication.js';
import { looksEncrypted, openBlock, sealBlock } from './secure-channel.js';

export interface Acr1255SessionOptions {
  readonly masterKey: Uint8Array;
  readonly cipher: AesCbc;
  readonly random: (length: number) => Uint8Array;
  readonly linkSecurity: string;
  /** Hard limit for one reader answer before the session is declared dead (default 15 000 ms). */
  readonly responseTimeoutMs?: number;
  /** Hard limit for each authentication step (default 5000 ms). */
  readonly authenticationTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Short APDUs only: BLE-mode extended length is unconfirmed (transports.md §4.3, §9 Q1). */
const MAX_COMMAND_LENGTH = 261;
const MAX_RESPONSE_LENGTH = 258;

interface RequestSpec {
  readonly what: string;
  readonly type: number;
  readonly parameter?: number;
  readonly data?: Uint8Array;
  /** Response message types that complete this request. */
  readonly expected: readonly number[];
  /** A card-absent notification fails this request with CARD_REMOVED. */
  readonly cardBound?: boolean;
  readonly timeoutMs?: number;
}

interface Pending {
  readonly spec: RequestSpec;
  resolve(message: AcrMessage): void;
  reject(error: CardError): void;
}

/**
 * The ACR1255U-J1 {@link ReaderSession}; opened by `acr1255Driver().open(link, options)`.
 *
 * @example
 * ```ts
 * const session = await Acr1255Session.open(link, { masterKey, cipher, random, linkSecurity });
 * ```
 */
export class Acr1255Session implements ReaderSession {
  readonly linkSecurity: string;
  readonly capabilities = {
    extendedLength: false,
    maxCommandLength: MAX_COMMAND_LENGTH,
    maxResponseLength: MAX_RESPONSE_LENGTH,
    interface: 'contactless',
  } as const;
  readonly #link: GattLink;
  readonly #cipher: AesCbc;
  readonly #responseTimeoutMs: number;
  readonly #reassembler = new FrameReassembler();
  readonly #cardListeners = new Set<(present: boolean) => void>();
  readonly #endListeners = new Set<(end: SessionEnd) => void>();
  readonly #unsubscribe: Array<() => void> = [];
  #sessionKey: Uint8Array | undefined;
  #sequence = 0;
  #pending: Pending | undefined;
  #chain: Promise<unknown> = Promise.resolve();
  #end: SessionEnd | undefined;

  private constructor(link: GattLink, options: Acr1255SessionOptions) {
    this.#link = link;
    this.#cipher = options.cipher;
    this.linkSecurity = options.linkSecurity;
    this.#responseTimeoutMs = options.responseTimeoutMs ?? 15_000;
    this.#unsubscribe.push(
      link.onData((piece) => this.#onPiece(piece)),
      link.onDisconnect(() => this.#onDisconnect()),
    );
  }

  /**
   * Subscribes to the link and runs the mutual authentication.
   *
   * @example
   * ```ts
   * const session = await Acr1255Session.open(link, options);
   * ```
   */
  static async open(link: GattLink, options: Acr1255SessionOptions): Promise<Acr1255Session> {
    const session = new Acr1255Session(link, options);
    try {
      await session.#authenticate(options);
      return session;
    } catch (error) {
      await session.close();
      throw error;
    }
  }

  get ended(): boolean {
    return this.#end !== undefined;
  }

  async cardStatus(signal?: AbortSignal): Promise<CardStatus> {
    const answer = await this.#request(
      { what: 'card status', type: ACR1255_MESSAGE.GET_CARD_STATUS, expected: [ACR1255_MESSAGE.SLOT_STATUS] },
      signal,
    );
    return slotToStatus(answer.parameter);
  }

  async powerOn(signal?: AbortSignal): Promise<Uint8Array> {
    const answer = await this.#request(
      {
        what: 'card power on',
        type: ACR1255_MESSAGE.POWER_ON,
        expected: [ACR1255_MESSAGE.DATA_BLOCK, ACR1255_MESSAGE.SLOT_STATUS],
        cardBound: true,
      },
      signal,
    );
    if (answer.type === ACR1255_MESSAGE.SLOT_STATUS || answer.data.length === 0) {
      if (answer.type === ACR1255_MESSAGE.SLOT_STATUS && answer.parameter === SLOT_STATUS.ABSENT)
        throw bleErrors.cardAbsent(this.#link.id);
      throw new CardError(TransportErrorCode.CARD_UNRESPONSIVE, `the card on ${this.#link.id} gave no ATR`, {
        remedy: 'card.orientation',
        details: { readerId: this.#link.id },
      });
    }
    return answer.data.slice();
  }

  async powerOff(signal?: AbortSignal): Promise<void> {
    await this.#request(
      { what: 'card power off', type: ACR1255_MESSAGE.POWER_OFF, expected: [ACR1255_MESSAGE.SLOT_STATUS] },
      signal,
    );
  }

  async transmit(command: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    assertBytes(command, 'transmit: command');
    const answer = await this.#request(
      {
        what: 'APDU exchange',
        type: ACR1255_MESSAGE.APDU,
        data: command,
        expected: [ACR1255_MESSAGE.DATA_BLOCK, ACR1255_MESSAGE.SLOT_STATUS],
        cardBound: true,
      },
      signal,
    );
    if (answer.type === ACR1255_MESSAGE.SLOT_STATUS) {
      if (answer.parameter === SLOT_STATUS.ABSENT) throw bleErrors.cardRemoved(this.#link.id);
      throw new CardError(TransportErrorCode.CARD_UNPOWERED, `the card on ${this.#link.id} is not powered`, {
        remedy: 'card.moved',
        details: { readerId: this.#link.id },
      });
    }
    return answer.data.slice();
  }

  async escape(command: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    assertBytes(command, 'escape: command');
    if (
      command[0] === ESCAPE_COMMAND_PREFIX &&
      (command[3] === ACR1255_ESCAPE.AUTHENTICATE_PHASE_1 ||
        command[3] === ACR1255_ESCAPE.AUTHENTICATE_PHASE_2)
    ) {
      throw new CardError(
        TransportErrorCode.NOT_SUPPORTED,
        'escape: authentication escapes belong to the session',
      );
    }
    const answer = await this.#request(
      {
        what: 'escape',
        type: ACR1255_MESSAGE.ESCAPE,
        data: command,
        expected: [ACR1255_MESSAGE.ESCAPE_RESPONSE],
      },
      signal,
    );
    return answer.data.slice();
  }

  onCardStatus(listener: (present: boolean) => void): () => void {
    this.#cardListeners.add(listener);
    return () => this.#cardListeners.delete(listener);
  }

  onEnd(listener: (end: SessionEnd) => void): () => void {
    this.#endListeners.add(listener);
    return () => this.#endListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#finish({
      reason: 'closed',
      error: new CardError(TransportErrorCode.CLOSED, `session with ${this.#link.id} is closed`),
    });
  }

  async #authenticate(options: Acr1255SessionOptions): Promise<void> {
    const readerId = this.#link.id;
    const timeoutMs = options.authenticationTimeoutMs ?? 5000;
    const challenge = await this.#request(
      {
        what: 'authentication (phase 1)',
        type: ACR1255_MESSAGE.ESCAPE,
        data: authenticationRequest(),
        expected: [ACR1255_MESSAGE.ESCAPE_RESPONSE],
        timeoutMs,
      },
      options.signal,
    );
    const rndB = options.random(RANDOM_LENGTH);
    const answer = hostAnswerChallenge(options.cipher, options.masterKey, challenge.data, rndB);
    if (answer === undefined) throw bleErrors.authenticationFailed(readerId, 'malformed challenge');
    try {
      const confirmation = await this.#request(
        {
          what: 'authentication (phase 2)',
          type: ACR1255_MESSAGE.ESCAPE,
          data: answer.payload,
          expected: [ACR1255_MESSAGE.ESCAPE_RESPONSE],
          timeoutMs,
        },
        options.signal,
      );
      if (!hostVerifyConfirmation(options.cipher, options.masterKey, confirmation.data, rndB))
        throw bleErrors.authenticationFailed(readerId, 'the reader does not hold the same master key');
      this.#sessionKey = deriveSessionKey(answer.rndA, rndB);
    } finally {
      answer.rndA.fill(0);
      answer.payload.fill(0);
      rndB.fill(0);
    }
  }

  #request(spec: RequestSpec, signal: AbortSignal | undefined): Promise<AcrMessage> {
    if (this.#end !== undefined) return Promise.reject(this.#end.error);
    try {
      throwIfAborted(signal, spec.what);
    } catch (error) {
      return Promise.reject(error);
    }
    const run = this.#chain.then(() => this.#wire(spec, signal));
    this.#chain = run.catch(() => undefined);
    return raceAbort(run, signal, undefined, spec.what);
  }

  /** One wire exchange: never abandoned once the first byte is written. */
  async #wire(spec: RequestSpec, signal: AbortSignal | undefined): Promise<AcrMessage> {
    if (this.#end !== undefined) throw this.#end.error;
    throwIfAborted(signal, spec.what);
    const frames = this.#frames(spec);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const response = new Promise<AcrMessage>((resolve, reject) => {
      this.#pending = { spec, resolve, reject };
      const timeoutMs = spec.timeoutMs ?? this.#responseTimeoutMs;
      timer = setTimeout(() => this.#onTimeout(spec, timeoutMs), timeoutMs);
    });
    response.catch(() => undefined);
    try {
      const fragmentLength = Math.min(ACR1255_FRAGMENT_LENGTH, this.#link.maxPayload);
      for (const frame of frames) {
        if (this.#pending?.spec !== spec) break;
        await this.#link.write(frame, fragmentLength);
      }
    } catch (error) {
      this.#settle(spec, undefined, toLinkError(error, this.#link.id, spec.what));
    }
    try {
      return await response;
    } finally {
      clearTimeout(timer);
      if (this.#pending?.spec === spec) this.#pending = undefined;
    }
  }

  #frames(spec: RequestSpec): Uint8Array[] {
    const data = spec.data ?? new Uint8Array(0);
    const chunks: Array<{ data: Uint8Array; parameter: number }> = [];
    if (spec.type === ACR1255_MESSAGE.APDU && data.length > APDU_CHUNK_LENGTH) {
      for (let offset = 0; offset < data.length; offset += APDU_CHUNK_LENGTH) {
        const end = Math.min(data.length, offset + APDU_CHUNK_LENGTH);
        const parameter =
          (offset > 0 ? APDU_PARAMETER.CONTINUATION : 0) |
          (end < data.length ? APDU_PARAMETER.MORE_FOLLOWS : 0);
        chunks.push({ data: data.subarray(offset, end), parameter });
      }
    } else {
      chunks.push({ data, parameter: spec.parameter ?? 0 });
    }
    return chunks.map((chunk) => {
      const message = encodeMessage({
        type: spec.type,
        sequence: this.#nextSequence(),
        parameter: chunk.parameter,
        data: chunk.data,
      });
      const block =
        this.#sessionKey === undefined ? message : sealBlock(this.#cipher, this.#sessionKey, message);
      if (this.#sessionKey !== undefined) message.fill(0);
      return encodeFrame(block);
    });
  }

  #nextSequence(): number {
    const sequence = this.#sequence;
    this.#sequence = (this.#sequence + 1) & 0xff;
    return sequence;
  }

  #settle(spec: RequestSpec, message: AcrMessage | undefined, error?: CardError): void {
    const pending = this.#pending;
    if (pending?.spec !== spec) return;
    this.#pending = undefined;
    if (error !== undefined) pending.reject(error);
    else pending.resolve(message!);
  }

  #onPiece(piece: Uint8Array): void {
    if (this.#end !== undefined) return;
    for (const event of this.#reassembler.push(piece)) this.#onFrameEvent(event);
  }

  #onFrameEvent(event: FrameEvent): void {
    const pending = this.#pending;
    if (event.kind === 'error') {
      if (event.reason === 'garbage' || pending === undefined) return;
      this.#settle(
        pending.spec,
        undefined,
        bleErrors.protocol(this.#link.id, `frame ${event.reason} error during ${pending.spec.what}`, {
          reason: event.reason,
        }),
      );
      return;
    }
    let message: AcrMessage;
    try {
      const plain =
        this.#sessionKey !== undefined && looksEncrypted(event.dataBlock)
          ? openBlock(this.#cipher, this.#sessionKey, event.dataBlock)
          : event.dataBlock;
      message = decodeMessage(plain);
    } catch (error) {
      if (pending !== undefined)
        this.#settle(pending.spec, undefined, toLinkError(error, this.#link.id, pending.spec.what));
      return;
    }
    if (message.type === ACR1255_MESSAGE.NOTIFY_CARD_STATUS) {
      const present = message.parameter === NOTIFY_CARD.PRESENT;
      if (!present && pending?.spec.cardBound === true)
        this.#settle(pending.spec, undefined, bleErrors.cardRemoved(this.#link.id));
      for (const listener of [...this.#cardListeners]) listener(present);
      return;
    }
    if (pending === undefined) return;
    if (message.type === ACR1255_MESSAGE.HARDWARE_ERROR) {
      this.#settle(pending.spec, undefined, hardwareError(this.#link.id, message.parameter));
      return;
    }
    if (!pending.spec.expected.includes(message.type)) {
      this.#settle(
        pending.spec,
        undefined,
        bleErrors.protocol(
          this.#link.id,
          `unexpected message type ${message.type} during ${pending.spec.what}`,
          {
            type: message.type,
          },
        ),
      );
      return;
    }
    this.#settle(pending.spec, message);
  }

  #onTimeout(spec: RequestSpec, timeoutMs: number): void {
    if (this.#pending?.spec !== spec) return;
    const error = new CardError(
      TransportErrorCode.TIMEOUT,
      `${this.#link.id} did not answer the ${spec.what} within ${timeoutMs} ms`,
      { remedy: 'reader.asleep', details: { readerId: this.#link.id, timeoutMs } },
    );
    this.#settle(spec, undefined, error);
    // A late answer could be taken for the next command's: end the session, drop the link.
    this.#finish({ reason: 'lost', error }, true);
    void this.#link.disconnect().catch(() => undefined);
  }

  #onDisconnect(): void {
    this.#reassembler.reset();
    const pending = this.#pending;
    const end: SessionEnd =
      pending === undefined
        ? { reason: 'asleep', error: bleErrors.readerAsleep(this.#link.id) }
        : { reason: 'lost', error: bleErrors.linkLost(this.#link.id, pending.spec.what) };
    if (pending !== undefined) this.#settle(pending.spec, undefined, end.error);
    this.#finish(end, true);
  }

  #finish(end: SessionEnd, notify = false): void {
    if (this.#end !== undefined) return;
    this.#end = end;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#sessionKey?.fill(0);
    this.#sessionKey = undefined;
    const pending = this.#pending;
    if (pending !== undefined) this.#settle(pending.spec, undefined, end.error);
    if (notify) for (const listener of [...this.#endListeners]) listener(end);
    this.#endListeners.clear();
    this.#cardListeners.clear();
  }
}

function slotToStatus(parameter: number): CardStatus {
  if (parameter === SLOT_STATUS.PRESENT_ACTIVE) return 'powered';
  if (parameter === SLOT_STATUS.PRESENT_INACTIVE) return 'present';
  return 'absent';
}

function toLinkError(error: unknown, readerId: string, during: string): CardError {
  if (CardError.isInstance(error)) return error;
  return new CardError(
    TransportErrorCode.LINK_LOST,
    `Bluetooth write to ${readerId} failed during ${during}`,
    {
      remedy: 'ble.link-lost',
      cause: error,
      details: { readerId, during },
    },
  );
}
