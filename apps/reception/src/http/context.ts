/**
 * What every route handler receives: the request context (parsed URL, cookies, the device's
 * stage) and the app context (services, configuration, session helpers). Route groups are
 * functions `(router, app) => void`; a {@link ReceptionModule} (such as the demo's simulator
 * desk) adds its route group from outside the app's core.
 *
 * @example
 * ```ts
 * export const noticeRoutes: RouteGroup = (router, app) => {
 *   router.get('/api/notices', (context) => {
 *     const actor = app.requireReady(context);
 *     sendJson(context.response, 200, { notices: app.services.notices.list(actor) });
 *   });
 * };
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeviceState } from '../accounts/device-service.js';
import type { ReceptionServices } from '../app/reception-services.js';
import type { ServerConfig } from '../config.js';
import { APP_VERSION } from '../version.js';
import { cookie, HttpError } from './http-helpers.js';
import type { Router } from './router.js';

export interface RequestContext {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly deviceId: string | undefined;
  readonly sessionId: string | undefined;
  readonly state: DeviceState;
}

export interface AppContext {
  readonly services: ReceptionServices;
  readonly config: ServerConfig;
  /** Names of the modules added to this server (e.g. `simulator`). */
  readonly moduleNames: ReadonlySet<string>;
  /** The unlocked account, or 401 LOGIN_REQUIRED. */
  requireReady(context: RequestContext): string;
  /** The `/api/state` body for the device's state. */
  stateBody(context: RequestContext, state?: DeviceState): Record<string, unknown>;
  deviceCookie(deviceId: string): string;
  sessionCookie(sessionId: string): string;
  /** Cookies that end the session and forget the device (release). */
  clearCookies(options: { device: boolean }): string[];
}

export type RouteGroup = (router: Router<RequestContext>, app: AppContext) => void;

/** An optional part added by whoever starts the server (the demo adds the simulator desk). */
export interface ReceptionModule {
  readonly name: string;
  readonly routes: RouteGroup;
}

export function createAppContext(
  services: ReceptionServices,
  config: ServerConfig,
  modules: readonly ReceptionModule[],
): AppContext {
  const moduleNames = new Set(modules.map((module) => module.name));
  const { accounts, notices, settings, qualification, readerDirectory, standIn } = services;
  const { policy } = config;
  return {
    services,
    config,
    moduleNames,
    requireReady(context) {
      if (context.state.stage !== 'ready' || context.state.accountId === undefined) {
        throw new HttpError(401, 'LOGIN_REQUIRED', 'unlock the app first', { stage: context.state.stage });
      }
      return context.state.accountId;
    },
    stateBody(context, state = context.state) {
      const facility = accounts.facility();
      return {
        stage: facility === undefined ? 'unconfigured' : state.stage,
        facility: facility ?? null,
        account:
          state.accountId === undefined
            ? null
            : { id: state.accountId, displayName: accounts.displayName(state.accountId) ?? state.accountId },
        deviceName: state.deviceName ?? null,
        passcodeAttemptsLeft: state.passcodeAttemptsLeft ?? null,
        unreadNotices:
          state.stage === 'ready' && state.accountId !== undefined ? notices.unreadCount(state.accountId) : 0,
        settings: settings.get(),
        standIn: standIn !== undefined,
        simulator: moduleNames.has('simulator'),
        qualificationLabel: qualification.label,
        readerKind: readerDirectory.kind,
        version: APP_VERSION,
        policy: {
          accountMaxFailedPasswords: policy.accountMaxFailedPasswords,
          accountLockMinutes: policy.accountLockMinutes,
          passcodeMaxFailures: policy.passcodeMaxFailures,
          deviceReregistrationWaitMinutes: policy.deviceReregistrationWaitMinutes,
        },
      };
    },
    deviceCookie: (deviceId) =>
      cookie(config.cookies.device, deviceId, { maxAgeSeconds: config.limits.deviceCookieMaxAgeSeconds }),
    sessionCookie: (sessionId) => cookie(config.cookies.session, sessionId),
    clearCookies: ({ device }) => [
      cookie(config.cookies.session, '', { maxAgeSeconds: 0 }),
      ...(device ? [cookie(config.cookies.device, '', { maxAgeSeconds: 0 })] : []),
    ],
  };
}
