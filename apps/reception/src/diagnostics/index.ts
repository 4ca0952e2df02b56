/**
 * `@kakunin/reception/diagnostics`: the pre-flight checks used by the app's 診断 page and by
 * `kakunin doctor`.
 *
 * @example
 * ```ts
 * import { runDiagnostics } from '@kakunin/reception/diagnostics';
 * const report = await runDiagnostics({ env: process.env, now: new Date(), appVersion: '0.1.0' });
 * ```
 */

export {
  type AddJpkiRootResult,
  addJpkiRoot,
  type JpkiRootRow,
  jpkiRootRows,
  jpkiRootsDirectory,
  kakuninConfigDirectory,
  type LoadedJpkiTrustStore,
  loadJpkiTrustStore,
  type TrustConfigOptions,
} from '../certificates/installed-jpki-roots.js';
export {
  DEFAULT_SYSTEM_CERTIFICATE_FILES,
  type DiagnosticCheck,
  type DiagnosticStatus,
  type DiagnosticsOptions,
  type DiagnosticsReport,
  findStarfieldRoot,
  PROXY_VARIABLES,
  runDiagnostics,
  STARFIELD_G2_COMMON_NAME,
} from './run-diagnostics.js';
