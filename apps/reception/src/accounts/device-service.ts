/**
 * Device registration, the app passcode and browser sessions (domain.md §11 setup states):
 * - a device is registered by an account after a system login; an account has at most one active
 *   device, and after 「デバイス登録を解除」 a new device may register only after about 1 hour (FAQ Q15);
 * - the device keeps the system login; each app start (browser session) is unlocked by the passcode;
 *   5 wrong passcodes clear the login and the passcode: system login and passcode re-set (FAQ Q5).
 *
 * @example
 * ```ts
 * const devices = createDeviceService({ database, audit, now, random });
 * const device = devices.register({ accountId: 'staff01', name: '受付PC' });
 * await devices.setPasscode(device.id, '246810');
 * const unlocked = await devices.unlock(device.id, '246810'); // { ok: true, sessionId }
 * ```
 */
import type { AuditLog } from '../audit/audit-log.js';
import { APP_POLICY } from '../policy.js';
import type { ReceptionDatabase } from '../storage/database.js';
import { hashSecret, verifySecret } from './password-hash.js';

/** Passcode: 4–8 digits. */
const PASSCODE_PATTERN = /^\d{4,8}$/;

export type DeviceStage = 'unregistered' | 'system-login' | 'passcode-setup' | 'passcode' | 'ready';

export interface DeviceState {
  readonly stage: DeviceStage;
  readonly deviceId?: string;
  readonly deviceName?: string;
  readonly accountId?: string;
  readonly passcodeAttemptsLeft?: number;
}

export type RegisterResult =
  | { readonly ok: true; readonly deviceId: string }
  | { readonly ok: false; readonly code: 'DEVICE_ALREADY_REGISTERED' }
  | { readonly ok: false; readonly code: 'REREGISTRATION_WAIT'; readonly retryAt: string };

export type UnlockResult =
  | { readonly ok: true; readonly sessionId: string }
  | { readonly ok: false; readonly code: 'PASSCODE_INCORRECT'; readonly attemptsLeft: number }
  | { readonly ok: false; readonly code: 'PASSCODE_RESET_REQUIRED' };

export interface DeviceService {
  state(deviceId: string | undefined, sessionId: string | undefined): DeviceState;
  register(input: { accountId: string; name: string }): RegisterResult;
  /** After a system login on a registered device. */
  attachLogin(deviceId: string, accountId: string): void;
  setPasscode(deviceId: string, passcode: string): Promise<string>;
  unlock(deviceId: string, passcode: string): Promise<UnlockResult>;
  release(deviceId: string, accountId: string): void;
  endSession(sessionId: string): void;
}

interface DeviceRow {
  id: string;
  name: string;
  status: 'active' | 'released';
  account_id: string | null;
  passcode_hash: string | null;
  failed_passcodes: number;
  registered_at: string;
  released_at: string | null;
}

export function createDeviceService(options: {
  database: ReceptionDatabase;
  audit: AuditLog;
  now: () => Date;
  random: (bytes: Uint8Array) => Uint8Array;
}): DeviceService {
  const { database, audit, now, random } = options;
  const newId = (): string => Buffer.from(random(new Uint8Array(16))).toString('hex');
  const device = (id: string | undefined): DeviceRow | undefined =>
    id === undefined ? undefined : database.get<DeviceRow>('SELECT * FROM device WHERE id = ?', id);

  const openSession = (deviceId: string, accountId: string): string => {
    const id = newId();
    const at = now().toISOString();
    database.run(
      'INSERT INTO session (id, device_id, account_id, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)',
      id,
      deviceId,
      accountId,
      at,
      at,
    );
    return id;
  };

  return {
    state(deviceId, sessionId) {
      const row = device(deviceId);
      if (row === undefined || row.status !== 'active') return { stage: 'unregistered' };
      const base = { deviceId: row.id, deviceName: row.name };
      if (row.account_id === null) return { ...base, stage: 'system-login' };
      if (row.passcode_hash === null) return { ...base, stage: 'passcode-setup', accountId: row.account_id };
      if (sessionId !== undefined) {
        const session = database.get<{ account_id: string; last_seen_at: string }>(
          'SELECT account_id, last_seen_at FROM session WHERE id = ? AND device_id = ?',
          sessionId,
          row.id,
        );
        const at = now();
        if (
          session !== undefined &&
          session.account_id === row.account_id &&
          at.getTime() - Date.parse(session.last_seen_at) <= APP_POLICY.sessionIdleMinutes * 60_000
        ) {
          database.run('UPDATE session SET last_seen_at = ? WHERE id = ?', at.toISOString(), sessionId);
          return { ...base, stage: 'ready', accountId: row.account_id };
        }
      }
      return {
        ...base,
        stage: 'passcode',
        accountId: row.account_id,
        passcodeAttemptsLeft: APP_POLICY.passcodeMaxFailures - row.failed_passcodes,
      };
    },

    register({ accountId, name }) {
      if (typeof name !== 'string' || name.trim().length === 0 || name.length > 64) {
        throw new RangeError('device name must be 1–64 characters');
      }
      return database.write((): RegisterResult => {
        const active = database.get(
          "SELECT id FROM device WHERE account_id = ? AND status = 'active'",
          accountId,
        );
        if (active !== undefined) return { ok: false, code: 'DEVICE_ALREADY_REGISTERED' };
        const released = database.get<{ released_at: string }>(
          "SELECT released_at FROM device WHERE status = 'released' AND registered_by = ? ORDER BY released_at DESC LIMIT 1",
          accountId,
        );
        if (released !== undefined) {
          const retryAt =
            Date.parse(released.released_at) + APP_POLICY.deviceReregistrationWaitMinutes * 60_000;
          if (now().getTime() < retryAt) {
            return { ok: false, code: 'REREGISTRATION_WAIT', retryAt: new Date(retryAt).toISOString() };
          }
        }
        const id = newId();
        database.run(
          "INSERT INTO device (id, name, status, registered_at, registered_by, account_id) VALUES (?, ?, 'active', ?, ?, ?)",
          id,
          name.trim(),
          now().toISOString(),
          accountId,
          accountId,
        );
        audit.append({
          actor: accountId,
          action: 'device.registered',
          subject: id,
          data: { name: name.trim() },
        });
        return { ok: true, deviceId: id };
      });
    },

    attachLogin(deviceId, accountId) {
      database.write(() => {
        const row = device(deviceId);
        if (row === undefined || row.status !== 'active') throw new RangeError('device is not registered');
        database.run(
          'UPDATE device SET account_id = ?, passcode_hash = NULL, failed_passcodes = 0 WHERE id = ?',
          accountId,
          deviceId,
        );
        // A system re-login ends every earlier session of this device and of this account.
        database.run('DELETE FROM session WHERE device_id = ? OR account_id = ?', deviceId, accountId);
      });
    },

    async setPasscode(deviceId, passcode) {
      if (typeof passcode !== 'string' || !PASSCODE_PATTERN.test(passcode)) {
        throw new RangeError('passcode must be 4–8 digits');
      }
      const hash = await hashSecret(passcode);
      return database.write(() => {
        const row = device(deviceId);
        if (row === undefined || row.status !== 'active' || row.account_id === null) {
          throw new RangeError('log in on a registered device first');
        }
        if (row.passcode_hash !== null) throw new RangeError('passcode is already set');
        database.run(
          'UPDATE device SET passcode_hash = ?, failed_passcodes = 0 WHERE id = ?',
          hash,
          deviceId,
        );
        audit.append({ actor: row.account_id, action: 'device.passcode-set', subject: deviceId });
        // A new passcode ends every earlier session of this device and of this account.
        database.run('DELETE FROM session WHERE device_id = ? OR account_id = ?', deviceId, row.account_id);
        return openSession(deviceId, row.account_id);
      });
    },

    async unlock(deviceId, passcode) {
      // Reserve the attempt before the slow hash (see account-service): parallel wrong passcodes
      // cannot outrun the 5-try reset, and at most 5 are ever evaluated.
      const reservation = database.write(
        (): UnlockResult | { readonly slot: number; readonly hash: string; readonly accountId: string } => {
          const row = device(deviceId);
          if (
            row === undefined ||
            row.status !== 'active' ||
            row.account_id === null ||
            row.passcode_hash === null
          ) {
            return { ok: false, code: 'PASSCODE_RESET_REQUIRED' };
          }
          if (row.failed_passcodes >= APP_POLICY.passcodeMaxFailures) {
            return { ok: false, code: 'PASSCODE_INCORRECT', attemptsLeft: 0 };
          }
          const slot = row.failed_passcodes + 1;
          database.run('UPDATE device SET failed_passcodes = ? WHERE id = ?', slot, deviceId);
          return { slot, hash: row.passcode_hash, accountId: row.account_id };
        },
      );
      if (!('slot' in reservation)) return reservation;
      const matches = await verifySecret(String(passcode), reservation.hash);
      return database.write((): UnlockResult => {
        const current = device(deviceId);
        if (
          current === undefined ||
          current.account_id !== reservation.accountId ||
          current.passcode_hash !== reservation.hash
        ) {
          return { ok: false, code: 'PASSCODE_RESET_REQUIRED' };
        }
        if (matches) {
          database.run('UPDATE device SET failed_passcodes = 0 WHERE id = ?', deviceId);
          return { ok: true, sessionId: openSession(deviceId, current.account_id) };
        }
        if (reservation.slot >= APP_POLICY.passcodeMaxFailures) {
          database.run(
            'UPDATE device SET account_id = NULL, passcode_hash = NULL, failed_passcodes = 0 WHERE id = ?',
            deviceId,
          );
          database.run('DELETE FROM session WHERE device_id = ?', deviceId);
          audit.append({
            actor: current.account_id,
            action: 'device.passcode-reset-required',
            subject: deviceId,
          });
          return { ok: false, code: 'PASSCODE_RESET_REQUIRED' };
        }
        return {
          ok: false,
          code: 'PASSCODE_INCORRECT',
          attemptsLeft: APP_POLICY.passcodeMaxFailures - reservation.slot,
        };
      });
    },

    release(deviceId, accountId) {
      database.write(() => {
        const row = device(deviceId);
        if (row === undefined || row.status !== 'active') throw new RangeError('device is not registered');
        database.run(
          "UPDATE device SET status = 'released', released_at = ?, account_id = NULL, passcode_hash = NULL WHERE id = ?",
          now().toISOString(),
          deviceId,
        );
        database.run('DELETE FROM session WHERE device_id = ?', deviceId);
        audit.append({ actor: accountId, action: 'device.released', subject: deviceId });
      });
    },

    endSession(sessionId) {
      database.run('DELETE FROM session WHERE id = ?', sessionId);
    },
  };
}
