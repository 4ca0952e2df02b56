/**
 * The virtual-card desk for the demo and the end-to-end tests: one reader into which the
 * simulator's byte-faithful virtual My Number cards of every profile can be inserted and removed,
 * and a reader that can be "unplugged" (listed no more; a pending connect fails with
 * READER_UNAVAILABLE, like PC/SC's SCARD_E_READER_UNAVAILABLE when a USB reader is pulled; the
 * card leaves the reader). Cards keep their state (PIN counters) between insertions, like real
 * cards.
 *
 * Where the card appears is the {@link CardPresenter}'s business: in-process (the simulator's
 * `SimulatorProvider`, the default) or a real pcscd through vpcd (`createVpcdCardPresenter`, read
 * back over PC/SC). The desk's provider shows only the presenter's reader.
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
  TestKeyStore,
  VirtualMyNumberCard,
} from '@kakunin/simulator';
import { TestPki } from '@kakunin/simulator/pki';
import {
  type CardPresenter,
  type CardPresenterFactory,
  createInProcessCardPresenter,
} from './card-presenter.js';
import { createTestCrlPublisher, type TestRevocation } from './test-crl-publisher.js';

/** The desk's cards: every simulator profile plus a card whose auth certificate is revoked. */
export const DESK_CARDS = [...PROFILE_NAMES, 'revoked'] as const;
export type DeskCard = (typeof DESK_CARDS)[number];

/** When the test CA revoked the `revoked` card's certificate: 30 days after issuance (card reported lost). */
export const REVOKED_CARD_REVOKED_AT = new Date(DEFAULT_ISSUED_AT.getTime() + 30 * 86_400_000);

export interface SimulatorDesk extends AsyncDisposable {
  /** The desk's reader only (kind `sim` in-process, `pcsc` through vpcd). */
  readonly provider: TransportProvider;
  readonly readerId: string;
  /** Where the card appears: `in-process` or `vpcd` (real pcscd). */
  readonly presentation: CardPresenter['presentation'];
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
  /** Resolves when the reader shows what the desk last did (vpcd insertions take up to ~1 s). */
  settled(): Promise<void>;
  /** The test CA's CRLs current at `time` (DER, one per municipality partition of the desk's cards). */
  crlsAt(time: Date): readonly Uint8Array[];
  /** A revocation source over the test CA's daily CRLs (`createCrlRevocationSource` per day). */
  revocationSource(options: { readonly verifier: SignatureVerifier }): RevocationSource;
  /** Takes the card out and closes the presenter (and its provider). */
  close(): Promise<void>;
}

export interface SimulatorDeskOptions {
  /** Seed of the test PKI (default `kakunin`). Each profile's person uses `<seed>-<profile>`. */
  readonly seed?: string;
  /** Where generated test keys are cached (default: os.tmpdir()/kakunin-simulator-keys). */
  readonly keyCacheDirectory?: string;
  /** Where the card appears (default: in-process). The desk closes it. */
  readonly presenter?: CardPresenterFactory;
}

export function createSimulatorDesk(options: SimulatorDeskOptions = {}): SimulatorDesk {
  const seed = options.seed ?? 'kakunin';
  const keyCacheDirectory = options.keyCacheDirectory ?? defaultKeyCacheDirectory();
  const keyStore = new TestKeyStore({ directory: keyCacheDirectory });
  const pki = new TestPki({ seed, keyStore });
  const profiles = new Map<DeskCard, ReturnType<typeof createCardProfile>>();
  const cards = new Map<DeskCard, VirtualMyNumberCard>();
  let current: DeskCard | undefined;
  let plugged = true;
  const unplugListeners = new Set<() => void>();
  /** Shows the current card while the reader is plugged in; an unplugged reader holds no card. */
  const sync = (): void => {
    presenter.show(plugged ? current : undefined);
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
  const presenter: CardPresenter = (options.presenter ?? createInProcessCardPresenter())({
    seed,
    keyCacheDirectory,
    cardOf: (name) => cardOf(name as DeskCard),
  });
  const inner = presenter.provider;
  const readerId = presenter.readerId;
  const unavailable = (): CardError =>
    new CardError('READER_UNAVAILABLE', 'the card reader was disconnected', { remedy: 'reader.usb-cable' });

  const notFound = (id: string): CardError =>
    new CardError('READER_NOT_FOUND', `reader ${id} is not the desk's reader`, {
      remedy: 'reader.usb-cable',
    });
  const ours = (event: ReaderEvent): boolean =>
    event.type === 'error' || (event.type === 'reader-add' ? event.reader.id : event.readerId) === readerId;

  const provider: TransportProvider = {
    kind: inner.kind,
    async isSupported(signalOptions?: SignalOptions) {
      return inner.isSupported(signalOptions);
    },
    async listReaders(signalOptions?: SignalOptions): Promise<ReaderInfo[]> {
      if (!plugged) return [];
      return (await inner.listReaders(signalOptions)).filter((reader) => reader.id === readerId);
    },
    watch(signalOptions?: SignalOptions): AsyncIterable<ReaderEvent> {
      const events = inner.watch(signalOptions);
      return {
        async *[Symbol.asyncIterator]() {
          for await (const event of events) if (ours(event)) yield event;
        },
      };
    },
    async connect(id: string, connectOptions: ConnectOptions = {}): Promise<Transport> {
      if (!plugged) throw unavailable();
      if (id !== readerId) throw notFound(id);
      const controller = new AbortController();
      const onAbort = (): void => controller.abort(connectOptions.signal?.reason);
      if (connectOptions.signal?.aborted === true) onAbort();
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
      await presenter.close();
    },
  } as TransportProvider;

  const close = async (): Promise<void> => {
    current = undefined;
    sync();
    await presenter.close();
  };
  return {
    provider,
    readerId,
    presentation: presenter.presentation,
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
      // Inserting takes out whatever card is in the reader first (even the same one: a re-insertion).
      if (current !== undefined) presenter.show(undefined);
      current = profile;
      sync();
    },
    remove() {
      if (current === undefined) return;
      current = undefined;
      sync();
    },
    reset(profile) {
      const names: DeskCard[] = profile === undefined ? [...DESK_CARDS] : [profile];
      if (current !== undefined && names.includes(current)) {
        current = undefined;
        sync();
      }
      for (const name of names) cards.delete(name);
      presenter.forget(names);
    },
    unplug() {
      plugged = false;
      for (const listener of [...unplugListeners]) listener();
      sync();
    },
    plug() {
      plugged = true;
      sync();
    },
    authCertificate(profile) {
      return profileOf(profile).authCertificate.certificate;
    },
    settled() {
      return presenter.settled();
    },
    crlsAt(time) {
      return publisher.crlsAt(time);
    },
    revocationSource(sourceOptions) {
      return publisher.revocationSource(sourceOptions);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
