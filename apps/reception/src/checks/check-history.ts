/**
 * The recent qualification checks as stored (no PIN, no card data beyond the outcome), newest first.
 *
 * @example
 * ```ts
 * const history = createCheckHistory(database);
 * history.recent(100); // [{ id, started_at, status, … }]
 * ```
 */
import type { ReceptionDatabase } from '../storage/database.js';

export interface CheckHistory {
  recent(limit: number): Record<string, unknown>[];
}

export function createCheckHistory(database: ReceptionDatabase): CheckHistory {
  return {
    recent(limit) {
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new RangeError('CheckHistory.recent: limit must be 1–1000');
      return database.all<Record<string, unknown>>(
        'SELECT id, started_at, finished_at, staff_account, reader_id, mode, status, error_code, remedy_key, failure_category, qualification_validity, visual_staff_id, visual_confirmed_at FROM qualification_check ORDER BY started_at DESC LIMIT ?',
        limit,
      );
    },
  };
}
