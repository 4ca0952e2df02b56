/**
 * `@kakunin/transport-ble/testing`: a simulated Bluetooth adapter (noble bindings) and a simulated
 * ACS ACR1255U-J1 that speaks the real framing and crypto, for tests, demos and the CLI's
 * simulated reader. Shipped, not test-only: `kakunin --transport ble` uses it with
 * `KAKUNIN_BLE_SIMULATOR=1`.
 *
 * @example
 * ```ts
 * import { SimulatedAcr1255Reader, SimulatedBleAdapter } from '@kakunin/transport-ble/testing';
 * import { BleTransportProvider } from '@kakunin/transport-ble';
 *
 * const reader = new SimulatedAcr1255Reader({ card });
 * // or front a card behind PC/SC: new SimulatedAcr1255Reader({ card: new TransportCardEndpoint({ provider, readerId }) })
 * const adapter = new SimulatedBleAdapter({ peripherals: [reader] });
 * await using provider = new BleTransportProvider({ bindings: adapter, scanTimeoutMs: 200 });
 * ```
 */

export { ScriptedCard } from './scripted-card.js';
export {
  type CardEndpointLike,
  type ReaderFault,
  type ReaderMode,
  SimulatedAcr1255Reader,
  type SimulatedAcr1255ReaderOptions,
} from './simulated-acr1255-reader.js';
export {
  type PeripheralPort,
  SimulatedBleAdapter,
  type SimulatedBleAdapterOptions,
  type SimulatedGattService,
  type SimulatedPeripheral,
} from './simulated-adapter.js';
export {
  createSimulatedBleEnvironment,
  type SimulatedBleEnvironment,
  type SimulatedBleEnvironmentOptions,
} from './simulated-environment.js';
export {
  TransportCardEndpoint,
  type TransportCardEndpointOptions,
} from './transport-card-endpoint.js';
