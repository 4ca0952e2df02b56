/**
 * A promise's outcome within a deadline, never a rejection: `{ value }`, `{ error }`, or
 * `{ hung: true }` when it did not settle in `ms` (the promise itself is left running). The fault
 * matrix and the fuzzer both judge "no hang" with it.
 *
 * @example
 * ```ts
 * const outcome = await settleWithin(card.close(), 10_000);
 * if (outcome.hung) problems.push('close() hung');
 * ```
 */
export function settleWithin<T>(
  promise: Promise<T>,
  ms: number,
): Promise<{ value?: T; error?: unknown; hung: boolean }> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ hung: true }), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve({ value, hung: false });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ error, hung: false });
      },
    );
  });
}
