/**
 * Shared test tooling for transport packages: the Transport conformance suite.
 *
 * @example
 * ```ts
 * import { runTransportConformance } from '../../../tools/conformance/src/index.js';
 * ```
 */
export {
  runTransportConformance,
  SELECT_JPKI_AP,
  type TransportConformanceOptions,
} from './run-transport-conformance.js';
