/**
 * Bounded file input for the CLI's certificate, CRL and root files (issue 15 row 5): only regular
 * files are read (a device such as /dev/zero, a FIFO or a directory is refused, also behind a
 * symbolic link), and the size cap is checked while reading, so a file that grows or lies about
 * its size cannot exhaust memory. Failures are `INPUT_REJECTED` CardErrors (exit 2).
 *
 * @example
 * ```ts
 * const bytes = await readBoundedFile('leaf.pem', { maxBytes: MAX_CERTIFICATE_FILE_BYTES, signal });
 * ```
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { CardError } from '@kakunin/core/transport';
import { X509ErrorCode } from '@kakunin/core/x509';

/** A certificate file: a leaf plus intermediates in PEM stays far below this. */
export const MAX_CERTIFICATE_FILE_BYTES = 1024 * 1024;
/** A CRL: JPKI partition CRLs are a few MB; the largest municipal ones stay under this. */
export const MAX_CRL_FILE_BYTES = 256 * 1024 * 1024;
/** A trust-directory entry or a root file. */
export const MAX_ROOT_FILE_BYTES = 64 * 1024;
/** A JSON document read by the CLI (e.g. an x509-limbo suite). */
export const MAX_JSON_FILE_BYTES = 64 * 1024 * 1024;
/** A message to sign (`kakunin sign --in`): hashed in memory. */
export const MAX_SIGN_INPUT_BYTES = 64 * 1024 * 1024;
/** A challenge file (`kakunin check --challenge`). */
export const MAX_SMALL_INPUT_BYTES = 64 * 1024;

const CHUNK = 64 * 1024;

function rejected(path: string, reason: 'too-large' | 'not-a-file', message: string): CardError {
  return new CardError(X509ErrorCode.INPUT_REJECTED, `${path}: ${message}`, {
    details: { path, reason },
  });
}

export interface BoundedReadOptions {
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
}

/**
 * Reads a regular file of at most `maxBytes` bytes.
 *
 * @example
 * ```ts
 * await readBoundedFile('/dev/zero', { maxBytes: 1024 }); // throws INPUT_REJECTED (not-a-file)
 * ```
 */
export async function readBoundedFile(path: string, options: BoundedReadOptions): Promise<Uint8Array> {
  // O_NONBLOCK: opening a FIFO without a writer must not hang before the type check.
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw rejected(path, 'not-a-file', 'not a regular file (device, FIFO or directory)');
    if (info.size > options.maxBytes)
      throw rejected(path, 'too-large', `${info.size} bytes exceed the cap of ${options.maxBytes}`);
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      const buffer = new Uint8Array(CHUNK);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > options.maxBytes)
        throw rejected(path, 'too-large', `more than the cap of ${options.maxBytes} bytes`);
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return new Uint8Array(Buffer.concat(chunks, total));
  } finally {
    await handle.close();
  }
}

/**
 * Checks that `path` is a regular file of at most `maxBytes` (for inputs that are then streamed).
 *
 * @example
 * ```ts
 * await assertBoundedRegularFile('big.crl', MAX_CRL_FILE_BYTES);
 * ```
 */
export async function assertBoundedRegularFile(path: string, maxBytes: number): Promise<void> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw rejected(path, 'not-a-file', 'not a regular file (device, FIFO or directory)');
    if (info.size > maxBytes)
      throw rejected(path, 'too-large', `${info.size} bytes exceed the cap of ${maxBytes}`);
  } finally {
    await handle.close();
  }
}
