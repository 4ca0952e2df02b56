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
  it('names the field and the rule of a validation message (the UI words it)', () => {
    expect(errorToHttp(new RangeError('birthdate is required')).body.error).toMatchObject({
      code: 'BAD_REQUEST',
      field: 'birthdate',
      rule: 'required',
    });
    expect(
      errorToHttp(new RangeError('noChangeConfirmed must be true: the patient …')).body.error,
    ).toMatchObject({
      field: 'noChangeConfirmed',
      rule: 'must-confirm',
    });
    expect(errorToHttp(new RangeError('insurerNumber must have 6 or 8 digits')).body.error.rule).toBe(
      'format',
    );
    expect(errorToHttp(new RangeError('something odd')).body.error.field).toBeUndefined();
  });
  it('hides the message of an unknown error behind 500 INTERNAL', () => {
    const reply = errorToHttp(new Error('SELECT * FROM secret'));
    expect(reply).toEqual({ status: 500, body: { error: { code: 'INTERNAL', message: 'internal error' } } });
  });
});
