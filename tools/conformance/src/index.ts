/**
 * Shared test tooling for transport packages: the Transport conformance suite.
 *
 * @example
 * ```ts
 * import { runTransportConformance } from '@kakunin/tools-conformance';
 * ```
 */
export {
  runTransportConformance,
  SELECT_JPKI_AP,
  type TransportConformanceOptions,
} from './run-transport-conformance.js';
