import { describe, expect, it } from 'vitest';
import { hardwareError } from './hardware-error.js';

describe('51h hardware errors (transports.md §4.3)', () => {
  it.each([
    [0x01, 'PROTOCOL', 'ble.link-lost'],
    [0x02, 'CARD_UNRESPONSIVE', 'card.moved'],
    [0x03, 'PROTOCOL', 'ble.link-lost'],
    [0x04, 'READER_AUTH_FAILED', 'reader.auth-key'],
    [0x05, 'IO', 'ble.link-lost'],
    [0x06, 'PROTOCOL', 'ble.link-lost'],
    [0x07, 'READER_AUTH_FAILED', 'reader.auth-key'],
    [0x99, 'IO', 'ble.link-lost'],
  ])('code %i → %s / %s', (code, expected, remedy) => {
    const error = hardwareError('reader-1', code);
    expect(error).toMatchObject({ code: expected, remedy });
    expect(error.details).toMatchObject({ readerId: 'reader-1', hardwareError: code });
  });
});
