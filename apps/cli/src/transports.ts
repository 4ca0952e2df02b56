/**
 * Creates the TransportProvider named by `--transport` (default `pcsc`). Each transport package is
 * loaded on demand so the CLI starts fast and a missing native binding only matters when used.
 */
import { CardError, hexToBytes, type TransportProvider } from '@kakunin/core/transport';
import { createBleSimProvider, createBridgeSimProvider } from './card-links.js';
import { importOptional, type OptionValue, UsageError } from './context.js';
import { simulatorCard } from './simulator-card.js';

export type TransportKind = 'pcsc' | 'sim' | 'ble' | 'bridge' | 'ble-sim' | 'bridge-sim' | 'any';
export const TRANSPORT_KINDS: readonly TransportKind[] = [
  'pcsc',
  'sim',
  'ble',
  'bridge',
  'ble-sim',
  'bridge-sim',
  'any',
];
/** The transports that front a `--card` (card-links.ts). */
const CARD_LINKS: readonly string[] = ['ble-sim', 'bridge-sim'];

/** KAKUNIN_BLE_MASTER_KEY=<32 hex digits> sets the reader master key (default: the public key). */
function bleMasterKey(): { masterKey?: Uint8Array } {
  const keyHex = process.env.KAKUNIN_BLE_MASTER_KEY ?? '';
  if (keyHex !== '' && !/^[0-9a-fA-F]{32}$/.test(keyHex))
    throw new UsageError('KAKUNIN_BLE_MASTER_KEY must be 32 hex digits (16 bytes)');
  return keyHex === '' ? {} : { masterKey: hexToBytes(keyHex) };
}

function onBleWarning(warning: { readonly message: string }): void {
  process.stderr.write(`警告 / warning: ${warning.message}\n`);
}

export async function createProvider(
  values: Readonly<Record<string, OptionValue>>,
): Promise<TransportProvider> {
  const kind = (values.transport ?? 'pcsc') as string;
  if (values.card !== undefined && !CARD_LINKS.includes(kind))
    throw new UsageError(`--card fronts a card through --transport ${CARD_LINKS.join('|')}, not ${kind}`);
  switch (kind) {
    case 'pcsc': {
      // Wired readers through pcsc-lite / WinSCard (@kakunin/transport-pcsc); `kakunin sim`
      // puts the virtual card into pcscd's vpcd reader.
      const pcsc = await import('@kakunin/transport-pcsc');
      return pcsc.createPcscProvider();
    }
    case 'sim': {
      // In-process virtual My Number card (@kakunin/simulator); --profile picks the card.
      const [simulator, choice] = await Promise.all([import('@kakunin/simulator'), simulatorCard(values)]);
      return new simulator.SimulatorProvider({ card: choice.create() });
    }
    case 'ble': {
      // Bluetooth LE readers (@kakunin/transport-ble, ACS ACR1255U-J1). KAKUNIN_BLE_SIMULATOR=1 or
      // --reader sim:ACR1255U-J1-<serial> uses a simulated reader holding the simulator's card;
      // KAKUNIN_BLE_MASTER_KEY=<32 hex digits> sets the reader master key (default: the public key).
      const ble = await importOptional(
        '@kakunin/transport-ble',
        '--transport ble',
        () => import('@kakunin/transport-ble'),
      );
      const keyOption = bleMasterKey();
      const onWarning = onBleWarning;
      const reader = typeof values.reader === 'string' ? values.reader : '';
      const simulated =
        reader.startsWith('sim:') || ['1', 'true', 'yes'].includes(process.env.KAKUNIN_BLE_SIMULATOR ?? '');
      if (!simulated) return new ble.BleTransportProvider({ ...keyOption, onWarning });
      const [testing, choice] = await Promise.all([
        importOptional(
          '@kakunin/transport-ble',
          '--transport ble',
          () => import('@kakunin/transport-ble/testing'),
        ),
        simulatorCard(values),
      ]);
      const card = choice.create();
      const serial = /^sim:ACR1255U-J1-(.+)$/.exec(reader)?.[1] ?? 'SIM001';
      return testing.createSimulatedBleEnvironment({
        readers: [{ serial, card, ...keyOption }],
        provider: { ...keyOption, onWarning, scanTimeoutMs: 300 },
      });
    }
    case 'bridge': {
      // The phone paired by a running `kakunin bridge pair` (@kakunin/transport-nfc-bridge),
      // reached through its per-user control socket (KAKUNIN_BRIDGE_DIR overrides the directory).
      const bridge = await importOptional(
        '@kakunin/transport-nfc-bridge',
        '--transport bridge',
        () => import('@kakunin/transport-nfc-bridge'),
      );
      return bridge.BridgeControlProvider.connect(bridge.defaultControlEndpoint(process.env));
    }
    case 'ble-sim': {
      // A simulated ACR1255U-J1 (real noble code and reader framing) holding --card: the
      // simulator's card or a card behind PC/SC (card-links.ts).
      const reader = typeof values.reader === 'string' ? values.reader : '';
      const serial = /ACR1255U-J1-(.+)$/.exec(reader)?.[1] ?? 'SIM001';
      return createBleSimProvider(values, { ...bleMasterKey(), onWarning: onBleWarning, serial });
    }
    case 'bridge-sim':
      // The reference phone relay fronting --card, paired over a loopback WebSocket + Noise.
      return createBridgeSimProvider(values);
    case 'any': {
      // Every real transport at once (any-transport.ts): pcsc + ble + bridge, failures as warnings.
      const { createAnyProvider } = await import('./any-transport.js');
      return createAnyProvider(values, createProvider, (message) =>
        process.stderr.write(`警告 / warning: ${message}\n`),
      );
    }
    default:
      if (!(TRANSPORT_KINDS as readonly string[]).includes(kind))
        throw new UsageError(`unknown --transport ${kind}; use ${TRANSPORT_KINDS.join('|')}`);
      throw new CardError('NOT_SUPPORTED', `transport ${kind} is not available in this build`);
  }
}

/** Opens the provider, runs `body`, always closes it. */
export async function withProvider<T>(
  values: Readonly<Record<string, OptionValue>>,
  signal: AbortSignal,
  body: (provider: TransportProvider) => Promise<T>,
): Promise<T> {
  const provider = await createProvider(values);
  try {
    signal.throwIfAborted();
    return await body(provider);
  } finally {
    await provider.close();
  }
}
