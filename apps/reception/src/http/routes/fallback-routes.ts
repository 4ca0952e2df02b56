/**
 * The official fallbacks when the card cannot be used (domain.md: failure categories ①②③ and the
 * evidence each allows), their records and 申立書 PDFs, and the patient search they use.
 */
import {
  allowedEvidence,
  EVIDENCE_LABELS,
  EVIDENCE_TYPES,
  FAILURE_CATEGORY_LABELS,
  REQUIRES_CARD,
  refusalReason,
} from '../../fallbacks/fallback-rules.js';
import type { RouteGroup } from '../context.js';
import { HttpError, readJson, readPinRequest, sendBytes, sendJson } from '../http-helpers.js';

export const fallbackRoutes: RouteGroup = (router, app) => {
  const { fallbacks, patients, holderReads, audit } = app.services;

  router.get('/api/fallback-options', (context) => {
    app.requireReady(context);
    const category = Number(context.query.get('category') ?? '1');
    if (category !== 1 && category !== 2 && category !== 3)
      throw new HttpError(400, 'BAD_CATEGORY', 'category must be 1, 2 or 3');
    sendJson(context.response, 200, {
      category,
      categoryLabel: FAILURE_CATEGORY_LABELS[category],
      categories: FAILURE_CATEGORY_LABELS,
      options: EVIDENCE_TYPES.map((evidence) => ({
        evidence,
        label: EVIDENCE_LABELS[evidence],
        allowed: allowedEvidence(category).includes(evidence),
        requiresCard: REQUIRES_CARD.has(evidence),
        refusal: refusalReason(category, evidence) ?? null,
      })),
    });
  });
  router.post('/api/fallbacks', async (context) => {
    const actor = app.requireReady(context);
    const body = await readJson(context.request, app.config.limits.jsonBodyBytes);
    const record = await fallbacks.record({
      actor,
      checkId: typeof body.checkId === 'string' && body.checkId !== '' ? body.checkId : null,
      failureCategory: Number(body.failureCategory),
      evidence: String(body.evidence ?? ''),
      data: body.data,
    });
    sendJson(context.response, 201, record);
  });
  router.get('/api/fallbacks', (context) => {
    app.requireReady(context);
    sendJson(context.response, 200, { fallbacks: fallbacks.list() });
  });
  router.get('/api/fallbacks/:id', (context, { id }) => {
    app.requireReady(context);
    const record = fallbacks.get(id!);
    if (record === undefined) throw new HttpError(404, 'FALLBACK_NOT_FOUND', 'no such fallback record');
    sendJson(context.response, 200, record);
  });
  router.get('/api/fallbacks/:id/document', (context, { id }) => {
    app.requireReady(context);
    const document = fallbacks.document(id!);
    if (document === undefined) throw new HttpError(404, 'DOCUMENT_NOT_FOUND', 'no document for this record');
    sendBytes(context.response, 200, document.mediaType, document.content, {
      'content-disposition': `inline; filename="declaration-${id}.pdf"`,
    });
  });

  // 基本4情報 from the card-info AP, with the patient's consent, to pre-fill the 申立書
  router.post('/api/holder-reads', async (context) => {
    const actor = app.requireReady(context);
    const body = await readJson(context.request, app.config.limits.jsonBodyBytes);
    const view = await holderReads.start({
      actor,
      checkId: String(body.checkId ?? ''),
      consent: body.consent,
    });
    sendJson(context.response, 201, view);
  });
  router.post('/api/holder-reads/:id/pin', async (context, { id }) => {
    const actor = app.requireReady(context);
    // The PIN stays bytes: never decoded to a string, logged or stored; zeroed after use.
    const { pin, confirmLastTry } = await readPinRequest(context.request, app.config.limits.pinBodyBytes);
    let view: Awaited<ReturnType<typeof holderReads.submitPin>>;
    try {
      view = await holderReads.submitPin(id!, pin, { confirmLastTry });
    } finally {
      pin.fill(0);
    }
    audit.append({
      actor,
      action: 'holder.pin-try',
      subject: view.checkId,
      data: {
        outcome: view.status === 'read' ? 'verified' : (view.code ?? 'other'),
        triesLeft: view.triesLeft,
      },
    });
    sendJson(context.response, 200, view);
  });
  router.post('/api/holder-reads/:id/cancel', async (context, { id }) => {
    app.requireReady(context);
    const view = await holderReads.cancel(id!);
    if (view === undefined) throw new HttpError(404, 'HOLDER_READ_NOT_FOUND', 'no such basic-four read');
    sendJson(context.response, 200, view);
  });

  router.get('/api/patients', (context) => {
    app.requireReady(context);
    sendJson(context.response, 200, { patients: patients.search(context.query.get('q') ?? '') });
  });
};
