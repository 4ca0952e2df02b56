/**
 * Facility and staff accounts with the FAQ's login rule: 5 wrong account passwords lock the account,
 * and the lock lifts after 30 minutes (FAQ Q4; domain.md §2). Passwords are scrypt hashes.
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
  | { readonly ok: false; readonly code: 'BAD_CREDENTIALS'; readonly attemptsLeft?: number };

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
      const row = database.get<{
        password_hash: string;
        failed_passwords: number;
        locked_until: string | null;
      }>('SELECT password_hash, failed_passwords, locked_until FROM account WHERE id = ?', String(accountId));
      if (row === undefined) return { ok: false, code: 'BAD_CREDENTIALS' };
      const at = now();
      if (row.locked_until !== null && Date.parse(row.locked_until) > at.getTime()) {
        return { ok: false, code: 'ACCOUNT_LOCKED', lockedUntil: row.locked_until };
      }
      const matches = await verifySecret(String(password), row.password_hash);
      return database.write((): LoginResult => {
        if (matches) {
          database.run(
            'UPDATE account SET failed_passwords = 0, locked_until = NULL WHERE id = ?',
            accountId,
          );
          audit.append({ actor: accountId, action: 'account.login', subject: accountId });
          return { ok: true, accountId };
        }
        // Re-read inside the transaction so concurrent wrong attempts all count.
        const current = database.get<{ failed_passwords: number; locked_until: string | null }>(
          'SELECT failed_passwords, locked_until FROM account WHERE id = ?',
          accountId,
        )!;
        const expiredLock = current.locked_until !== null && Date.parse(current.locked_until) <= at.getTime();
        const failed = (expiredLock ? 0 : current.failed_passwords) + 1;
        if (failed >= APP_POLICY.accountMaxFailedPasswords) {
          const lockedUntil = new Date(at.getTime() + APP_POLICY.accountLockMinutes * 60_000).toISOString();
          database.run(
            'UPDATE account SET failed_passwords = 0, locked_until = ? WHERE id = ?',
            lockedUntil,
            accountId,
          );
          audit.append({
            actor: accountId,
            action: 'account.locked',
            subject: accountId,
            data: { lockedUntil },
          });
          return { ok: false, code: 'ACCOUNT_LOCKED', lockedUntil };
        }
        database.run(
          'UPDATE account SET failed_passwords = ?, locked_until = NULL WHERE id = ?',
          failed,
          accountId,
        );
        return {
          ok: false,
          code: 'BAD_CREDENTIALS',
          attemptsLeft: APP_POLICY.accountMaxFailedPasswords - failed,
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
