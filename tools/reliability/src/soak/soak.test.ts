/**
 * Bounded soak: consecutive PIN-mode checks (connect → check → close) with heap and handle
 * counts sampled after full collections, in process and over the BLE and bridge stacks. A leak
 * of even a few hundred bytes per check shows as a slope; the soak found one of ~2.5 KB per check
 * in the simulator's reader slot and one of ~350 bytes per GATT write in the BLE link (both
 * fixed). `pnpm soak` runs 10,000 checks through pcscd + vpcd (faults/pcsc-faults.test.ts: 15 of them).
 */
import { createCardProfile, SimulatorProvider, VirtualMyNumberCard } from '@kakunin/simulator';
import { createSimulatedBleEnvironment } from '@kakunin/transport-ble/testing';
import { NfcBridgeProvider } from '@kakunin/transport-nfc-bridge';
import { BridgeRelay } from '@kakunin/transport-nfc-bridge/relay';
import { describe, expect, it } from 'vitest';
import { testKeyStore } from '../support/key-store.js';
import { assertFlat, connectSoakReader, flatness, runSoak } from './soak-run.js';

const profile = createCardProfile('plastic', { keyStore: testKeyStore() });

describe('soak (bounded): heap and handles stay flat', () => {
  it('300 consecutive checks on the in-process simulator', async () => {
    await using provider = new SimulatorProvider({ card: new VirtualMyNumberCard(profile.image) });
    const report = await runSoak({
      checks: 300,
      warmUp: 200,
      sampleEvery: 50,
      pin: profile.credentials.authPin,
      connect: () => provider.connect(provider.readerId),
    });
    console.log('soak in-process', JSON.stringify({ ...flatness(report), latency: report.latency }));
    assertFlat(report, expect);
  });

  it('300 consecutive checks over BLE (simulated ACR1255U-J1, real noble code)', async () => {
    await using world = createSimulatedBleEnvironment({
      readers: [{ serial: 'SOAK01', card: new VirtualMyNumberCard(profile.image) }],
    });
    const report = await runSoak({
      checks: 300,
      warmUp: 200,
      sampleEvery: 50,
      pin: profile.credentials.authPin,
      connect: () => connectSoakReader(world),
    });
    console.log('soak BLE', JSON.stringify({ ...flatness(report), latency: report.latency }));
    assertFlat(report, expect);
  });

  it('400 consecutive checks through the NFC bridge (WebSocket + relay)', async () => {
    await using phoneReader = new SimulatorProvider({ card: new VirtualMyNumberCard(profile.image) });
    await using provider = await NfcBridgeProvider.listen({ host: '127.0.0.1' });
    const offer = provider.createPairing();
    await using _relay = await BridgeRelay.connect(offer.url, { provider: phoneReader });
    const reader = await offer.paired;
    const report = await runSoak({
      checks: 400,
      warmUp: 150,
      sampleEvery: 80,
      pin: profile.credentials.authPin,
      connect: () => provider.connect(reader.id, { waitForCard: true, timeoutMs: 5000 }),
    });
    console.log('soak bridge', JSON.stringify({ ...flatness(report), latency: report.latency }));
    assertFlat(report, expect);
  });
});
