/**
 * The virtual-card desk for the demo and the end-to-end tests: one simulated reader (the
 * simulator's in-process `SimulatorProvider`, a byte-faithful virtual My Number card) into which
 * cards of every profile can be inserted and removed, and a reader that can be "unplugged"
 * (listed no more; a pending connect fails with READER_UNAVAILABLE, like PC/SC's
 * SCARD_E_READER_UNAVAILABLE when a USB reader is pulled). Cards keep their state (PIN counters)
 * between insertions, like real cards.
 *
 * @example
 * ```ts
 * const desk = createSimulatorDesk();
 * desk.insert('plastic');
 * const factory = createSdkCardReaderFactory(desk.provider);
 * ```
 */

import {
  CardError,
  type ConnectOptions,
  type ReaderEvent,
  type ReaderInfo,
  type SignalOptions,
  type Transport,
  type TransportProvider,
} from '@kakunin/core/transport';
import {
  createCardProfile,
  defaultKeyCacheDirectory,
  PROFILE_NAMES,
  type ProfileName,
  SimulatorProvider,
  TestKeyStore,
  TestPki,
  VirtualMyNumberCard,
} from '@kakunin/simulator';

export interface SimulatorDesk {
  readonly provider: TransportProvider;
  readonly readerId: string;
  readonly profiles: readonly ProfileName[];
  /** DER of the test PKI's user-authentication root (the trust anchor for validation). */
  readonly authRootCertificate: Uint8Array;
  insert(profile: ProfileName): void;
  remove(): void;
  /** Replaces the card of a profile with a fresh one (counters reset). */
  reset(profile?: ProfileName): void;
  unplug(): void;
  plug(): void;
  readonly current: ProfileName | undefined;
  readonly plugged: boolean;
  /** The auth certificate of a profile's card. */
  authCertificate(profile: ProfileName): Uint8Array;
}

export interface SimulatorDeskOptions {
  /** Seed of the test PKI (default `kakunin`). Each profile's person uses `<seed>-<profile>`. */
  readonly seed?: string;
  /** Where generated test keys are cached (default: os.tmpdir()/kakunin-simulator-keys). */
  readonly keyCacheDirectory?: string;
}

export function createSimulatorDesk(options: SimulatorDeskOptions = {}): SimulatorDesk {
  const seed = options.seed ?? 'kakunin';
  const keyStore = new TestKeyStore({ directory: options.keyCacheDirectory ?? defaultKeyCacheDirectory() });
  const pki = new TestPki({ seed, keyStore });
  const inner = new SimulatorProvider({ readers: 1 });
  const readerId = inner.readerId;
  const profiles = new Map<ProfileName, ReturnType<typeof createCardProfile>>();
  const cards = new Map<ProfileName, VirtualMyNumberCard>();
  let current: ProfileName | undefined;
  let plugged = true;
  const unplugListeners = new Set<() => void>();

  const profileOf = (name: ProfileName) => {
    let profile = profiles.get(name);
    if (profile === undefined) {
      profile = createCardProfile(name, { seed: `${seed}-${name}`, pki });
      profiles.set(name, profile);
    }
    return profile;
  };
  const cardOf = (name: ProfileName): VirtualMyNumberCard => {
    let card = cards.get(name);
    if (card === undefined) {
      card = new VirtualMyNumberCard(profileOf(name).image);
      cards.set(name, card);
    }
    return card;
  };
  const unavailable = (): CardError =>
    new CardError('READER_UNAVAILABLE', 'the card reader was disconnected', { remedy: 'reader.usb-cable' });

  const provider: TransportProvider = {
    kind: 'sim',
    async isSupported(signalOptions?: SignalOptions) {
      return inner.isSupported(signalOptions);
    },
    async listReaders(signalOptions?: SignalOptions): Promise<ReaderInfo[]> {
      return plugged ? inner.listReaders(signalOptions) : [];
    },
    watch(signalOptions?: SignalOptions): AsyncIterable<ReaderEvent> {
      return inner.watch(signalOptions);
    },
    async connect(id: string, connectOptions: ConnectOptions = {}): Promise<Transport> {
      if (!plugged) throw unavailable();
      const controller = new AbortController();
      const onAbort = (): void => controller.abort(connectOptions.signal?.reason);
      connectOptions.signal?.addEventListener('abort', onAbort, { once: true });
      let unplugged = false;
      const onUnplug = (): void => {
        unplugged = true;
        controller.abort(unavailable());
      };
      unplugListeners.add(onUnplug);
      try {
        return await inner.connect(id, { ...connectOptions, signal: controller.signal });
      } catch (error) {
        if (unplugged) throw unavailable();
        throw error;
      } finally {
        unplugListeners.delete(onUnplug);
        connectOptions.signal?.removeEventListener('abort', onAbort);
      }
    },
    async close() {
      await inner.close();
    },
  } as TransportProvider;

  return {
    provider,
    readerId,
    profiles: PROFILE_NAMES,
    get authRootCertificate() {
      return pki.authCa.certificate;
    },
    get current() {
      return current;
    },
    get plugged() {
      return plugged;
    },
    insert(profile) {
      if (!(PROFILE_NAMES as readonly string[]).includes(profile))
        throw new RangeError(`unknown profile ${String(profile)}`);
      if (current !== undefined) inner.remove(readerId);
      inner.insert(cardOf(profile), readerId);
      current = profile;
    },
    remove() {
      if (current === undefined) return;
      inner.remove(readerId);
      current = undefined;
    },
    reset(profile) {
      const names = profile === undefined ? [...cards.keys()] : [profile];
      for (const name of names) {
        if (name === current) {
          inner.remove(readerId);
          current = undefined;
        }
        cards.delete(name);
      }
    },
    unplug() {
      plugged = false;
      for (const listener of [...unplugListeners]) listener();
    },
    plug() {
      plugged = true;
    },
    authCertificate(profile) {
      return profileOf(profile).authCertificate.certificate;
    },
  };
}
