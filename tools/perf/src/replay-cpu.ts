/**
 * The SDK's own CPU time per PIN-mode check (target: under 1 ms). A check against the
 * simulator card is recorded once with the simulator's RecordingTransport; then `runs` checks
 * replay it through ReplayTransport (no card, no I/O wait), and process.cpuUsage() over the loop is
 * divided by the number of checks. The replay transport's own share is measured separately by
 * replaying the same transcript with bare transmits, so the SDK's net figure is shown too.
 *
 * @example
 * ```ts
 * const transcript = await recordCheck(linkMode('extended'), { keyStore });
 * const cpu = await measureReplayCpu(transcript, { runs: 2000 });
 * console.log(cpu.cpuMsPerCheck, cpu.sdkCpuMsPerCheck);
 * ```
 */
import { MyNumberCard } from '@kakunin/core/jpki';
import { hexToBytes, type TransportCapabilities } from '@kakunin/core/transport';
import { SimulatorProvider, type TestKeyStore } from '@kakunin/simulator';
import { RecordingTransport, ReplayTransport, type Transcript } from '@kakunin/simulator/transcripts';
import type { LinkMode } from './link-modes.js';
import { createCountedCard, fixedChallenge, SIMULATOR_AUTH_PIN } from './simulated-check.js';

export interface RecordedCheck {
  readonly transcript: Transcript;
  readonly capabilities: TransportCapabilities;
  readonly apduCount: number;
}

/**
 * Records one check (and the close that unpowers the card) against the simulator card.
 *
 * @example
 * ```ts
 * const recorded = await recordCheck(linkMode('short-link'), { keyStore });
 * ```
 */
export async function recordCheck(
  mode: LinkMode,
  options: { readonly keyStore: TestKeyStore },
): Promise<RecordedCheck> {
  const counter = createCountedCard(mode, options);
  const provider = new SimulatorProvider({ card: counter, extendedLength: mode.linkExtended });
  const recorder = new RecordingTransport(await provider.connect(provider.readerId), {
    description: `PIN-mode check, ${mode.description}`,
  });
  const capabilities = recorder.capabilities;
  const card = MyNumberCard.open(recorder);
  try {
    const result = await card.check({ pin: SIMULATOR_AUTH_PIN, challenge: fixedChallenge() });
    await card.close();
    return { transcript: recorder.transcript(), capabilities, apduCount: result.apduCount };
  } finally {
    await card.close();
    await provider.close();
  }
}

export interface ReplayCpuFigures {
  readonly runs: number;
  /** CPU (user + system) per check: SDK + replay transport. */
  readonly cpuMsPerCheck: number;
  /** Wall time per check over the same loop. */
  readonly wallMsPerCheck: number;
  /** CPU per replay of the same exchanges with bare transmits (the replay transport's share). */
  readonly replayOnlyCpuMsPerCheck: number;
  /** cpuMsPerCheck − replayOnlyCpuMsPerCheck: the SDK's own work. */
  readonly sdkCpuMsPerCheck: number;
  readonly apduCount: number;
}

/** Checks run before measuring, so the JIT has compiled the hot paths. */
const DEFAULT_WARMUP = 200;
/** Measured checks. */
const DEFAULT_RUNS = 2000;
/** process.cpuUsage() is in microseconds. */
const MICROSECONDS_PER_MS = 1000;

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / MICROSECONDS_PER_MS;
}

async function replayedCheck(recorded: RecordedCheck, challenge: Uint8Array): Promise<number> {
  const card = MyNumberCard.open(
    new ReplayTransport(recorded.transcript, { capabilities: recorded.capabilities }),
  );
  const result = await card.check({ pin: SIMULATOR_AUTH_PIN, challenge });
  await card.close();
  return result.apduCount;
}

/** The recorded commands with redacted data (PINs) replaced by zeros of the same length. */
function recordedCommands(transcript: Transcript): Uint8Array[] {
  const commands: Uint8Array[] = [];
  for (const entry of transcript.entries) {
    if (entry.type === 'reset') continue;
    const header = hexToBytes(entry.command);
    if (entry.redactedLength === undefined) commands.push(header);
    else {
      const command = new Uint8Array(header.length + entry.redactedLength);
      command.set(header, 0);
      commands.push(command);
    }
  }
  return commands;
}

async function bareReplay(recorded: RecordedCheck, commands: readonly Uint8Array[]): Promise<void> {
  const transport = new ReplayTransport(recorded.transcript, { capabilities: recorded.capabilities });
  for (const command of commands) await transport.transmit(command);
  if (transport.reset !== undefined && transport.remaining > 0) await transport.reset('cold');
  await transport.close();
}

/**
 * Replays `recorded` `runs` times through the real SDK and reports CPU per check.
 *
 * @example
 * ```ts
 * (await measureReplayCpu(recorded)).cpuMsPerCheck < 1; // the target
 * ```
 */
export async function measureReplayCpu(
  recorded: RecordedCheck,
  options: { readonly runs?: number; readonly warmup?: number } = {},
): Promise<ReplayCpuFigures> {
  const runs = options.runs ?? DEFAULT_RUNS;
  const warmup = options.warmup ?? DEFAULT_WARMUP;
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError('options.runs must be a positive integer');
  const challenge = fixedChallenge();
  for (let index = 0; index < warmup; index += 1) await replayedCheck(recorded, challenge);
  let apduCount = 0;
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  for (let index = 0; index < runs; index += 1) apduCount = await replayedCheck(recorded, challenge);
  const wallMs = performance.now() - wallStart;
  const checkCpuMs = cpuMs(cpuStart);

  const commands = recordedCommands(recorded.transcript);
  for (let index = 0; index < warmup; index += 1) await bareReplay(recorded, commands);
  const replayStart = process.cpuUsage();
  for (let index = 0; index < runs; index += 1) await bareReplay(recorded, commands);
  const replayCpuMs = cpuMs(replayStart);

  const cpuMsPerCheck = checkCpuMs / runs;
  const replayOnlyCpuMsPerCheck = replayCpuMs / runs;
  return {
    runs,
    cpuMsPerCheck,
    wallMsPerCheck: wallMs / runs,
    replayOnlyCpuMsPerCheck,
    sdkCpuMsPerCheck: Math.max(0, cpuMsPerCheck - replayOnlyCpuMsPerCheck),
    apduCount,
  };
}
