import { randomFillSync } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../audit/audit-log.js';
import { openReceptionDatabase, type ReceptionDatabase } from '../storage/database.js';
import { createAccountService } from './account-service.js';
import { createDeviceService } from './device-service.js';
import { hashSecret, verifySecret } from './password-hash.js';

let database: ReceptionDatabase;
let clock: Date;
const now = (): Date => clock;
const random = (bytes: Uint8Array): Uint8Array => randomFillSync(bytes);
const minutes = (count: number): void => {
  clock = new Date(clock.getTime() + count * 60_000);
};

function services() {
  const audit = createAuditLog(database, now);
  return {
    audit,
    accounts: createAccountService({ database, audit, now }),
    devices: createDeviceService({ database, audit, now, random }),
  };
}

beforeEach(() => {
  database = openReceptionDatabase({ path: ':memory:' });
  clock = new Date('2026-11-21T09:00:00Z');
});

describe('password hashing', () => {
  it('stores scrypt hashes with a random salt and verifies them', async () => {
    const first = await hashSecret('correct horse');
    const second = await hashSecret('correct horse');
    expect(first).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(first).not.toBe(second);
    expect(await verifySecret('correct horse', first)).toBe(true);
    expect(await verifySecret('correct hors', first)).toBe(false);
    expect(await verifySecret('x', 'not-a-hash')).toBe(false);
  });
});

describe('account lock (FAQ Q4)', () => {
  it('locks after 5 wrong passwords for 30 minutes, even for the right password', async () => {
    const { accounts, audit } = services();
    await accounts.registerFacility({
      facilityCode: '1399999999',
      facilityName: 'x',
      accountId: 'staff',
      displayName: 's',
      password: 'password-1',
    });
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      expect(await accounts.login('staff', 'wrong')).toEqual({
        ok: false,
        code: 'BAD_CREDENTIALS',
        attemptsLeft: 5 - attempt,
      });
    }
    const locked = await accounts.login('staff', 'wrong');
    expect(locked).toMatchObject({
      ok: false,
      code: 'ACCOUNT_LOCKED',
      lockedUntil: '2026-11-21T09:30:00.000Z',
    });
    expect((await accounts.login('staff', 'password-1')).ok).toBe(false);
    minutes(29);
    expect((await accounts.login('staff', 'password-1')).ok).toBe(false);
    minutes(1);
    expect(await accounts.login('staff', 'password-1')).toEqual({ ok: true, accountId: 'staff' });
    expect(audit.list().some((event) => event.action === 'account.locked')).toBe(true);
  });
  it('counts concurrent wrong attempts exactly (transactional counter)', async () => {
    const { accounts } = services();
    await accounts.createAccount({ accountId: 'staff', displayName: 's', password: 'password-1' });
    const results = await Promise.all(Array.from({ length: 5 }, () => accounts.login('staff', 'wrong')));
    expect(results.filter((result) => !result.ok && result.code === 'ACCOUNT_LOCKED')).toHaveLength(1);
    expect((await accounts.login('staff', 'password-1')).ok).toBe(false);
  });
  it('a success resets the counter', async () => {
    const { accounts } = services();
    await accounts.createAccount({ accountId: 'staff', displayName: 's', password: 'password-1' });
    for (let attempt = 0; attempt < 4; attempt += 1) await accounts.login('staff', 'wrong');
    expect((await accounts.login('staff', 'password-1')).ok).toBe(true);
    expect(await accounts.login('staff', 'wrong')).toMatchObject({ attemptsLeft: 4 });
  });
});

describe('devices and passcodes (FAQ Q5, Q15)', () => {
  it('5 wrong passcodes clear the login and the passcode', async () => {
    const { accounts, devices } = services();
    await accounts.createAccount({ accountId: 'staff', displayName: 's', password: 'password-1' });
    const registered = devices.register({ accountId: 'staff', name: 'pc' });
    if (!registered.ok) throw new Error('registration failed');
    await devices.setPasscode(registered.deviceId, '2468');
    expect(devices.state(registered.deviceId, undefined).stage).toBe('passcode');
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      expect(await devices.unlock(registered.deviceId, '0000')).toEqual({
        ok: false,
        code: 'PASSCODE_INCORRECT',
        attemptsLeft: 5 - attempt,
      });
    }
    expect(await devices.unlock(registered.deviceId, '0000')).toEqual({
      ok: false,
      code: 'PASSCODE_RESET_REQUIRED',
    });
    expect(devices.state(registered.deviceId, undefined).stage).toBe('system-login');
    expect(await devices.unlock(registered.deviceId, '2468')).toEqual({
      ok: false,
      code: 'PASSCODE_RESET_REQUIRED',
    });
    devices.attachLogin(registered.deviceId, 'staff');
    expect(devices.state(registered.deviceId, undefined).stage).toBe('passcode-setup');
  });
  it('a session locks after the idle time and the passcode unlocks it again', async () => {
    const { accounts, devices } = services();
    await accounts.createAccount({ accountId: 'staff', displayName: 's', password: 'password-1' });
    const registered = devices.register({ accountId: 'staff', name: 'pc' });
    if (!registered.ok) throw new Error('registration failed');
    const session = await devices.setPasscode(registered.deviceId, '2468');
    expect(devices.state(registered.deviceId, session).stage).toBe('ready');
    minutes(16);
    expect(devices.state(registered.deviceId, session).stage).toBe('passcode');
    const unlocked = await devices.unlock(registered.deviceId, '2468');
    expect(unlocked.ok).toBe(true);
  });
  it('one active device per account; a released device allows a new one only after about 1 hour', async () => {
    const { accounts, devices } = services();
    await accounts.createAccount({ accountId: 'staff', displayName: 's', password: 'password-1' });
    const first = devices.register({ accountId: 'staff', name: 'old phone' });
    if (!first.ok) throw new Error('registration failed');
    expect(devices.register({ accountId: 'staff', name: 'new phone' })).toEqual({
      ok: false,
      code: 'DEVICE_ALREADY_REGISTERED',
    });
    devices.release(first.deviceId, 'staff');
    expect(devices.state(first.deviceId, undefined).stage).toBe('unregistered');
    minutes(59);
    expect(devices.register({ accountId: 'staff', name: 'new phone' })).toEqual({
      ok: false,
      code: 'REREGISTRATION_WAIT',
      retryAt: '2026-11-21T10:00:00.000Z',
    });
    minutes(1);
    expect(devices.register({ accountId: 'staff', name: 'new phone' }).ok).toBe(true);
  });
});

describe('audit log', () => {
  it('detects an edited event', () => {
    const { audit } = services();
    audit.append({ actor: 'a', action: 'one' });
    audit.append({ actor: 'a', action: 'two', data: { x: 1 } });
    audit.append({ actor: 'a', action: 'three' });
    expect(audit.verify()).toEqual({ ok: true, events: 3 });
    database.run('UPDATE audit_event SET data_json = \'{"x":2}\' WHERE seq = 2');
    expect(audit.verify()).toEqual({ ok: false, events: 3, brokenAt: 2, reason: 'edited' });
  });
});
