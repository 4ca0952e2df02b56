import { createCardProfile, SimulatorProvider, VirtualMyNumberCard } from '@kakunin/simulator';
import { BridgeRelay, NfcBridgeProvider } from '@kakunin/transport-nfc-bridge';
import { it } from 'vitest';
import { flatness, runSoak } from '../soak/soak-run.js';
import { testKeyStore } from '../support/key-store.js';

it('soak bridge', async () => {
  const profile = createCardProfile('plastic', { keyStore: testKeyStore() });
  await using phoneReader = new SimulatorProvider({ card: new VirtualMyNumberCard(profile.image) });
  await using provider = await NfcBridgeProvider.listen({ host: '127.0.0.1' });
  const offer = provider.createPairing();
  await using _relay = await BridgeRelay.connect(offer.url, { provider: phoneReader });
  const reader = await offer.paired;
  const report = await runSoak({
    checks: Number(process.env.N ?? 1500),
    warmUp: 200,
    sampleEvery: 250,
    pin: '1234',
    connect: () => provider.connect(reader.id, { waitForCard: true, timeoutMs: 5000 }),
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
