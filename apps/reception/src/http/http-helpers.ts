/**
 * Small node:http helpers: bounded body reading, JSON replies, cookies and the security headers
 * every response carries. Sensitive screens: `Cache-Control: no-store` (nothing left in caches or
 * history), `X-Frame-Options: DENY` + CSP `frame-ancestors 'none'` (no embedding/overlay capture),
 * `Permissions-Policy: display-capture=()`. A browser cannot block OS-level screenshots; the UI adds
 * best-effort measures (hidden on print, blurred when the window loses focus). See the README.
 *
 * @example
 * ```ts
 * const body = await readBody(request, 64 * 1024);
 * sendJson(response, 200, { ok: true });
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  pragma: 'no-cache',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'display-capture=(), camera=(), microphone=(), geolocation=()',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; object-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

/** Reads the body into one Buffer, refusing more than `limit` bytes (413). */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > limit) throw new HttpError(413, 'BODY_TOO_LARGE', `body over ${limit} bytes`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) throw new HttpError(413, 'BODY_TOO_LARGE', `body over ${limit} bytes`);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/**
 * A PIN request: the body as bytes (`application/octet-stream`, never decoded to a string, logged
 * or stored) and whether the staff confirmed spending the last try. The caller zeroes `pin`.
 */
export async function readPinRequest(
  request: IncomingMessage,
  limit: number,
): Promise<{ pin: Uint8Array; confirmLastTry: boolean }> {
  if (String(request.headers['content-type'] ?? '') !== 'application/octet-stream') {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the PIN as application/octet-stream');
  }
  const raw = await readBody(request, limit);
  const pin = new Uint8Array(raw.length);
  pin.set(raw);
  raw.fill(0);
  return { pin, confirmLastTry: request.headers['x-kakunin-confirm-last-try'] === 'yes' };
}

export async function readJson(
  request: IncomingMessage,
  limit = 64 * 1024,
): Promise<Record<string, unknown>> {
  const type = String(request.headers['content-type'] ?? '');
  if (!type.startsWith('application/json'))
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send application/json');
  const body = await readBody(request, limit);
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'BAD_JSON', 'body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HttpError(400, 'BAD_JSON', 'body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

export function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  const body = JSON.stringify(value, (_key, item) => (item instanceof Uint8Array ? undefined : item));
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body).toString(),
    ...headers,
  });
  response.end(body);
}

export function sendBytes(
  response: ServerResponse,
  status: number,
  type: string,
  body: Uint8Array,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-length': body.length.toString(),
    ...headers,
  });
  response.end(body);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    const value = part.slice(index + 1).trim();
    if (/^[A-Za-z0-9_-]+$/.test(name) && /^[A-Za-z0-9_-]*$/.test(value)) cookies.set(name, value);
  }
  return cookies;
}

export function cookie(name: string, value: string, options: { maxAgeSeconds?: number } = {}): string {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${Math.trunc(options.maxAgeSeconds)}`);
  return parts.join('; ');
}
