import { describe, expect, it } from 'vitest';
import { CardError } from '../transport/card-error.js';
import type { ErrorCode } from '../transport/error-codes.js';
import { describeSw, retryCounter, StatusWordError } from './status-words.js';

describe('status words', () => {
  it.each([
    [0x6a82, 'FILE_NOT_FOUND'],
    [0x6982, 'SECURITY_STATUS_NOT_SATISFIED'],
    [0x6983, 'AUTH_METHOD_BLOCKED'],
    [0x6984, 'REFERENCE_DATA_NOT_USABLE'],
    [0x63c2, 'VERIFICATION_FAILED'],
    [0x6700, 'WRONG_LENGTH'],
    [0x6c10, 'WRONG_LE'],
    [0x6a86, 'INCORRECT_P1_P2'],
    [0x6d00, 'INS_NOT_SUPPORTED'],
    [0x6e00, 'CLA_NOT_SUPPORTED'],
    [0x6f00, 'NO_PRECISE_DIAGNOSIS'],
    [0x6105, 'APDU_STATUS'],
    [0x9000, 'APDU_STATUS'],
    [0x6283, 'APDU_STATUS'],
    [0x6b00, 'WRONG_P1_P2'],
    [0x6282, 'END_OF_FILE'],
    [0x1234, 'APDU_STATUS'],
  ])('%s → %s', (sw, code) => {
    expect(describeSw(sw).code).toBe(code);
    const error = new StatusWordError(sw, 0xb0);
    expect(CardError.isInstance(error, code as ErrorCode)).toBe(true);
    expect(error.sw).toBe(sw);
  });

  it("carries sw and ins under one scheme, with a layer's own message and facts", () => {
    const error = new StatusWordError(0x6982, 0xb0, { message: 'verify first', details: { file: 'EF' } });
    expect(error).toMatchObject({
      code: 'SECURITY_STATUS_NOT_SATISFIED',
      sw: 0x6982,
      ins: 0xb0,
      message: 'verify first',
    });
    expect(error.details).toEqual({ sw: '6982', ins: 0xb0, file: 'EF' });
  });

  it('retryCounter is the one 63 Cx decoder: x for 63 C0..63 CF, undefined for anything else', () => {
    expect(retryCounter(0x63c0)).toBe(0);
    expect(retryCounter(0x63c3)).toBe(3);
    expect(retryCounter(0x63cf)).toBe(15);
    for (const sw of [0x6300, 0x63b3, 0x9000, 0x6983, 0x6cc3]) expect(retryCounter(sw)).toBeUndefined();
    expect(describeSw(0x63c2).name).toContain('counter 2');
  });

  it('63Cx carries the counter; 6F00 points at the damaged-chip remedy', () => {
    expect(new StatusWordError(0x63c1, 0x20).counter).toBe(1);
    expect(new StatusWordError(0x6f00, 0xb0).remedy).toBe('card.damaged');
  });

  it('CardError.isInstance works across copies (brand, not prototype)', () => {
    const foreign = Object.create(null);
    foreign[Symbol.for('@kakunin/core/CardError')] = true;
    foreign.code = 'TIMEOUT';
    expect(CardError.isInstance(foreign, 'TIMEOUT')).toBe(true);
    expect(CardError.isInstance(new Error('x'))).toBe(false);
  });
});
