/**
 * The slice of noble's API kakunin uses, typed structurally so that @abandonware/noble (the
 * default) and @stoprocent/noble both fit (transports.md §5.1, §9 Q7), plus lazy loaders: nothing
 * here loads noble — let alone its native HCI/CoreBluetooth/WinRT bindings — at import time.
 *
 * - `createNobleWithBindings(bindings)`: real noble code (`@abandonware/noble/with-bindings`,
 *   transports.md §5.2) over any bindings object, e.g. the simulated adapter in `./testing`.
 * - `loadSystemNoble()`: the platform bindings, for real hardware.
 *
 * @example
 * ```ts
 * const noble = createNobleWithBindings(new SimulatedBleAdapter({ peripherals: [reader] }));
 * ```
 */
import { createRequire } from 'node:module';
import { bleErrors } from './errors.js';

export type AdapterState =
  | 'unknown'
  | 'resetting'
  | 'unsupported'
  | 'unauthorized'
  | 'poweredOff'
  | 'poweredOn';

export interface NobleAdvertisementLike {
  readonly localName?: string | undefined;
  readonly serviceUuids?: readonly string[] | undefined;
  readonly manufacturerData?: Uint8Array | null | undefined;
}

export interface NobleCharacteristicLike {
  readonly uuid: string;
  readonly properties: readonly string[];
  writeAsync(data: Uint8Array, withoutResponse: boolean): Promise<void>;
  subscribeAsync(): Promise<void>;
  on(event: 'data', listener: (data: Uint8Array, isNotification?: boolean) => void): unknown;
  removeListener(event: 'data', listener: (data: Uint8Array, isNotification?: boolean) => void): unknown;
}

export interface NobleServiceLike {
  readonly uuid: string;
  discoverCharacteristicsAsync(uuids: string[]): Promise<NobleCharacteristicLike[]>;
}

export interface NoblePeripheralLike {
  readonly id: string;
  readonly address: string;
  readonly advertisement: NobleAdvertisementLike;
  readonly rssi: number;
  readonly mtu: number | null;
  readonly state: string;
  connectAsync(): Promise<void>;
  disconnectAsync(): Promise<void>;
  cancelConnect?(): void;
  discoverServicesAsync(uuids: string[]): Promise<NobleServiceLike[]>;
  once(event: 'disconnect', listener: (reason?: unknown) => void): unknown;
  removeListener(event: 'disconnect', listener: (reason?: unknown) => void): unknown;
}

export interface NobleLike {
  readonly state: string;
  on(event: 'stateChange', listener: (state: string) => void): unknown;
  on(event: 'discover', listener: (peripheral: NoblePeripheralLike) => void): unknown;
  removeListener(event: 'stateChange', listener: (state: string) => void): unknown;
  removeListener(event: 'discover', listener: (peripheral: NoblePeripheralLike) => void): unknown;
  startScanningAsync(serviceUuids?: string[], allowDuplicates?: boolean): Promise<void>;
  stopScanningAsync(): Promise<void>;
}

/**
 * noble's bindings contract (abandonware lib/noble.js): an EventEmitter with `init()` and the GATT
 * methods noble calls. Typed loosely on purpose: noble itself checks nothing.
 */
export interface NobleBindingsLike {
  init(): void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  startScanning(serviceUuids?: string[], allowDuplicates?: boolean): void;
  stopScanning(): void;
  connect(peripheralUuid: string, parameters?: unknown): void;
  disconnect(peripheralUuid: string): void;
}

/**
 * Real noble over the given bindings (abandonware `with-bindings`, transports.md §5.2).
 *
 * @example
 * ```ts
 * const noble = createNobleWithBindings(adapter);
 * ```
 */
export function createNobleWithBindings(bindings: NobleBindingsLike): NobleLike {
  if (typeof bindings !== 'object' || bindings === null || typeof bindings.init !== 'function')
    throw new TypeError('createNobleWithBindings: bindings must be a noble bindings object with init()');
  const require = createRequire(import.meta.url);
  const withBindings = require('@abandonware/noble/with-bindings') as (bindings: unknown) => NobleLike;
  return withBindings(bindings);
}

/**
 * noble with the platform's own bindings (Linux HCI socket, macOS CoreBluetooth, Windows WinRT).
 * Loads native code, so it is only called when real hardware is wanted.
 *
 * @example
 * ```ts
 * const noble = loadSystemNoble(); // SERVICE_UNAVAILABLE if the native binding is missing
 * ```
 */
export function loadSystemNoble(): NobleLike {
  const require = createRequire(import.meta.url);
  try {
    return require('@abandonware/noble') as NobleLike;
  } catch (error) {
    throw bleErrors.serviceUnavailable(
      'noble could not load its Bluetooth binding; on Linux allow the @abandonware/bluetooth-hci-socket build ' +
        '(pnpm onlyBuiltDependencies) and grant cap_net_raw to node (transports.md §5.4)',
      error,
    );
  }
}
