/**
 * The PC's view of one paired phone after the Noise handshake: encrypted request/response
 * correlation, tag events, heartbeats, idle and lifetime limits. Every failure is final and turns
 * into a typed CardError on whatever is pending; nothing is ever re-sent.
 *
 * @example
 * ```ts
 * const response = await session.request({ type: 'apdu', requestId: 0, timeoutMs: 5000, command }, 10_000);
 * ```
 */
import { CardError, TransportErrorCode } from '@kakunin/core/transport';
import type { WebSocket } from 'ws';
import { closeCodeFor, type SecureChannel } from '../noise/secure-channel.js';
import {
  type BridgeMessage,
  type CardInsertInfo,
  decodeMessage,
  encodeMessage,
  type PhoneStatus,
} from '../protocol/bridge-messages.js';
import { cardErrorFromPhone, type PhoneHello } from '../protocol/phone-report.js';
import { CloseCode } from '../protocol/protocol-constants.js';

export type PhoneSessionEvent =
  | { readonly type: 'card-insert'; readonly card: CardInsertInfo }
  | { readonly type: 'card-remove'; readonly error: CardError }
  | { readonly type: 'status'; readonly status: PhoneStatus }
  | { readonly type: 'closed'; readonly error: CardError };

export interface PhoneSessionOptions {
  readonly socket: WebSocket;
  readonly channel: SecureChannel;
  readonly hello: PhoneHello;
  readonly readerId: string;
  readonly expiresAt: number;
  readonly idleTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly now: () => number;
  readonly onEvent: (event: PhoneSessionEvent) => void;
}

type RequestMessage = Extract<BridgeMessage, { type: 'apdu' } | { type: 'reset' }>;
type ReplyMessage = Extract<BridgeMessage, { type: 'apdu-response' } | { type: 'reset-result' }>;

interface Pending {
  readonly expects: ReplyMessage['type'];
  readonly resolve: (message: ReplyMessage) => void;
  readonly reject: (error: CardError) => void;
}

/** How many abandoned request ids are remembered (late answers to them are ignored). */
const MAX_ABANDONED = 64;

/**
 * A LINK_LOST CardError with a reason.
 *
 * @example
 * ```ts
 * throw linkLost('phone disconnected', 'disconnected');
 * ```
 */
export function linkLost(
  message: string,
  reason: string,
  remedy: 'bridge.network' | 'bridge.pairing' = 'bridge.network',
): CardError {
  return new CardError(TransportErrorCode.LINK_LOST, message, { remedy, details: { reason } });
}

/**
 * One paired phone on the PC side.
 *
 * @example
 * ```ts
 * session.release(true);
 * ```
 */
export class PhoneSession {
  readonly readerId: string;
  readonly hello: PhoneHello;
  readonly expiresAt: number;
  readonly #socket: WebSocket;
  readonly #channel: SecureChannel;
  readonly #onEvent: (event: PhoneSessionEvent) => void;
  readonly #pending = new Map<number, Pending>();
  readonly #abandoned: number[] = [];
  readonly #idleTimeoutMs: number;
  #card: CardInsertInfo | undefined;
  #status: PhoneStatus = { ready: true };
  #nextRequestId = 1;
  #pingCounter = 0;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  #expiryTimer: ReturnType<typeof setTimeout> | undefined;
  #failure: CardError | undefined;

  constructor(options: PhoneSessionOptions) {
    this.readerId = options.readerId;
    this.hello = options.hello;
    this.expiresAt = options.expiresAt;
    this.#socket = options.socket;
    this.#channel = options.channel;
    this.#onEvent = options.onEvent;
    this.#idleTimeoutMs = options.idleTimeoutMs;
    this.#socket.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    this.#socket.on('close', (code) => {
      this.#fail(linkLost(`phone disconnected (close ${code})`, 'disconnected'), undefined);
    });
    this.#socket.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        this.#fail(rejected('too-large', 'phone sent an oversized frame'), CloseCode.FRAME_TOO_LARGE);
      } else {
        this.#fail(linkLost('phone link failed', 'socket-error'), undefined);
      }
    });
    this.#touch();
    this.#heartbeatTimer = setInterval(() => {
      this.#pingCounter = (this.#pingCounter + 1) >>> 0;
      this.#send({ type: 'ping', counter: this.#pingCounter });
    }, options.heartbeatIntervalMs);
    this.#heartbeatTimer.unref?.();
    const lifetime = Math.max(0, options.expiresAt - options.now());
    this.#expiryTimer = setTimeout(
      () => {
        this.#send({ type: 'close', reason: 'session-expired', remedy: 'bridge.pairing' });
        this.#fail(
          linkLost('bridge session expired; pair the phone again', 'session-expired', 'bridge.pairing'),
          CloseCode.SESSION_EXPIRED,
        );
      },
      Math.min(lifetime, 0x7fff_ffff),
    );
    this.#expiryTimer.unref?.();
  }

  /** The card on the phone right now, if any. */
  get card(): CardInsertInfo | undefined {
    return this.#card;
  }

  /** Phone-level status (NFC on/off …). */
  get status(): PhoneStatus {
    return this.#status;
  }

  /** The error that ended the session, if it ended. */
  get failure(): CardError | undefined {
    return this.#failure;
  }

  get isOpen(): boolean {
    return this.#failure === undefined;
  }

  /**
   * Sends an APDU or RESET and waits for its answer. Rejects with the phone's error, CARD_REMOVED
   * when the tag goes, LINK_LOST when the link does, TIMEOUT after `timeoutMs`, ABORTED on signal.
   * On timeout or abort the request is abandoned; the phone's late answer is ignored.
   */
  request(message: RequestMessage, timeoutMs: number, signal?: AbortSignal): Promise<ReplyMessage> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const requestId = this.#nextRequestId;
    this.#nextRequestId = this.#nextRequestId >= 0xffff_ffff ? 1 : this.#nextRequestId + 1;
    const expects = message.type === 'apdu' ? 'apdu-response' : 'reset-result';
    return new Promise<ReplyMessage>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#pending.delete(requestId);
      };
      const abandon = (error: CardError): void => {
        settle();
        this.#rememberAbandoned(requestId);
        reject(error);
      };
      const onAbort = (): void =>
        abandon(
          new CardError(TransportErrorCode.ABORTED, `${message.type}: aborted`, { cause: signal?.reason }),
        );
      this.#pending.set(requestId, {
        expects,
        resolve: (reply) => {
          settle();
          resolve(reply);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      timer = setTimeout(
        () =>
          abandon(
            new CardError(
              TransportErrorCode.TIMEOUT,
              `${message.type}: no answer from the phone within ${timeoutMs} ms`,
              {
                remedy: 'nfc.moved',
                details: { timeoutMs },
              },
            ),
          ),
        timeoutMs,
      );
      this.#send({ ...message, requestId });
    });
  }

  /** Tells the phone the PC is done with the card. */
  release(unpower: boolean): void {
    this.#send({ type: 'release', unpower });
  }

  /** Ends the session politely. */
  close(reason = 'closed', code: number = CloseCode.NORMAL): void {
    if (this.#failure !== undefined) return;
    this.#send({ type: 'close', reason });
    this.#fail(new CardError(TransportErrorCode.CLOSED, `bridge session closed (${reason})`), code);
  }

  #rememberAbandoned(requestId: number): void {
    this.#abandoned.push(requestId);
    if (this.#abandoned.length > MAX_ABANDONED) this.#abandoned.shift();
  }

  #send(message: BridgeMessage): void {
    if (this.#failure !== undefined) return;
    const plaintext = encodeMessage(message);
    try {
      this.#socket.send(this.#channel.seal(plaintext));
    } catch (error) {
      this.#fail(
        CardError.isInstance(error) ? error : linkLost('could not send to the phone', 'send-failed'),
        CloseCode.PROTOCOL_ERROR,
      );
    } finally {
      plaintext.fill(0);
    }
  }

  #touch(): void {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(
      () =>
        this.#fail(
          linkLost(`no word from the phone for ${this.#idleTimeoutMs} ms`, 'idle'),
          CloseCode.IDLE_TIMEOUT,
        ),
      this.#idleTimeoutMs,
    );
    this.#idleTimer.unref?.();
  }

  #onMessage(data: unknown, isBinary: boolean): void {
    if (this.#failure !== undefined) return;
    if (!isBinary || !(data instanceof Uint8Array)) {
      this.#fail(rejected('malformed', 'text frame from the phone'), CloseCode.PROTOCOL_ERROR);
      return;
    }
    let plaintext: Uint8Array;
    try {
      plaintext = this.#channel.open(data);
    } catch (error) {
      const failure = CardError.isInstance(error) ? error : rejected('malformed', 'undecodable frame');
      this.#fail(failure, closeCodeFor(String(failure.details.reason)));
      return;
    }
    this.#touch();
    try {
      this.#dispatch(decodeMessage(plaintext));
    } catch (error) {
      const failure = CardError.isInstance(error) ? error : rejected('malformed', 'bad message');
      this.#fail(
        failure.code === TransportErrorCode.PEER_REJECTED ? failure : rejected('malformed', failure.message),
        CloseCode.PROTOCOL_ERROR,
      );
    } finally {
      plaintext.fill(0);
    }
  }

  #dispatch(message: BridgeMessage): void {
    switch (message.type) {
      case 'apdu-response':
      case 'reset-result': {
        const pending = this.#pending.get(message.requestId);
        if (pending === undefined || pending.expects !== message.type) {
          if (this.#abandoned.includes(message.requestId)) return;
          throw rejected('malformed', `answer to request ${message.requestId} that was never sent`);
        }
        // Copy out of the plaintext buffer, which is wiped after dispatch.
        pending.resolve(
          message.type === 'apdu-response'
            ? { ...message, response: message.response.slice() }
            : { ...message, atr: message.atr.slice() },
        );
        return;
      }
      case 'error': {
        const pending = this.#pending.get(message.requestId);
        const error = cardErrorFromPhone(message.report, 'phone');
        if (pending !== undefined) {
          pending.reject(error);
        } else if (message.requestId === 0) {
          this.#onEvent({ type: 'status', status: { ready: this.#status.ready, ...message.report } });
        } else if (!this.#abandoned.includes(message.requestId)) {
          throw rejected('malformed', `error for request ${message.requestId} that was never sent`);
        }
        return;
      }
      case 'card-insert':
        this.#card = message.card;
        this.#onEvent({ type: 'card-insert', card: message.card });
        return;
      case 'card-remove': {
        const hadCard = this.#card !== undefined;
        this.#card = undefined;
        const error = new CardError(TransportErrorCode.CARD_REMOVED, 'the card left the phone', {
          remedy: message.remedy ?? 'nfc.moved',
        });
        // The phone may still send the error for these requests: remember them as abandoned.
        for (const [requestId, pending] of [...this.#pending.entries()]) {
          this.#rememberAbandoned(requestId);
          pending.reject(error);
        }
        if (hadCard) this.#onEvent({ type: 'card-remove', error });
        return;
      }
      case 'phone-status':
        this.#status = message.status;
        this.#onEvent({ type: 'status', status: message.status });
        return;
      case 'ping':
        this.#send({ type: 'pong', counter: message.counter });
        return;
      case 'pong':
        return;
      case 'close':
        this.#fail(
          linkLost(`the phone ended the session (${message.reason})`, 'phone-closed', 'bridge.network'),
          CloseCode.NORMAL,
        );
        return;
      default:
        throw rejected('malformed', `unexpected ${message.type} from the phone`);
    }
  }

  #fail(error: CardError, closeCode: number | undefined): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    if (this.#heartbeatTimer !== undefined) clearInterval(this.#heartbeatTimer);
    if (this.#expiryTimer !== undefined) clearTimeout(this.#expiryTimer);
    this.#channel.destroy();
    for (const pending of [...this.#pending.values()]) pending.reject(error);
    this.#card = undefined;
    if (closeCode !== undefined) {
      try {
        this.#socket.close(closeCode, String(error.details.reason ?? '').slice(0, 100));
      } catch {
        this.#socket.terminate();
      }
      // A peer that never completes the closing handshake is cut off.
      setTimeout(() => this.#socket.terminate(), 1000).unref?.();
    }
    this.#onEvent({ type: 'closed', error });
  }
}

function rejected(reason: string, message: string): CardError {
  return new CardError(TransportErrorCode.PEER_REJECTED, `bridge: ${message}`, {
    remedy: 'bridge.pairing',
    details: { reason },
  });
}
