/**
 * `@kakunin/core/transport`: the Transport contract, reader events, capabilities, the CardError
 * base with its closed union of stable codes, and the remedy key type. Transport packages import only this.
 *
 * @example
 * ```ts
 * import { CardError, type Transport } from '@kakunin/core/transport';
 * ```
 */
export { raceAbort, throwIfAborted } from './abort.js';
export { assertBytes } from './assert-bytes.js';
export { BaseTransport, type BaseTransportOptions } from './base-transport.js';
export { type AnyCardError, CardError, type CardErrorOptions, toCardError } from './card-error.js';
export {
  COMBINED_ID_SEPARATOR,
  type CombinedReaderInfo,
  CombinedTransportProvider,
  type CombinedTransportProviderOptions,
  type ProviderWarning,
  type ReaderSurvey,
} from './combined-provider.js';
export { concatBytes } from './concat-bytes.js';
export {
  DerErrorCode,
  type Details,
  type DetailValue,
  ERROR_CODE_LAYERS,
  ERROR_CODES,
  type ErrorCode,
  type ErrorDetails,
  type ErrorLayer,
  Iso7816ErrorCode,
  isErrorCode,
  JpkiErrorCode,
  type KnownDetails,
  type StatusDetails,
  StatusWordErrorCode,
  TranscriptErrorCode,
  TransportErrorCode,
  X509ErrorCode,
} from './error-codes.js';
export { EventHub } from './event-hub.js';
export { bytesToHex, hexToBytes } from './hex.js';
export { isRemedyKey, REMEDY_KEYS, type RemedyKey } from './remedy-keys.js';
export type {
  CloseInfo,
  ConnectOptions,
  ReaderEvent,
  ReaderInfo,
  SignalOptions,
  Transport,
  TransportCapabilities,
  TransportProvider,
} from './transport.js';
