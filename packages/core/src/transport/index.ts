/**
 * `@kakunin/core/transport`: the Transport contract, reader events, capabilities, the CardError
 * base with stable codes and the troubleshooting catalogue. Transport packages import only this.
 *
 * @example
 * ```ts
 * import { CardError, type Transport } from '@kakunin/core/transport';
 * ```
 */
export { raceAbort, throwIfAborted } from './abort.js';
export { BaseTransport, type BaseTransportOptions } from './base-transport.js';
export { CardError, type CardErrorOptions, toCardError } from './card-error.js';
export { TransportErrorCode } from './error-codes.js';
export { bytesToHex, hexToBytes } from './hex.js';
export {
  type ChecklistItem,
  FAQ_CHECKLISTS,
  type LocalizedText,
  type ReaderSetup,
  type Remedy,
  remedyCatalog,
  type TroubleshootingGuide,
  troubleshoot,
} from './remedy-catalog.js';
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
