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
import {
  createReceptionServices,
  type ReceptionServices,
  type ServiceDependencies,
} from './app/reception-services.js';
import { resolveServerConfig, type ServerConfigInput } from './config.js';
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

export type { ReceptionServices } from './app/reception-services.js';
export type { ReceptionModule } from './http/context.js';

/**
 * The server's options: where it listens and its files ({@link ServerConfigInput}), the services'
 * dependencies (reader, validator, storage: {@link ServiceDependencies}), and the parts below.
 */
export interface ReceptionServerOptions extends ServerConfigInput, ServiceDependencies {
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
