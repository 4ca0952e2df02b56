import { describe, expect, it } from 'vitest';
import { pcscCapabilities, SHORT_MAX_COMMAND, SHORT_MAX_RESPONSE } from './reader-capabilities.js';

const ATR = Uint8Array.of(0x3b, 0xe0, 0x00, 0xff, 0x81, 0x31, 0xfe, 0x45, 0x14);

describe('pcscCapabilities', () => {
  it('defaults to short APDUs: 261-byte commands, 258-byte responses', () => {
    const capabilities = pcscCapabilities(ATR, { extendedLength: false, linkSecurity: 'local' });
    expect(capabilities).toEqual({
      extendedLength: false,
      maxCommandLength: 261,
      maxResponseLength: 258,
      interface: 'contact',
      linkSecurity: 'local',
    });
    expect(SHORT_MAX_COMMAND).toBe(261);
    expect(SHORT_MAX_RESPONSE).toBe(258);
  });

  it('sizes extended limits from the reader, capped at the ISO 7816-4 maxima', () => {
    const vpcd = pcscCapabilities(ATR, { extendedLength: true, maxApduDataSize: 0x10000, linkSecurity: 'x' });
    expect(vpcd.maxCommandLength).toBe(4 + 3 + 65535 + 2);
    expect(vpcd.maxResponseLength).toBe(65538);
    const ccid = pcscCapabilities(ATR, { extendedLength: true, maxApduDataSize: 512, linkSecurity: 'x' });
    expect(ccid.maxCommandLength).toBe(4 + 3 + 512 + 2);
    expect(ccid.maxResponseLength).toBe(514);
  });

  it('honours explicit overrides', () => {
    const capabilities = pcscCapabilities(ATR, {
      extendedLength: true,
      maxCommandLength: 1000,
      maxResponseLength: 2000,
      linkSecurity: 'x',
    });
    expect(capabilities.maxCommandLength).toBe(1000);
    expect(capabilities.maxResponseLength).toBe(2000);
  });
});
