/**
 * The one error type of kakunin. Every failure the SDK reports is a `CardError` whose `code` is one
 * of the closed union {@link ErrorCode} (so `switch (error.code)` is exhaustive) and whose `details`
 * are typed per code ({@link ErrorDetails}). Failures that clinic staff can act on carry a `remedy`
 * key; `@kakunin/core/remedies` turns codes and keys into what to do, in Japanese and English.
 *
 * Messages and details never contain a PIN or key material. Status-word failures are the subclass
 * `StatusWordError` (`@kakunin/core/iso7816`) with `sw` and `ins`.
 *
 * @example
 * ```ts
 * import { CardError } from '@kakunin/core/transport';
 * try {
 *   await card.verifyPin('auth', pin);
 * } catch (error) {
 *   if (!CardError.isInstance(error)) throw error;
 *   switch (error.code) {
 *     case 'PIN_INCORRECT':
 *       showTriesLeft(error.details.triesLeft); // typed: number
 *       break;
 *     case 'CARD_REMOVED':
 *       askToReinsert();
 *       break;
 *     default:
 *       showRemedy(error.remedy);
 *   }
 * }
 * ```
 */
import type { Details, ErrorCode, ErrorDetails } from './error-codes.js';
import type { RemedyKey } from './remedy-keys.js';

/** Brand that survives two installed copies of `@kakunin/core` (architecture.md §3). */
const CARD_ERROR_BRAND = Symbol.for('@kakunin/core/CardError');

export interface CardErrorOptions<C extends ErrorCode = ErrorCode> {
  /** The underlying error, if any. */
  readonly cause?: unknown;
  /** Key into the troubleshooting catalogue (`@kakunin/core/remedies`), overriding the code's default. */
  readonly remedy?: RemedyKey | undefined;
  /** JSON-able facts for logs and UIs (never a PIN, never key material). */
  readonly details?: ErrorDetails<C>;
}

/** A CardError narrowed by its code: `switch (error.code)` narrows `details` as well. */
export type AnyCardError = { [C in ErrorCode]: CardError<C> }[ErrorCode];

/**
 * Every failure kakunin reports: `code` from the closed union {@link ErrorCode} (switch on it),
 * `details` typed per code, an optional `remedy` key, and the cause. Status-word failures are the
 * subclass `StatusWordError`. What to do about a code: `remedyFor` in `@kakunin/core/remedies`.
 *
 * @example
 * ```ts
 * if (CardError.isInstance(error, 'PIN_INCORRECT')) showTriesLeft(error.details.triesLeft);
 * ```
 */
export class CardError<C extends ErrorCode = ErrorCode> extends Error {
  /** Stable, machine-readable code: `CARD_REMOVED`, `PIN_INCORRECT`, … (the union {@link ErrorCode}). */
  readonly code: C;
  /** Troubleshooting key, present when the thrower knows the situation better than the code's default. */
  readonly remedy: RemedyKey | undefined;
  /** JSON-able facts about the failure, typed per code. */
  readonly details: ErrorDetails<C>;

  constructor(code: C, message: string, options: CardErrorOptions<C> = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CardError';
    this.code = code;
    this.remedy = options.remedy;
    this.details = options.details ?? ({} as ErrorDetails<C>);
    Object.defineProperty(this, CARD_ERROR_BRAND, { value: true });
  }

  /**
   * `instanceof` that also works across two installed copies of the package; with a code, also
   * checks the code and narrows `details`.
   *
   * @example
   * ```ts
   * if (CardError.isInstance(error, 'PIN_INCORRECT')) console.log(error.details.triesLeft);
   * ```
   */
  static isInstance<K extends ErrorCode>(value: unknown, code: K): value is CardError<K>;
  static isInstance(value: unknown): value is AnyCardError;
  static isInstance(value: unknown, code?: ErrorCode): boolean {
    if (typeof value !== 'object' || value === null) return false;
    if ((value as Record<symbol, unknown>)[CARD_ERROR_BRAND] !== true) return false;
    return code === undefined || (value as CardError).code === code;
  }

  /** A JSON-able view for traces, logs and HTTP responses. */
  toJSON(): {
    name: string;
    code: C;
    message: string;
    remedy?: RemedyKey;
    details: Details;
  } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.remedy === undefined ? {} : { remedy: this.remedy }),
      details: { ...this.details },
    };
  }
}

/**
 * Wraps anything thrown by lower layers into a CardError; CardErrors pass through unchanged.
 *
 * @example
 * ```ts
 * catch (error) { throw toCardError(error, 'IO', 'reader I/O failed'); }
 * ```
 */
export function toCardError<C extends ErrorCode>(
  error: unknown,
  code: C,
  message: string,
  options: CardErrorOptions<C> = {},
): CardError {
  if (CardError.isInstance(error)) return error;
  return new CardError(code, message, { ...options, cause: error });
}
