/**
 * Bench script (registered in tools/bench/scripts.json as `check-apdus`): what the PIN-mode check
 * costs on the wire, counted at the simulator card.
 *
 * 1. kakunin in process, every link mode of link-modes.ts (APDUs, bytes, wasted probes).
 * 2. Through real pcscd + vpcd, extended-capable and short-only links: kakunin (core MyNumberCard
 *    over @kakunin/transport-pcsc) vs OpenSC (`pkcs15-tool --read-certificate` + `pkcs11-tool
 *    --login --sign`), APDUs and bytes; wall time of kakunin's check, median of many runs.
 * 3. Modelled time of both flows on BLE and phone-relay links (link-model.ts, sources stated).
 *
 * Prints a summary on stderr and one JSON line on stdout. pcscd is started through the shared
 * harness (its lock serialises with PC/SC tests). `--runs N` sets the wall-time runs (default 50);
 * `--no-pcscd` measures only the in-process part and says so in the JSON.
 *
 * Run after the build: `node tools/perf/dist/check-apdus.js`.
 */
import { cpus } from 'node:os';
import { MyNumberCard } from '@kakunin/core/jpki';
import { bytesToHex } from '@kakunin/core/transport';
import { defaultKeyCacheDirectory, TestKeyStore } from '@kakunin/simulator';
import { createPcscProvider } from '@kakunin/transport-pcsc';
// The harness module itself, not the package index: the index also exports the vitest hooks.
import { startPcscd } from '../../../pcscd/src/pcscd-harness.js';
import type { ApduLogEntry, ApduTally } from '../apdu-tally.js';
import { tallyApdus } from '../apdu-tally.js';
import { CardHost } from '../card-host.js';
import { linkModels as createLinkModels, modelFlowMs } from '../link-model.js';
import { LINK_MODES, type LinkModeName, linkMode } from '../link-modes.js';
import { type SampleSummary, summarize } from '../median.js';
import { runOpenscCheck, runTool } from '../opensc-flow.js';
import { measureRelayLoopback, type RelayLoopbackFigures } from '../relay-loopback.js';
import { fixedChallenge, runSimulatedCheck, SIMULATOR_AUTH_PIN } from '../simulated-check.js';

/** Wall-time runs through pcscd (median of many). */
const DEFAULT_RUNS = 50;
/** Runs before measuring (JIT, pcscd's first-connection work). */
const WARMUP_RUNS = 3;
/** OpenSC runs for its wall time (each run starts two processes). */
const OPENSC_RUNS = 5;
/** Checks through the bridge on loopback, per APDU form. */
const RELAY_RUNS = 30;
/** Wait for the pcscd lock while PC/SC tests run elsewhere, ms. */
const LOCK_TIMEOUT_MS = 1_800_000;

interface FlowFigures extends ApduTally {
  readonly log: readonly ApduLogEntry[];
}

interface PcscdLinkFigures {
  readonly kakunin: FlowFigures & {
    readonly checkMs: SampleSummary;
    readonly sessionMs: SampleSummary;
  };
  readonly opensc: FlowFigures & {
    readonly steps: ReadonlyArray<{ name: string; command: string } & ApduTally>;
    readonly wallMs: SampleSummary;
  };
  /** OpenSC returned the very certificate and signature kakunin did (PKCS#1 v1.5 is deterministic). */
  readonly sameCertificate: boolean;
  readonly sameSignature: boolean;
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
}

/** "OpenSC 0.23.0 [gcc 12.2.0]" → "0.23.0". */
async function openscRelease(): Promise<string | undefined> {
  const run = await runTool(['opensc-tool', '--info'], { env: process.env });
  return /OpenSC (\S+)/.exec(run.stdout)?.[1];
}

const withoutLog = ({ log: _log, ...rest }: FlowFigures): ApduTally => rest;

async function inProcess(keyStore: TestKeyStore): Promise<Record<LinkModeName, FlowFigures>> {
  const figures: Partial<Record<LinkModeName, FlowFigures>> = {};
  for (const mode of LINK_MODES) {
    const run = await runSimulatedCheck(mode, { keyStore });
    figures[mode.name] = { ...run.tally, log: [...run.counter.log] };
  }
  return figures as Record<LinkModeName, FlowFigures>;
}

async function throughPcscd(runs: number): Promise<Record<'extended' | 'short-link', PcscdLinkFigures>> {
  const pcscd = await startPcscd({ lockTimeoutMs: LOCK_TIMEOUT_MS });
  try {
    const figures: Partial<Record<'extended' | 'short-link', PcscdLinkFigures>> = {};
    for (const name of ['extended', 'short-link'] as const) {
      const mode = linkMode(name);
      // The card runs in its own process (card-host.ts), like a real card on its own chip.
      await using host = await CardHost.start(name);
      await using provider = createPcscProvider({ connect: { extendedLength: mode.linkExtended } });

      // kakunin: a fresh connection per check (connect, check, close = unpower), as at a counter.
      const checkMs: number[] = [];
      const sessionMs: number[] = [];
      let flow: FlowFigures | undefined;
      let kakuninCertificate = '';
      let kakuninSignature = '';
      for (let index = 0; index < WARMUP_RUNS + runs; index += 1) {
        const started = performance.now();
        const transport = await provider.connect(host.readerName, {
          waitForCard: true,
          timeoutMs: 10_000,
        });
        const card = MyNumberCard.open(transport);
        await host.reset();
        const checkStarted = performance.now();
        const result = await card.check({ pin: SIMULATOR_AUTH_PIN, challenge: fixedChallenge() });
        const checked = performance.now();
        await card.close();
        const closed = performance.now();
        const log = await host.log();
        const tally = tallyApdus(log);
        if (flow === undefined) {
          flow = { ...tally, log };
          kakuninCertificate = bytesToHex(result.certificate);
          kakuninSignature = bytesToHex(result.signature);
        } else if (tally.apdus !== flow.apdus || tally.bytes !== flow.bytes) {
          throw new Error(
            `${name}: run ${index} took ${tally.apdus} APDUs / ${tally.bytes} B, first run ${flow.apdus} / ${flow.bytes}`,
          );
        }
        if (index >= WARMUP_RUNS) {
          checkMs.push(checked - checkStarted);
          sessionMs.push(closed - started);
        }
      }
      if (flow === undefined) throw new Error('no kakunin run');

      // OpenSC, as shipped, against the same card.
      const openscWall: number[] = [];
      let opensc: Awaited<ReturnType<typeof runOpenscCheck>> | undefined;
      for (let index = 0; index < OPENSC_RUNS; index += 1) {
        const started = performance.now();
        const run = await runOpenscCheck({
          counter: host,
          readerName: host.readerName,
          pin: SIMULATOR_AUTH_PIN,
          challenge: fixedChallenge(),
        });
        openscWall.push(performance.now() - started);
        opensc ??= run;
      }
      if (opensc === undefined) throw new Error('no OpenSC run');
      const openscLog = opensc.steps.flatMap((step) => step.log);
      figures[name] = {
        kakunin: { ...flow, checkMs: summarize(checkMs), sessionMs: summarize(sessionMs) },
        opensc: {
          ...tallyApdus(openscLog),
          log: openscLog,
          steps: opensc.steps.map((step) => ({ name: step.name, command: step.command, ...step.tally })),
          wallMs: summarize(openscWall),
        },
        sameCertificate: bytesToHex(opensc.certificate) === kakuninCertificate,
        sameSignature: bytesToHex(opensc.signature) === kakuninSignature,
      };
    }
    return figures as Record<'extended' | 'short-link', PcscdLinkFigures>;
  } finally {
    await pcscd.stop();
  }
}

const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
const runs = Number(argument('--runs') ?? DEFAULT_RUNS);
if (!Number.isInteger(runs) || runs < 1) throw new RangeError('--runs must be a positive integer');
const skipPcscd = process.argv.includes('--no-pcscd');

const openscVersion = skipPcscd ? undefined : await openscRelease();
const local = await inProcess(keyStore);
const pcscd = skipPcscd ? undefined : await throughPcscd(runs);

// The relay's software cost, measured on loopback (real WebSocket + Noise + reference relay).
const relayLoopback: Record<'extended' | 'short-link', RelayLoopbackFigures> = {
  extended: await measureRelayLoopback(linkMode('extended'), { keyStore, runs: Math.min(runs, RELAY_RUNS) }),
  'short-link': await measureRelayLoopback(linkMode('short-link'), {
    keyStore,
    runs: Math.min(runs, RELAY_RUNS),
  }),
};

const links = createLinkModels({
  relaySoftwareMsPerApdu: {
    short: relayLoopback['short-link'].softwareMsPerApdu,
    extended: relayLoopback.extended.softwareMsPerApdu,
  },
});
const linkModels = links.map((link) => {
  const modeName = link.extendedLength ? 'extended' : 'short-link';
  const kakuninFlow = local[modeName];
  const openscFlow = pcscd?.[modeName].opensc;
  return {
    link: link.name,
    extendedLength: link.extendedLength,
    roundTripMs: link.roundTripMs,
    source: link.source,
    kakunin: { apdus: kakuninFlow.apdus, bytes: kakuninFlow.bytes, ms: modelFlowMs(link, kakuninFlow.log) },
    ...(openscFlow === undefined
      ? {}
      : {
          opensc: { apdus: openscFlow.apdus, bytes: openscFlow.bytes, ms: modelFlowMs(link, openscFlow.log) },
        }),
  };
});

process.stderr.write('\nPIN-mode check on the wire (counted at the simulator card)\n');
for (const mode of LINK_MODES) {
  const flow = local[mode.name];
  process.stderr.write(
    `in process ${mode.name.padEnd(20)} ${String(flow.apdus).padStart(3)} APDUs ${String(flow.bytes).padStart(6)} B  wasted probes ${flow.wastedProbes}\n`,
  );
}
if (pcscd !== undefined) {
  for (const [name, figures] of Object.entries(pcscd)) {
    process.stderr.write(
      `pcscd ${name.padEnd(11)} kakunin ${figures.kakunin.apdus} APDUs ${figures.kakunin.bytes} B, check median ${figures.kakunin.checkMs.median.toFixed(2)} ms` +
        ` | OpenSC ${figures.opensc.apdus} APDUs ${figures.opensc.bytes} B (${figures.opensc.steps.map((step) => `${step.name}: ${step.apdus}`).join(', ')})\n`,
    );
  }
} else process.stderr.write('pcscd part skipped (--no-pcscd)\n');
for (const [name, figures] of Object.entries(relayLoopback)) {
  process.stderr.write(
    `relay loopback ${name.padEnd(11)} ${figures.apdus} APDUs, check ${figures.bridgeCheckMs.median.toFixed(2)} ms via bridge vs ${figures.inProcessCheckMs.median.toFixed(2)} ms in process: ${figures.softwareMsPerApdu.toFixed(3)} ms/APDU\n`,
  );
}
for (const row of linkModels) {
  process.stderr.write(
    `${row.link.padEnd(58)} kakunin ${Math.round(row.kakunin.ms)} ms` +
      (row.opensc === undefined ? '' : ` | OpenSC ${Math.round(row.opensc.ms)} ms`) +
      '\n',
  );
}

const strip = <T extends FlowFigures>(flow: T): Omit<T, 'log'> => {
  const { log: _log, ...rest } = flow;
  return rest;
};
process.stdout.write(
  `${JSON.stringify({
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, platform: process.platform },
    node: process.version,
    ...(openscVersion === undefined ? {} : { opensc: { version: openscVersion } }),
    inProcess: Object.fromEntries(Object.entries(local).map(([name, flow]) => [name, withoutLog(flow)])),
    pcscd:
      pcscd === undefined
        ? { skipped: true }
        : Object.fromEntries(
            Object.entries(pcscd).map(([name, figures]) => [
              name,
              {
                kakunin: strip(figures.kakunin),
                opensc: strip(figures.opensc),
                sameCertificate: figures.sameCertificate,
                sameSignature: figures.sameSignature,
              },
            ]),
          ),
    relayLoopback,
    linkModels,
  })}\n`,
);
