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
import { HttpError, readJson, sendBytes, sendJson } from '../http-helpers.js';

export const fallbackRoutes: RouteGroup = (router, app) => {
  const { fallbacks, patients } = app.services;

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

  router.get('/api/patients', (context) => {
    app.requireReady(context);
    sendJson(context.response, 200, { patients: patients.search(context.query.get('q') ?? '') });
  });
};
