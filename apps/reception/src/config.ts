/**
 * The reception server's configuration in one place: what the caller chose (port, host, paths,
 * timeouts) resolved against the defaults, plus the fixed limits of the HTTP layer and the app
 * rules ({@link APP_POLICY}). Route handlers read limits from here, never from literals.
 *
 * @example
 * ```ts
 * const config = resolveServerConfig({ dbPath: ':memory:' });
 * config.limits.pinBodyBytes; // 16
 * ```
 */
import { fileURLToPath } from 'node:url';
import { APP_POLICY, type AppPolicy } from './policy.js';

/** Limits of the HTTP layer (bytes, seconds). */
export const HTTP_LIMITS = {
  /** A PIN body: 4 ASCII digits for the auth PIN, never more than this many bytes accepted. */
  pinBodyBytes: 16,
  /** A JSON request body. */
  jsonBodyBytes: 64 * 1024,
  /** Keep-alive of idle connections, ms. */
  keepAliveTimeoutMs: 5_000,
  /** Lifetime of the device cookie (the registered terminal), seconds (~400 days, the browser cap). */
  deviceCookieMaxAgeSeconds: 400 * 24 * 3600,
} as const;

/** The web UI's views (public/app.js router): reloads and deep links get index.html. */
export const UI_PATHS = [
  '/check',
  '/notices',
  '/fallbacks',
  '/fallback',
  '/security',
  '/diagnostics',
  '/simulator',
  '/audit',
  '/mode',
] as const;

export const COOKIE_NAMES = {
  device: 'kakunin_device',
  session: 'kakunin_session',
} as const;

/** The parts of the server options the configuration is resolved from. */
export interface ServerConfigInput {
  /** TCP port; 0 picks a free one (tests). */
  readonly port?: number;
  /** Interface to bind; loopback by default (the app is local). */
  readonly host?: string;
  /** SQLite file, `:memory:`, or a `postgres://` URL (several desks sharing one database). */
  readonly dbPath: string;
  /** Japanese TrueType font for PDFs (default: search the usual locations). */
  readonly fontPath?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** How long to wait for a card before showing guidance (ms). */
  readonly waitForCardMs?: number;
  /** Directory of the web UI; default: the package's public/. */
  readonly publicDirectory?: string;
}

export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly dbPath: string;
  readonly fontPath: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly waitForCardMs: number | undefined;
  readonly publicDirectory: string;
  readonly limits: typeof HTTP_LIMITS;
  readonly cookies: typeof COOKIE_NAMES;
  readonly uiPaths: readonly string[];
  readonly policy: AppPolicy;
  /** Facility code used before a facility is registered. */
  readonly placeholderFacilityCode: string;
  /** Reader setup assumed when none is chosen or known. */
  readonly defaultReaderSetup: 'wired-reader';
}

/** Validates the options and fills in the defaults. */
export function resolveServerConfig(input: ServerConfigInput): ServerConfig {
  if (input === null || typeof input !== 'object')
    throw new TypeError('startReceptionServer: options must be an object');
  if (typeof input.dbPath !== 'string')
    throw new TypeError('startReceptionServer: options.dbPath must be a string');
  const port = input.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new RangeError('startReceptionServer: port must be 0–65535');
  return {
    port,
    host: input.host ?? '127.0.0.1',
    dbPath: input.dbPath,
    fontPath: input.fontPath,
    env: input.env ?? process.env,
    waitForCardMs: input.waitForCardMs,
    publicDirectory: input.publicDirectory ?? fileURLToPath(new URL('../public', import.meta.url)),
    limits: HTTP_LIMITS,
    cookies: COOKIE_NAMES,
    uiPaths: UI_PATHS,
    policy: APP_POLICY,
    placeholderFacilityCode: '0000000000',
    defaultReaderSetup: 'wired-reader',
  };
}
