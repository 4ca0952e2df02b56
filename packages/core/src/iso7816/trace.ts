/**
 * APDU trace events: JSON-able, one per exchange with the transport. VERIFY / CHANGE REFERENCE DATA
 * (and every other secret-bearing instruction) never carry their data: only its length.
 * Response data is never traced (it holds personal data); only its length and the SW.
 *
 * @example
 * ```ts
 * const session = new CardSession(transport, { trace: (event) => process.stderr.write(JSON.stringify(event) + '\n') });
 * ```
 */
export interface ApduTraceEvent {
  readonly type: 'apdu';
  /** Sequence number within the session. */
  readonly seq: number;
  /** Why this exchange happened: the caller's command, a GET RESPONSE, a 6Cxx re-issue, a chain link. */
  readonly role: 'command' | 'get-response' | 'reissue' | 'chain';
  /** Command header, hex (CLA INS P1 P2). */
  readonly header: string;
  /** Command data, hex; absent when redacted or empty. */
  readonly data?: string;
  readonly dataLength: number;
  readonly redacted: boolean;
  readonly le?: number;
  readonly extended: boolean;
  readonly commandBytes: number;
  /** SW as 4 hex digits; absent when the exchange failed. */
  readonly sw?: string;
  readonly responseBytes: number;
  readonly durationMs: number;
  /** Error code when the exchange failed. */
  readonly error?: string;
}

export interface SessionTraceEvent {
  readonly type: 'session';
  readonly event: 'reset' | 'close' | 'unpower' | 'extended-refused';
  readonly detail?: string;
}

export type TraceEvent = ApduTraceEvent | SessionTraceEvent;
export type TraceHook = (event: TraceEvent) => void;
