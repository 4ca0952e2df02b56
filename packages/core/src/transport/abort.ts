/**
 * AbortSignal and timeout helpers shared by the session and every transport.
 *
 * @example
 * ```ts
 * const value = await raceAbort(promise, signal, 5000, 'transmit');
 * ```
 */
import { CardError } from './card-error.js';
import { TransportErrorCode } from './error-codes.js';

/** Throws ABORTED if the signal has already fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted === true) {
    throw new CardError(TransportErrorCode.ABORTED, `${what}: aborted`, { cause: signal.reason });
  }
}

/**
 * Races a promise against an AbortSignal and an optional timeout. The promise keeps running
 * (callers decide what to do with the link), but the caller is released with ABORTED or TIMEOUT.
 */
export function raceAbort<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
  what: string,
): Promise<T> {
  if (signal === undefined && timeoutMs === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const cleanup = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      cleanup();
      reject(new CardError(TransportErrorCode.ABORTED, `${what}: aborted`, { cause: signal?.reason }));
    };
    if (signal?.aborted === true) {
      onAbort();
      promise.catch(() => undefined);
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
      timer = setTimeout(() => {
        cleanup();
        reject(
          new CardError(TransportErrorCode.TIMEOUT, `${what}: no answer within ${timeoutMs} ms`, {
            remedy: 'card.moved',
            details: { timeoutMs },
          }),
        );
      }, timeoutMs);
    }
    promise.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        cleanup();
        reject(error);
      },
    );
  });
}
