/**
 * Qualification checks: start (PIN or visual mode), poll, the PIN (bytes, never a string), visual
 * attestation, cancel, applying a result to the patient record, and the recent history.
 */
import { declarationPrefill } from '../../fallbacks/declaration-prefill.js';
import type { RouteGroup } from '../context.js';
import { HttpError, readJson, readPinRequest, sendJson } from '../http-helpers.js';

const HISTORY_LIMIT = 100;

export const checkRoutes: RouteGroup = (router, app) => {
  const { checks, checkHistory, readerDirectory, adoption, audit } = app.services;
  const jsonLimit = app.config.limits.jsonBodyBytes;

  router.post('/api/checks', async (context) => {
    const actor = app.requireReady(context);
    const body = await readJson(context.request, jsonLimit);
    const view = await checks.start({
      actor,
      deviceId: context.deviceId!,
      readerId: readerDirectory.resolve(body.readerId),
      mode: body.mode === 'visual' ? 'visual' : 'pin',
    });
    sendJson(context.response, 201, view);
  });
  router.get('/api/checks/:id', (context, { id }) => {
    app.requireReady(context);
    const view = checks.get(id!);
    if (view === undefined) throw new HttpError(404, 'CHECK_NOT_FOUND', 'no such check');
    sendJson(context.response, 200, view);
  });
  router.get('/api/checks/:id/declaration-prefill', (context, { id }) => {
    app.requireReady(context);
    const view = checks.get(id!);
    if (view === undefined) throw new HttpError(404, 'CHECK_NOT_FOUND', 'no such check');
    sendJson(context.response, 200, declarationPrefill(view));
  });
  router.post('/api/checks/:id/pin', async (context, { id }) => {
    const actor = app.requireReady(context);
    // The PIN stays bytes: never decoded to a string, logged or stored; zeroed after use.
    const { pin, confirmLastTry } = await readPinRequest(context.request, app.config.limits.pinBodyBytes);
    let view: Awaited<ReturnType<typeof checks.submitPin>>;
    try {
      view = await checks.submitPin(id!, pin, { confirmLastTry });
    } finally {
      pin.fill(0);
    }
    // Every PIN try in the audit log: its outcome and the tries left, never the PIN.
    const code = view.guidance?.code;
    const outcome =
      view.status === 'querying' || view.status === 'result'
        ? 'verified'
        : code === 'LAST_TRY_REFUSED'
          ? 'refused-last-try'
          : code === 'PIN_INCORRECT'
            ? 'incorrect'
            : code === 'PIN_BLOCKED'
              ? 'blocked'
              : code === 'PIN_FORMAT'
                ? 'format'
                : 'other';
    audit.append({
      actor,
      action: 'check.pin-try',
      subject: id!,
      data: { outcome, triesLeft: view.pinStatus?.triesLeft ?? null },
    });
    sendJson(context.response, 200, view);
  });
  router.post('/api/checks/:id/visual', async (context, { id }) => {
    app.requireReady(context);
    const body = await readJson(context.request, jsonLimit);
    sendJson(context.response, 200, await checks.attestVisual(id!, String(body.staffId ?? '')));
  });
  router.post('/api/checks/:id/cancel', async (context, { id }) => {
    app.requireReady(context);
    const view = await checks.cancel(id!);
    if (view === undefined) throw new HttpError(404, 'CHECK_NOT_FOUND', 'no such check');
    sendJson(context.response, 200, view);
  });
  router.post('/api/checks/:id/apply', async (context, { id }) => {
    const actor = app.requireReady(context);
    const body = await readJson(context.request, jsonLimit);
    sendJson(context.response, 200, checks.applyToRecord(id!, Number(body.resultIndex ?? 0), actor));
  });
  router.post('/api/checks/:id/adopt', async (context, { id }) => {
    const actor = app.requireReady(context);
    const body = await readJson(context.request, jsonLimit);
    sendJson(context.response, 200, adoption.adopt(id!, Number(body.resultIndex), actor));
  });
  router.get('/api/check-history', (context) => {
    app.requireReady(context);
    sendJson(context.response, 200, { checks: checkHistory.recent(HISTORY_LIMIT) });
  });
};
