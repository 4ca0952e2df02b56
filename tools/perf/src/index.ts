/**
 * `@kakunin/tools-perf`: APDU counting at the simulator card, link modes and targets of the
 * PIN-mode check, OpenSC's equivalent flow, link models, replay CPU and relay loopback
 * measurements. Imported by its own tests and bench scripts; TypeScript source, not published.
 *
 * @example
 * ```ts
 * import { linkMode, runSimulatedCheck } from '@kakunin/tools-perf';
 * const { tally } = await runSimulatedCheck(linkMode('extended'), { keyStore });
 * ```
 */
export { type ApduLogEntry, type ApduTally, describeLog, isWastedProbe, tallyApdus } from './apdu-tally.js';
export { CountingCardEndpoint } from './counting-card-endpoint.js';
export {
  FAST_PATH_REFUSALS,
  refuseEveryFastPath,
  SW_INCORRECT_P1_P2,
  SW_WRONG_LENGTH,
  usesShortFileIdentifier,
} from './fast-path-refusals.js';
export {
  type ApduSize,
  ASSUMED_LAN_ROUND_TRIP_MS,
  bleConnectionEvents,
  bleLinkModel,
  LINK_MODELS,
  type LinkModel,
  type LinkModelOptions,
  linkModels,
  modelFlowMs,
  NFC_106_BYTES_PER_MS,
  relayLinkModel,
} from './link-model.js';
export {
  LINK_MODES,
  type LinkMode,
  type LinkModeName,
  linkMode,
  TARGET_EXTENDED_APDUS,
  TARGET_SHORT_APDUS,
  TARGET_WASTED_PROBES,
} from './link-modes.js';
export { quantile, type SampleSummary, summarize } from './median.js';
export {
  findOpenscModule,
  OPENSC_JPKI_AUTH_ID,
  type OpenscCheck,
  type OpenscStep,
  runOpenscCheck,
  runTool,
  type ToolRun,
} from './opensc-flow.js';
export { measureRelayLoopback, type RelayLoopbackFigures } from './relay-loopback.js';
export { measureReplayCpu, type RecordedCheck, type ReplayCpuFigures, recordCheck } from './replay-cpu.js';
export {
  CHALLENGE_LENGTH,
  type CountedCardOptions,
  countCheck,
  createCountedCard,
  fixedChallenge,
  runSimulatedCheck,
  SIMULATOR_AUTH_PIN,
  type SimulatedCheckRun,
} from './simulated-check.js';
