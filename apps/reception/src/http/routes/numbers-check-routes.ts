/**
 * `POST /api/checks/by-numbers`: a qualification check by the numbers on a 資格確認書 / old 保険証.
 *
 * Body (JSON): `{ "insurerNumber", "symbol", "number", "branch", "birthDate" }` — insurer number 6
 * or 8 digits, symbol/branch may be empty, branch 2 digits, birthDate `YYYY-MM-DD` (full-width
 * digits are accepted and normalised). Answer: `201` with the same CheckView a card check ends
 * with (`mode: "numbers"`, status `result` or `failed`, `answer`, `reconciliation`, `guidance`,
 * `warnings`); readable again with `GET /api/checks/:id` and appliable with
 * `POST /api/checks/:id/apply`. Bad input: `400 { error: { code: "NUMBERS_QUERY_INVALID", field } }`;
 * a service without the query: `409 BY_NUMBERS_UNSUPPORTED`; login required: `401`.
 */
import { NumbersQueryError } from '../../qualification/numbers-query.js';
import type { RouteGroup } from '../context.js';
import { HttpError, readJson, sendJson } from '../http-helpers.js';

export const numbersCheckRoutes: RouteGroup = (router, app) => {
  const { checks } = app.services;
  router.post('/api/checks/by-numbers', async (context) => {
    const actor = app.requireReady(context);
    const body = await readJson(context.request, app.config.limits.jsonBodyBytes);
    try {
      const view = await checks.byNumbers({ actor, deviceId: context.deviceId ?? '', query: body });
      sendJson(context.response, 201, view);
    } catch (error) {
      if (error instanceof NumbersQueryError)
        throw new HttpError(400, error.code, error.message, { field: error.field });
      throw error;
    }
  });
};
