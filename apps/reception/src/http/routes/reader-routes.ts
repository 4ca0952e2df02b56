/** The card readers (list, or guidance when listing fails) and the terminal's settings. */
import type { RouteGroup } from '../context.js';
import { readJson, sendJson } from '../http-helpers.js';

const SETTING_KEYS = ['visualCheckAllowed', 'readerId', 'readerSetup'] as const;

export const readerRoutes: RouteGroup = (router, app) => {
  const { readerDirectory, settings } = app.services;

  router.get('/api/readers', async (context) => {
    app.requireReady(context);
    sendJson(context.response, 200, await readerDirectory.list());
  });

  router.get('/api/settings', (context) => {
    app.requireReady(context);
    sendJson(context.response, 200, settings.get());
  });
  router.put('/api/settings', async (context) => {
    const actor = app.requireReady(context);
    const body = await readJson(context.request, app.config.limits.jsonBodyBytes);
    const changes: Record<string, unknown> = {};
    for (const key of SETTING_KEYS) if (key in body) changes[key] = body[key];
    sendJson(context.response, 200, settings.update(actor, changes));
  });
};
