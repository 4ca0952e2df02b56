/** The built-in qualification stand-in: its synthetic persons, and linking a card to one of them. */
import type { RouteGroup } from '../context.js';
import { HttpError, readJson, sendJson } from '../http-helpers.js';

export const standInRoutes: RouteGroup = (router, app) => {
  const { standIn, readerDirectory, audit } = app.services;
  const requireStandIn = () => {
    if (standIn === undefined) throw new HttpError(404, 'NO_STAND_IN', 'the built-in stand-in is not in use');
    return standIn;
  };

  router.get('/api/stand-in/persons', (context) => {
    app.requireReady(context);
    const service = requireStandIn();
    sendJson(context.response, 200, { label: service.label, persons: service.listPersons() });
  });
  router.post('/api/stand-in/link', async (context) => {
    const actor = app.requireReady(context);
    const service = requireStandIn();
    const body = await readJson(context.request, app.config.limits.jsonBodyBytes);
    const personId = String(body.personId ?? '');
    await readerDirectory.linkStandIn(service, personId, readerDirectory.resolve(body.readerId));
    audit.append({ actor, action: 'stand-in.linked', subject: personId });
    sendJson(context.response, 200, { label: service.label, persons: service.listPersons() });
  });
};
