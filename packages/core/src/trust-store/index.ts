/**
 * `@kakunin/core/trust-store` (Node only: reads and writes files with node:fs): the J-LIS roots an
 * operator added to this machine (`kakunin trust add`, the reception app's settings), kept in the
 * per-machine configuration directory (`KAKUNIN_CONFIG_DIR` overrides) and checked by the
 * compiled-in registry of `@kakunin/core/x509` on adding and on every load.
 *
 * @example
 * ```ts
 * import { addJpkiRoot, loadJpkiTrustStore } from '@kakunin/core/trust-store';
 * const added = await addJpkiRoot(bytes, { fingerprint, env: process.env });
 * const { anchors, missing } = await loadJpkiTrustStore({ env: process.env });
 * ```
 */
export {
  type AddJpkiRootResult,
  addJpkiRoot,
  type InstalledRootFiles,
  type JpkiRootRow,
  jpkiRootRows,
  jpkiRootsDirectory,
  kakuninConfigDirectory,
  type LoadedJpkiTrustStore,
  loadJpkiTrustStore,
  MAX_ROOT_FILE_BYTES,
  readInstalledJpkiRoots,
  type TrustConfigOptions,
} from './installed-jpki-roots.js';
