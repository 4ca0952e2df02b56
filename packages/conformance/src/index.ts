/**
 * `@kakunin/conformance`: the Transport conformance suite for reader vendors (see README.md and
 * docs/vendors.md). The suite itself lives in tools/conformance, which every transport in this
 * monorepo runs against itself; this package publishes it.
 *
 * @example
 * ```ts
 * import { runTransportConformance } from '@kakunin/conformance';
 * ```
 */
export {
  runTransportConformance,
  SELECT_JPKI_AP,
  type TransportConformanceOptions,
} from '../../../tools/conformance/src/index.js';
