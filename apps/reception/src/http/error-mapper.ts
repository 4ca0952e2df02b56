/**
 * The one place that turns an error thrown by a route (or a service it called) into an HTTP status
 * and a JSON body `{ error: { code, message, … } }`. Unknown errors become 500 `INTERNAL` without
 * their message (nothing internal leaks to the browser).
 *
 * @example
 * ```ts
 * const { status, body } = errorToHttp(new HttpError(404, 'CHECK_NOT_FOUND', 'no such check'));
 * // status 404, body.error.code 'CHECK_NOT_FOUND'
 * ```
 */
import { CardError } from '@kakunin/core/transport';
import { CheckConflictError } from '../checks/check-service.js';
import { PatientRecordConflictError } from '../checks/patient-records.js';
import { DeclarationFieldError } from '../fallbacks/declaration-form.js';
import { FALLBACK_ERRORS_BY_NAME } from '../fallbacks/fallback-errors.js';
import { FallbackRefusedError } from '../fallbacks/fallback-service.js';
import { cardErrorStatus } from './card-error-status.js';
import { HttpError } from './http-helpers.js';

export interface HttpErrorReply {
  readonly status: number;
  readonly body: { readonly error: Readonly<Record<string, unknown>> & { code: string; message: string } };
}

const FIELD_RULES: readonly [RegExp, string][] = [
  [/^([a-zA-Z]+) is required\b/, 'required'],
  [/^([a-zA-Z]+) is too long\b/, 'too-long'],
  [/^([a-zA-Z]+) must be true\b/, 'must-confirm'],
  [/^([a-zA-Z]+) must\b/, 'format'],
];

/**
 * The field and the rule a validation message names (`birthdate is required` → `{ field:
 * 'birthdate', rule: 'required' }`), so the browser can say it in the user's language instead of
 * showing the developer's message.
 */
export function fieldOf(message: string): { field?: string; rule?: string } {
  for (const [pattern, rule] of FIELD_RULES) {
    const match = pattern.exec(message);
    if (match !== null) return { field: match[1]!, rule };
  }
  return {};
}

export function errorToHttp(error: unknown): HttpErrorReply {
  if (error instanceof HttpError)
    return {
      status: error.status,
      body: { error: { code: error.code, message: error.message, ...error.extra } },
    };
  if (error instanceof FallbackRefusedError)
    return {
      status: 422,
      body: { error: { code: error.code, message: error.message, reason: error.reason } },
    };
  if (error instanceof PatientRecordConflictError)
    return {
      status: 409,
      body: { error: { code: error.code, message: error.message, recordId: error.recordId } },
    };
  if ((error as { code?: unknown })?.code === 'STORAGE_UNAVAILABLE')
    return {
      status: 503,
      body: { error: { code: 'STORAGE_UNAVAILABLE', message: 'the database is unavailable' } },
    };
  if (error instanceof CheckConflictError)
    return {
      status: error.code.endsWith('_NOT_FOUND') ? 404 : 409,
      body: { error: { code: error.code, message: error.message } },
    };
  if (CardError.isInstance(error))
    return {
      status: cardErrorStatus(error.code),
      body: { error: { code: error.code, message: error.message, remedyKey: error.remedy ?? null } },
    };
  if (error instanceof DeclarationFieldError)
    return {
      status: 400,
      body: {
        error: {
          code: 'BAD_REQUEST',
          message: error.message,
          field: error.field,
          rule: fieldOf(error.message).rule ?? 'format',
        },
      },
    };
  if (error instanceof TypeError || error instanceof RangeError)
    return {
      status: 400,
      body: { error: { code: 'BAD_REQUEST', message: error.message, ...fieldOf(error.message) } },
    };
  if (FALLBACK_ERRORS_BY_NAME.has((error as Error)?.name))
    return {
      status: 503,
      body: {
        error: {
          code: (error as { code?: string }).code ?? 'UNAVAILABLE',
          message: (error as Error).message,
        },
      },
    };
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error' } } };
}
