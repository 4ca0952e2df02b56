/**
 * Facility and staff accounts with the FAQ's login rule: 5 wrong account passwords lock the account,
 * and the lock lifts after 30 minutes (FAQ Q4; domain.md §2). Passwords are scrypt hashes.
 *
 * The counter lives in `login_guard`, per account id whether or not the account exists: each attempt
 * reserves its slot in one transaction before the slow hash (so parallel guesses cannot outrun the
 * lock), unknown ids are verified against a dummy hash of the same cost, and a counter with no
 * attempt for 30 minutes is forgotten (the window).
 *
 * @example
 * ```ts
 * const accounts = createAccountService({ database, audit, now: () => new Date() });
 * await accounts.registerFacility({ facilityCode: '1312345678', facilityName: '模擬クリニック', accountId: 'staff01', displayName: '受付', password: 'pass-1234' });
 * const result = await accounts.login('staff01', 'pass-1234'); // { ok: true, accountId: 'staff01' }
 * ```
 */
import type { AuditLog } from '../audit/audit-log.js';
import { APP_POLICY } from '../policy.js';
import type { ReceptionDatabase } from '../storage/database.js';
import { hashSecret, verifySecret } from './password-hash.js';

export type LoginResult =
  | { readonly ok: true; readonly accountId: string }
  | { readonly ok: false; readonly code: 'ACCOUNT_LOCKED'; readonly lockedUntil: string }
  | { readonly ok: false; readonly code: 'BAD_CREDENTIALS'; readonly attemptsLeft: number };

export interface Facility {
  readonly code: string;
  readonly name: string;
}

export interface AccountService {
  facility(): Facility | undefined;
  registerFacility(input: {
    facilityCode: string;
    facilityName: string;
    accountId: string;
    displayName: string;
    password: string;
  }): Promise<void>;
  createAccount(input: { accountId: string; displayName: string; password: string }): Promise<void>;
  login(accountId: string, password: string): Promise<LoginResult>;
  displayName(accountId: string): string | undefined;
}

/** Minimum password length accepted at registration. */
const MIN_PASSWORD_LENGTH = 8;
const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9._-]{3,32}$/;
/** 医療機関コード: 10 digits (都道府県 2 + 点数表 1 + 機関 7). */
const FACILITY_CODE_PATTERN = /^\d{10}$/;

/** A hash of the same cost as a real one, verified for unknown account ids (timing-equal answers). */
let dummyHashPromise: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummyHashPromise ??= hashSecret('kakunin-unknown-account-dummy');
  return dummyHashPromise;
}

export function createAccountService(options: {
  database: ReceptionDatabase;
  audit: AuditLog;
  now: () => Date;
}): AccountService {
  const { database, audit, now } = options;

  const assertAccountInput = (accountId: string, password: string): void => {
    if (typeof accountId !== 'string' || !ACCOUNT_ID_PATTERN.test(accountId)) {
      throw new RangeError('accountId must be 3–32 letters, digits, dot, underscore or hyphen');
    }
    if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) {
      throw new RangeError(`password must have at least ${MIN_PASSWORD_LENGTH} characters`);
    }
  };

  const service: AccountService = {
    facility() {
      return database.get<Facility>('SELECT code, name FROM facility WHERE id = 1');
    },

    async registerFacility(input) {
      if (typeof input.facilityCode !== 'string' || !FACILITY_CODE_PATTERN.test(input.facilityCode)) {
        throw new RangeError('facilityCode must be the 10-digit 医療機関コード');
      }
      if (typeof input.facilityName !== 'string' || input.facilityName.trim().length === 0) {
        throw new RangeError('facilityName is required');
      }
      assertAccountInput(input.accountId, input.password);
      const hash = await hashSecret(input.password);
      database.write(() => {
        if (service.facility() !== undefined) throw new RangeError('facility is already registered');
        const at = now().toISOString();
        database.run(
          'INSERT INTO facility (id, code, name, created_at) VALUES (1, ?, ?, ?)',
          input.facilityCode,
          input.facilityName.trim(),
          at,
        );
        database.run(
          'INSERT INTO account (id, display_name, password_hash, created_at) VALUES (?, ?, ?, ?)',
          input.accountId,
          input.displayName?.trim() || input.accountId,
          hash,
          at,
        );
        audit.append({ actor: input.accountId, action: 'facility.registered', subject: input.facilityCode });
      });
    },

    async createAccount(input) {
      assertAccountInput(input.accountId, input.password);
      const hash = await hashSecret(input.password);
      database.write(() => {
        if (database.get('SELECT id FROM account WHERE id = ?', input.accountId) !== undefined) {
          throw new RangeError(`account ${input.accountId} already exists`);
        }
        database.run(
          'INSERT INTO account (id, display_name, password_hash, created_at) VALUES (?, ?, ?, ?)',
          input.accountId,
          input.displayName?.trim() || input.accountId,
          hash,
          now().toISOString(),
        );
        audit.append({ actor: null, action: 'account.created', subject: input.accountId });
      });
    },

    async login(accountId, password) {
      const id = String(accountId);
      if (!ACCOUNT_ID_PATTERN.test(id)) {
        // No account can have this id (the pattern is public): nothing to count or store, but the
        // same cost as any other attempt.
        await verifySecret(String(password), await dummyHash());
        return {
          ok: false,
          code: 'BAD_CREDENTIALS',
          attemptsLeft: APP_POLICY.accountMaxFailedPasswords - 1,
        };
      }
      const at = now();
      const atText = at.toISOString();
      // 1. Reserve an attempt slot atomically, before the slow hash: the slot counts as a wrong
      //    password until the hash proves otherwise, so however many guesses arrive at once, at most
      //    accountMaxFailedPasswords of them are ever evaluated per lock window. Unknown account ids
      //    go through the same guard (and a dummy hash below): same answers, same cost.
      const reservation = database.write(
        ():
          | { readonly lockedUntil: string }
          | {
              readonly slot: number;
              readonly lockedUntil: string | null;
              readonly hash: string | undefined;
            } => {
          database.run(
            'DELETE FROM login_guard WHERE last_attempt_at < ? AND (locked_until IS NULL OR locked_until < ?)',
            new Date(at.getTime() - APP_POLICY.accountLockMinutes * 60_000).toISOString(),
            atText,
          );
          const guard = database.get<{ failed: number; locked_until: string | null }>(
            'SELECT failed, locked_until FROM login_guard WHERE account_id = ?',
            id,
          );
          if (guard?.locked_until != null && Date.parse(guard.locked_until) > at.getTime()) {
            return { lockedUntil: guard.locked_until };
          }
          const slot = (guard === undefined || guard.locked_until !== null ? 0 : guard.failed) + 1;
          const lockedUntil =
            slot >= APP_POLICY.accountMaxFailedPasswords
              ? new Date(at.getTime() + APP_POLICY.accountLockMinutes * 60_000).toISOString()
              : null;
          database.run(
            'INSERT INTO login_guard (account_id, failed, locked_until, last_attempt_at) VALUES (?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET failed = excluded.failed, locked_until = excluded.locked_until, last_attempt_at = excluded.last_attempt_at',
            id,
            lockedUntil === null ? slot : 0,
            lockedUntil,
            atText,
          );
          const hash = database.get<{ password_hash: string }>(
            'SELECT password_hash FROM account WHERE id = ?',
            id,
          )?.password_hash;
          return { slot, lockedUntil, hash };
        },
      );
      if (!('slot' in reservation)) {
        return { ok: false, code: 'ACCOUNT_LOCKED', lockedUntil: reservation.lockedUntil };
      }
      // 2. The slow hash, against a dummy hash of the same cost for unknown accounts.
      const stored = reservation.hash ?? (await dummyHash());
      const matches = (await verifySecret(String(password), stored)) && reservation.hash !== undefined;
      // 3. Settle: a right password gives the slot back (and lifts a lock its own window set).
      return database.write((): LoginResult => {
        if (matches) {
          database.run('DELETE FROM login_guard WHERE account_id = ?', id);
          audit.append({ actor: id, action: 'account.login', subject: id });
          return { ok: true, accountId: id };
        }
        if (reservation.lockedUntil !== null) {
          audit.append({
            actor: null,
            action: 'account.locked',
            subject: id,
            data: { lockedUntil: reservation.lockedUntil },
          });
          return { ok: false, code: 'ACCOUNT_LOCKED', lockedUntil: reservation.lockedUntil };
        }
        return {
          ok: false,
          code: 'BAD_CREDENTIALS',
          attemptsLeft: APP_POLICY.accountMaxFailedPasswords - reservation.slot,
        };
      });
    },

    displayName(accountId) {
      return database.get<{ display_name: string }>(
        'SELECT display_name FROM account WHERE id = ?',
        accountId,
      )?.display_name;
    },
  };
  return service;
}
