/**
 * A small cookie-keeping HTTP client for the reception app's API (loopback only).
 *
 * @example
 * ```ts
 * const client = new HttpClient(server.url);
 * await client.post('/api/device/register', { accountId, password, deviceName: 'pc1' });
 * ```
 */
export interface HttpResponse {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: API responses are arbitrary JSON
  readonly json: any;
  /** The body as received (for scans). */
  readonly raw: Uint8Array;
}

export class HttpClient {
  readonly #base: string;
  readonly #cookies = new Map<string, string>();
  /** Every request and response body seen, for PIN scans. */
  readonly log: Array<{
    readonly method: string;
    readonly path: string;
    readonly status: number;
    readonly body: Uint8Array;
  }> = [];

  constructor(base: string) {
    this.#base = base;
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResponse> {
    const bytes = body instanceof Uint8Array;
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(new URL(path, this.#base), {
      method,
      headers: {
        ...(bytes
          ? { 'content-type': 'application/octet-stream' }
          : body === undefined
            ? {}
            : { 'content-type': 'application/json' }),
        ...(cookie === '' ? {} : { cookie }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: bytes ? (body as BodyInit) : JSON.stringify(body) }),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (value === '' || /Max-Age=0/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    const raw = new Uint8Array(await response.arrayBuffer());
    this.log.push({ method, path, status: response.status, body: raw });
    const type = response.headers.get('content-type') ?? '';
    const json =
      type.includes('json') && raw.length > 0 ? JSON.parse(new TextDecoder().decode(raw)) : undefined;
    return { status: response.status, json, raw };
  }

  get(path: string): Promise<HttpResponse> {
    return this.request('GET', path);
  }

  post(path: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<HttpResponse> {
    return this.request('POST', path, body, headers);
  }

  /** Polls a check until it leaves the states in which the server is still working. */
  async settle(id: string, timeoutMs = 15_000): Promise<HttpResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = await this.get(`/api/checks/${id}`);
      if (!['waiting-card', 'querying'].includes(response.json?.status) || Date.now() > deadline)
        return response;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
