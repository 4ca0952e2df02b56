/**
 * A simulated Bluetooth LE adapter that implements noble's bindings contract (abandonware
 * lib/noble.js: the events noble subscribes to and the methods it calls, transports.md §5.2). Real
 * noble code runs on top of it — Peripheral, Service, Characteristic, the promisified *Async
 * methods — while the "radio" is in-process: peripherals advertise while the adapter scans,
 * accept connections, expose GATT services, take writes and send notifications.
 *
 * @example
 * ```ts
 * const reader = new SimulatedAcr1255Reader({ card });
 * const adapter = new SimulatedBleAdapter({ peripherals: [reader] });
 * const provider = new BleTransportProvider({ bindings: adapter });
 * ```
 */
import { EventEmitter } from 'node:events';
import type { AdapterState, NobleBindingsLike } from '../noble-central.js';

/** One GATT service of a simulated peripheral (UUIDs as noble spells them). */
export interface SimulatedGattService {
  readonly uuid: string;
  readonly characteristics: ReadonlyArray<{ readonly uuid: string; readonly properties: readonly string[] }>;
}

/** What a connected peripheral can do to its central. */
export interface PeripheralPort {
  /** Sends a notification (dropped unless the central subscribed). */
  notify(serviceUuid: string, characteristicUuid: string, data: Uint8Array): void;
  /** Drops the link from the peripheral side (sleep, out of range, power off). */
  disconnect(reason?: number): void;
}

/**
 * A simulated peripheral. The ACR1255U-J1 simulator implements it; so can a vendor's test device.
 *
 * @example
 * ```ts
 * class MyDevice implements SimulatedPeripheral { … }
 * ```
 */
export interface SimulatedPeripheral {
  readonly id: string;
  readonly address: string;
  readonly rssi: number;
  readonly advertisement: { readonly localName?: string; readonly serviceUuids: readonly string[] };
  /** Advertising and connectable (false when asleep, switched off or in USB mode). */
  readonly advertising: boolean;
  /** Negotiated ATT MTU reported to noble after connecting (23 = default). */
  readonly mtu: number;
  readonly services: readonly SimulatedGattService[];
  /** The central connected. */
  onConnect(port: PeripheralPort): void;
  /** The link dropped (either side). */
  onDisconnect(): void;
  /** The central wrote to a characteristic. */
  onWrite(serviceUuid: string, characteristicUuid: string, data: Uint8Array): void;
  /** The central (un)subscribed to a characteristic's notifications. */
  onSubscribe(serviceUuid: string, characteristicUuid: string, enabled: boolean): void;
  /** The central read a characteristic. */
  onRead?(serviceUuid: string, characteristicUuid: string): Uint8Array;
}

export interface SimulatedBleAdapterOptions {
  /** Adapter state noble sees (default 'poweredOn'). */
  readonly state?: AdapterState;
  readonly peripherals?: readonly SimulatedPeripheral[];
  /** How often a scanning adapter "hears" each advertising peripheral, ms (default 20). */
  readonly advertisingIntervalMs?: number;
  /** One-way latency of every GATT operation and notification, ms (default 0 = next tick). */
  readonly gattLatencyMs?: number;
}

/** HCI disconnect reasons (Bluetooth Core Vol 1 Part F §2): remote/connection timeout, local host. */
const REASON_CONNECTION_TIMEOUT = 0x08;
const REASON_LOCAL_HOST = 0x16;

/**
 * noble bindings backed by simulated peripherals.
 *
 * @example
 * ```ts
 * const adapter = new SimulatedBleAdapter({ peripherals: [reader], state: 'poweredOn' });
 * adapter.setState('poweredOff'); // Bluetooth switched off: links drop
 * ```
 */
export class SimulatedBleAdapter extends EventEmitter implements NobleBindingsLike {
  #state: AdapterState;
  readonly #peripherals = new Map<string, SimulatedPeripheral>();
  readonly #connected = new Map<string, { subscriptions: Set<string> }>();
  readonly #advertisingIntervalMs: number;
  #gattLatencyMs: number;
  #scanTimer: ReturnType<typeof setInterval> | undefined;
  #initialized = false;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  /** Every binding call noble made, for tests (method names only; no payloads). */
  readonly calls: string[] = [];

  constructor(options: SimulatedBleAdapterOptions = {}) {
    super();
    this.#state = options.state ?? 'poweredOn';
    this.#advertisingIntervalMs = options.advertisingIntervalMs ?? 20;
    this.#gattLatencyMs = options.gattLatencyMs ?? 0;
    for (const peripheral of options.peripherals ?? []) this.addPeripheral(peripheral);
  }

  /** Adapter state as noble sees it. */
  get state(): AdapterState {
    return this.#state;
  }

  /** Switches the adapter (Bluetooth off, permission revoked …); drops every link unless poweredOn. */
  setState(state: AdapterState): void {
    this.#state = state;
    if (state !== 'poweredOn') {
      this.#stopScanTimer();
      for (const id of [...this.#connected.keys()]) this.#drop(id, REASON_CONNECTION_TIMEOUT);
    }
    if (this.#initialized) this.#later(() => this.emit('stateChange', state));
  }

  /** Changes the one-way latency of GATT operations (benchmarks). */
  setGattLatency(ms: number): void {
    this.#gattLatencyMs = ms;
  }

  addPeripheral(peripheral: SimulatedPeripheral): void {
    this.#peripherals.set(peripheral.id, peripheral);
  }

  /** Takes a peripheral out of range: it stops advertising here and its link drops. */
  removePeripheral(peripheral: SimulatedPeripheral): void {
    if (this.#connected.has(peripheral.id)) this.#drop(peripheral.id, REASON_CONNECTION_TIMEOUT);
    this.#peripherals.delete(peripheral.id);
  }

  /** Stops every timer. Call when the test is done. */
  close(): void {
    this.#stopScanTimer();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  // ---- noble bindings contract -------------------------------------------------------------

  init(): void {
    this.calls.push('init');
    this.#initialized = true;
    this.#later(() => {
      this.emit('addressChange', '00:00:5e:00:53:00');
      this.emit('stateChange', this.#state);
    });
  }

  startScanning(_serviceUuids?: string[], _allowDuplicates?: boolean): void {
    this.calls.push('startScanning');
    if (this.#state !== 'poweredOn') return;
    this.#stopScanTimer();
    this.#later(() => {
      this.emit('scanStart', false);
      this.#advertise();
    });
    this.#scanTimer = setInterval(() => this.#advertise(), this.#advertisingIntervalMs);
  }

  stopScanning(): void {
    this.calls.push('stopScanning');
    this.#stopScanTimer();
    this.#later(() => this.emit('scanStop'));
  }

  setScanParameters(): void {
    this.#later(() => this.emit('scanParametersSet'));
  }

  connect(peripheralUuid: string): void {
    this.calls.push('connect');
    const peripheral = this.#peripherals.get(peripheralUuid);
    // Like a controller: a connection to a peripheral that does not advertise stays pending.
    if (peripheral === undefined || !peripheral.advertising || this.#state !== 'poweredOn') return;
    this.#later(() => {
      if (!peripheral.advertising || this.#connected.has(peripheralUuid)) return;
      this.#connected.set(peripheralUuid, { subscriptions: new Set() });
      this.emit('connect', peripheralUuid, null);
      this.emit('onMtu', peripheralUuid, peripheral.mtu);
      peripheral.onConnect({
        notify: (serviceUuid, characteristicUuid, data) =>
          this.#notify(peripheralUuid, serviceUuid, characteristicUuid, data),
        disconnect: (reason) => this.#drop(peripheralUuid, reason ?? REASON_CONNECTION_TIMEOUT),
      });
    });
  }

  cancelConnect(): void {
    this.calls.push('cancelConnect');
  }

  disconnect(peripheralUuid: string): void {
    this.calls.push('disconnect');
    if (!this.#connected.has(peripheralUuid)) {
      this.#later(() => this.emit('disconnect', peripheralUuid, REASON_LOCAL_HOST));
      return;
    }
    this.#drop(peripheralUuid, REASON_LOCAL_HOST);
  }

  discoverServices(peripheralUuid: string, uuids: string[] = []): void {
    this.calls.push('discoverServices');
    const peripheral = this.#linked(peripheralUuid);
    if (peripheral === undefined) return;
    const found = peripheral.services
      .map((service) => service.uuid)
      .filter((uuid) => uuids.length === 0 || uuids.includes(uuid));
    this.#later(() => this.emit('servicesDiscover', peripheralUuid, found));
  }

  discoverIncludedServices(peripheralUuid: string, serviceUuid: string): void {
    this.#later(() => this.emit('includedServicesDiscover', peripheralUuid, serviceUuid, []));
  }

  discoverCharacteristics(peripheralUuid: string, serviceUuid: string, uuids: string[] = []): void {
    this.calls.push('discoverCharacteristics');
    const service = this.#linked(peripheralUuid)?.services.find(
      (candidate) => candidate.uuid === serviceUuid,
    );
    if (service === undefined) return;
    const found = service.characteristics
      .filter((characteristic) => uuids.length === 0 || uuids.includes(characteristic.uuid))
      .map((characteristic) => ({ uuid: characteristic.uuid, properties: [...characteristic.properties] }));
    this.#later(() => this.emit('characteristicsDiscover', peripheralUuid, serviceUuid, found));
  }

  read(peripheralUuid: string, serviceUuid: string, characteristicUuid: string): void {
    const peripheral = this.#linked(peripheralUuid);
    const data = peripheral?.onRead?.(serviceUuid, characteristicUuid);
    if (data === undefined) return;
    this.#later(() =>
      this.emit('read', peripheralUuid, serviceUuid, characteristicUuid, Buffer.from(data), false),
    );
  }

  write(
    peripheralUuid: string,
    serviceUuid: string,
    characteristicUuid: string,
    data: Uint8Array,
    withoutResponse: boolean,
  ): void {
    this.calls.push('write');
    const peripheral = this.#linked(peripheralUuid);
    if (peripheral === undefined) return; // never acknowledged: the link is gone
    const copy = new Uint8Array(data);
    this.#later(() => {
      if (!this.#connected.has(peripheralUuid)) return;
      peripheral.onWrite(serviceUuid, characteristicUuid, copy);
      if (!withoutResponse) this.emit('write', peripheralUuid, serviceUuid, characteristicUuid);
    });
  }

  notify(peripheralUuid: string, serviceUuid: string, characteristicUuid: string, enable: boolean): void {
    this.calls.push('notify');
    const link = this.#connected.get(peripheralUuid);
    const peripheral = this.#linked(peripheralUuid);
    if (link === undefined || peripheral === undefined) return;
    const key = `${serviceUuid}/${characteristicUuid}`;
    if (enable) link.subscriptions.add(key);
    else link.subscriptions.delete(key);
    this.#later(() => {
      peripheral.onSubscribe(serviceUuid, characteristicUuid, enable);
      this.emit('notify', peripheralUuid, serviceUuid, characteristicUuid, enable);
    });
  }

  updateRssi(peripheralUuid: string): void {
    const rssi = this.#peripherals.get(peripheralUuid)?.rssi ?? -127;
    this.#later(() => this.emit('rssiUpdate', peripheralUuid, rssi));
  }

  broadcast(): void {}
  discoverDescriptors(peripheralUuid: string, serviceUuid: string, characteristicUuid: string): void {
    this.#later(() => this.emit('descriptorsDiscover', peripheralUuid, serviceUuid, characteristicUuid, []));
  }
  readValue(): void {}
  writeValue(): void {}
  readHandle(): void {}
  writeHandle(): void {}
  reset(): void {}

  // ---- internals ---------------------------------------------------------------------------

  #linked(peripheralUuid: string): SimulatedPeripheral | undefined {
    return this.#connected.has(peripheralUuid) ? this.#peripherals.get(peripheralUuid) : undefined;
  }

  #notify(peripheralUuid: string, serviceUuid: string, characteristicUuid: string, data: Uint8Array): void {
    const link = this.#connected.get(peripheralUuid);
    if (link === undefined || !link.subscriptions.has(`${serviceUuid}/${characteristicUuid}`)) return;
    // Real bindings deliver Buffers; the transport must cope with them.
    const payload = Buffer.from(data);
    this.#later(() => {
      if (!this.#connected.has(peripheralUuid)) return;
      this.emit('read', peripheralUuid, serviceUuid, characteristicUuid, payload, true);
    });
  }

  #drop(peripheralUuid: string, reason: number): void {
    if (!this.#connected.delete(peripheralUuid)) return;
    this.#peripherals.get(peripheralUuid)?.onDisconnect();
    this.#later(() => this.emit('disconnect', peripheralUuid, reason));
  }

  #advertise(): void {
    if (this.#state !== 'poweredOn') return;
    for (const peripheral of this.#peripherals.values()) {
      if (!peripheral.advertising || this.#connected.has(peripheral.id)) continue;
      const advertisement = {
        localName: peripheral.advertisement.localName,
        serviceUuids: [...peripheral.advertisement.serviceUuids],
        serviceData: [],
        txPowerLevel: undefined,
        manufacturerData: undefined,
      };
      this.emit(
        'discover',
        peripheral.id,
        peripheral.address,
        'public',
        true,
        advertisement,
        peripheral.rssi,
        true,
      );
    }
  }

  #stopScanTimer(): void {
    if (this.#scanTimer !== undefined) clearInterval(this.#scanTimer);
    this.#scanTimer = undefined;
  }

  #later(action: () => void): void {
    if (this.#gattLatencyMs <= 0) {
      setImmediate(action);
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      action();
    }, this.#gattLatencyMs);
    this.#timers.add(timer);
  }
}
