/**
 * `@kakunin/core/x509`: certificate and CRL parsing, JPKI validation and RFC 5280 path
 * validation (work in progress).
 *
 * @example
 * ```ts
 * import * as x509 from '@kakunin/core/x509';
 * ```
 */
export {};
