/**
 * Every HTTP API route of the reception app (34), with the parameters each reads — the table the
 * route-by-route sweeps (authentication, bad input, SQL injection) walk. A test asserts it matches
 * the server's own route list, so a new route cannot be left out.
 */
export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** With `:id` / `:action` placeholders. */
  readonly path: string;
  /** Reachable before login (setup, registration, login, passcode). */
  readonly public?: boolean;
  /** JSON body fields the handler reads. */
  readonly body?: readonly string[];
  /** Query parameters the handler reads. */
  readonly query?: readonly string[];
  /** Ends the session or the device registration: swept last / separately. */
  readonly destructive?: boolean;
  /** Raw body (the PIN route). */
  readonly octets?: boolean;
}

export const ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/api/state', public: true },
  {
    method: 'POST',
    path: '/api/setup/facility',
    public: true,
    body: ['facilityCode', 'facilityName', 'accountId', 'displayName', 'password', 'deviceName'],
  },
  {
    method: 'POST',
    path: '/api/device/register',
    public: true,
    body: ['accountId', 'password', 'deviceName'],
  },
  { method: 'POST', path: '/api/login', public: true, body: ['accountId', 'password'] },
  { method: 'POST', path: '/api/passcode/setup', public: true, body: ['passcode'] },
  { method: 'POST', path: '/api/passcode/unlock', public: true, body: ['passcode'] },
  { method: 'POST', path: '/api/lock', public: true, destructive: true },
  { method: 'POST', path: '/api/device/release', destructive: true },
  { method: 'GET', path: '/api/readers' },
  { method: 'GET', path: '/api/settings' },
  { method: 'PUT', path: '/api/settings', body: ['visualCheckAllowed', 'readerId', 'readerSetup'] },
  { method: 'POST', path: '/api/checks', body: ['readerId', 'mode'] },
  { method: 'GET', path: '/api/checks/:id' },
  { method: 'GET', path: '/api/checks/:id/declaration-prefill' },
  { method: 'POST', path: '/api/checks/:id/pin', octets: true },
  { method: 'POST', path: '/api/checks/:id/visual', body: ['staffId'] },
  { method: 'POST', path: '/api/checks/:id/cancel' },
  { method: 'POST', path: '/api/checks/:id/apply', body: ['resultIndex'] },
  { method: 'GET', path: '/api/check-history' },
  { method: 'GET', path: '/api/fallback-options', query: ['category'] },
  { method: 'POST', path: '/api/fallbacks', body: ['checkId', 'failureCategory', 'evidence', 'data'] },
  { method: 'GET', path: '/api/fallbacks' },
  { method: 'GET', path: '/api/fallbacks/:id' },
  { method: 'GET', path: '/api/fallbacks/:id/document' },
  { method: 'GET', path: '/api/patients', query: ['q'] },
  { method: 'GET', path: '/api/notices' },
  { method: 'POST', path: '/api/notices/:id/read' },
  { method: 'GET', path: '/api/diagnostics' },
  { method: 'GET', path: '/api/troubleshooting', query: ['remedy', 'setup'] },
  { method: 'GET', path: '/api/audit' },
  { method: 'GET', path: '/api/stand-in/persons' },
  { method: 'POST', path: '/api/stand-in/link', body: ['readerId', 'personId'] },
  { method: 'GET', path: '/api/simulator' },
  { method: 'POST', path: '/api/simulator/:action', body: ['profile'] },
];

/** Hostile values for ids in the path (all match the router's [A-Za-z0-9_-]+). */
export const BAD_IDS = [
  'nope',
  '0',
  '-1',
  '999999999999999999999999',
  'x'.repeat(200),
  'NaN',
  'Infinity',
  '1e309',
];

/** Hostile JSON values for one body field. */
export const BAD_VALUES: readonly unknown[] = [
  null,
  -1,
  Number.MAX_VALUE,
  'x'.repeat(5000),
  '',
  '   ',
  '\u0000',
  {},
  [],
  [1, 2],
  { __proto__: { admin: true } },
  true,
  "' OR '1'='1",
];

export const fill = (path: string, id: string): string => path.replace(/:[a-z]+/g, id);
