// The one API client of the web UI: JSON or bytes in, JSON out; an error carries the status and the
// server's { code, field, rule, reason } (never shown as such: see errorText in core.js).

export async function api(method, path, body, headers = {}) {
  const options = { method, headers: { ...headers } };
  if (body instanceof Uint8Array) {
    options.headers['content-type'] = 'application/octet-stream';
    options.body = body;
  } else if (body !== undefined) {
    options.headers['content-type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const type = response.headers.get('content-type') ?? '';
  const json = type.includes('json') ? await response.json() : null;
  if (!response.ok) {
    const error = /** @type {Error & { status?: number, body?: Record<string, any> }} */ (
      new Error(json?.error?.message ?? response.statusText)
    );
    error.status = response.status;
    error.body = json?.error ?? {};
    throw error;
  }
  return json;
}
