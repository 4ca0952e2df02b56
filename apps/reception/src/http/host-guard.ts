/**
 * DNS-rebinding and cross-origin guard (issue 15 row 3). A page on `evil.example` whose name the
 * attacker re-points at 127.0.0.1 reaches this server as same-origin for the browser, but its
 * requests carry `Host: evil.example:PORT`: every request whose Host is not one of the names this
 * server is served under is refused (421, `HOST_NOT_ALLOWED`) before routing, static files
 * included. State-changing requests that carry an Origin must come from one of the same allowed
 * names (`http://` + an allowed Host) — never "Origin equals Host", which a forged pair passes.
 *
 * Allowed by default: `localhost`, `127.0.0.1`, `[::1]` on the bound port, and the bound address
 * itself. `--host NAME` (the bind option) adds that name; `allowedHosts` adds more (e.g. the
 * clinic's DNS name for the PC when binding to the LAN behind a TLS-terminating proxy).
 *
 * @example
 * ```ts
 * const guard = createHostGuard({ bindHost: '127.0.0.1', port: 8780, allowedHosts: [] });
 * guard.check(request); // throws HttpError(421 | 403) when refused
 * ```
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { HttpError } from './http-helpers.js';

export interface HostGuardOptions {
  /** The address the server is bound to (`127.0.0.1`, `::`, `0.0.0.0`, a name). */
  readonly bindHost: string;
  /** The bound TCP port. */
  readonly port: number;
  /** Extra host names (without port) the server is served under. */
  readonly allowedHosts?: readonly string[];
}

export interface HostGuard {
  /** Lower-case `host:port` authorities accepted in Host (and, with `http://`, in Origin). */
  readonly allowed: ReadonlySet<string>;
  check(request: IncomingMessage): void;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'] as const;
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '']);

/** `::1` → `[::1]`; names lower-cased; a trailing dot dropped. */
export function normalizeHostName(name: string): string {
  const trimmed = name.trim().toLowerCase().replace(/\.$/, '');
  if (isIP(trimmed) === 6) return `[${trimmed}]`;
  return trimmed;
}

/** True when binding `host` exposes the server beyond this machine. */
export function isBeyondLoopback(host: string): boolean {
  const name = host.trim().toLowerCase();
  if (name === 'localhost' || name === '::1' || name === '[::1]') return false;
  if (isIP(name) === 4) return !name.startsWith('127.');
  return true;
}

export function createHostGuard(options: HostGuardOptions): HostGuard {
  const names = new Set<string>(LOOPBACK_NAMES);
  if (!WILDCARDS.has(options.bindHost.trim())) names.add(normalizeHostName(options.bindHost));
  for (const extra of options.allowedHosts ?? []) {
    if (typeof extra !== 'string' || extra.trim() === '' || /[/\s@]/.test(extra))
      throw new TypeError(`allowedHosts: not a host name: ${JSON.stringify(extra)}`);
    names.add(normalizeHostName(extra));
  }
  const allowed = new Set<string>();
  for (const name of names) {
    allowed.add(`${name}:${options.port}`);
    if (options.port === 80) allowed.add(name);
  }
  return {
    allowed,
    check(request) {
      const host = request.headers.host;
      if (typeof host !== 'string' || !allowed.has(host.trim().toLowerCase())) {
        throw new HttpError(421, 'HOST_NOT_ALLOWED', 'this server is not served under that host name');
      }
      const method = request.method ?? 'GET';
      const origin = request.headers.origin;
      if (method === 'GET' || method === 'HEAD') return;
      if (request.headers['sec-fetch-site'] === 'cross-site')
        throw new HttpError(403, 'CROSS_ORIGIN', 'cross-origin request refused');
      if (origin === undefined) return;
      const match = /^https?:\/\/([^/]+)$/i.exec(origin.trim());
      if (match === null || !allowed.has(match[1]!.toLowerCase())) {
        throw new HttpError(403, 'CROSS_ORIGIN', 'cross-origin request refused');
      }
    },
  };
}

/** Bind addresses that listen on every interface. */
export const WILDCARD_BINDS: ReadonlySet<string> = WILDCARDS;

/** This machine's host name and interface addresses (served names when bound to every interface). */
export function machineHostNames(): string[] {
  const names = [hostname()];
  for (const entries of Object.values(networkInterfaces()))
    for (const entry of entries ?? []) names.push(entry.address.replace(/%.*$/, ''));
  return names;
}

export const BEYOND_LOOPBACK_WARNING = (host: string): string =>
  `kakunin reception: WARNING: listening on ${host}, beyond this machine. The app speaks plain HTTP: ` +
  'staff passwords, session cookies and patient data cross the network unencrypted. Put it behind a ' +
  'TLS-terminating reverse proxy on the clinic network only, and pass every name it is reached under ' +
  '(see SECURITY.md "Serving beyond loopback").\n';

export function defaultWarn(message: string): void {
  process.stderr.write(message);
}
