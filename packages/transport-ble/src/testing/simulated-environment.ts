/**
 * One call that builds a simulated Bluetooth world: an adapter (noble bindings), one or more
 * simulated ACR1255U-J1 readers, and a `BleTransportProvider` running real noble code on top.
 * Used by the tests, the benchmarks and `kakunin --transport ble` with `KAKUNIN_BLE_SIMULATOR=1`.
 *
 * @example
 * ```ts
 * await using world = createSimulatedBleEnvironment({ readers: [{ serial: '000001', card }] });
 * const transport = await world.provider.connect(world.readers[0]!.advertisement.localName);
 * ```
 */
import type { TransportProvider } from '@kakunin/core/transport';
import { BleTransportProvider, type BleTransportProviderOptions } from '../ble-provider.js';
import { SimulatedAcr1255Reader, type SimulatedAcr1255ReaderOptions } from './simulated-acr1255-reader.js';
import { SimulatedBleAdapter, type SimulatedBleAdapterOptions } from './simulated-adapter.js';

export interface SimulatedBleEnvironmentOptions {
  /** Readers in range (default: one reader, no card). */
  readonly readers?: readonly SimulatedAcr1255ReaderOptions[];
  readonly adapter?: Omit<SimulatedBleAdapterOptions, 'peripherals'>;
  /** Provider options (bindings are filled in; scanTimeoutMs defaults to 150 ms). */
  readonly provider?: Omit<BleTransportProviderOptions, 'bindings' | 'noble'>;
}

/** The simulated world; it is itself a TransportProvider whose close() also stops the simulation. */
export interface SimulatedBleEnvironment extends TransportProvider {
  readonly adapter: SimulatedBleAdapter;
  readonly readers: readonly SimulatedAcr1255Reader[];
  readonly provider: BleTransportProvider;
}

/**
 * Builds the simulated world.
 *
 * @example
 * ```ts
 * const world = createSimulatedBleEnvironment();
 * await world.close();
 * ```
 */
export function createSimulatedBleEnvironment(
  options: SimulatedBleEnvironmentOptions = {},
): SimulatedBleEnvironment {
  const readers = (options.readers ?? [{}]).map((reader) => new SimulatedAcr1255Reader(reader));
  const adapter = new SimulatedBleAdapter({ ...options.adapter, peripherals: readers });
  const provider = new BleTransportProvider({ scanTimeoutMs: 150, ...options.provider, bindings: adapter });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        await provider.close();
      } finally {
        for (const reader of readers) reader.close();
        adapter.close();
      }
    })();
    return closing;
  };
  return {
    kind: provider.kind,
    adapter,
    readers,
    provider,
    isSupported: (signalOptions) => provider.isSupported(signalOptions),
    // Labels carry `sim:` so that `--reader sim:ACR1255U-J1-…` finds the simulated reader.
    listReaders: async (signalOptions) =>
      (await provider.listReaders(signalOptions)).map((reader) => ({
        ...reader,
        label: `sim:${reader.label}`,
      })),
    watch: (signalOptions) => provider.watch(signalOptions),
    // `sim:` marks a simulated reader on the CLI (`--reader sim:ACR1255U-J1-SIM001`).
    connect: (readerId, connectOptions) =>
      provider.connect(readerId.startsWith('sim:') ? readerId.slice(4) : readerId, connectOptions),
    close,
    [Symbol.asyncDispose]: close,
  };
}
