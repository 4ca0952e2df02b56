/**
 * The real wiring of the {@link CardReaderFactory} port: any `TransportProvider` (PC/SC, BLE,
 * NFC bridge, the simulator) plus `@kakunin/core/jpki`'s `MyNumberCard`.
 * - `waitForCard` connects with `waitForCard: true` (connecting again if the card vanished between
 *   the reader's presence report and the connection, until the deadline) and runs `detect()`
 *   (SELECT JPKI AP, token);
 * - `pinStatus` reads the auth-PIN counter without spending a try;
 * - `checkWithPin` is `MyNumberCard.check` (counter → VERIFY once → sign the challenge → read the
 *   auth certificate), with `allowLastTry` passed through; the PIN buffer is zeroed;
 * - `textPinStatus` / `readBasicFour` (with the holder's consent only): the card-info AP PIN's
 *   counter, then `verifyPin('text')` once and `readBasicFour()`;
 * - `close` closes the card session, which unpowers the card after a verified PIN.
 *
 * @example
 * ```ts
 * const factory = createSdkCardReaderFactory(new SimulatorProvider({ card }), { setup: () => 'wired-reader' });
 * ```
 */
import { type CardIdentity, MyNumberCard } from '@kakunin/core/jpki';
import type { ReaderSetup } from '@kakunin/core/remedies';
import { CardError, type ReaderInfo, type Transport, type TransportProvider } from '@kakunin/core/transport';
import type { CardReader, CardReaderFactory, PinStatus, ReaderChoice } from '../ports/card-reader.js';

/** Which FAQ setup a transport kind corresponds to. */
export function defaultSetupFor(kind: string): ReaderSetup {
  if (kind === 'ble') return 'ble-reader';
  if (kind === 'bridge' || kind === 'nfc-bridge') return 'smartphone';
  return 'wired-reader';
}

/** How long waitForCard waits when the caller gives no limit (the check flow always gives one). */
const DEFAULT_WAIT_FOR_CARD_MS = 60_000;
/** Pause before connecting again after a card vanished between the presence report and the connect. */
const CONNECT_RETRY_MS = 200;

const ACCEPTED_KINDS: ReadonlySet<CardIdentity['kind']> = new Set(['mynumber-card', 'android', 'iphone']);

export interface SdkCardReaderFactoryOptions {
  /** FAQ setup of a reader (default from the provider kind). */
  readonly setup?: (reader: ReaderInfo, kind: string) => ReaderSetup;
  /** Connection sharing while a PIN is verified (default exclusive, jpki-card.md §8). */
  readonly share?: 'shared' | 'exclusive';
}

export function createSdkCardReaderFactory(
  provider: TransportProvider,
  options: SdkCardReaderFactoryOptions = {},
): CardReaderFactory {
  if (provider === null || typeof provider !== 'object' || typeof provider.connect !== 'function') {
    throw new TypeError('createSdkCardReaderFactory: provider must be a TransportProvider');
  }
  const setupOf = (reader: ReaderInfo): ReaderSetup =>
    options.setup?.(reader, provider.kind) ?? defaultSetupFor(provider.kind);
  return {
    kind: provider.kind,
    async listReaders({ signal } = {}) {
      const readers = await provider.listReaders(signal === undefined ? {} : { signal });
      return readers.map(
        (reader): ReaderChoice => ({
          id: reader.id,
          label: reader.label,
          setup: setupOf(reader),
          kind: provider.kind,
          cardPresent: reader.cardPresent,
        }),
      );
    },
    async open(readerId, { signal } = {}) {
      const readers = await provider.listReaders(signal === undefined ? {} : { signal });
      const info = readers.find((reader) => reader.id === readerId);
      if (info === undefined) {
        throw new CardError('READER_NOT_FOUND', `reader ${readerId} is not connected`, {
          remedy: 'reader.usb-cable',
        });
      }
      let transport: Transport | undefined;
      let card: MyNumberCard | undefined;
      const requireCard = (): MyNumberCard => {
        if (card === undefined)
          throw new CardError('CARD_ABSENT', 'no card: call waitForCard first', { remedy: 'card.absent' });
        return card;
      };
      /** A PIN's retry counter (auth or card-info AP), read without spending a try. */
      const counter = async (key: 'auth' | 'text', signal?: AbortSignal): Promise<PinStatus> => {
        const status = await requireCard().pinStatus(key, signal === undefined ? {} : { signal });
        return {
          triesLeft: status.triesLeft,
          blocked: status.blocked,
          ...(status.pinNotSet === true ? { pinNotSet: true as const } : {}),
        };
      };
      const reader: CardReader = {
        readerId,
        setup: setupOf(info),
        async waitForCard({ signal: waitSignal, timeoutMs } = {}) {
          const deadline = Date.now() + (timeoutMs ?? DEFAULT_WAIT_FOR_CARD_MS);
          for (;;) {
            try {
              transport = await provider.connect(readerId, {
                waitForCard: true,
                share: options.share ?? 'exclusive',
                ...(waitSignal === undefined ? {} : { signal: waitSignal }),
                timeoutMs: Math.max(0, deadline - Date.now()),
              });
              break;
            } catch (error) {
              // A presence report can run ahead of the card (a reader announcing a card that is
              // already gone, or not yet powered): while waiting, CARD_ABSENT only means "not yet".
              // Connecting sends no APDU, so trying again is safe; the deadline still holds.
              const absent = CardError.isInstance(error) && error.code === 'CARD_ABSENT';
              if (!absent || waitSignal?.aborted === true || deadline - Date.now() <= CONNECT_RETRY_MS)
                throw error;
              await new Promise((resolve) => setTimeout(resolve, CONNECT_RETRY_MS));
            }
          }
          card = MyNumberCard.open(transport);
          const identity = await card.detect(waitSignal === undefined ? {} : { signal: waitSignal });
          if (!ACCEPTED_KINDS.has(identity.kind)) {
            throw new CardError(
              'NOT_A_MYNUMBER_CARD',
              `token ${identity.tokenLabel} is not a My Number card`,
              {
                remedy: 'card.not-mynumber',
              },
            );
          }
        },
        pinStatus: ({ signal: callSignal } = {}) => counter('auth', callSignal),
        async checkWithPin({ pin, challenge, allowLastTry, signal: callSignal }) {
          try {
            const result = await requireCard().check({
              pin,
              challenge,
              allowLastTry,
              ...(callSignal === undefined ? {} : { signal: callSignal }),
            });
            return { certificate: result.certificate, signature: result.signature, timings: result.timings };
          } finally {
            pin.fill(0);
          }
        },
        textPinStatus: ({ signal: callSignal } = {}) => counter('text', callSignal),
        async readBasicFour({ pin, allowLastTry, signal: callSignal }) {
          const transmit = callSignal === undefined ? {} : { signal: callSignal };
          try {
            // verifyPin reads the counter first and refuses the last try unless allowLastTry
            await requireCard().verifyPin('text', pin, { allowLastTry, ...transmit });
          } finally {
            pin.fill(0);
          }
          return requireCard().readBasicFour(transmit);
        },
        async readAuthCertificate({ signal: callSignal } = {}) {
          return requireCard().readCertificate(
            'auth',
            callSignal === undefined ? {} : { signal: callSignal },
          );
        },
        async close() {
          const openCard = card;
          const openTransport = transport;
          card = undefined;
          transport = undefined;
          try {
            if (openCard !== undefined) await openCard.close();
          } finally {
            if (openTransport !== undefined) await openTransport.close();
          }
        },
        async [Symbol.asyncDispose]() {
          await reader.close();
        },
      };
      return reader;
    },
    async close() {
      await provider.close();
    },
  };
}
