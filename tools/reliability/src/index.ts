/**
 * `@kakunin/tools-reliability`: the proofs that kakunin holds on a reception PC — parser fuzzing
 * (property-based and feedback-guided mutation), fault injection at every APDU on every transport,
 * PIN-hygiene scans, soak runs with heap and handle sampling, and the reception app's data-safety
 * tests. Private; run through vitest (`--project tools-reliability`), `pnpm fuzz:nightly` and
 * `pnpm soak`.
 *
 * @example
 * ```ts
 * import { FUZZ_TARGETS, runFuzz } from '@kakunin/tools-reliability';
 * const stats = await runFuzz(FUZZ_TARGETS[0]!, { iterations: 10_000 });
 * console.log(stats.executions, stats.findings.length);
 * ```
 */

export {
  type FaultFlow,
  type FaultRig,
  type FaultRunResult,
  genericFaults,
  type NativeFault,
  runFaultMatrix,
  summarise,
  WRONG_STATUS_WORDS,
} from './faults/fault-runner.js';
export {
  type ArmOptions,
  type CardControl,
  type CardStatistics,
  FaultableCard,
} from './faults/faultable-card.js';
export { type CrashEntry, defaultCrashDirectory, loadCrashCorpus, saveCrash } from './fuzz/crash-corpus.js';
export {
  type Execution,
  executeConfirmed,
  executeOnce,
  type Finding,
  type FindingKind,
  type FuzzOptions,
  type FuzzStats,
  runFuzz,
} from './fuzz/fuzz-engine.js';
export { type FuzzTarget, OracleViolation, type SeedContext } from './fuzz/fuzz-target.js';
export { Mutator } from './fuzz/mutator.js';
export { FuzzRandom } from './fuzz/random.js';
export { FUZZ_TARGETS, fuzzTarget } from './fuzz/targets/index.js';
export { type Hit, type Secret, SecretScanner } from './hygiene/pin-scanner.js';
export {
  assertFlat,
  type Flatness,
  flatness,
  runSoak,
  type SoakOptions,
  type SoakReport,
  type SoakSample,
} from './soak/soak-run.js';
