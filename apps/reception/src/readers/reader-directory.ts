/**
 * The card readers as the app sees them: the list (or, when listing fails, the guidance for the
 * chosen setup), the setup of one reader, and linking a card's certificate to a person of the
 * built-in stand-in (demo). Route handlers go through this, never to the reader factory.
 *
 * @example
 * ```ts
 * const directory = createReaderDirectory({ readers, settings, defaultSetup: 'wired-reader' });
 * const { readers: list } = await directory.list();
 * ```
 */
import type { ReaderSetup } from '@kakunin/core/remedies';
import type { CardReaderFactory, ReaderChoice } from '../ports/card-reader.js';
import type { SqliteQualificationService } from '../qualification/sqlite-qualification-service.js';
import type { SettingsService } from '../settings/settings-service.js';
import { type Guidance, guidanceFor } from '../troubleshooting/error-guidance.js';

export interface ReaderListing {
  readonly kind: string;
  readonly readers: readonly ReaderChoice[];
  readonly selected: string | null;
  readonly guidance?: Guidance;
}

export interface ReaderDirectory {
  readonly kind: string;
  list(): Promise<ReaderListing>;
  /** The setup of a listed reader (the default setup when it is not listed). */
  setupFor(readerId: string): Promise<ReaderSetup>;
  /** The chosen reader of the settings, unless `requested` names one. */
  resolve(requested: unknown): string;
  /** Reads the auth certificate of the card in the reader and links it to a stand-in person. */
  linkStandIn(standIn: SqliteQualificationService, personId: string, readerId: string): Promise<void>;
}

export function createReaderDirectory(options: {
  readers: CardReaderFactory;
  settings: SettingsService;
  defaultSetup: ReaderSetup;
  /** How long linking waits for a card, ms. */
  linkWaitMs?: number;
}): ReaderDirectory {
  const { readers, settings, defaultSetup } = options;
  return {
    kind: readers.kind,
    async list() {
      try {
        const list = await readers.listReaders({});
        return { kind: readers.kind, readers: list, selected: settings.get().readerId };
      } catch (error) {
        const setup = settings.get().readerSetup ?? defaultSetup;
        return {
          kind: readers.kind,
          readers: [],
          selected: settings.get().readerId,
          guidance: guidanceFor((error as { code?: string }).code ?? 'SERVICE_UNAVAILABLE', setup, {
            message: (error as Error).message,
          }),
        };
      }
    },
    async setupFor(readerId) {
      const list = await readers.listReaders({});
      return list.find((reader) => reader.id === readerId)?.setup ?? defaultSetup;
    },
    resolve(requested) {
      return typeof requested === 'string' && requested !== '' ? requested : (settings.get().readerId ?? '');
    },
    async linkStandIn(standIn, personId, readerId) {
      const reader = await readers.open(readerId, {});
      try {
        await reader.waitForCard({ timeoutMs: options.linkWaitMs ?? 10_000 });
        const certificate = await reader.readAuthCertificate({});
        standIn.linkCertificate(personId, certificate);
      } finally {
        await reader.close();
      }
    },
  };
}
