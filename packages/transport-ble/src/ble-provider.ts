// Over 600 lines: scan, watch, connect and reconnect share one adapter state machine; splitting it would expose that state.
/**
 * `BleTransportProvider`: discovery and connection for Bluetooth LE card readers over noble
 * (architecture.md §2, transports.md §4–5). It scans, recognises readers through the configured
 * drivers (default: ACS ACR1255U-J1), connects with explicit time limits (CoreBluetooth never times
 * out, transports.md §5.4), discovers the GATT profile of either firmware generation, lets the
 * driver authenticate, reports card presence from the reader's notifications, reconnects to a
 * reader that slept and woke up, and maps every FAQ situation to a CardError with a remedy key.
 *
 * Nothing native is loaded until the provider is first used without injected `bindings`/`noble`.
 *
 * @example
 * ```ts
 * await using provider = new BleTransportProvider({ masterKey, onWarning: (w) => console.warn(w.message) });
 * const [reader] = await provider.listReaders();
 * await using transport = await provider.connect(reader.id, { waitForCard: true, timeoutMs: 30_000 });
 * const response = await transport.transmit(selectJpkiAp);
 * ```
 */
import {
  CardError,
  type ConnectOptions,
  EventHub,
  type ReaderEvent,
  type ReaderInfo,
  raceAbort,
  type SignalOptions,
  TransportErrorCode,
  type TransportProvider,
  throwIfAborted,
} from '@kakunin/core/transport';
import { acr1255Driver } from './acr1255/acr1255-driver.js';
import { BleTransport } from './ble-transport.js';
import type { BleAdvertisement, BleReaderDriver, BleWarning, GattProfile, ReaderSession } from './driver.js';
import { bleErrors } from './errors.js';
import { NobleGattLink } from './gatt-link.js';
import {
  type AdapterState,
  createNobleWithBindings,
  loadSystemNoble,
  type NobleBindingsLike,
  type NobleLike,
  type NoblePeripheralLike,
} from './noble-central.js';
import { diagnoseLinuxRadio, type RadioDiagnosis } from './radio-diagnosis.js';

export interface BleTransportProviderOptions {
  /** A noble instance (abandonware or stoprocent shape). */
  readonly noble?: NobleLike;
  /** noble bindings: real noble code is constructed over them (tests, the simulated reader). */
  readonly bindings?: NobleBindingsLike;
  /** Reader families (default: `[acr1255Driver({ masterKey })]`). */
  readonly drivers?: readonly BleReaderDriver[];
  /** ACR1255U-J1 Customer Master Key for the default driver (default: the public key — no secrecy). */
  readonly masterKey?: Uint8Array;
  /** How long listReaders() scans and connect() looks for a reader, ms (default 4000). */
  readonly scanTimeoutMs?: number;
  /** Limit for connecting + GATT discovery + authentication, ms (default 10 000). */
  readonly connectTimeoutMs?: number;
  /** How long to wait for the adapter to leave the `unknown` state, ms (default 5000). */
  readonly adapterTimeoutMs?: number;
  /** Per-transmit limit handed to each transport, ms (default BaseTransport's 30 000). */
  readonly transmitTimeoutMs?: number;
  /** listReaders() connects to each reader to learn card presence (default true). */
  readonly probeCardPresence?: boolean;
  /** Non-fatal concerns: default master key in use, a reader that could not be probed. */
  readonly onWarning?: (warning: BleWarning) => void;
  /**
   * Lists wired (PC/SC) reader names, so that "reader in USB mode" (FAQ Q2 A2-1 mode switch) is
   * told apart from "reader not found". Optional: the BLE package does not depend on PC/SC.
   */
  readonly findWiredReaders?: (signal?: AbortSignal) => Promise<readonly string[]>;
  /** Airplane mode vs Bluetooth off (default: Linux rfkill; 'unknown' elsewhere). */
  readonly diagnoseRadio?: () => Promise<RadioDiagnosis>;
}

interface Connection {
  readonly session: ReaderSession;
  readonly profile: GattProfile;
  readonly disconnect: () => Promise<void>;
}

interface ReaderEntry {
  readonly id: string;
  readonly driver: BleReaderDriver;
  peripheral: NoblePeripheralLike;
  name: string | undefined;
  connection: Connection | undefined;
  connecting: Promise<Connection> | undefined;
  transport: BleTransport | undefined;
  claimed: boolean;
  lastEnd: 'asleep' | 'lost' | undefined;
}

function normaliseAddress(value: string): string {
  return value.toLowerCase().replace(/[^0-9a-f]/g, '');
}

function advertisementOf(peripheral: NoblePeripheralLike): BleAdvertisement {
  const advertisement = peripheral.advertisement ?? {};
  const data = advertisement.manufacturerData;
  return {
    localName: advertisement.localName ?? undefined,
    serviceUuids: (advertisement.serviceUuids ?? []).map((uuid) => uuid.toLowerCase().replace(/-/g, '')),
    manufacturerData: data instanceof Uint8Array ? new Uint8Array(data) : undefined,
  };
}

/**
 * The BLE TransportProvider (kind `ble`): the entry point for the ACR1255U-J1 (and other drivers)
 * over the system's Bluetooth adapter through noble.
 *
 * @example
 * ```ts
 * import { MyNumberCard } from '@kakunin/core/jpki';
 *
 * // The reader's 16-byte customer master key; without it the public default key is used.
 * await using provider = new BleTransportProvider({ masterKey, scanTimeoutMs: 3000 });
 * const [reader] = await provider.listReaders(); // scans for scanTimeoutMs
 * if (reader === undefined) throw new Error('no BLE reader advertising: is it awake?');
 * const transport = await provider.connect(reader.id, { waitForCard: true, timeoutMs: 60_000 });
 * await using card = MyNumberCard.open(transport);
 * const result = await card.check({ pin, challenge });
 * ```
 */
export class BleTransportProvider implements TransportProvider {
  readonly kind = 'ble';
  readonly #options: BleTransportProviderOptions;
  readonly #drivers: readonly BleReaderDriver[];
  readonly #entries = new Map<string, ReaderEntry>();
  readonly #discoverListeners = new Set<(entry: ReaderEntry) => void>();
  readonly #watchers = new Set<WatchRun>();
  readonly #scanTimeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #adapterTimeoutMs: number;
  #noble: NobleLike | undefined;
  #scanUsers = 0;
  #scanning: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #onDiscover = (peripheral: NoblePeripheralLike): void => this.#discovered(peripheral);

  constructor(options: BleTransportProviderOptions = {}) {
    if (typeof options !== 'object' || options === null)
      throw new TypeError('BleTransportProvider: options must be an object');
    if (options.drivers !== undefined && options.masterKey !== undefined)
      throw new TypeError('BleTransportProvider: give masterKey to the driver when passing drivers');
    this.#options = options;
    this.#drivers = options.drivers ?? [
      acr1255Driver(options.masterKey === undefined ? {} : { masterKey: options.masterKey }),
    ];
    if (this.#drivers.length === 0) throw new RangeError('BleTransportProvider: drivers must not be empty');
    this.#scanTimeoutMs = positive(options.scanTimeoutMs, 4000, 'scanTimeoutMs');
    this.#connectTimeoutMs = positive(options.connectTimeoutMs, 10_000, 'connectTimeoutMs');
    this.#adapterTimeoutMs = positive(options.adapterTimeoutMs, 5000, 'adapterTimeoutMs');
  }

  /**
   * True when a Bluetooth LE adapter exists (on or off); false without adapter or binding.
   *
   * @example
   * ```ts
   * if (!(await provider.isSupported())) showPcscOnly();
   * ```
   */
  async isSupported(options: SignalOptions = {}): Promise<boolean> {
    try {
      await this.#ready(options.signal);
      return true;
    } catch (error) {
      if (CardError.isInstance(error, TransportErrorCode.ABORTED)) throw error;
      return (
        CardError.isInstance(error, TransportErrorCode.BLUETOOTH_OFF) ||
        CardError.isInstance(error, TransportErrorCode.BLUETOOTH_UNAUTHORIZED)
      );
    }
  }

  /**
   * Scans for `scanTimeoutMs`, then reports every supported reader in range or connected; with
   * `probeCardPresence` each is connected once to ask for its card status.
   *
   * @example
   * ```ts
   * for (const reader of await provider.listReaders()) console.log(reader.label, reader.cardPresent);
   * ```
   */
  async listReaders(options: SignalOptions = {}): Promise<ReaderInfo[]> {
    this.#assertOpen('listReaders');
    await this.#ready(options.signal);
    const seen = await this.#scan(() => false, this.#scanTimeoutMs, options.signal);
    const entries = [...this.#entries.values()].filter((entry) => seen.has(entry) || this.#live(entry));
    const probe = this.#options.probeCardPresence ?? true;
    return Promise.all(
      entries.map(async (entry): Promise<ReaderInfo> => {
        let cardPresent = false;
        if (entry.transport !== undefined && !entry.transport.isClosed) cardPresent = true;
        else if (probe) {
          try {
            const connection = await this.#connection(entry, options.signal);
            cardPresent = (await connection.session.cardStatus(options.signal)) !== 'absent';
          } catch (error) {
            if (CardError.isInstance(error, TransportErrorCode.ABORTED)) throw error;
            this.#warn({
              code: 'probe-failed',
              readerId: entry.id,
              message: `could not ask ${entry.name ?? entry.id} for its card: ${(error as Error).message}`,
            });
          }
        }
        const atr =
          entry.transport !== undefined && !entry.transport.isClosed ? entry.transport.atr : undefined;
        return {
          id: entry.id,
          label: this.#label(entry),
          cardPresent,
          ...(atr === undefined ? {} : { atr }),
        };
      }),
    );
  }

  /**
   * Reader and card events, current state first. Scans while iterated; connects to each reader to
   * receive its card notifications; a reader that drops (asleep, out of range) is removed and
   * added again when it advertises anew.
   *
   * @example
   * ```ts
   * for await (const event of provider.watch({ signal })) if (event.type === 'card-insert') read(event.readerId);
   * ```
   */
  watch(options: SignalOptions = {}): AsyncIterable<ReaderEvent> {
    return { [Symbol.asyncIterator]: () => this.#watch(options.signal) };
  }

  async *#watch(signal: AbortSignal | undefined): AsyncGenerator<ReaderEvent, void, undefined> {
    const run: WatchRun = { hub: new EventHub<ReaderEvent>(), stopped: new AbortController() };
    // The scan reports nothing before its first await, by which time `yield*` has registered
    // this iterator on the hub: no event is lost.
    void this.#runWatch(run, signal);
    try {
      yield* run.hub.watch(() => [], signal);
    } finally {
      endWatch(run);
    }
  }

  /**
   * Connects to a reader by id, address or advertised name and powers its card.
   *
   * @example
   * ```ts
   * const transport = await provider.connect('ACR1255U-J1-003152', { waitForCard: true, timeoutMs: 60_000 });
   * ```
   */
  async connect(readerId: string, options: ConnectOptions = {}): Promise<BleTransport> {
    if (typeof readerId !== 'string') throw new TypeError('connect: readerId must be a string');
    if (readerId.length === 0) throw new RangeError('connect: readerId must not be empty');
    this.#assertOpen('connect');
    throwIfAborted(options.signal, 'connect');
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const work = this.#connect(readerId, options, controller.signal);
    try {
      return await raceAbort(work, options.signal, options.timeoutMs, 'connect');
    } catch (error) {
      controller.abort(error);
      void work.then((transport) => transport.close()).catch(() => undefined);
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Closes every transport, disconnects every reader, stops scanning. Idempotent.
   *
   * @example
   * ```ts
   * await provider.close();
   * ```
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const run of this.#watchers) endWatch(run);
    this.#watchers.clear();
    this.#discoverListeners.clear();
    const entries = [...this.#entries.values()];
    await Promise.all(entries.map((entry) => entry.transport?.close()));
    await Promise.all(
      entries.map(async (entry) => {
        const connection = entry.connection ?? (await entry.connecting?.catch(() => undefined));
        entry.connection = undefined;
        if (connection === undefined) return;
        await connection.session.close();
        await connection.disconnect();
      }),
    );
    if (this.#scanUsers > 0) {
      this.#scanUsers = 0;
      await this.#noble?.stopScanningAsync().catch(() => undefined);
    }
    this.#noble?.removeListener('discover', this.#onDiscover);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #connect(readerId: string, options: ConnectOptions, signal: AbortSignal): Promise<BleTransport> {
    await this.#ready(signal);
    let entry = this.#find(readerId);
    if (entry === undefined || !this.#live(entry)) {
      const seen = await this.#scan(
        (candidate) => this.#matchesId(candidate, readerId),
        this.#scanTimeoutMs,
        signal,
      );
      entry = [...seen].find((candidate) => this.#matchesId(candidate, readerId)) ?? entry;
      if (entry === undefined || (!seen.has(entry) && !this.#live(entry)))
        throw await this.#notFound(readerId, entry);
    }
    if (entry.claimed || (entry.transport !== undefined && !entry.transport.isClosed)) {
      throw new CardError(
        TransportErrorCode.SHARING_VIOLATION,
        `${this.#label(entry)} is already connected`,
        {
          remedy: 'reader.in-use',
          details: { readerId: entry.id },
        },
      );
    }
    entry.claimed = true;
    try {
      const { session } = await this.#connection(entry, signal);
      const status = await session.cardStatus(signal);
      if (status === 'absent') {
        if (options.waitForCard !== true) throw bleErrors.cardAbsent(entry.id);
        await waitForCard(session, signal);
      }
      const atr = await session.powerOn(signal);
      const claimedEntry = entry;
      const transport: BleTransport = new BleTransport({
        readerId: entry.id,
        session,
        atr,
        ...(this.#options.transmitTimeoutMs === undefined
          ? {}
          : { transmitTimeoutMs: this.#options.transmitTimeoutMs }),
        onRelease: () => {
          if (claimedEntry.transport === transport) claimedEntry.transport = undefined;
        },
      });
      entry.transport = transport;
      return transport;
    } finally {
      entry.claimed = false;
    }
  }

  #central(): NobleLike {
    if (this.#noble !== undefined) return this.#noble;
    const noble =
      this.#options.noble ??
      (this.#options.bindings === undefined
        ? loadSystemNoble()
        : createNobleWithBindings(this.#options.bindings));
    noble.on('discover', this.#onDiscover);
    this.#noble = noble;
    return noble;
  }

  async #ready(signal: AbortSignal | undefined): Promise<void> {
    throwIfAborted(signal, 'Bluetooth adapter');
    const noble = this.#central();
    let state = noble.state as AdapterState;
    if (state === 'unknown' || state === 'resetting') {
      state = await raceAbort(
        new Promise<AdapterState>((resolve) => {
          const finish = (next: AdapterState): void => {
            clearTimeout(timer);
            noble.removeListener('stateChange', onState);
            resolve(next);
          };
          const onState = (next: string): void => {
            if (next !== 'unknown' && next !== 'resetting') finish(next as AdapterState);
          };
          const timer = setTimeout(() => finish(noble.state as AdapterState), this.#adapterTimeoutMs);
          noble.on('stateChange', onState);
        }),
        signal,
        undefined,
        'Bluetooth adapter',
      );
    }
    switch (state) {
      case 'poweredOn':
        return;
      case 'poweredOff': {
        const diagnosis = await (this.#options.diagnoseRadio ?? diagnoseLinuxRadio)().catch(() => 'unknown');
        throw diagnosis === 'airplane-mode'
          ? bleErrors.airplaneMode()
          : bleErrors.bluetoothOff({ diagnosis });
      }
      case 'unauthorized':
        throw bleErrors.permission(
          'the operating system denied Bluetooth access (Bluetooth/location permission for this app)',
        );
      case 'unsupported':
        throw new CardError(
          TransportErrorCode.SERVICE_UNAVAILABLE,
          'this computer has no Bluetooth LE adapter',
          {
            remedy: 'ble.bluetooth-off',
            details: { state },
          },
        );
      default:
        throw bleErrors.serviceUnavailable(
          `the Bluetooth adapter stayed "${state}" for ${this.#adapterTimeoutMs} ms; on Linux noble needs ` +
            'cap_net_raw (setcap) or root, and no other stack holding the adapter (transports.md §5.4)',
          undefined,
          { state },
        );
    }
  }

  /** Scans until `until` accepts a reader or `durationMs` passes; returns the readers seen. */
  async #scan(
    until: (entry: ReaderEntry) => boolean,
    durationMs: number,
    signal: AbortSignal | undefined,
  ): Promise<Set<ReaderEntry>> {
    const seen = new Set<ReaderEntry>();
    let finish!: () => void;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const listener = (entry: ReaderEntry): void => {
      seen.add(entry);
      if (until(entry)) finish();
    };
    this.#discoverListeners.add(listener);
    const timer = setTimeout(finish, durationMs);
    const onAbort = (): void => finish();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.#startScan();
      await done;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      this.#discoverListeners.delete(listener);
      await this.#stopScan();
    }
    throwIfAborted(signal, 'scan');
    return seen;
  }

  async #startScan(): Promise<void> {
    this.#scanUsers += 1;
    if (this.#scanUsers === 1) {
      const noble = this.#central();
      this.#scanning = this.#scanning.then(() => noble.startScanningAsync([], true));
    }
    await this.#scanning;
  }

  async #stopScan(): Promise<void> {
    if (this.#scanUsers === 0) return;
    this.#scanUsers -= 1;
    if (this.#scanUsers === 0) {
      const noble = this.#central();
      this.#scanning = this.#scanning.then(() => noble.stopScanningAsync()).catch(() => undefined);
      await this.#scanning;
    }
  }

  #discovered(peripheral: NoblePeripheralLike): void {
    if (this.#closed) return;
    let entry = this.#entries.get(peripheral.id);
    const advertisement = advertisementOf(peripheral);
    if (entry === undefined) {
      const driver = this.#drivers.find((candidate) => candidate.matches(advertisement));
      if (driver === undefined) return;
      entry = {
        id: peripheral.id,
        driver,
        peripheral,
        name: advertisement.localName,
        connection: undefined,
        connecting: undefined,
        transport: undefined,
        claimed: false,
        lastEnd: undefined,
      };
      this.#entries.set(peripheral.id, entry);
    } else {
      entry.peripheral = peripheral;
      entry.name = advertisement.localName ?? entry.name;
    }
    for (const listener of [...this.#discoverListeners]) listener(entry);
  }

  #find(readerId: string): ReaderEntry | undefined {
    for (const entry of this.#entries.values()) if (this.#matchesId(entry, readerId)) return entry;
    return undefined;
  }

  #matchesId(entry: ReaderEntry, readerId: string): boolean {
    if (entry.id === readerId || entry.name === readerId) return true;
    const address = normaliseAddress(entry.peripheral.address ?? '');
    return address.length > 0 && address === normaliseAddress(readerId);
  }

  #live(entry: ReaderEntry): boolean {
    return entry.connection !== undefined && !entry.connection.session.ended;
  }

  #label(entry: ReaderEntry): string {
    const name = entry.name ?? entry.driver.family;
    const generation = entry.connection === undefined ? '' : ` ${entry.connection.profile.generation}`;
    const address = entry.peripheral.address;
    return `${name}${generation}${address ? ` [${address}]` : ''}`;
  }

  async #notFound(readerId: string, entry: ReaderEntry | undefined): Promise<CardError> {
    if (this.#options.findWiredReaders !== undefined) {
      const wired = await this.#options.findWiredReaders().catch(() => [] as readonly string[]);
      for (const driver of this.#drivers) {
        const match = wired.find((name) => driver.wiredNamePattern?.test(name) === true);
        if (match !== undefined) return bleErrors.modeMismatch(readerId, match);
      }
    }
    if (entry?.lastEnd === 'asleep') return bleErrors.readerAsleep(readerId);
    return bleErrors.readerNotFound(readerId);
  }

  #warn(warning: BleWarning): void {
    this.#options.onWarning?.(warning);
  }

  /** The live connection to a reader, opening (connect, GATT discovery, authenticate) if needed. */
  async #connection(entry: ReaderEntry, signal: AbortSignal | undefined): Promise<Connection> {
    if (this.#live(entry)) return entry.connection!;
    if (entry.connecting === undefined) {
      const opening = this.#open(entry, signal);
      entry.connecting = opening;
      opening.then(
        () => {
          if (entry.connecting === opening) entry.connecting = undefined;
        },
        () => {
          if (entry.connecting === opening) entry.connecting = undefined;
        },
      );
    }
    return raceAbort(entry.connecting, signal, undefined, 'connect');
  }

  async #open(entry: ReaderEntry, signal: AbortSignal | undefined): Promise<Connection> {
    const peripheral = entry.peripheral;
    let abandoned = false;
    const attempt = (async (): Promise<Connection> => {
      await peripheral.connectAsync();
      const profiles = entry.driver.profiles;
      const services = await peripheral.discoverServicesAsync(profiles.map((profile) => profile.service));
      const profile = profiles.find((candidate) =>
        services.some((service) => service.uuid === candidate.service),
      );
      const service = services.find((candidate) => candidate.uuid === profile?.service);
      if (profile === undefined || service === undefined) {
        throw new CardError(
          TransportErrorCode.PROTOCOL,
          `${entry.name ?? entry.id} offers none of the ${entry.driver.family} GATT services`,
          { remedy: 'reader.unsupported', details: { readerId: entry.id } },
        );
      }
      const characteristics = await service.discoverCharacteristicsAsync([profile.write, profile.notify]);
      const write = characteristics.find((characteristic) => characteristic.uuid === profile.write);
      const notify = characteristics.find((characteristic) => characteristic.uuid === profile.notify);
      if (write === undefined || notify === undefined) {
        throw new CardError(
          TransportErrorCode.PROTOCOL,
          `${entry.name ?? entry.id} lacks the ${profile.generation} command/notify characteristics`,
          { remedy: 'reader.unsupported', details: { readerId: entry.id, generation: profile.generation } },
        );
      }
      await notify.subscribeAsync();
      const link = new NobleGattLink(peripheral, profile, write, notify);
      const session = await entry.driver.open(link, {
        ...(signal === undefined ? {} : { signal }),
        onWarning: (warning) => this.#warn(warning),
      });
      if (abandoned) {
        await session.close();
        await link.disconnect();
        throw bleErrors.linkLost(entry.id, 'connect');
      }
      const connection: Connection = { session, profile, disconnect: () => link.disconnect() };
      session.onEnd((end) => {
        entry.lastEnd = end.reason === 'closed' ? undefined : end.reason;
        if (entry.connection === connection) entry.connection = undefined;
        void link.disconnect();
      });
      return connection;
    })();
    try {
      const connection = await raceAbort(attempt, signal, this.#connectTimeoutMs, 'connect');
      if (this.#closed) {
        await connection.session.close();
        await connection.disconnect();
        throw new CardError(TransportErrorCode.CLOSED, 'provider closed while connecting');
      }
      entry.connection = connection;
      entry.lastEnd = undefined;
      return connection;
    } catch (error) {
      abandoned = true;
      attempt.catch(() => undefined);
      if (peripheral.state === 'connecting') peripheral.cancelConnect?.();
      await peripheral.disconnectAsync().catch(() => undefined);
      if (CardError.isInstance(error, TransportErrorCode.TIMEOUT)) {
        throw new CardError(
          TransportErrorCode.TIMEOUT,
          `${entry.name ?? entry.id} did not complete the Bluetooth connection within ${this.#connectTimeoutMs} ms`,
          { remedy: 'reader.asleep', details: { readerId: entry.id }, cause: error },
        );
      }
      if (CardError.isInstance(error)) throw error;
      throw new CardError(
        TransportErrorCode.LINK_LOST,
        `Bluetooth connection to ${entry.name ?? entry.id} failed`,
        {
          remedy: 'ble.link-lost',
          cause: error,
          details: { readerId: entry.id },
        },
      );
    }
  }

  async #runWatch(run: WatchRun, signal: AbortSignal | undefined): Promise<void> {
    if (this.#closed) {
      endWatch(run);
      return;
    }
    this.#watchers.add(run);
    const ended = (): boolean => run.stopped.signal.aborted;
    const known = new Set<string>();
    const cleanups: Array<() => void> = [];
    const stop = (): void => endWatch(run);
    signal?.addEventListener('abort', stop, { once: true });
    const attach = async (entry: ReaderEntry): Promise<void> => {
      try {
        const { session } = await this.#connection(entry, signal);
        cleanups.push(
          session.onCardStatus((present) => {
            if (present) void this.#announceCard(entry, session, run.hub);
            else run.hub.emit({ type: 'card-remove', readerId: entry.id });
          }),
          session.onEnd(() => {
            known.delete(entry.id);
            run.hub.emit({ type: 'reader-remove', readerId: entry.id });
          }),
        );
        if ((await session.cardStatus(signal)) !== 'absent')
          await this.#announceCard(entry, session, run.hub);
      } catch (error) {
        if (ended()) return;
        known.delete(entry.id);
        run.hub.emit({ type: 'reader-remove', readerId: entry.id });
        if (CardError.isInstance(error)) run.hub.emit({ type: 'error', error });
      }
    };
    const add = (entry: ReaderEntry): void => {
      if (ended() || known.has(entry.id)) return;
      known.add(entry.id);
      run.hub.emit({
        type: 'reader-add',
        reader: { id: entry.id, label: this.#label(entry), cardPresent: false },
      });
      void attach(entry);
    };
    try {
      await this.#ready(signal);
      for (const entry of this.#entries.values()) if (this.#live(entry)) add(entry);
      this.#discoverListeners.add(add);
      cleanups.push(() => this.#discoverListeners.delete(add));
      await this.#startScan();
      cleanups.push(() => void this.#stopScan());
      await new Promise<void>((resolve) => {
        if (ended()) resolve();
        else run.stopped.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    } catch (error) {
      if (CardError.isInstance(error) && !ended()) run.hub.emit({ type: 'error', error });
      endWatch(run);
    } finally {
      signal?.removeEventListener('abort', stop);
      for (const cleanup of cleanups.splice(0)) cleanup();
      this.#watchers.delete(run);
    }
  }

  async #announceCard(entry: ReaderEntry, session: ReaderSession, hub: EventHub<ReaderEvent>): Promise<void> {
    try {
      const open = entry.transport !== undefined && !entry.transport.isClosed;
      let atr: Uint8Array;
      if (open) atr = entry.transport!.atr;
      else {
        // The contract's card-insert carries the ATR; the reader only tells it on power-on.
        atr = await session.powerOn();
        await session.powerOff();
      }
      hub.emit({ type: 'card-insert', readerId: entry.id, atr });
    } catch {
      // The card left again before we could read its ATR; the removal event follows.
    }
  }

  #assertOpen(what: string): void {
    if (this.#closed) throw new CardError(TransportErrorCode.CLOSED, `${what}: provider is closed`);
  }
}

/** One `watch()` in progress: its own scan session, reporting through core's EventHub. */
interface WatchRun {
  readonly hub: EventHub<ReaderEvent>;
  /** Aborted when the watch ends (consumer gone, signal, provider closed, scan failed). */
  readonly stopped: AbortController;
}

/** Ends a watch: its iterator finishes after the events already queued; its scan session stops. */
function endWatch(run: WatchRun): void {
  run.stopped.abort();
  run.hub.close();
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new RangeError(`BleTransportProvider: ${name} must be a positive number of ms, got ${value}`);
  return value;
}

function waitForCard(session: ReaderSession, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const cleanup: Array<() => void> = [];
    const finish = (error?: unknown): void => {
      for (const undo of cleanup.splice(0)) undo();
      if (error === undefined) resolve();
      else reject(error);
    };
    cleanup.push(
      session.onCardStatus((present) => {
        if (present) finish();
      }),
      session.onEnd((end) => finish(end.error)),
    );
    const onAbort = (): void =>
      finish(new CardError(TransportErrorCode.ABORTED, 'connect: aborted while waiting for a card'));
    signal?.addEventListener('abort', onAbort, { once: true });
    cleanup.push(() => signal?.removeEventListener('abort', onAbort));
    // The card may have arrived between the status query and the subscription.
    session.cardStatus(signal).then(
      (status) => {
        if (status !== 'absent') finish();
      },
      (error: unknown) => finish(error),
    );
  });
}
