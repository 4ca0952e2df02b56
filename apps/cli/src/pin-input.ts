/**
 * Reads a PIN from the first line of stdin (--pin-stdin) or a masked TTY prompt. Never from argv,
 * never echoed, returned as a Uint8Array that the card API zeroes after use.
 */
import type { Readable } from 'node:stream';
import { debuglog } from 'node:util';
import type { CommandContext } from './context.js';
import { UsageError } from './context.js';

const CR = 0x0d;
const LF = 0x0a;
const BACKSPACE = 0x7f;
const CTRL_C = 0x03;
const MAX_PIN_BYTES = 64;

/** Reads bytes up to the first newline; only the first line is consumed for the PIN. */
async function readLine(stream: Readable, signal: AbortSignal): Promise<Uint8Array> {
  const buffer = new Uint8Array(MAX_PIN_BYTES);
  let length = 0;
  return new Promise<Uint8Array>((resolve, reject) => {
    const finish = (error?: Error): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      signal.removeEventListener('abort', onAbort);
      stream.pause();
      if (error !== undefined) {
        buffer.fill(0);
        reject(error);
        return;
      }
      const line = buffer.slice(0, length);
      buffer.fill(0);
      resolve(line);
    };
    const onData = (chunk: Uint8Array | string): void => {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      for (let index = 0; index < bytes.length; index++) {
        const byte = bytes[index] as number;
        if (byte === LF || byte === CR) {
          // What follows the line (the next PIN of `pin change`) stays in the stream; a CR LF
          // pair is one line end.
          let next = index + 1;
          if (byte === CR && bytes[next] === LF) next++;
          const rest = next < bytes.length ? Buffer.from(bytes.subarray(next)) : undefined;
          if (typeof chunk !== 'string') chunk.fill(0);
          // Stop listening first: an unshift while flowing is re-emitted at once.
          finish();
          if (rest !== undefined) stream.unshift(rest);
          return;
        }
        if (byte === CTRL_C) {
          finish(new UsageError('PIN entry cancelled'));
          return;
        }
        if (byte === BACKSPACE) {
          if (length > 0) buffer[--length] = 0;
          continue;
        }
        if (length >= MAX_PIN_BYTES) {
          finish(new UsageError('PIN too long'));
          return;
        }
        buffer[length++] = byte;
        if (isTty(stream)) process.stderr.write('*');
      }
      if (typeof chunk !== 'string') chunk.fill(0);
    };
    const onEnd = (): void => finish();
    const onError = (error: Error): void => finish(error);
    const onAbort = (): void => finish(new UsageError('PIN entry aborted'));
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
    stream.resume();
  });
}

function isTty(stream: Readable): stream is Readable & { isTTY: true; setRawMode(mode: boolean): void } {
  return (
    (stream as { isTTY?: boolean }).isTTY === true &&
    typeof (stream as { setRawMode?: unknown }).setRawMode === 'function'
  );
}

/** The PIN for this command: --pin-stdin first line, or a masked prompt on a TTY. */
export async function readPin(context: CommandContext, prompt: string): Promise<Uint8Array> {
  const { io, values, signal } = context;
  context.progress?.stop();
  // Node's stream debug log prints every chunk read from stdin — the PIN in hex on stderr
  // (found by the reliability PIN-hygiene scan with NODE_DEBUG=stream). Refuse instead.
  if (debuglog('stream').enabled)
    throw new UsageError('NODE_DEBUG includes "stream", which would print the PIN: unset it to enter a PIN');
  if (values['pin-stdin'] === true) return readLine(io.stdin, signal);
  if (!isTty(io.stdin))
    throw new UsageError(
      'no TTY for a PIN prompt: use --pin-stdin (the PIN is never accepted as an argument)',
    );
  io.stderr.write(`${prompt}: `);
  io.stdin.setRawMode(true);
  try {
    return await readLine(io.stdin, signal);
  } finally {
    io.stdin.setRawMode(false);
    io.stderr.write('\n');
  }
}
