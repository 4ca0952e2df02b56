/**
 * A raw HTTP/1.1 client over node:http (not fetch): the suite must send what a browser would
 * refuse to — a foreign Host, a forged Origin, odd methods — and read every status.
 *
 * @example
 * ```ts
 * const client = new Client(server.url);
 * const { status, json } = await client.get('/api/state', { host: 'evil.example' });
 * ```
 */
import { request } from 'node:http';

export interface Reply {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the suite reads arbitrary JSON
  readonly json: any;
  readonly body: Buffer;
  readonly headers: Record<string, string | string[] | undefined>;
}

export class Client {
  readonly base: URL;
  readonly cookies = new Map<string, string>();

  constructor(base: string) {
    this.base = new URL(base);
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const bytes =
      body === undefined
        ? undefined
        : body instanceof Uint8Array
          ? Buffer.from(body)
          : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const type =
      body === undefined
        ? {}
        : { 'content-type': body instanceof Uint8Array ? 'application/octet-stream' : 'application/json' };
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          headers: {
            ...type,
            ...(bytes === undefined ? {} : { 'content-length': String(bytes.length) }),
            ...(this.cookies.size === 0 ? {} : { cookie: this.cookieHeader }),
            ...headers,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            for (const line of response.headers['set-cookie'] ?? []) {
              const [pair] = line.split(';');
              const index = pair!.indexOf('=');
              const name = pair!.slice(0, index);
              const value = pair!.slice(index + 1);
              if (value === '' || /Max-Age=0/.test(line)) this.cookies.delete(name);
              else this.cookies.set(name, value);
            }
            const all = Buffer.concat(chunks);
            let json: unknown;
            if (String(response.headers['content-type'] ?? '').includes('json')) {
              try {
                json = JSON.parse(all.toString('utf8'));
              } catch {
                json = undefined;
              }
            }
            resolve({ status: response.statusCode ?? 0, json, body: all, headers: response.headers });
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(bytes);
    });
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.send('GET', path, undefined, headers);
  }

  post(path: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<Reply> {
    return this.send('POST', path, body, headers);
  }
}
