/**
 * Benchmarks for the BLE transport:
 * - the software cost of one APDU round trip through the whole stack (noble with injected
 *   bindings, 20-byte fragmentation, AES, the simulated ACR1255U-J1) — what kakunin adds;
 * - the PIN-mode check with the virtual My Number card over that stack.
 * The latency model of a real link (APDU count × link round trip per connection interval, with
 * its sources) is tools/perf/src/ble-latency-model.ts.
 */

import { MyNumberCard } from '@kakunin/core/jpki';
import { hexToBytes } from '@kakunin/core/transport';
import { createVirtualCard, defaultKeyCacheDirectory, TestKeyStore } from '@kakunin/simulator';
import { afterAll, bench, describe } from 'vitest';
import type { BleTransport } from './ble-transport.js';
import { ScriptedCard } from './testing/scripted-card.js';
import { createSimulatedBleEnvironment } from './testing/simulated-environment.js';

const SELECT_JPKI_AP = hexToBytes('00A4040C0AD392F000260100000001');
const READ_BINARY_256 = Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x00);

describe('transport-ble over the simulated ACR1255U-J1', () => {
  const world = createSimulatedBleEnvironment({ readers: [{ serial: 'BENCH1', card: new ScriptedCard() }] });
  let transport: Promise<BleTransport> | undefined;
  const connected = (): Promise<BleTransport> => {
    transport ??= world.provider.connect('ACR1255U-J1-BENCH1');
    return transport;
  };
  afterAll(() => world.close());

  bench('SELECT round trip (2 writes, 2 notifications, AES both ways)', async () => {
    await (await connected()).transmit(SELECT_JPKI_AP);
  });
  bench('READ BINARY 256 bytes (2 writes, 14 notifications)', async () => {
    await (await connected()).transmit(READ_BINARY_256);
  });
});

describe('PIN-mode check with the virtual My Number card over the simulated reader', () => {
  const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
  const world = createSimulatedBleEnvironment({
    readers: [{ serial: 'BENCH2', card: createVirtualCard('plastic', { keyStore }) }],
  });
  afterAll(() => world.close());

  bench(
    'connect + check (SELECT, counter, VERIFY, SIGN, READ cert) + close',
    async () => {
      const card = MyNumberCard.open(await world.provider.connect('ACR1255U-J1-BENCH2'));
      await card.check({ pin: '1234', challenge: new Uint8Array(32) });
      await card.close();
    },
    { iterations: 20 },
  );
});
