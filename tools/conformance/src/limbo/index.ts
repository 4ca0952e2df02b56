/**
 * `@kakunin/tools-conformance/limbo`: the x509-limbo harness over kakunin's RFC 5280 path validator.
 *
 * @example
 * ```ts
 * import { runLimbo } from '@kakunin/tools-conformance/limbo';
 * ```
 */
export {
  type LimboActualResult,
  type LimboCaseResult,
  type LimboResult,
  type LimboTestcase,
  type RunLimboOptions,
  runLimbo,
  runLimboTestcase,
} from './limbo.js';
