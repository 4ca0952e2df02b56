/**
 * Replays a {@link Transcript} as a Transport: each transmit must be the next recorded command
 * (redacted ones match on header, Lc and length), and gets the recorded answer; recorded errors
 * are thrown again with their codes (so CARD_REMOVED replays as a removal). A command that does
 * not match fails with `TRANSCRIPT_MISMATCH`; running past the end with `TRANSCRIPT_EXHAUSTED`.
 *
 * @example
 * ```ts
 * await using transport = new ReplayTransport(await loadTranscript('field-bug.json'));
 * await reproduceBug(transport);
 * transport.assertComplete();
 * ```
 */
import {
  BaseTransport,
  bytesToHex,
  CardError,
  type CloseInfo,
  hexToBytes,
  isErrorCode,
  type SignalOptions,
  type TransportCapabilities,
  TransportErrorCode,
  throwIfAborted,
} from '@kakunin/core/transport';
import { commandMatches, type Transcript, type TranscriptEntry } from './transcript.js';

/**
 * Options of a replay transport.
 *
 * @example
 * ```ts
 * new ReplayTransport(transcript, { capabilities: transport.capabilities });
 * ```
 */
export interface ReplayTransportOptions {
  /** Capabilities to report (default: extended length, contact). */
  readonly capabilities?: TransportCapabilities;
}

const DEFAULT_CAPABILITIES: TransportCapabilities = {
  extendedLength: true,
  maxCommandLength: 65_544,
  maxResponseLength: 65_538,
  interface: 'contact',
  linkSecurity: 'replay of a recorded transcript',
};

/**
 * A transport that replays a transcript.
 *
 * @example
 * ```ts
 * const replay = new ReplayTransport(await loadTranscript('bug.json'));
 * ```
 */
export class ReplayTransport extends BaseTransport {
  readonly transcript: Transcript;
  #position = 0;

  constructor(transcript: Transcript, options: ReplayTransportOptions = {}) {
    if (typeof transcript !== 'object' || transcript === null || !Array.isArray(transcript.entries)) {
      throw new TypeError('transcript must be a Transcript');
    }
    super({
      kind: transcript.transport ?? 'replay',
      atr: hexToBytes(transcript.atr),
      capabilities: options.capabilities ?? DEFAULT_CAPABILITIES,
      transmitTimeoutMs: Number.POSITIVE_INFINITY,
    });
    this.transcript = transcript;
  }

  /** Entries not replayed yet. */
  get remaining(): number {
    return this.transcript.entries.length - this.#position;
  }

  #next(what: string): TranscriptEntry {
    const entry = this.transcript.entries[this.#position];
    if (entry === undefined) {
      throw new CardError('TRANSCRIPT_EXHAUSTED', `${what}: the transcript has no entry ${this.#position}`, {
        details: { position: this.#position },
      });
    }
    return entry;
  }

  #mismatch(expected: string, actual: string): CardError {
    return new CardError(
      'TRANSCRIPT_MISMATCH',
      `replay: entry ${this.#position} expected ${expected}, got ${actual}`,
      { details: { position: this.#position, expected, actual } },
    );
  }

  protected async exchange(command: Uint8Array): Promise<Uint8Array> {
    const entry = this.#next('transmit');
    const actual = bytesToHex(command.subarray(0, 4));
    if (entry.type === 'reset') throw this.#mismatch(`a ${entry.kind} reset`, `command ${actual}`);
    if (!commandMatches(entry, command)) {
      throw this.#mismatch(`command ${entry.command.slice(0, 8)}`, `command ${actual}`);
    }
    this.#position += 1;
    if (entry.type === 'error') {
      const code = isErrorCode(entry.error.code) ? entry.error.code : 'TRANSCRIPT_MALFORMED';
      throw new CardError(code, `replay: ${entry.error.message}`, {
        ...(entry.error.code === TransportErrorCode.CARD_REMOVED ? { remedy: 'card.moved' as const } : {}),
      });
    }
    if (entry.responseDataLength !== undefined && entry.responseDataLength > 0) {
      throw new CardError(
        'TRANSCRIPT_REDACTED',
        'replay: this transcript kept only status words for this response',
      );
    }
    return hexToBytes(entry.response);
  }

  async reset(kind: 'cold' | 'warm', options: SignalOptions = {}): Promise<Uint8Array> {
    this.assertOpen('reset');
    throwIfAborted(options.signal, 'reset');
    const entry = this.#next('reset');
    if (entry.type !== 'reset' || entry.kind !== kind) {
      throw this.#mismatch(
        entry.type === 'reset' ? `a ${entry.kind} reset` : `command ${entry.command.slice(0, 8)}`,
        `a ${kind} reset`,
      );
    }
    this.#position += 1;
    this.atr = hexToBytes(entry.atr);
    return this.atr;
  }

  /**
   * Throws `TRANSCRIPT_INCOMPLETE` when recorded entries were not replayed.
   *
   * @example
   * ```ts
   * replay.assertComplete();
   * ```
   */
  assertComplete(): void {
    if (this.remaining > 0) {
      throw new CardError(
        'TRANSCRIPT_INCOMPLETE',
        `replay: ${this.remaining} recorded entries were not replayed`,
        {
          details: { remaining: this.remaining },
        },
      );
    }
  }

  protected async release(_info: CloseInfo): Promise<void> {}
}
