/**
 * The pcscd test harness. Import by relative path from any test file, e.g.
 * `import { usePcscd } from '../../../tools/pcscd/src/index.ts'`.
 *
 * @example
 * ```ts
 * const pcscd = usePcscd();
 * ```
 */
export {
  findPcscd,
  findRunningPcscd,
  listeningPorts,
  PCSCD_PID_FILE,
  PCSCD_RUN_DIR,
  PCSCD_SOCKET,
  type PcscdHandle,
  type StartPcscdOptions,
  startPcscd,
  VPCD_PORTS,
  VPCD_READER_CONF,
} from './pcscd-harness.js';
export {
  acquirePcscdLock,
  defaultPcscdLockPath,
  type PcscdLock,
  type PcscdLockOptions,
} from './pcscd-lock.js';
export { usePcscd } from './use-pcscd.js';
export {
  type SerializableFaultRule,
  VirtualCardHost,
  type VirtualCardHostOptions,
  type VirtualCardStats,
} from './virtual-card-host.js';
