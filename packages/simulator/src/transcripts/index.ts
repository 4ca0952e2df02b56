/**
 * `@kakunin/simulator/transcripts`: record the APDUs of a session (PIN and signature input redacted)
 * and replay them as a Transport, byte for byte.
 *
 * @example
 * ```ts
 * import { RecordingTransport, serializeTranscript } from '@kakunin/simulator/transcripts';
 * const recorder = new RecordingTransport(transport);
 * ```
 */
export { RecordingTransport, type RecordingTransportOptions } from './recording-transport.js';
export { ReplayTransport, type ReplayTransportOptions } from './replay-transport.js';
export {
  commandMatches,
  type ErrorEntry,
  type ExchangeEntry,
  parseTranscript,
  type RedactedCommand,
  type ResetEntry,
  redactCommand,
  serializeTranscript,
  TRANSCRIPT_FORMAT,
  TRANSCRIPT_VERSION,
  type Transcript,
  type TranscriptEntry,
} from './transcript.js';
export { loadTranscript, saveTranscript } from './transcript-files.js';
