/**
 * Reading and writing transcript files (UTF-8 JSON).
 *
 * @example
 * ```ts
 * await saveTranscript('test/transcripts/auth-sign.json', recorder.transcript());
 * const transcript = await loadTranscript('test/transcripts/auth-sign.json');
 * ```
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseTranscript, serializeTranscript, type Transcript } from './transcript.js';

/**
 * Writes `transcript` to `path`.
 *
 * @example
 * ```ts
 * await saveTranscript('field-bug.json', recorder.transcript());
 * ```
 */
export async function saveTranscript(path: string, transcript: Transcript): Promise<void> {
  if (typeof path !== 'string') throw new TypeError('path must be a string');
  await writeFile(path, serializeTranscript(transcript), 'utf8');
}

/**
 * Reads and validates the transcript at `path`.
 *
 * @example
 * ```ts
 * const transcript = await loadTranscript('field-bug.json');
 * ```
 */
export async function loadTranscript(path: string): Promise<Transcript> {
  if (typeof path !== 'string') throw new TypeError('path must be a string');
  return parseTranscript(await readFile(path, 'utf8'));
}
