/**
 * The reception server: node:http on localhost serving the web UI (public/) and a JSON API over
 * the services. The parts:
 *
 * - `config.ts`: the configuration, resolved in one place;
 * - `app/reception-services.ts`: the composition root (storage, services, reader directory);
 * - `http/router.ts` + `http/routes/*.ts`: one file per route group;
 * - `http/error-mapper.ts`: the one error → HTTP status mapping;
 * - optional {@link ReceptionModule}s added by the caller (the demo's simulator desk:
 *   `demo/simulator-module.ts`).
 *
 * @example
 * ```ts
 * import { startReceptionServer } from '@kakunin/reception';
 * const server = await startReceptionServer({ port: 0, dbPath: ':memory:', cardReaderFactory, certificateValidator });
 * console.log(server.url);
 * await server.close();
 * ```
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReceptionServices, type ReceptionServices } from './app/reception-services.js';
import { resolveServerConfig } from './config.js';
import { createAppContext, type ReceptionModule, type RequestContext } from './http/context.js';
import { errorToHttp } from './http/error-mapper.js';
import {
  BEYOND_LOOPBACK_WARNING,
  createHostGuard,
  defaultWarn,
  type HostGuard,
  isBeyondLoopback,
  machineHostNames,
  WILDCARD_BINDS,
} from './http/host-guard.js';
import { HttpError, parseCookies, SECURITY_HEADERS, sendJson } from './http/http-helpers.js';
import { Router } from './http/router.js';
import { CORE_ROUTE_GROUPS } from './http/routes/index.js';
import { createStaticFiles } from './http/static-files.js';
import type { CardReaderFactory } from './ports/card-reader.js';
import type { CertificateValidator } from './ports/certificate-validator.js';
import type { QualificationService } from './ports/qualification-service.js';

export type { ReceptionServices } from './app/reception-services.js';
export type { ReceptionModule } from './http/context.js';

export interface ReceptionServerOptions {
  /** TCP port; 0 picks a free one (tests). */
  readonly port?: number;
  /** Interface to bind; loopback by default (the app is local). */
  readonly host?: string;
  /** SQLite file, `:memory:`, or a `postgres://` URL (several desks sharing one database). */
  readonly dbPath: string;
  /** This desk's name with PostgreSQL (default: the host name). */
  readonly desk?: string;
  /**
   * Where the audit key and head anchor live: default the SQLite file's directory, or `.kakunin`
   * in the working directory with PostgreSQL (created 0700).
   */
  readonly stateDirectory?: string;
  /** Audit HMAC key file (created 0600 if missing); default `audit.key` in the state directory. */
  readonly auditKeyPath?: string;
  /** Audit head anchor file; default `<database file>.audit-head` (`audit-<desk>.head` with PostgreSQL). */
  readonly auditAnchorPath?: string;
  readonly cardReaderFactory: CardReaderFactory;
  readonly certificateValidator: CertificateValidator;
  /** Defaults to the SQLite stand-in (seeded with the synthetic persons). */
  readonly qualificationService?: QualificationService;
  readonly now?: () => Date;
  readonly random?: (bytes: Uint8Array) => Uint8Array;
  /** Japanese TrueType font for PDFs (default: search the usual locations). */
  readonly fontPath?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** How long to wait for a card before showing guidance (ms). */
  readonly waitForCardMs?: number;
  /** Directory of the web UI; default: the package's public/. */
  readonly publicDirectory?: string;
  /**
   * Optional parts added from outside the core, e.g. the demo's virtual-card desk
   * (`createSimulatorModule(desk)`: the シミュレーター panel and /api/simulator/*).
   */
  readonly modules?: readonly ReceptionModule[];
  /** Host names (besides loopback and `host`) the app is served under; others are refused (421). */
  readonly allowedHosts?: readonly string[];
  /** Where start-up warnings go (default: stderr). */
  readonly warn?: (message: string) => void;
}

export interface ReceptionServer extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly services: ReceptionServices;
  close(): Promise<void>;
}

export async function startReceptionServer(options: ReceptionServerOptions): Promise<ReceptionServer> {
  const config = resolveServerConfig(options);
  const services = createReceptionServices(config, options);
  const modules = options.modules ?? [];
  const app = createAppContext(services, config, modules);
  const router = new Router<RequestContext>();
  for (const group of CORE_ROUTE_GROUPS) group(router, app);
  for (const module of modules) module.routes(router, app);
  const serveStatic = createStaticFiles(config.publicDirectory, config.uiPaths);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const cookies = parseCookies(request.headers.cookie);
    const deviceId = cookies.get(config.cookies.device) || undefined;
    const sessionId = cookies.get(config.cookies.session) || undefined;
    const method = request.method ?? 'GET';
    try {
      // DNS rebinding + CSRF: Host and Origin against the allow-list (http/host-guard.ts).
      if (hostGuard === undefined) throw new HttpError(503, 'STARTING', 'the server is starting');
      hostGuard.check(request);
      const context: RequestContext = {
        request,
        response,
        path: url.pathname,
        query: url.searchParams,
        deviceId,
        sessionId,
        state: services.devices.state(deviceId, sessionId),
      };
      const found = router.match(method, url.pathname);
      if (found !== undefined) {
        await found.handler(context, found.params);
        return;
      }
      if (await serveStatic(method, url.pathname, response)) return;
      throw new HttpError(404, 'NOT_FOUND', 'not found');
    } catch (error) {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const reply = errorToHttp(error);
      sendJson(response, reply.status, reply.body);
    }
  };

  let hostGuard: HostGuard | undefined;
  const server = createServer((request, response) => {
    void handle(request, response);
  });
  server.keepAliveTimeout = config.limits.keepAliveTimeoutMs;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await services.checks.close();
    services.database.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  hostGuard = createHostGuard({
    bindHost: config.host,
    port: address.port,
    allowedHosts: [
      ...(options.allowedHosts ?? []),
      ...(WILDCARD_BINDS.has(config.host) ? machineHostNames() : []),
    ],
  });
  if (isBeyondLoopback(config.host)) (options.warn ?? defaultWarn)(BEYOND_LOOPBACK_WARNING(config.host));
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await services.checks.close();
      await services.holderReads.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      services.database.close();
    })();
    return closing;
  };
  return {
    url: `http://${host}:${address.port}/`,
    port: address.port,
    services,
    close,
    [Symbol.asyncDispose]: close,
  };
}

export { SECURITY_HEADERS };
