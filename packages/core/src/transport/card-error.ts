/**
 * The one error type of kakunin. Every failure the SDK reports is a `CardError` with a stable
 * string `code` (see {@link ErrorCode}); failures that clinic staff can act on also carry a
 * `remedy` key into the troubleshooting catalogue ({@link remedyCatalog}).
 *
 * Messages never contain a PIN or key material.
 *
 * @example
 * ```ts
 * import { CardError } from '@kakunin/core/transport';
 * try {
 *   await transport.transmit(apdu);
 * } catch (error) {
 *   if (CardError.isInstance(error) && error.code === 'CARD_REMOVED') showRemedy(error.remedy);
 * }
 * ```
 */
import type { RemedyKey } from './remedy-keys.js';

/** Brand that survives two installed copies of `@kakunin/core` (architecture.md §3). */
const CARD_ERROR_BRAND = Symbol.for('@kakunin/core/CardError');

export interface CardErrorOptions {
  /** The underlying error, if any. */
  readonly cause?: unknown;
  /** Key into the troubleshooting catalogue (remedy-catalog.ts). */
  readonly remedy?: RemedyKey;
  /** JSON-able facts for logs and UIs (never a PIN, never key material). */
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

export class CardError extends Error {
  /** Stable, machine-readable code: `CARD_REMOVED`, `PIN_INCORRECT`, … */
  readonly code: string;
  /** Troubleshooting key, present when staff can act on the failure. */
  readonly remedy: RemedyKey | undefined;
  /** JSON-able facts about the failure. */
  readonly details: Readonly<Record<string, string | number | boolean | null>>;

  constructor(code: string, message: string, options: CardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CardError';
    this.code = code;
    this.remedy = options.remedy;
    this.details = options.details ?? {};
    Object.defineProperty(this, CARD_ERROR_BRAND, { value: true });
  }

  /**
   * `instanceof` that also works across two installed copies of the package.
   *
   * @example
   * ```ts
   * if (CardError.isInstance(error, 'PIN_INCORRECT')) console.log(error.details.triesLeft);
   * ```
   */
  static isInstance(value: unknown, code?: string): value is CardError {
    if (typeof value !== 'object' || value === null) return false;
    if ((value as Record<symbol, unknown>)[CARD_ERROR_BRAND] !== true) return false;
    return code === undefined || (value as CardError).code === code;
  }

  /** A JSON-able view for traces, logs and HTTP responses. */
  toJSON(): {
    name: string;
    code: string;
    message: string;
    remedy?: string;
    details: Record<string, unknown>;
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
export function toCardError(
  error: unknown,
  code: string,
  message: string,
  options: CardErrorOptions = {},
): CardError {
  if (CardError.isInstance(error)) return error;
  return new CardError(code, message, { ...options, cause: error });
}
