// UI strings, Japanese first with English; texts from the server arrive as { ja, en }. One table,
// kept in one file per view/area under i18n/ and assembled here (a key defined in two areas is a
// mistake: src/e2e/i18n-table.test.ts checks there is none).

import * as admin from './i18n/admin.js';
import * as check from './i18n/check.js';
import * as common from './i18n/common.js';
import * as errors from './i18n/errors.js';
import * as fallback from './i18n/fallback.js';
import * as guidance from './i18n/guidance.js';
import * as result from './i18n/result.js';
import * as session from './i18n/session.js';

/** The areas in assembly order (tests check that no key is defined twice). */
export const AREAS = { common, session, check, result, guidance, fallback, admin, errors };

export const STRINGS = {
  ja: Object.assign({}, ...Object.values(AREAS).map((area) => area.ja)),
  en: Object.assign({}, ...Object.values(AREAS).map((area) => area.en)),
};
