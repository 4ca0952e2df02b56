/**
 * `@kakunin/core/diagnostics` (Node only: probes the pcscd socket, sysfs and the TLS trust
 * stores): the pre-flight checks behind `kakunin doctor` and the reception app's 診断 page —
 * PC/SC service, readers, Bluetooth, the Starfield G2 TLS root, proxy variables, versions and
 * the installed J-LIS root generations.
 *
 * @example
 * ```ts
 * import { runDiagnostics } from '@kakunin/core/diagnostics';
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
} from './run-diagnostics.js';
