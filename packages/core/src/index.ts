/**
 * `@kakunin/core`: re-exports every layer. Prefer the subpath imports
 * (`@kakunin/core/transport`, `/iso7816`, `/der`, `/x509`, `/jpki`) in libraries.
 *
 * @example
 * ```ts
 * import { CardSession, CardError } from '@kakunin/core';
 * ```
 */

export * from './der/index.js';
export * from './iso7816/index.js';
export * from './jpki/index.js';
export * from './transport/index.js';
export * from './x509/index.js';
