/**
 * Error names the server maps to 503 (a dependency of a fallback is missing on this machine).
 *
 * @example
 * ```ts
 * FALLBACK_ERRORS_BY_NAME.has('FontUnavailableError'); // true
 * ```
 */
export const FALLBACK_ERRORS_BY_NAME: ReadonlySet<string> = new Set(['FontUnavailableError']);
