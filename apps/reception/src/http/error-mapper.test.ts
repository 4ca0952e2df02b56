import { describe, expect, it } from 'vitest';
import { CheckConflictError } from '../checks/check-service.js';
import { errorToHttp } from './error-mapper.js';
import { HttpError } from './http-helpers.js';

describe('errorToHttp', () => {
  it('keeps the status, code and extra fields of an HttpError', () => {
    const reply = errorToHttp(new HttpError(423, 'ACCOUNT_LOCKED', 'login failed', { lockedUntil: 'x' }));
    expect(reply).toEqual({
      status: 423,
      body: { error: { code: 'ACCOUNT_LOCKED', message: 'login failed', lockedUntil: 'x' } },
    });
  });
  it('maps a check conflict to 409, a missing check to 404, bad arguments to 400', () => {
    expect(errorToHttp(new CheckConflictError('CHECK_BUSY', 'busy')).status).toBe(409);
    expect(errorToHttp(new CheckConflictError('CHECK_NOT_FOUND', 'gone')).status).toBe(404);
    expect(errorToHttp(new RangeError('limit')).body.error.code).toBe('BAD_REQUEST');
  });
  it('hides the message of an unknown error behind 500 INTERNAL', () => {
    const reply = errorToHttp(new Error('SELECT * FROM secret'));
    expect(reply).toEqual({ status: 500, body: { error: { code: 'INTERNAL', message: 'internal error' } } });
  });
});
