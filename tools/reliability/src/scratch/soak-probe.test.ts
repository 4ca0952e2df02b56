import { createCardProfile, SimulatorProvider, VirtualMyNumberCard } from '@kakunin/simulator';
import { it } from 'vitest';
import { flatness, runSoak } from '../soak/soak-run.js';
import { testKeyStore } from '../support/key-store.js';

it('soak probe', async () => {
  const profile = createCardProfile('plastic', { keyStore: testKeyStore() });
  await using provider = new SimulatorProvider({ card: new VirtualMyNumberCard(profile.image) });
  const report = await runSoak({
    checks: Number(process.env.N ?? 3000),
    sampleEvery: 500,
    pin: '1234',
    connect: () => provider.connect(provider.readerId),
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
  console.log(JSON.stringify(flatness(report)), JSON.stringify(report.latency));
}, 600_000);
