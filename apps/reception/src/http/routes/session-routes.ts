/**
 * Facility setup, device registration, system login, passcode setup/unlock, lock and device
 * release (FAQ Q4, Q5, Q13, Q15), and `/api/state`, the stage the browser is in.
 */
import { remedyCatalog } from '@kakunin/core/remedies';
import type { AppContext, RouteGroup } from '../context.js';
import { HttpError, readJson, sendJson } from '../http-helpers.js';

async function loginOrThrow(app: AppContext, body: Record<string, unknown>): Promise<string> {
  const result = await app.services.accounts.login(String(body.accountId ?? ''), String(body.password ?? ''));
  if (result.ok) return result.accountId;
  const remedy = result.code === 'ACCOUNT_LOCKED' ? remedyCatalog['account.locked'] : undefined;
  throw new HttpError(result.code === 'ACCOUNT_LOCKED' ? 423 : 401, result.code, 'login failed', {
    ...('lockedUntil' in result ? { lockedUntil: result.lockedUntil } : {}),
    ...('attemptsLeft' in result && result.attemptsLeft !== undefined
      ? { attemptsLeft: result.attemptsLeft }
      : {}),
    ...(remedy === undefined
      ? {}
      : { remedy: { key: remedy.key, title: remedy.title, action: remedy.action } }),
  });
}

export const sessionRoutes: RouteGroup = (router, app) => {
  const { accounts, devices } = app.services;
  const jsonLimit = app.config.limits.jsonBodyBytes;

  router.get('/api/state', (context) => sendJson(context.response, 200, app.stateBody(context)));

  router.post('/api/setup/facility', async (context) => {
    const body = await readJson(context.request, jsonLimit);
    if (accounts.facility() !== undefined)
      throw new HttpError(409, 'ALREADY_REGISTERED', 'facility is already registered');
    await accounts.registerFacility({
      facilityCode: String(body.facilityCode ?? ''),
      facilityName: String(body.facilityName ?? ''),
      accountId: String(body.accountId ?? ''),
      displayName: String(body.displayName ?? ''),
      password: String(body.password ?? ''),
    });
    const registered = devices.register({
      accountId: String(body.accountId),
      name: String(body.deviceName ?? 'reception'),
    });
    if (!registered.ok) throw new HttpError(409, registered.code, 'device registration refused');
    devices.attachLogin(registered.deviceId, String(body.accountId));
    const state = devices.state(registered.deviceId, undefined);
    sendJson(context.response, 200, app.stateBody(context, state), {
      'set-cookie': app.deviceCookie(registered.deviceId),
    });
  });

  router.post('/api/device/register', async (context) => {
    const body = await readJson(context.request, jsonLimit);
    const accountId = await loginOrThrow(app, body);
    const registered = devices.register({ accountId, name: String(body.deviceName ?? 'reception') });
    if (!registered.ok) {
      throw new HttpError(
        409,
        registered.code,
        'device registration refused',
        'retryAt' in registered ? { retryAt: registered.retryAt } : {},
      );
    }
    devices.attachLogin(registered.deviceId, accountId);
    sendJson(context.response, 200, app.stateBody(context, devices.state(registered.deviceId, undefined)), {
      'set-cookie': app.deviceCookie(registered.deviceId),
    });
  });

  router.post('/api/login', async (context) => {
    if (context.deviceId === undefined || context.state.stage === 'unregistered') {
      throw new HttpError(409, 'DEVICE_NOT_REGISTERED', 'register this device first');
    }
    const body = await readJson(context.request, jsonLimit);
    const accountId = await loginOrThrow(app, body);
    devices.attachLogin(context.deviceId, accountId);
    sendJson(context.response, 200, app.stateBody(context, devices.state(context.deviceId, undefined)));
  });

  router.post('/api/passcode/setup', async (context) => {
    if (context.deviceId === undefined || context.state.stage !== 'passcode-setup') {
      throw new HttpError(409, 'WRONG_STAGE', 'passcode setup is not expected now', {
        stage: context.state.stage,
      });
    }
    const body = await readJson(context.request, jsonLimit);
    const sessionId = await devices.setPasscode(context.deviceId, String(body.passcode ?? ''));
    sendJson(context.response, 200, app.stateBody(context, devices.state(context.deviceId, sessionId)), {
      'set-cookie': app.sessionCookie(sessionId),
    });
  });

  router.post('/api/passcode/unlock', async (context) => {
    if (context.deviceId === undefined)
      throw new HttpError(409, 'DEVICE_NOT_REGISTERED', 'register this device first');
    const body = await readJson(context.request, jsonLimit);
    const result = await devices.unlock(context.deviceId, String(body.passcode ?? ''));
    if (!result.ok) {
      const remedy =
        result.code === 'PASSCODE_RESET_REQUIRED' ? remedyCatalog['account.passcode-reset'] : undefined;
      throw new HttpError(401, result.code, 'passcode refused', {
        ...('attemptsLeft' in result ? { attemptsLeft: result.attemptsLeft } : {}),
        ...(remedy === undefined
          ? {}
          : { remedy: { key: remedy.key, title: remedy.title, action: remedy.action } }),
        state: app.stateBody(context, devices.state(context.deviceId, undefined)),
      });
    }
    const unlocked = devices.state(context.deviceId, result.sessionId);
    app.services.audit.append({
      actor: unlocked.accountId ?? null,
      action: 'device.unlocked',
      subject: context.deviceId,
    });
    sendJson(context.response, 200, app.stateBody(context, unlocked), {
      'set-cookie': app.sessionCookie(result.sessionId),
    });
  });

  router.post('/api/lock', (context) => {
    if (context.sessionId !== undefined) devices.endSession(context.sessionId);
    sendJson(context.response, 200, app.stateBody(context, devices.state(context.deviceId, undefined)), {
      'set-cookie': app.clearCookies({ device: false }),
    });
  });

  router.post('/api/device/release', (context) => {
    const actor = app.requireReady(context);
    devices.release(context.deviceId!, actor);
    sendJson(
      context.response,
      200,
      { released: true, reregisterAfterMinutes: app.config.policy.deviceReregistrationWaitMinutes },
      { 'set-cookie': app.clearCookies({ device: true }) },
    );
  });
};
