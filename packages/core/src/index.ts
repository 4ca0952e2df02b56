/**
 * `@kakunin/core`: the entry points only — open a card, read and check it, handle its errors. Every
 * other name lives at its layer's subpath (`@kakunin/core/transport`, `/iso7816`, `/der`, `/x509`,
 * `/jpki`, `/remedies`), which libraries should prefer.
 *
 * @example
 * ```ts
 * import { CardError, MyNumberCard, remedyFor } from '@kakunin/core';
 * await using card = MyNumberCard.open(transport);
 * try {
 *   const result = await card.check({ pin, challenge });
 * } catch (error) {
 *   if (CardError.isInstance(error)) show(error.code, remedyFor(error));
 * }
 * ```
 */
export { CardSession, type CardSessionOptions } from './iso7816/index.js';
export {
  type CertificateKind,
  type CheckOptions,
  type CheckResult,
  MyNumberCard,
  type OpenOptions,
  type PinStatus,
} from './jpki/index.js';
export { type ReaderSetup, remedyFor, troubleshoot } from './remedies/index.js';
export {
  type AnyCardError,
  CardError,
  type ErrorCode,
  type ErrorDetails,
  type ReaderEvent,
  type ReaderInfo,
  type RemedyKey,
  type Transport,
  type TransportProvider,
} from './transport/index.js';
export { type Certificate, parseCertificate, validateJpkiCertificate } from './x509/index.js';
