/**
 * The shared Transport conformance suite (tools/conformance) against the BLE transport: real noble
 * code over the simulated adapter, a simulated ACR1255U-J1 speaking the real framing and crypto,
 * holding the virtual My Number card from @kakunin/simulator.
 */
import { createVirtualCard, defaultKeyCacheDirectory, TestKeyStore } from '@kakunin/simulator';
import { runTransportConformance } from '@kakunin/tools-conformance';
import { afterAll } from 'vitest';
import { createSimulatedBleEnvironment } from './testing/simulated-environment.js';

const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
const newCard = () => createVirtualCard('plastic', { keyStore });
const world = createSimulatedBleEnvironment({ readers: [{ serial: 'C0NF01', card: newCard() }] });
const reader = world.readers[0]!;
afterAll(() => world.close());

runTransportConformance('transport-ble over a simulated ACR1255U-J1 (noble with injected bindings)', {
  createTransport: () => world.provider.connect('ACR1255U-J1-C0NF01'),
  removeCard: async () => reader.removeCard(),
  restoreCard: async () => reader.insertCard(newCard()),
  stallNextCommand: async () => reader.injectFault('stall'),
  removalTimeoutMs: 2000,
});
