/**
 * `@kakunin/reception/diagnostics`: kept for existing imports; the checks and the trust store now
 * live in the publishable Node-only subpaths `@kakunin/core/diagnostics` and
 * `@kakunin/core/trust-store` (which `kakunin doctor`, `trust` and `verify-cert` use).
 *
 * @example
 * ```ts
 * import { runDiagnostics } from '@kakunin/reception/diagnostics';
 * const report = await runDiagnostics({ env: process.env, now: new Date(), appVersion: '0.1.0' });
 * ```
 */

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
} from '@kakunin/core/diagnostics';
export {
  type AddJpkiRootResult,
  addJpkiRoot,
  jpkiRootsDirectory,
  kakuninConfigDirectory,
  type LoadedJpkiTrustStore,
  loadJpkiTrustStore,
  type TrustConfigOptions,
} from '@kakunin/core/trust-store';
