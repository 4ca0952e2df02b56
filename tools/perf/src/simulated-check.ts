/**
 * Runs kakunin's PIN-mode check against the real simulator card and counts what reached the
 * card. The card is built for a {@link LinkMode}, wrapped by a {@link CountingCardEndpoint}, and
 * put in the in-process provider (or, with {@link createCountedCard} alone, in a vpcd slot).
 *
 * @example
 * ```ts
 * const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
 * const run = await runSimulatedCheck(linkMode('extended'), { keyStore });
 * run.tally.apdus; // 5
 * ```
 */
import { type CheckResult, MyNumberCard } from '@kakunin/core/jpki';
import { hexToBytes, type Transport } from '@kakunin/core/transport';
import {
  type CardQuirks,
  createVirtualCard,
  type ProfileName,
  SimulatorProvider,
  type TestKeyStore,
  type VirtualCardEndpoint,
} from '@kakunin/simulator';
import type { ApduTally } from './apdu-tally.js';
import { CountingCardEndpoint } from './counting-card-endpoint.js';
import { refuseEveryFastPath } from './fast-path-refusals.js';
import type { LinkMode } from './link-modes.js';

/** The simulator's auth PIN for the default seed (packages/simulator README, credentials). */
export const SIMULATOR_AUTH_PIN = '1234';
/** Size of the challenge a qualification server sends (32 bytes). */
export const CHALLENGE_LENGTH = 32;

export interface CountedCardOptions {
  readonly keyStore: TestKeyStore;
  readonly profile?: ProfileName;
  /** Field behaviours of the card, all off by default. */
  readonly quirks?: CardQuirks;
  /** The card's ATR (hex), e.g. one of FIELD_ATRS. */
  readonly atrHex?: string;
  /** Exact DER length of the auth certificate (simulator profile option). */
  readonly authCertificateLength?: number;
  /** Exact DER length of the sign certificate (simulator profile option). */
  readonly signCertificateLength?: number;
}

/** The JSON-able part of {@link CountedCardOptions} (what a card-host process receives). */
export type CountedCardOptionsJson = Omit<CountedCardOptions, 'keyStore'>;

/**
 * A simulator card for `mode`, counted at the card.
 *
 * @example
 * ```ts
 * const counter = createCountedCard(linkMode('short-card'), { keyStore });
 * ```
 */
export function createCountedCard(mode: LinkMode, options: CountedCardOptions): CountingCardEndpoint {
  const { keyStore, profile, atrHex, ...rest } = options;
  const card: VirtualCardEndpoint = createVirtualCard(profile ?? 'plastic', {
    keyStore,
    extendedLength: mode.cardExtended,
    ...rest,
    ...(atrHex === undefined ? {} : { atr: hexToBytes(atrHex) }),
  });
  return new CountingCardEndpoint(mode.refusesFastPaths ? refuseEveryFastPath(card) : card);
}

/**
 * A fixed challenge (benchmarks and transcripts need the same bytes every run).
 *
 * @example
 * ```ts
 * fixedChallenge().length; // 32
 * ```
 */
export function fixedChallenge(): Uint8Array {
  return Uint8Array.from({ length: CHALLENGE_LENGTH }, (_, index) => (index * 37 + 11) & 0xff);
}

export interface SimulatedCheckRun {
  readonly result: CheckResult;
  /** What the card saw during the check. */
  readonly tally: ApduTally;
  readonly counter: CountingCardEndpoint;
}

/**
 * One check on an already open MyNumberCard, tallied at `counter` (which is reset first).
 *
 * @example
 * ```ts
 * const { result, tally } = await countCheck(card, counter);
 * ```
 */
export async function countCheck(
  card: MyNumberCard,
  counter: CountingCardEndpoint,
  options: { readonly pin?: string; readonly challenge?: Uint8Array; readonly signal?: AbortSignal } = {},
): Promise<{ result: CheckResult; tally: ApduTally }> {
  counter.reset();
  const result = await card.check({
    pin: options.pin ?? SIMULATOR_AUTH_PIN,
    challenge: options.challenge ?? fixedChallenge(),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return { result, tally: counter.tally() };
}

/**
 * Opens a fresh in-process connection for `mode` and runs one check.
 *
 * @example
 * ```ts
 * const { tally } = await runSimulatedCheck(linkMode('refuses-fast-paths'), { keyStore });
 * tally.wastedProbes; // 2
 * ```
 */
export async function runSimulatedCheck(
  mode: LinkMode,
  options: CountedCardOptions & { readonly wrap?: (transport: Transport) => Transport },
): Promise<SimulatedCheckRun> {
  const counter = createCountedCard(mode, options);
  const provider = new SimulatorProvider({ card: counter, extendedLength: mode.linkExtended });
  const connected = await provider.connect(provider.readerId);
  const transport = options.wrap === undefined ? connected : options.wrap(connected);
  const card = MyNumberCard.open(transport);
  try {
    const { result, tally } = await countCheck(card, counter);
    return { result, tally, counter };
  } finally {
    await card.close();
    await provider.close();
  }
}
