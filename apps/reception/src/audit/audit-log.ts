/**
 * Append-only audit log with a hash chain: each event stores SHA-256(previous hash ‖ canonical
 * event), so an edited or deleted row breaks {@link AuditLog.verify}. Used for every fallback,
 * visual (目視) attestation, login lock and device change.
 *
 * @example
 * ```ts
 * const audit = createAuditLog(database, () => new Date());
 * audit.append({ actor: 'staff01', action: 'fallback.recorded', subject: 'fb-1', data: { evidence: 'notice' } });
 * audit.verify(); // { ok: true, events: 1 }
 * ```
 */
import { createHash } from 'node:crypto';
import type { ReceptionDatabase } from '../storage/database.js';

export interface AuditEventInput {
  readonly actor: string | null;
  readonly action: string;
  readonly subject?: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface AuditEvent {
  readonly seq: number;
  readonly at: string;
  readonly actor: string | null;
  readonly action: string;
  readonly subject: string | null;
  readonly data: Record<string, unknown>;
  readonly hash: string;
}

export interface AuditLog {
  append(event: AuditEventInput): AuditEvent;
  list(options?: { subject?: string; limit?: number }): AuditEvent[];
  verify(): { ok: boolean; events: number; brokenAt?: number };
}

/** The hash of the (empty) chain start. */
const GENESIS_HASH = '0'.repeat(64);

interface AuditRow {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  subject: string | null;
  data_json: string;
  prev_hash: string;
  hash: string;
}

function chainHash(
  previous: string,
  at: string,
  actor: string | null,
  action: string,
  subject: string | null,
  dataJson: string,
): string {
  return createHash('sha256')
    .update(JSON.stringify([previous, at, actor, action, subject, dataJson]))
    .digest('hex');
}

export function createAuditLog(database: ReceptionDatabase, now: () => Date): AuditLog {
  const toEvent = (row: AuditRow): AuditEvent => ({
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    data: JSON.parse(row.data_json) as Record<string, unknown>,
    hash: row.hash,
  });
  return {
    append(event) {
      if (typeof event?.action !== 'string' || event.action.length === 0) {
        throw new TypeError('audit.append: event.action must be a non-empty string');
      }
      return database.write(() => {
        const last = database.get<{ hash: string }>('SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1');
        const previous = last?.hash ?? GENESIS_HASH;
        const at = now().toISOString();
        const dataJson = JSON.stringify(event.data ?? {});
        const subject = event.subject ?? null;
        const hash = chainHash(previous, at, event.actor, event.action, subject, dataJson);
        const info = database.run(
          'INSERT INTO audit_event (at, actor, action, subject, data_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
          at,
          event.actor,
          event.action,
          subject,
          dataJson,
          previous,
          hash,
        );
        return toEvent({
          seq: Number(info.lastInsertRowid),
          at,
          actor: event.actor,
          action: event.action,
          subject,
          data_json: dataJson,
          prev_hash: previous,
          hash,
        });
      });
    },
    list(options = {}) {
      const limit = Math.min(Math.max(Math.trunc(options.limit ?? 200), 1), 1000);
      const rows =
        options.subject === undefined
          ? database.all<AuditRow>('SELECT * FROM audit_event ORDER BY seq DESC LIMIT ?', limit)
          : database.all<AuditRow>(
              'SELECT * FROM audit_event WHERE subject = ? ORDER BY seq DESC LIMIT ?',
              options.subject,
              limit,
            );
      return rows.map(toEvent);
    },
    verify() {
      const rows = database.all<AuditRow>('SELECT * FROM audit_event ORDER BY seq ASC');
      let previous = GENESIS_HASH;
      for (const row of rows) {
        const expected = chainHash(previous, row.at, row.actor, row.action, row.subject, row.data_json);
        if (row.prev_hash !== previous || row.hash !== expected)
          return { ok: false, events: rows.length, brokenAt: row.seq };
        previous = row.hash;
      }
      return { ok: true, events: rows.length };
    },
  };
}
