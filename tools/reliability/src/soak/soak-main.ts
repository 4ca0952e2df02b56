/**
 * `pnpm soak`: 10,000 consecutive PIN-mode checks on the simulator card through the real pcscd +
 * vpcd (a fresh pcscd started by the tools/pcscd harness under its lock; kakunin's PC/SC transport
 * connects, checks and closes for every check, like a reception desk all day). Heap and active
 * handles are sampled after full collections every `--sample-every` checks; the figures go to
 * stdout and tools/reliability/results/soak-<date>.json. Exit code 1 when a check failed or the
 * heap/handles did not stay flat.
 *
 * Options: `--checks N` (default 10000) `--sample-every N` (default 500) `--warm-up N` (default 200)
 * `--transport pcsc|sim|ble|bridge` (default pcsc).
 *
 * @example
 * ```sh
 * pnpm soak -- --checks 2000
 * ```
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Transport } from '@kakunin/core/transport';
import { createCardProfile, SimulatorProvider, VirtualMyNumberCard } from '@kakunin/simulator';
import { createSimulatedBleEnvironment } from '@kakunin/transport-ble/testing';
import { NfcBridgeProvider } from '@kakunin/transport-nfc-bridge';
import { BridgeRelay } from '@kakunin/transport-nfc-bridge/relay';
import { testKeyStore } from '../support/key-store.js';
import { startPcscStack } from '../support/pcsc-stack.js';
import { repositoryRoot } from '../support/repository.js';
import {
  connectSoakReader,
  flatness,
  HEAP_GROWTH_TOLERANCE,
  HEAP_SLOPE_TOLERANCE,
  runSoak,
  type SoakSample,
} from './soak-run.js';

const { values } = parseArgs({
  options: {
    checks: { type: 'string', default: '10000' },
    'sample-every': { type: 'string', default: '500' },
    'warm-up': { type: 'string', default: '200' },
    transport: { type: 'string', default: 'pcsc' },
  },
});
const checks = Number(values.checks);
const sampleEvery = Number(values['sample-every']);
const warmUp = Number(values['warm-up']);
const transport = values.transport;

function log(line: string): void {
  process.stderr.write(`[soak] ${line}\n`);
}

const profile = createCardProfile('plastic', { keyStore: testKeyStore() });
const card = new VirtualMyNumberCard(profile.image);
let connect: () => Promise<Transport>;
let close: () => Promise<void>;
switch (transport) {
  case 'pcsc': {
    const stack = await startPcscStack();
    log(`pcscd pid ${stack.pcscd.pid}, card in "${stack.readerName}"`);
    connect = () => stack.connect();
    close = () => stack.close();
    break;
  }
  case 'sim': {
    const provider = new SimulatorProvider({ card });
    connect = () => provider.connect(provider.readerId);
    close = () => provider.close();
    break;
  }
  case 'ble': {
    const world = createSimulatedBleEnvironment({ readers: [{ serial: 'SOAK01', card }] });
    connect = () => connectSoakReader(world);
    close = () => world.close();
    break;
  }
  case 'bridge': {
    const phoneReader = new SimulatorProvider({ card });
    const provider = await NfcBridgeProvider.listen({ host: '127.0.0.1' });
    const offer = provider.createPairing();
    const relay = await BridgeRelay.connect(offer.url, { provider: phoneReader });
    const reader = await offer.paired;
    connect = () => provider.connect(reader.id, { waitForCard: true, timeoutMs: 5000 });
    close = async () => {
      await relay.close();
      await provider.close();
      await phoneReader.close();
    };
    break;
  }
  default:
    throw new RangeError('--transport must be pcsc, sim, ble or bridge');
}

const mib = (bytes: number): string => (bytes / 1048576).toFixed(2);
log(
  `${checks.toLocaleString('en')} checks over ${transport} (warm-up ${warmUp}), sampling every ${sampleEvery}`,
);
process.stdout.write('checks   heapUsed MiB  external MiB  arrayBuffers MiB  rss MiB  handles  elapsed s\n');
const started = new Date();
let report: Awaited<ReturnType<typeof runSoak>>;
try {
  report = await runSoak({
    checks,
    sampleEvery,
    warmUp,
    pin: profile.credentials.authPin,
    connect: () => connect(),
    onSample: (sample: SoakSample) =>
      process.stdout.write(
        `${String(sample.checks).padStart(6)} ${mib(sample.heapUsed).padStart(12)} ${mib(sample.external).padStart(13)} ` +
          `${mib(sample.arrayBuffers).padStart(17)} ${mib(sample.rss).padStart(8)} ${String(sample.resources).padStart(8)} ` +
          `${(sample.elapsedMs / 1000).toFixed(1).padStart(10)}\n`,
      ),
  });
} finally {
  await close();
}
const figures = flatness(report);
const flat =
  report.failures === 0 &&
  figures.heapGrowthBytes < HEAP_GROWTH_TOLERANCE &&
  figures.heapSlopePerCheck < HEAP_SLOPE_TOLERANCE &&
  figures.resourcesAtEnd <= figures.resourcesAfterWarmUp + 1;
const summary = {
  started: started.toISOString(),
  node: process.version,
  transport,
  ...report,
  flatness: figures,
  flat,
};
const directory = join(repositoryRoot(), 'tools', 'reliability', 'results');
await mkdir(directory, { recursive: true });
const file = join(directory, `soak-${transport}-${started.toISOString().replace(/[:.]/g, '-')}.json`);
await writeFile(file, `${JSON.stringify(summary, null, 2)}\n`);
log(
  `${report.checks} checks, ${report.failures} failures, latency p50 ${report.latency.p50} ms p95 ${report.latency.p95} ms; ` +
    `heap ${mib(figures.heapAfterWarmUp)} → ${mib(figures.heapAtEnd)} MiB (slope ${figures.heapSlopePerCheck} B/check), ` +
    `handles ${figures.resourcesAfterWarmUp} → ${figures.resourcesAtEnd}: ${flat ? 'FLAT' : 'NOT FLAT'}`,
);
log(`report: ${file}`);
process.exitCode = flat ? 0 : 1;
