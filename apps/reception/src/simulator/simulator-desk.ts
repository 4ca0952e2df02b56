/**
 * The virtual-card desk for the demo and the end-to-end tests: one simulated reader (the
 * simulator's in-process `SimulatorProvider`, a byte-faithful virtual My Number card) into which
 * cards of every profile can be inserted and removed, and a reader that can be "unplugged"
 * (listed no more; a pending connect fails with READER_UNAVAILABLE, like PC/SC's
 * SCARD_E_READER_UNAVAILABLE when a USB reader is pulled). Cards keep their state (PIN counters)
 * between insertions, like real cards.
 *
 * Besides the simulator's profiles the desk has a `revoked` card: a plastic card of another
 * synthetic person whose auth certificate the test CA revoked (keyCompromise: a lost card). The
 * desk's CRL distribution point ({@link SimulatorDesk.revocationSource}) publishes signed daily
 * CRLs for the municipality partitions of its cards, so certificate validation gets real GOOD /
 * REVOKED answers for the test hierarchy. Its root is a *test* anchor: pass
 * {@link SimulatorDesk.testAnchors} as `testAnchors` (opt-in), never as production trust.
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
import type { RevocationSource, SignatureVerifier } from '@kakunin/core/x509';
import {
  createCardProfile,
  DEFAULT_ISSUED_AT,
  defaultKeyCacheDirectory,
  PROFILE_NAMES,
  SimulatorProvider,
  TestKeyStore,
  TestPki,
  VirtualMyNumberCard,
} from '@kakunin/simulator';
import { createTestCrlPublisher, type TestRevocation } from './test-crl-publisher.js';

/** The desk's cards: every simulator profile plus a card whose auth certificate is revoked. */
export const DESK_CARDS = [...PROFILE_NAMES, 'revoked'] as const;
export type DeskCard = (typeof DESK_CARDS)[number];

/** When the test CA revoked the `revoked` card's certificate: 30 days after issuance (card reported lost). */
export const REVOKED_CARD_REVOKED_AT = new Date(DEFAULT_ISSUED_AT.getTime() + 30 * 86_400_000);

export interface SimulatorDesk {
  readonly provider: TransportProvider;
  readonly readerId: string;
  readonly profiles: readonly DeskCard[];
  /** DER of the test PKI's user-authentication root. */
  readonly authRootCertificate: Uint8Array;
  /** The test roots to pass as `testAnchors` (opt-in test hierarchy; never production trust). */
  readonly testAnchors: readonly Uint8Array[];
  insert(profile: DeskCard): void;
  remove(): void;
  /** Replaces the card of a profile with a fresh one (counters reset). */
  reset(profile?: DeskCard): void;
  unplug(): void;
  plug(): void;
  readonly current: DeskCard | undefined;
  readonly plugged: boolean;
  /** The auth certificate of a profile's card. */
  authCertificate(profile: DeskCard): Uint8Array;
  /** The card of a profile (created on first use; kept with its PIN counters until `reset`). */
  card(profile: DeskCard): VirtualMyNumberCard;
  /** Called after every insert / remove / unplug / plug (e.g. to mirror the desk into vpcd). */
  onChange(listener: () => void): () => void;
  /** The test CA's CRLs current at `time` (DER, one per municipality partition of the desk's cards). */
  crlsAt(time: Date): readonly Uint8Array[];
  /** A revocation source over the test CA's daily CRLs (`createCrlRevocationSource` per day). */
  revocationSource(options: { readonly verifier: SignatureVerifier }): RevocationSource;
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
  const profiles = new Map<DeskCard, ReturnType<typeof createCardProfile>>();
  const cards = new Map<DeskCard, VirtualMyNumberCard>();
  let current: DeskCard | undefined;
  let plugged = true;
  const unplugListeners = new Set<() => void>();
  const changeListeners = new Set<() => void>();
  const changed = (): void => {
    for (const listener of [...changeListeners]) listener();
  };

  const profileOf = (name: DeskCard) => {
    let profile = profiles.get(name);
    if (profile === undefined) {
      // The revoked card is an ordinary plastic card of its own synthetic person.
      profile = createCardProfile(name === 'revoked' ? 'plastic' : name, { seed: `${seed}-${name}`, pki });
      profiles.set(name, profile);
    }
    return profile;
  };
  const publisher = createTestCrlPublisher({
    issuer: pki.authCa,
    partitions: () => [...profiles.values()].map((profile) => profile.authCertificate.crlPartition),
    revocations: (): TestRevocation[] => {
      const revoked = profiles.get('revoked')?.authCertificate;
      return revoked === undefined
        ? []
        : [
            {
              serialNumber: revoked.serialNumber,
              revokedAt: REVOKED_CARD_REVOKED_AT,
              reason: 'keyCompromise',
              partition: revoked.crlPartition,
            },
          ];
    },
  });
  const cardOf = (name: DeskCard): VirtualMyNumberCard => {
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
    profiles: DESK_CARDS,
    get authRootCertificate() {
      return pki.authCa.certificate;
    },
    get testAnchors() {
      return [pki.authCa.certificate];
    },
    get current() {
      return current;
    },
    get plugged() {
      return plugged;
    },
    insert(profile) {
      if (!(DESK_CARDS as readonly string[]).includes(profile))
        throw new RangeError(`unknown profile ${String(profile)}`);
      if (current !== undefined) inner.remove(readerId);
      inner.insert(cardOf(profile), readerId);
      current = profile;
      changed();
    },
    remove() {
      if (current === undefined) return;
      inner.remove(readerId);
      current = undefined;
      changed();
    },
    reset(profile) {
      const names = profile === undefined ? [...cards.keys()] : [profile];
      let removed = false;
      for (const name of names) {
        if (name === current) {
          inner.remove(readerId);
          current = undefined;
          removed = true;
        }
        cards.delete(name);
      }
      if (removed) changed();
    },
    unplug() {
      plugged = false;
      for (const listener of [...unplugListeners]) listener();
      changed();
    },
    plug() {
      plugged = true;
      changed();
    },
    authCertificate(profile) {
      return profileOf(profile).authCertificate.certificate;
    },
    card(profile) {
      if (!(DESK_CARDS as readonly string[]).includes(profile))
        throw new RangeError(`unknown profile ${String(profile)}`);
      return cardOf(profile);
    },
    onChange(listener) {
      changeListeners.add(listener);
      return () => {
        changeListeners.delete(listener);
      };
    },
    crlsAt(time) {
      return publisher.crlsAt(time);
    },
    revocationSource(sourceOptions) {
      return publisher.revocationSource(sourceOptions);
    },
  };
}
