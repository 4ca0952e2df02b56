/**
 * A small method + path router: routes are declared as `'/api/checks/:id/pin'`; a `:name` segment
 * matches one path segment of `[A-Za-z0-9_-]+` and is handed to the handler by name. Route groups
 * (`http/routes/*.ts`) each export a function adding their routes to a router.
 *
 * @example
 * ```ts
 * const router = new Router<MyContext>();
 * router.get('/api/checks/:id', (context, { id }) => …);
 * const found = router.match('GET', '/api/checks/abc'); // { handler, params: { id: 'abc' } }
 * ```
 */

export type RouteParams = Readonly<Record<string, string>>;
export type RouteHandler<C> = (context: C, params: RouteParams) => Promise<void> | void;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface Route<C> {
  readonly method: HttpMethod;
  readonly pattern: string;
  readonly segments: readonly string[];
  readonly handler: RouteHandler<C>;
}

const PARAM_VALUE = /^[A-Za-z0-9_-]+$/;
const PARAM_NAME = /^:[a-zA-Z][a-zA-Z0-9]*$/;

export class Router<C> {
  readonly #routes: Route<C>[] = [];

  get(pattern: string, handler: RouteHandler<C>): this {
    return this.add('GET', pattern, handler);
  }
  post(pattern: string, handler: RouteHandler<C>): this {
    return this.add('POST', pattern, handler);
  }
  put(pattern: string, handler: RouteHandler<C>): this {
    return this.add('PUT', pattern, handler);
  }
  delete(pattern: string, handler: RouteHandler<C>): this {
    return this.add('DELETE', pattern, handler);
  }

  add(method: HttpMethod, pattern: string, handler: RouteHandler<C>): this {
    if (!pattern.startsWith('/')) throw new TypeError(`Router: pattern must start with "/": ${pattern}`);
    const segments = pattern.split('/').slice(1);
    for (const segment of segments)
      if (segment.startsWith(':') && !PARAM_NAME.test(segment))
        throw new TypeError(`Router: bad parameter "${segment}" in ${pattern}`);
    if (this.#routes.some((route) => route.method === method && route.pattern === pattern))
      throw new TypeError(`Router: ${method} ${pattern} is declared twice`);
    this.#routes.push({ method, pattern, segments, handler });
    return this;
  }

  /** The first route (in declaration order) matching method and path, with its parameters. */
  match(method: string, path: string): { handler: RouteHandler<C>; params: RouteParams } | undefined {
    const parts = path.split('/').slice(1);
    for (const route of this.#routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let index = 0; index < parts.length && ok; index += 1) {
        const segment = route.segments[index]!;
        const part = parts[index]!;
        if (segment.startsWith(':')) {
          if (PARAM_VALUE.test(part)) params[segment.slice(1)] = part;
          else ok = false;
        } else ok = segment === part;
      }
      if (ok) return { handler: route.handler, params };
    }
    return undefined;
  }

  /** `METHOD pattern` of every route (for tests and documentation). */
  list(): string[] {
    return this.#routes.map((route) => `${route.method} ${route.pattern}`);
  }
}
