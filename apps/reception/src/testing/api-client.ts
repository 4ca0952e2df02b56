/**
 * Test helper: a tiny cookie-keeping HTTP client for the reception API (used by the API tests;
 * the browser tests go through Chromium instead).
 *
 * @example
 * ```ts
 * const client = new ApiClient(server.url);
 * await client.post('/api/device/register', { accountId: 'demo', password: 'kakunin-demo' });
 * ```
 */
export interface ApiResponse {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test helper returns arbitrary JSON
  readonly json: any;
  readonly headers: Headers;
}

export class ApiClient {
  readonly #base: string;
  readonly #cookies = new Map<string, string>();

  constructor(base: string) {
    this.#base = base;
  }

  get cookieHeader(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse> {
    const isBytes = body instanceof Uint8Array;
    const response = await fetch(new URL(path, this.#base), {
      method,
      headers: {
        ...(isBytes
          ? { 'content-type': 'application/octet-stream' }
          : body === undefined
            ? {}
            : { 'content-type': 'application/json' }),
        ...(this.#cookies.size === 0 ? {} : { cookie: this.cookieHeader }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: isBytes ? (body as unknown as BodyInit) : JSON.stringify(body) }),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index);
      const value = pair!.slice(index + 1);
      if (value === '' || /Max-Age=0/.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    const type = response.headers.get('content-type') ?? '';
    const json = type.includes('json') ? await response.json() : new Uint8Array(await response.arrayBuffer());
    return { status: response.status, json, headers: response.headers };
  }

  get(path: string): Promise<ApiResponse> {
    return this.request('GET', path);
  }

  post(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    return this.request('POST', path, body ?? {}, headers);
  }
}

/** Polls a check until it leaves `waiting-card` / `querying`. */
export async function settleCheck(client: ApiClient, id: string, timeoutMs = 10_000): Promise<ApiResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await client.get(`/api/checks/${id}`);
    if (!['waiting-card', 'querying'].includes(response.json.status) || Date.now() > deadline)
      return response;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
