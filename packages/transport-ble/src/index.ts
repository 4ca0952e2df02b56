/**
 * `@kakunin/transport-ble`: Bluetooth LE card readers (ACS ACR1255U-J1, both GATT generations)
 * as a kakunin Transport over noble. Importing it loads no native code; real hardware loads
 * noble's platform binding on first use, injected bindings (tests, `./testing`) never do.
 *
 * @example
 * ```ts
 * import { BleTransportProvider } from '@kakunin/transport-ble';
 * await using provider = new BleTransportProvider({ masterKey });
 * const [reader] = await provider.listReaders();
 * await using transport = await provider.connect(reader.id, { waitForCard: true, timeoutMs: 30_000 });
 * ```
 */
export {
  type Acr1255DriverOptions,
  acr1255Driver,
  CUSTOM_KEY_LINK_SECURITY,
  DEFAULT_KEY_LINK_SECURITY,
} from './acr1255/acr1255-driver.js';
export { type AesCbc, nodeAesCbc } from './acr1255/aes-cbc.js';
export {
  ACR1255_DEFAULT_MASTER_KEY,
  ACR1255_ESCAPE,
  ACR1255_GATT,
  ACR1255_MESSAGE,
} from './acr1255/constants.js';
export { BleTransportProvider, type BleTransportProviderOptions } from './ble-provider.js';
export { BLE_ESCAPE_CONTROL_CODE, BleTransport, type BleTransportOptions } from './ble-transport.js';
export type {
  BleAdvertisement,
  BleReaderDriver,
  BleWarning,
  CardStatus,
  DriverOpenOptions,
  GattLink,
  GattProfile,
  ReaderSession,
  SessionEnd,
} from './driver.js';
export { bleErrors } from './errors.js';
export { fragment } from './fragment.js';
export {
  type AdapterState,
  createNobleWithBindings,
  loadSystemNoble,
  type NobleBindingsLike,
  type NobleLike,
} from './noble-central.js';
export { diagnoseLinuxRadio, type RadioDiagnosis } from './radio-diagnosis.js';
