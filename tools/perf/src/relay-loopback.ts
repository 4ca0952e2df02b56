/**
 * The phone relay's own software cost, measured: the PIN-mode check through the real NFC bridge
 * (core MyNumberCard → NfcBridgeProvider → WebSocket + Noise on 127.0.0.1 → the reference
 * BridgeRelay standing in for the phone app → the simulator card) and, for comparison, the same
 * check in process. The difference divided by the APDU count is what the relay software adds per
 * APDU before any radio or LAN delay; the link model adds those.
 *
 * @example
 * ```ts
 * const figures = await measureRelayLoopback(linkMode('short-link'), { keyStore, runs: 30 });
 * figures.softwareMsPerApdu;
 * ```
 */
import { MyNumberCard } from '@kakunin/core/jpki';
import { SimulatorProvider, type TestKeyStore } from '@kakunin/simulator';
import { NfcBridgeProvider } from '@kakunin/transport-nfc-bridge';
import { BridgeRelay } from '@kakunin/transport-nfc-bridge/relay';
import type { LinkMode } from './link-modes.js';
import { type SampleSummary, summarize } from './median.js';
import { countCheck, createCountedCard } from './simulated-check.js';

/** A phone that carries extended APDUs (iOS Core NFC, transports.md §6.2). */
const EXTENDED_PHONE = { extendedLength: true, maxTransceiveLength: 65_544, maxResponseLength: 65_538 };
/** Runs before measuring. */
const WARMUP_RUNS = 3;

export interface RelayLoopbackFigures {
  readonly apdus: number;
  /** connect + check + close through the bridge on loopback. */
  readonly bridgeCheckMs: SampleSummary;
  /** The same check against the same card in process. */
  readonly inProcessCheckMs: SampleSummary;
  /** (bridge − in process) medians ÷ APDUs. */
  readonly softwareMsPerApdu: number;
}

async function timedChecks(
  runs: number,
  open: () => Promise<MyNumberCard>,
  counter: Parameters<typeof countCheck>[1],
): Promise<{ samples: number[]; apdus: number }> {
  const samples: number[] = [];
  let apdus = 0;
  for (let index = 0; index < WARMUP_RUNS + runs; index += 1) {
    const card = await open();
    const started = performance.now();
    const { tally } = await countCheck(card, counter);
    const elapsed = performance.now() - started;
    await card.close();
    apdus = tally.apdus;
    if (index >= WARMUP_RUNS) samples.push(elapsed);
  }
  return { samples, apdus };
}

/**
 * Measures the check through the bridge on loopback and in process, for the link mode's APDU
 * form (short-only: an Android phone with the default 261-byte transceive; extended: a phone
 * reporting extended length).
 *
 * @example
 * ```ts
 * await measureRelayLoopback(linkMode('extended'), { keyStore, runs: 30 });
 * ```
 */
export async function measureRelayLoopback(
  mode: LinkMode,
  options: { readonly keyStore: TestKeyStore; readonly runs: number },
): Promise<RelayLoopbackFigures> {
  const counter = createCountedCard(mode, options);
  const simulator = new SimulatorProvider({ card: counter, extendedLength: mode.linkExtended });
  let bridge: NfcBridgeProvider | undefined;
  let relay: BridgeRelay | undefined;
  try {
    // In process first, while nothing else holds the simulated reader.
    const local = await timedChecks(
      options.runs,
      async () => MyNumberCard.open(await simulator.connect(simulator.readerId)),
      counter,
    );
    bridge = await NfcBridgeProvider.listen({ host: '127.0.0.1' });
    const offer = bridge.createPairing();
    relay = await BridgeRelay.connect(offer.url, {
      provider: simulator,
      device: 'kakunin perf loopback',
      capabilities: mode.linkExtended ? EXTENDED_PHONE : {},
    });
    const reader = await offer.paired;
    const provider = bridge;
    const viaBridge = await timedChecks(
      options.runs,
      async () =>
        MyNumberCard.open(await provider.connect(reader.id, { waitForCard: true, timeoutMs: 10_000 })),
      counter,
    );
    if (viaBridge.apdus !== local.apdus)
      throw new Error(`bridge check took ${viaBridge.apdus} APDUs, in process ${local.apdus}`);
    const bridgeCheckMs = summarize(viaBridge.samples);
    const inProcessCheckMs = summarize(local.samples);
    return {
      apdus: local.apdus,
      bridgeCheckMs,
      inProcessCheckMs,
      softwareMsPerApdu: Math.max(0, bridgeCheckMs.median - inProcessCheckMs.median) / local.apdus,
    };
  } finally {
    await relay?.close();
    await bridge?.close();
    await simulator.close();
  }
}
