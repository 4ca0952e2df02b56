import { isRemedyKey, TransportErrorCode } from '@kakunin/core/transport';
import { describe, expect, it } from 'vitest';
import { mapPcscError } from './map-pcsc-error.js';
import { findReturnCode, PCSC_RETURN_CODES } from './pcsc-return-codes.js';

const CODES = new Set<string>(Object.values(TransportErrorCode));

describe('PC/SC return codes', () => {
  it('names every code once, with a transport code and a valid remedy key', () => {
    const names = new Set(PCSC_RETURN_CODES.map((code) => code.name));
    expect(names.size).toBe(PCSC_RETURN_CODES.length);
    const values = new Set(PCSC_RETURN_CODES.map((code) => code.value));
    expect(values.size).toBe(PCSC_RETURN_CODES.length);
    for (const code of PCSC_RETURN_CODES) {
      expect(CODES.has(code.code), code.name).toBe(true);
      if (code.remedy !== undefined) expect(isRemedyKey(code.remedy), code.name).toBe(true);
      expect(code.value >>> 16).toBe(0x8010);
    }
  });

  // The field situations, with the FAQ remedy each must carry (transports.md §2.4).
  it.each([
    ['PC/SC service not running', 'SERVICE_UNAVAILABLE', 'pcsc.service'],
    ['PC/SC service stopped', 'SERVICE_UNAVAILABLE', 'reader.usb-cable'],
    ['No readers available', 'NO_READERS', 'reader.usb-cable'],
    ['Reader unavailable', 'READER_UNAVAILABLE', 'reader.usb-cable'],
    ['Unknown reader', 'READER_NOT_FOUND', 'reader.not-selected'],
    ['Sharing violation', 'SHARING_VIOLATION', 'card.busy-elsewhere'],
    ['No smart card present', 'CARD_ABSENT', 'card.absent'],
    ['Card was removed', 'CARD_REMOVED', 'card.moved'],
    ['Card is unpowered', 'CARD_UNPOWERED', 'card.orientation'],
    ['Card is unresponsive', 'CARD_UNRESPONSIVE', 'card.orientation'],
    ['Transaction failed', 'IO', 'card.moved'],
    ['Communication error', 'IO', 'reader.usb-cable'],
    ['Reader not supported', 'READER_UNAVAILABLE', 'reader.driver-missing'],
    ['Operation timed out', 'TIMEOUT', undefined],
    ['Operation cancelled', 'ABORTED', undefined],
  ])('maps "%s" to %s with remedy %s', (message, code, remedy) => {
    const error = mapPcscError(new Error(message), 'transmit', 'Reader 00 00');
    expect(error.name).toBe('CardError');
    expect(error.code).toBe(code);
    expect(error.remedy).toBe(remedy);
    expect(error.details.reader).toBe('Reader 00 00');
    expect(error.details.operation).toBe('transmit');
    expect(String(error.details.scard)).toMatch(/^SCARD_/);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('finds codes by a numeric code and by a hex value in the message (other bindings)', () => {
    expect(findReturnCode('whatever', 0x80100069)?.name).toBe('SCARD_W_REMOVED_CARD');
    expect(findReturnCode('whatever', -2146434967)?.name).toBe('SCARD_W_REMOVED_CARD');
    expect(findReturnCode('SCardTransmit error: Transaction failed.(0x80100016)')?.name).toBe(
      'SCARD_E_NOT_TRANSACTED',
    );
    expect(findReturnCode('no such thing')).toBeUndefined();
  });

  it('keeps unknown failures as IO with the raw message, and binding closures as CLOSED', () => {
    const unknown = mapPcscError(new Error('Unknown PC/SC error'), 'transmit');
    expect(unknown.code).toBe('IO');
    expect(unknown.message).toContain('Unknown PC/SC error');
    expect(unknown.details.cardStateUnknown).toBe(true);
    expect(mapPcscError(new Error('Card is not connected'), 'transmit').code).toBe('CLOSED');
    expect(mapPcscError('a string', 'x').code).toBe('IO');
  });

  it('marks card-state-unknown failures so callers never replay VERIFY or signing', () => {
    expect(findReturnCode('Transaction failed')?.cardStateUnknown).toBe(true);
    expect(findReturnCode('Card was removed')?.cardStateUnknown).toBe(true);
    expect(findReturnCode('Sharing violation')?.cardStateUnknown).toBe(false);
  });
});
