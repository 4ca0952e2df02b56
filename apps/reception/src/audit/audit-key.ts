/**
 * The audit chain's HMAC key and head anchor live outside the database, in files beside it (in the
 * private 0700 directory): someone who can edit the database (a shared PostgreSQL, a copied file)
 * cannot recompute the chain without the key, and cannot cut its end without the anchor noticing.
 *
 * - key: 32 random bytes, hex, mode 0600, created on first start (`audit.key`). Desks sharing one
 *   PostgreSQL database share one key file (copy it to each desk).
 * - anchor: the last (seq, hash) this process appended or verified (`audit.head`), written by
 *   write-then-rename after each append.
 *
 * @example
 * ```ts
 * const key = loadOrCreateAuditKey('.kakunin/audit.key');
 * const anchor = createFileAnchor('.kakunin/audit.head');
 * ```
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';

/** Typed failure: the key file exists but is not a key. */
export class AuditKeyError extends Error {
  override readonly name = 'AuditKeyError';
  readonly code = 'AUDIT_KEY_INVALID';
}

const KEY_BYTES = 32;
const KEY_PATTERN = /^[0-9a-f]{64}$/;
const ANCHOR_LIMIT = 4096;

/** Reads the key at `path`, or creates it (0600) when missing; a too-open mode is fixed. */
export function loadOrCreateAuditKey(path: string): Uint8Array {
  if (!existsSync(path)) {
    try {
      writeFileSync(path, `${randomBytes(KEY_BYTES).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  if ((statSync(path).mode & 0o777) !== 0o600) chmodSync(path, 0o600);
  if (statSync(path).size > 1024) throw new AuditKeyError(`${path} is not an audit key (too large)`);
  const text = readFileSync(path, 'utf8').trim();
  if (!KEY_PATTERN.test(text)) throw new AuditKeyError(`${path} is not an audit key (64 hex digits)`);
  return new Uint8Array(Buffer.from(text, 'hex'));
}

export interface AuditAnchor {
  readonly seq: number;
  readonly hash: string;
}

/** Where the head anchor is kept. */
export interface AuditAnchorStore {
  read(): AuditAnchor | undefined;
  write(anchor: AuditAnchor): void;
}

/** The anchor in a file (write-then-rename, 0600). */
export function createFileAnchor(path: string): AuditAnchorStore {
  return {
    read() {
      if (!existsSync(path)) return undefined;
      if (statSync(path).size > ANCHOR_LIMIT) return { seq: Number.MAX_SAFE_INTEGER, hash: 'invalid' };
      try {
        const parsed = JSON.parse(readFileSync(path, 'utf8')) as { seq?: unknown; hash?: unknown };
        if (typeof parsed.seq === 'number' && typeof parsed.hash === 'string')
          return { seq: parsed.seq, hash: parsed.hash };
      } catch {
        // fall through: an unreadable anchor is reported as a broken anchor
      }
      return { seq: Number.MAX_SAFE_INTEGER, hash: 'invalid' };
    },
    write(anchor) {
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(anchor), { mode: 0o600 });
      renameSync(temporary, path);
    },
  };
}

/** The anchor in memory (`:memory:` databases, tests). */
export function createMemoryAnchor(): AuditAnchorStore {
  let current: AuditAnchor | undefined;
  return {
    read: () => current,
    write: (anchor) => {
      current = anchor;
    },
  };
}
