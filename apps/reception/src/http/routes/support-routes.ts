/** Notices, diagnostics, the troubleshooting reference and the audit log. */
import type { ReaderSetup } from '@kakunin/core/remedies';
import { isRemedyKey } from '@kakunin/core/transport';
import { guidanceFor } from '../../troubleshooting/error-guidance.js';
import type { RouteGroup } from '../context.js';
import { HttpError, sendJson } from '../http-helpers.js';

const SETUPS: readonly ReaderSetup[] = ['smartphone', 'ble-reader', 'wired-reader'];
const AUDIT_PAGE = 100;

export const supportRoutes: RouteGroup = (router, app) => {
  const { notices, audit } = app.services;

  router.get('/api/notices', (context) => {
    const actor = app.requireReady(context);
    sendJson(context.response, 200, { notices: notices.list(actor) });
  });
  router.post('/api/notices/:id/read', (context, { id }) => {
    const actor = app.requireReady(context);
    const noticeId = Number(id);
    if (!notices.list(actor).some((notice) => notice.id === noticeId))
      throw new HttpError(404, 'NOTICE_NOT_FOUND', 'no such notice');
    notices.markRead(actor, noticeId);
    sendJson(context.response, 200, { notices: notices.list(actor) });
  });

  router.get('/api/diagnostics', async (context) => {
    app.requireReady(context);
    sendJson(context.response, 200, await app.services.runDiagnostics());
  });

  router.get('/api/troubleshooting', (context) => {
    app.requireReady(context);
    const key = context.query.get('remedy') ?? '';
    const setup = (context.query.get('setup') ?? app.config.defaultReaderSetup) as ReaderSetup;
    if (!isRemedyKey(key)) throw new HttpError(400, 'BAD_REMEDY', 'unknown remedy key');
    if (!SETUPS.includes(setup)) throw new HttpError(400, 'BAD_SETUP', 'unknown setup');
    sendJson(context.response, 200, guidanceFor('REFERENCE', setup, { remedy: key }));
  });

  router.get('/api/audit', (context) => {
    app.requireReady(context);
    sendJson(context.response, 200, { verify: audit.verify(), events: audit.list({ limit: AUDIT_PAGE }) });
  });
};
