import { FAQ_CHECKLISTS, type ReaderSetup, remedyFor } from '@kakunin/core/remedies';
import { CardError, ERROR_CODES, REMEDY_KEYS, TransportErrorCode } from '@kakunin/core/transport';
import { describe, expect, it } from 'vitest';
import { guidanceFor, guidanceForError } from './error-guidance.js';

const SETUPS: readonly ReaderSetup[] = ['smartphone', 'ble-reader', 'wired-reader'];

describe('error guidance', () => {
  it('maps every transport error code, for every reader setup, to a catalogued remedy', () => {
    for (const code of Object.values(TransportErrorCode)) {
      for (const setup of SETUPS) {
        const guidance = guidanceFor(code, setup);
        expect(REMEDY_KEYS).toContain(guidance.remedyKey);
        expect(guidance.setup).toBe(setup);
      }
    }
  });
  it('takes the remedy of every SDK code from the core table, for every reader setup', () => {
    for (const code of ERROR_CODES) {
      for (const setup of SETUPS) {
        expect(guidanceFor(code, setup).remedyKey, code).toBe(remedyFor(code, setup) ?? 'app.restart');
      }
    }
    expect(guidanceFor('PIN_FORMAT', 'smartphone').remedyKey).toBe('pin.format');
    expect(guidanceFor('CARD_REMOVED', 'smartphone').remedyKey).toBe('nfc.moved');
    expect(guidanceFor('CERT_ABSENT', 'wired-reader').remedyKey).toBe('cert.sign-absent');
  });
  it('shows the FAQ checklist of the setup in use, in FAQ order, with the matching items flagged', () => {
    const guidance = guidanceFor('READER_UNAVAILABLE', 'wired-reader');
    expect(guidance.checklist.map((item) => item.id)).toEqual(
      FAQ_CHECKLISTS.connect['wired-reader'].map((item) => item.id),
    );
    expect(guidance.checklist.filter((item) => item.focus).map((item) => item.id)).toEqual([
      'usb-cable',
      'reader-recognised',
    ]);
    expect(guidance.failureCategory).toBe(1);
    const ble = guidanceFor('READER_UNAVAILABLE', 'ble-reader');
    expect(ble.remedyKey).toBe('ble.link-lost');
  });
  it('turns the last wrong PIN into the last-try warning, and keeps the tries left', () => {
    const error = new CardError('PIN_INCORRECT', 'wrong PIN', {
      remedy: 'pin.incorrect',
      details: { key: 'auth', triesLeft: 1 },
    });
    const guidance = guidanceForError(error, 'wired-reader');
    expect(guidance.remedyKey).toBe('pin.last-try');
    expect(guidance.triesLeft).toBe(1);
  });
  it('puts expired certificates and blocked PINs in the flyer’s category ② with the fallback text', () => {
    expect(guidanceFor('CERT_EXPIRED', 'smartphone')).toMatchObject({
      failureCategory: 2,
      remedyKey: 'cert.expired',
    });
    expect(guidanceFor('PIN_BLOCKED', 'smartphone').fallback?.ja).toContain('マイナポータル');
    expect(guidanceFor('QUALIFICATION_NONE', 'wired-reader').failureCategory).toBe(3);
  });
  it('treats unknown throwables as I/O failures', () => {
    expect(guidanceForError(new Error('boom'), 'wired-reader').code).toBe('IO');
  });
});
