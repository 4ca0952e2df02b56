/**
 * Append-only audit log with a keyed hash chain: each event stores HMAC-SHA-256(key, previous hash ‖
 * canonical event) with a key kept outside the database (audit-key.ts), and a head anchor (the last
 * seq and hash) kept outside it too. {@link AuditLog.verify} therefore detects an edited or deleted
 * row, a chain recomputed without the key, and a cut-off end (truncation below the anchor). Events
 * written by earlier versions (unkeyed SHA-256, `chain = 'sha256'`) still verify, but only before
 * the first keyed event. Used for every fallback, visual (目視) attestation, login lock and device
 * change.
 *
 * @example
 * ```ts
 * const audit = createAuditLog(database, () => new Date(), { key, anchor: createMemoryAnchor() });
 * audit.append({ actor: 'staff01', action: 'fallback.recorded', subject: 'fb-1', data: { evidence: 'notice' } });
 * audit.verify(); // { ok: true, events: 1 }
 * ```
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { ReceptionDatabase } from '../storage/database.js';
import { type AuditAnchorStore, createMemoryAnchor } from './audit-key.js';

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
  verify(): AuditVerification;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly events: number;
  /** The first seq that does not verify (for `truncated`, the anchored seq that is missing). */
  readonly brokenAt?: number;
  readonly reason?: 'edited' | 'truncated' | 'downgraded';
}

export interface AuditLogOptions {
  /** HMAC key (kept outside the database); default: a random key for this process only. */
  readonly key?: Uint8Array;
  /** Head anchor store (kept outside the database); default: in memory. */
  readonly anchor?: AuditAnchorStore;
}

/** The hash of the (empty) chain start. */
const GENESIS_HASH = '0'.repeat(64);

/** A row of `audit_event` as stored. */
export interface AuditRow {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  subject: string | null;
  data_json: string;
  prev_hash: string;
  hash: string;
  chain?: string;
}

const KEYED = 'hmac-sha256';
const LEGACY = 'sha256';

/**
 * An entry's hash over its canonical form chained to `previous`: HMAC-SHA-256 with `key` (the
 * current chain), or plain SHA-256 without one (the legacy chain, which anyone can recompute).
 */
export function auditEntryHash(
  key: Uint8Array | undefined,
  previous: string,
  row: Pick<AuditRow, 'at' | 'actor' | 'action' | 'subject' | 'data_json'>,
): string {
  const hash = key === undefined ? createHash('sha256') : createHmac('sha256', key);
  return hash
    .update(JSON.stringify([previous, row.at, row.actor, row.action, row.subject, row.data_json]))
    .digest('hex');
}

export function createAuditLog(
  database: ReceptionDatabase,
  now: () => Date,
  options: AuditLogOptions = {},
): AuditLog {
  const key = options.key ?? new Uint8Array(randomBytes(32));
  if (!(key instanceof Uint8Array) || key.length < 16) throw new TypeError('audit: key must be ≥ 16 bytes');
  const anchor = options.anchor ?? createMemoryAnchor();
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
        const hash = auditEntryHash(key, previous, {
          at,
          actor: event.actor,
          action: event.action,
          subject,
          data_json: dataJson,
        });
        const info = database.run(
          `INSERT INTO audit_event (at, actor, action, subject, data_json, prev_hash, hash, chain) VALUES (?, ?, ?, ?, ?, ?, ?, '${KEYED}')`,
          at,
          event.actor,
          event.action,
          subject,
          dataJson,
          previous,
          hash,
        );
        const seq = Number(info.lastInsertRowid);
        // The anchor moves only once the event is committed (a rolled-back append must not leave
        // an anchor pointing at an event that never existed).
        database.afterCommit(() => anchor.write({ seq, hash }));
        return toEvent({
          seq,
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
      let keyed = false;
      for (const row of rows) {
        const isKeyed = row.chain === KEYED;
        if (!isKeyed && (keyed || row.chain !== LEGACY)) {
          return { ok: false, events: rows.length, brokenAt: row.seq, reason: 'downgraded' };
        }
        keyed ||= isKeyed;
        const expected = auditEntryHash(isKeyed ? key : undefined, previous, row);
        if (row.prev_hash !== previous || row.hash !== expected)
          return { ok: false, events: rows.length, brokenAt: row.seq, reason: 'edited' };
        previous = row.hash;
      }
      const head = anchor.read();
      if (head !== undefined) {
        const anchored = rows.find((row) => row.seq === head.seq);
        if (anchored === undefined || anchored.hash !== head.hash)
          return { ok: false, events: rows.length, brokenAt: head.seq, reason: 'truncated' };
      }
      const last = rows.at(-1);
      if (last !== undefined && (head === undefined || last.seq > head.seq))
        anchor.write({ seq: last.seq, hash: last.hash });
      return { ok: true, events: rows.length };
    },
  };
}
