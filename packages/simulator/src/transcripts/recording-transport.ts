/**
 * Records every exchange of a wrapped Transport into a {@link Transcript}. Secret-bearing
 * commands are redacted at the moment they are recorded — the PIN bytes are never copied.
 *
 * @example
 * ```ts
 * await using recorder = new RecordingTransport(await provider.connect(readerId), { description: 'auth sign' });
 * await card.signWithAuthKey(recorder, …);
 * await saveTranscript('auth-sign.json', recorder.transcript());
 * ```
 */
import { bytesToHex, CardError, type Transport, TransportErrorCode } from '@kakunin/core/transport';
import { WrappedTransport } from '../transport/wrapped-transport.js';
import {
  redactCommand,
  TRANSCRIPT_FORMAT,
  TRANSCRIPT_VERSION,
  type Transcript,
  type TranscriptEntry,
} from './transcript.js';

/**
 * Options of a recording transport.
 *
 * @example
 * ```ts
 * new RecordingTransport(transport, { responses: 'status-only', description: 'site 12' });
 * ```
 */
export interface RecordingTransportOptions {
  readonly description?: string;
  /** `full` (default) keeps response data; `status-only` keeps SW1 SW2 and the data length. */
  readonly responses?: 'full' | 'status-only';
  /** Record `durationMs` per exchange (default false: transcripts stay byte-stable). */
  readonly timings?: boolean;
  /** Clock for `recordedAt` (default: no timestamp). */
  readonly now?: () => Date;
}

/**
 * A transport that records a transcript.
 *
 * @example
 * ```ts
 * const recorder = new RecordingTransport(transport);
 * ```
 */
export class RecordingTransport extends WrappedTransport {
  readonly #options: RecordingTransportOptions;
  readonly #entries: TranscriptEntry[] = [];
  readonly #initialAtr: string;

  constructor(inner: Transport, options: RecordingTransportOptions = {}) {
    super(inner);
    this.#options = options;
    this.#initialAtr = bytesToHex(inner.atr);
  }

  protected async exchange(command: Uint8Array, signal: AbortSignal | undefined): Promise<Uint8Array> {
    const redacted = redactCommand(command);
    const started = performance.now();
    try {
      const response = await this.inner.transmit(command, signal === undefined ? {} : { signal });
      const statusOnly = this.#options.responses === 'status-only';
      this.#entries.push({
        type: 'exchange',
        ...redacted,
        response: bytesToHex(statusOnly ? response.subarray(response.length - 2) : response),
        ...(statusOnly ? { responseDataLength: response.length - 2 } : {}),
        ...(this.#options.timings === true ? { durationMs: Math.round(performance.now() - started) } : {}),
      });
      return response;
    } catch (error) {
      const failure = CardError.isInstance(error)
        ? error
        : new CardError(TransportErrorCode.IO, 'transmit failed', { cause: error });
      this.#entries.push({
        type: 'error',
        ...redacted,
        error: { code: failure.code, message: failure.message },
      });
      throw failure;
    }
  }

  protected override afterReset(kind: 'cold' | 'warm', atr: Uint8Array): void {
    this.#entries.push({ type: 'reset', kind, atr: bytesToHex(atr) });
  }

  /** The transcript so far (a snapshot). */
  transcript(): Transcript {
    return {
      format: TRANSCRIPT_FORMAT,
      version: TRANSCRIPT_VERSION,
      atr: this.#initialAtr,
      transport: this.inner.kind,
      ...(this.#options.description === undefined ? {} : { description: this.#options.description }),
      ...(this.#options.now === undefined ? {} : { recordedAt: this.#options.now().toISOString() }),
      entries: [...this.#entries],
    };
  }
}
