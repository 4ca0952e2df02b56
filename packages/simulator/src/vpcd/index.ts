/**
 * `@kakunin/simulator/vpcd`: the virtual card in a real pcscd through vsmartcard's vpcd driver
 * (transports.md §3).
 *
 * @example
 * ```ts
 * import { VpcdConnector } from '@kakunin/simulator/vpcd';
 * ```
 */
export { type CardWorkerChannel, CardWorkerHost, serveCardWorker } from './card-worker.js';
export { listeningTcpPorts } from './listening-ports.js';
export {
  VPCD_FRIENDLY_NAME,
  VpcdConnector,
  type VpcdConnectorEvent,
  type VpcdConnectorOptions,
  vpcdReaderName,
} from './vpcd-connector.js';
export {
  encodeVpcdFrame,
  VPCD_BASE_PORT,
  VPCD_DEFAULT_SLOTS,
  VPCD_MAX_ATR,
  VPCD_MAX_FRAME,
  VpcdControl,
  VpcdFrameReader,
} from './vpcd-protocol.js';
