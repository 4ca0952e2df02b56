/**
 * Facility settings: the security setting 「目視確認で本人確認」 (OFF = PIN mode, FAQ Q8) and the
 * reader chosen in settings (FAQ Q1/Q2: 「アプリの設定からカードリーダーが選択されているか」).
 *
 * @example
 * ```ts
 * const settings = createSettingsService({ database, audit });
 * settings.update('staff01', { visualCheckAllowed: true });
 * ```
 */
import type { ReaderSetup } from '@kakunin/core/remedies';
import type { AuditLog } from '../audit/audit-log.js';
import type { ReceptionDatabase } from '../storage/database.js';

export interface ReceptionSettings {
  /** 「目視確認で本人確認」: false = PIN mode only (the default). */
  readonly visualCheckAllowed: boolean;
  /** The reader selected in settings. */
  readonly readerId: string | null;
  /** The FAQ setup to use for troubleshooting when the reader does not say. */
  readonly readerSetup: ReaderSetup | null;
}

const DEFAULTS: ReceptionSettings = { visualCheckAllowed: false, readerId: null, readerSetup: null };
const SETUPS: readonly ReaderSetup[] = ['smartphone', 'ble-reader', 'wired-reader'];

export interface SettingsService {
  get(): ReceptionSettings;
  update(actor: string, changes: Partial<ReceptionSettings>): ReceptionSettings;
}

export function createSettingsService(options: {
  database: ReceptionDatabase;
  audit: AuditLog;
}): SettingsService {
  const { database, audit } = options;
  const service: SettingsService = {
    get() {
      const rows = database.all<{ key: string; value: string }>('SELECT key, value FROM setting');
      const stored = Object.fromEntries(rows.map((row) => [row.key, JSON.parse(row.value) as unknown]));
      return { ...DEFAULTS, ...(stored as Partial<ReceptionSettings>) };
    },
    update(actor, changes) {
      const next: Record<string, unknown> = {};
      if (changes.visualCheckAllowed !== undefined) {
        if (typeof changes.visualCheckAllowed !== 'boolean')
          throw new TypeError('visualCheckAllowed must be a boolean');
        next.visualCheckAllowed = changes.visualCheckAllowed;
      }
      if (changes.readerId !== undefined) {
        if (changes.readerId !== null && typeof changes.readerId !== 'string')
          throw new TypeError('readerId must be a string');
        next.readerId = changes.readerId;
      }
      if (changes.readerSetup !== undefined) {
        if (changes.readerSetup !== null && !SETUPS.includes(changes.readerSetup)) {
          throw new RangeError(`readerSetup must be one of ${SETUPS.join(', ')}`);
        }
        next.readerSetup = changes.readerSetup;
      }
      database.write(() => {
        for (const [key, value] of Object.entries(next)) {
          database.run(
            'INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
            key,
            JSON.stringify(value),
          );
        }
        audit.append({ actor, action: 'settings.updated', data: next });
      });
      return service.get();
    },
  };
  return service;
}
