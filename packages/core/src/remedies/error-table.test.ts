import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { findRaiseSites, ownersByCode, REPO_ROOT, renderErrorsDoc } from '../test-support/error-sources.js';
import { CardError } from '../transport/card-error.js';
import { ERROR_CODES, type ErrorCode, isErrorCode, StatusWordErrorCode } from '../transport/error-codes.js';
import { REMEDY_KEYS } from '../transport/remedy-keys.js';
import { ERROR_TABLE, remedyFor } from './error-table.js';

const CODES = new Set<string>(ERROR_CODES);

/** Exhaustive over the union: adding a code without a case here fails the typecheck. */
function layerOf(error: CardError): string {
  switch (error.code) {
    case 'SERVICE_UNAVAILABLE':
    case 'NO_READERS':
    case 'READER_NOT_FOUND':
    case 'READER_UNAVAILABLE':
    case 'SHARING_VIOLATION':
    case 'CARD_ABSENT':
    case 'CARD_REMOVED':
    case 'CARD_UNPOWERED':
    case 'CARD_UNRESPONSIVE':
    case 'BUSY':
    case 'TIMEOUT':
    case 'ABORTED':
    case 'IO':
    case 'CLOSED':
    case 'LINK_LOST':
    case 'PROTOCOL':
    case 'NOT_SUPPORTED':
    case 'COMMAND_TOO_LONG':
    case 'BLUETOOTH_OFF':
    case 'BLUETOOTH_UNAUTHORIZED':
    case 'READER_AUTH_FAILED':
    case 'READER_ASLEEP':
    case 'PEER_REJECTED':
      return 'transport';
    case 'END_OF_FILE':
    case 'VERIFICATION_FAILED':
    case 'EXECUTION_ERROR':
    case 'MEMORY_FAILURE':
    case 'WRONG_LENGTH':
    case 'LOGICAL_CHANNEL_NOT_SUPPORTED':
    case 'SECURE_MESSAGING_NOT_SUPPORTED':
    case 'COMMAND_INCOMPATIBLE':
    case 'SECURITY_STATUS_NOT_SATISFIED':
    case 'AUTH_METHOD_BLOCKED':
    case 'REFERENCE_DATA_NOT_USABLE':
    case 'CONDITIONS_NOT_SATISFIED':
    case 'COMMAND_NOT_ALLOWED':
    case 'SM_DATA_MISSING':
    case 'SM_DATA_INCORRECT':
    case 'INCORRECT_DATA':
    case 'FUNCTION_NOT_SUPPORTED':
    case 'FILE_NOT_FOUND':
    case 'RECORD_NOT_FOUND':
    case 'NOT_ENOUGH_MEMORY':
    case 'INCORRECT_P1_P2':
    case 'REFERENCED_DATA_NOT_FOUND':
    case 'WRONG_P1_P2':
    case 'WRONG_LE':
    case 'INS_NOT_SUPPORTED':
    case 'CLA_NOT_SUPPORTED':
    case 'NO_PRECISE_DIAGNOSIS':
    case 'APDU_STATUS':
      return 'status-word';
    case 'APDU_MALFORMED':
    case 'RESPONSE_MALFORMED':
    case 'RESPONSE_TOO_LARGE':
    case 'TLV_TRUNCATED':
    case 'TLV_MALFORMED':
      return 'iso7816';
    case 'NOT_A_MYNUMBER_CARD':
    case 'FILE_ABSENT':
    case 'FILE_MALFORMED':
    case 'FILE_TRUNCATED':
    case 'CERT_ABSENT':
    case 'CERT_MALFORMED':
    case 'PIN_ABSENT':
    case 'PIN_FORMAT':
    case 'PIN_INCORRECT':
    case 'PIN_BLOCKED':
    case 'LAST_TRY_REFUSED':
    case 'PIN_NOT_SET':
    case 'SIGNATURE_INVALID':
      return 'jpki';
    case 'DER_TRUNCATED':
    case 'DER_MALFORMED':
      return 'der';
    case 'X509_MALFORMED':
    case 'CERT_EXPIRED':
    case 'CERT_NOT_YET_VALID':
    case 'CHAIN_UNTRUSTED':
    case 'TRUST_ANCHOR_MISSING':
    case 'PATH_BUILDING_LIMIT':
    case 'INPUT_REJECTED':
    case 'REVOKED':
    case 'REVOCATION_UNKNOWN':
    case 'PROFILE_VIOLATION':
    case 'UNSUPPORTED_ALGORITHM':
    case 'VALIDATION_FAILED':
      return 'x509';
    case 'TRANSCRIPT_MALFORMED':
    case 'TRANSCRIPT_MISMATCH':
    case 'TRANSCRIPT_EXHAUSTED':
    case 'TRANSCRIPT_INCOMPLETE':
    case 'TRANSCRIPT_REDACTED':
      return 'transcript';
    default: {
      const unreachable: never = error.code;
      return unreachable;
    }
  }
}

/** The same switch missing cases does not compile (the expect-error below would be unused otherwise). */
function notExhaustive(code: ErrorCode): string {
  switch (code) {
    case 'IO':
      return 'transport';
    default: {
      // @ts-expect-error every other code is unhandled, so `code` is not `never` here
      const unreachable: never = code;
      return unreachable;
    }
  }
}

describe('the closed union of error codes', () => {
  it('is exhaustive in a switch and narrows details per code', () => {
    const error = new CardError('PIN_INCORRECT', 'wrong PIN', { details: { key: 'auth', triesLeft: 2 } });
    expect(layerOf(error)).toBe('jpki');
    expect(notExhaustive('IO')).toBe('transport');
    if (CardError.isInstance(error, 'PIN_INCORRECT'))
      expectTypeOf(error.details.triesLeft).toEqualTypeOf<number>();
    expect(ERROR_CODES.map((code) => layerOf(new CardError(code, code)))).toHaveLength(ERROR_CODES.length);
  });

  it('has no duplicate codes, no OK/WARNING/BYTES_AVAILABLE, and one spelling per family', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const banned of [
      'OK',
      'WARNING',
      'BYTES_AVAILABLE',
      'MALFORMED',
      'CERTIFICATE_ABSENT',
      'CARD_DAMAGED',
    ]) {
      expect(isErrorCode(banned), banned).toBe(false);
    }
  });

  it('gives every code a meaning and a catalogued remedy, or marks it a programming error', () => {
    for (const code of ERROR_CODES) {
      const row = ERROR_TABLE[code];
      expect(row.meaning.length, code).toBeGreaterThan(10);
      if (row.remedy === null) {
        expect(row.programmingError, code).toBe(true);
        expect(remedyFor(code)).toBeUndefined();
      } else {
        const keys = typeof row.remedy === 'string' ? [row.remedy] : Object.values(row.remedy);
        for (const key of keys) expect(REMEDY_KEYS, code).toContain(key);
      }
    }
    expect(Object.keys(ERROR_TABLE).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('prefers the remedy the thrower set, per reader setup', () => {
    expect(remedyFor('CARD_REMOVED', 'smartphone')).toBe('nfc.moved');
    expect(remedyFor('CARD_REMOVED', 'wired-reader')).toBe('card.moved');
    expect(remedyFor(new CardError('CARD_REMOVED', 'x', { remedy: 'ble.link-lost' }), 'smartphone')).toBe(
      'ble.link-lost',
    );
  });
});

describe('codes raised in packages/ and apps/', () => {
  const sites = findRaiseSites();

  it('finds the sources (the scan is not vacuous)', () => {
    expect(sites.filter((site) => site.via === 'constructor').length).toBeGreaterThan(50);
    expect(sites.some((site) => site.code === 'PIN_INCORRECT' && site.file.includes('core/src/jpki'))).toBe(
      true,
    );
  });

  it('every code given to new CardError / toCardError or taken from an ErrorCode table is in the union', () => {
    const unknown = sites
      .filter((site) => site.via !== 'literal' && !CODES.has(site.code))
      .map((site) => `${site.file}: ${site.code}`);
    expect(unknown).toEqual([]);
  });

  it('every code of the union is raised somewhere (no dead codes)', () => {
    const raised = new Set(sites.map((site) => site.code));
    expect(ERROR_CODES.filter((code) => !raised.has(code))).toEqual([]);
  });

  it('raises a status-word code only through StatusWordError (one class per code)', () => {
    const statusCodes = new Set<string>(Object.values(StatusWordErrorCode));
    const plain = sites
      .filter((site) => site.via === 'constructor' && statusCodes.has(site.code))
      .map((site) => `${site.file}: ${site.code}`);
    expect(plain).toEqual([]);
  });

  it('docs/errors.md is generated from the table and current', () => {
    const rendered = renderErrorsDoc(ownersByCode(CODES));
    const path = join(REPO_ROOT, 'docs/errors.md');
    if (process.env.KAKUNIN_UPDATE_DOCS === '1') writeFileSync(path, rendered);
    const committed = readFileSync(path, 'utf8');
    expect(
      committed,
      'docs/errors.md is stale: KAKUNIN_UPDATE_DOCS=1 pnpm exec vitest run packages/core/src/remedies',
    ).toBe(rendered);
  });
});

describe('the ErrorCode type', () => {
  it('is a string union', () => {
    expectTypeOf<ErrorCode>().toExtend<string>();
  });
});
