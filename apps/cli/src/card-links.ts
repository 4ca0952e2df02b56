/**
 * Any card through any link (issue 14, Deliver 6): `--transport ble-sim` puts the card named by
 * `--card` on a simulated ACS ACR1255U-J1 (real noble code, the reader's framing, AES session,
 * 20-byte notifications); `--transport bridge-sim` lets the reference phone relay front it over a
 * real WebSocket + Noise link to the bridge's PC side. `--card sim[:PROFILE]` is the simulator's
 * virtual card, `--card pcsc:"READER NAME"` a card reached over PC/SC (a real card, or an
 * independent emulator behind vpcd) — so one card can be driven through every link's framing.
 */
import { CardError, type TransportProvider } from '@kakunin/core/transport';
import { importOptional, type OptionValue, UsageError } from './context.js';
import { simulatorCard } from './simulator-card.js';

/** What `--card` names. */
export type CardSource =
  | { readonly kind: 'sim'; readonly profile?: string }
  | { readonly kind: 'pcsc'; readonly reader: string };

const CARD_USAGE = '--card must be sim[:PROFILE] or pcsc:"READER NAME"';
/** How long the bridge-sim waits for the relayed card to reach the PC side. */
const CARD_ARRIVAL_MS = 10_000;

/** Parses `--card` (default `sim`). */
export function parseCardSource(value: OptionValue | undefined): CardSource {
  if (value === undefined) return { kind: 'sim' };
  if (typeof value !== 'string') throw new UsageError(CARD_USAGE);
  if (value === 'sim') return { kind: 'sim' };
  if (value.startsWith('sim:') && value.length > 4) return { kind: 'sim', profile: value.slice(4) };
  if (value.startsWith('pcsc:') && value.slice(5).trim() !== '')
    return { kind: 'pcsc', reader: value.slice(5) };
  throw new UsageError(`${CARD_USAGE} (got "${value}")`);
}

/** The card's own side: a provider and the reader holding the card. */
interface CardSide {
  readonly provider: TransportProvider;
  readonly readerId: string;
  readonly cardPresent: boolean;
  close(): Promise<void>;
}

async function simulatorSide(
  values: Readonly<Record<string, OptionValue>>,
  source: { readonly profile?: string },
): Promise<{ readonly create: () => import('@kakunin/simulator').VirtualMyNumberCard }> {
  if (source.profile !== undefined && values.profile !== undefined && values.profile !== source.profile)
    throw new UsageError(`--card sim:${source.profile} and --profile ${String(values.profile)} disagree`);
  return simulatorCard(source.profile === undefined ? values : { ...values, profile: source.profile });
}

/**
 * Opens the PC/SC reader named by `--card pcsc:…`; an unknown name is a usage error listing the
 * readers. An empty reader is CARD_ABSENT naming that reader (the card goes there, not on the
 * simulated link's reader or phone) unless `--wait` lets the link wait for it.
 */
async function pcscSide(reader: string, wait: boolean): Promise<CardSide> {
  const pcsc = await import('@kakunin/transport-pcsc');
  const provider = pcsc.createPcscProvider();
  try {
    const readers = await provider.listReaders();
    const match =
      readers.find((candidate) => candidate.id === reader || candidate.label === reader) ??
      readers.find((candidate) => candidate.label.includes(reader));
    if (match === undefined) {
      const known = readers.map((candidate) => `"${candidate.label}"`).join(', ');
      throw new UsageError(
        `--card pcsc:"${reader}": no such PC/SC reader (${known === '' ? 'no readers connected' : `readers: ${known}`})`,
      );
    }
    if (!match.cardPresent && !wait)
      throw new CardError('CARD_ABSENT', `no card in the PC/SC reader "${match.label}" behind --card`, {
        remedy: 'card.absent',
      });
    return {
      provider,
      readerId: match.id,
      cardPresent: match.cardPresent,
      close: () => provider.close(),
    };
  } catch (error) {
    await provider.close();
    throw error;
  }
}

/** Wraps `inner` so that closing it also closes what stands behind it, in order. */
function closingAlso(inner: TransportProvider, ...behind: Array<() => Promise<void>>): TransportProvider {
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        await inner.close();
      } finally {
        for (const step of behind) await step().catch(() => undefined);
      }
    })();
    return closing;
  };
  return {
    kind: inner.kind,
    isSupported: (options) => inner.isSupported(options),
    listReaders: (options) => inner.listReaders(options),
    watch: (options) => inner.watch(options),
    connect: (readerId, options) => inner.connect(readerId, options),
    close,
    [Symbol.asyncDispose]: close,
  };
}

export interface BleSimOptions {
  readonly masterKey?: Uint8Array;
  readonly onWarning: (warning: { readonly message: string }) => void;
  /** Serial of the simulated reader (`ACR1255U-J1-<serial>`). */
  readonly serial: string;
}

/** `--transport ble-sim`: a simulated ACR1255U-J1 holding the `--card`. */
export async function createBleSimProvider(
  values: Readonly<Record<string, OptionValue>>,
  options: BleSimOptions,
): Promise<TransportProvider> {
  const source = parseCardSource(values.card);
  const testing = await importOptional(
    '@kakunin/transport-ble',
    '--transport ble-sim',
    () => import('@kakunin/transport-ble/testing'),
  );
  const keyOption = options.masterKey === undefined ? {} : { masterKey: options.masterKey };
  const world = (card: import('@kakunin/transport-ble/testing').CardEndpointLike) =>
    testing.createSimulatedBleEnvironment({
      readers: [{ serial: options.serial, card, ...keyOption }],
      provider: { ...keyOption, onWarning: options.onWarning, scanTimeoutMs: 300 },
    });
  if (source.kind === 'sim') return world((await simulatorSide(values, source)).create());
  const side = await pcscSide(source.reader, values.wait === true);
  const card = new testing.TransportCardEndpoint({ provider: side.provider, readerId: side.readerId });
  const environment = world(card);
  // No card in the PC/SC reader yet: the simulated reader is empty until the card arrives.
  if (!side.cardPresent) environment.readers[0]?.removeCard();
  return closingAlso(environment, () => card.close(), side.close);
}

/** `--transport bridge-sim`: the reference phone relay fronts the `--card` for the bridge's PC side. */
export async function createBridgeSimProvider(
  values: Readonly<Record<string, OptionValue>>,
  signal?: AbortSignal,
): Promise<TransportProvider> {
  const source = parseCardSource(values.card);
  const load = <T>(what: () => Promise<T>) =>
    importOptional('@kakunin/transport-nfc-bridge', '--transport bridge-sim', what);
  const [bridge, relayModule] = await Promise.all([
    load(() => import('@kakunin/transport-nfc-bridge')),
    load(() => import('@kakunin/transport-nfc-bridge/relay')),
  ]);
  let side: CardSide;
  if (source.kind === 'pcsc') side = await pcscSide(source.reader, values.wait === true);
  else {
    const [simulator, choice] = await Promise.all([
      import('@kakunin/simulator'),
      simulatorSide(values, source),
    ]);
    const provider = new simulator.SimulatorProvider({ card: choice.create() });
    const [reader] = await provider.listReaders();
    side = {
      provider,
      readerId: reader?.id ?? '',
      cardPresent: reader?.cardPresent === true,
      close: () => provider.close(),
    };
  }
  // Closed newest first when setting up fails; on success the returned provider closes them all.
  const opened: Array<() => Promise<void>> = [side.close];
  try {
    // The PC side listens on loopback only, on a free port; the relay pairs over a real WebSocket.
    const pc = await bridge.NfcBridgeProvider.listen({ host: '127.0.0.1', port: 0 });
    opened.unshift(() => pc.close());
    const offer = pc.createPairing();
    const relay = await relayModule.BridgeRelay.connect(offer.url, {
      provider: side.provider,
      readerId: side.readerId,
      device: `kakunin bridge-sim (${source.kind})`,
      ...(signal === undefined ? {} : { signal }),
    });
    opened.unshift(() => relay.close());
    const reader = await offer.paired;
    if (side.cardPresent) await cardArrival(pc, reader.id, signal);
    return closingAlso(pc, () => relay.close(), side.close);
  } catch (error) {
    for (const step of opened) await step().catch(() => undefined);
    throw error;
  }
}

/** Resolves once the relayed card shows on the PC side (bounded: the caller then reports CARD_ABSENT). */
async function cardArrival(
  provider: TransportProvider,
  readerId: string,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + CARD_ARRIVAL_MS;
  while (Date.now() < deadline && signal?.aborted !== true) {
    const readers = await provider.listReaders();
    if (readers.some((reader) => reader.id === readerId && reader.cardPresent)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
