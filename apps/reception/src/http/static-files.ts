/**
 * Serves the web UI from one directory: GET/HEAD only, known file types only, never outside the
 * directory. The UI's own paths (its views, e.g. /check) answer with index.html.
 *
 * @example
 * ```ts
 * const serve = createStaticFiles('/app/public');
 * if (await serve(request.method, '/app.js', response)) return;
 * ```
 */
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { sendBytes } from './http-helpers.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export type StaticFiles = (method: string, path: string, response: ServerResponse) => Promise<boolean>;

/**
 * @param appPaths the web UI's own URLs (its router's views): they are answered with index.html,
 *   so a reload or a deep link opens that view.
 */
export function createStaticFiles(directory: string, appPaths: readonly string[] = []): StaticFiles {
  const root = normalize(directory);
  const views = new Set(appPaths);
  return async (method, path, response) => {
    if (method !== 'GET' && method !== 'HEAD') return false;
    const relative = path === '/' || views.has(path) ? '/index.html' : path;
    const type = CONTENT_TYPES[extname(relative)];
    if (type === undefined) return false;
    const file = normalize(join(root, relative));
    if (!file.startsWith(root + sep)) return false;
    try {
      const body = await readFile(file);
      sendBytes(response, 200, type, body);
      return true;
    } catch {
      return false;
    }
  };
}
