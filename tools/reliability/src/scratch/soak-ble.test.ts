import { createCardProfile, VirtualMyNumberCard } from '@kakunin/simulator';
import { createSimulatedBleEnvironment } from '@kakunin/transport-ble/testing';
import { it } from 'vitest';
import { flatness, runSoak } from '../soak/soak-run.js';
import { testKeyStore } from '../support/key-store.js';

it('soak ble', async () => {
  const profile = createCardProfile('plastic', { keyStore: testKeyStore() });
  await using world = createSimulatedBleEnvironment({
    readers: [{ serial: 'SOAK1', card: new VirtualMyNumberCard(profile.image) }],
  });
  const report = await runSoak({
    checks: Number(process.env.N ?? 1500),
    warmUp: 300,
    sampleEvery: 250,
    pin: '1234',
    connect: () => world.connect('ACR1255U-J1-SOAK1'),
    onSample: (s) =>
      console.log(
        s.checks,
        s.heapUsed,
        s.external,
        s.arrayBuffers,
        s.resources,
        JSON.stringify(s.resourceTypes),
      ),
  });
  console.log(
    JSON.stringify(flatness(report)),
    JSON.stringify(report.latency),
    report.failures,
    report.firstFailure,
  );
}, 600_000);
