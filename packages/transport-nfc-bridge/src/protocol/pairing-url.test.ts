import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Url, encodeBase64Url } from './base64url.js';
import { formatPairingUrl, parsePairingUrl, webSocketUrl } from './pairing-url.js';

const fields = {
  host: '192.168.1.20',
  port: 47321,
  pairingId: new Uint8Array(8).fill(1),
  publicKey: new Uint8Array(32).fill(2),
  token: new Uint8Array(32).fill(3),
  expiresAt: 1_800_000_000_000,
};

describe('pairing URL', () => {
  it('round-trips and keeps secrets in the fragment', () => {
    const url = formatPairingUrl(fields);
    expect(url.startsWith('kakunin-bridge://192.168.1.20:47321/v1#id=')).toBe(true);
    expect(url.length).toBeLessThan(213); // fits a version-10 QR code at level M
    expect(parsePairingUrl(url)).toEqual(fields);
    expect(webSocketUrl(parsePairingUrl(url))).toBe('ws://192.168.1.20:47321/v1');
  });

  it('handles IPv6 hosts', () => {
    const url = formatPairingUrl({ ...fields, host: 'fe80::1' });
    expect(url).toContain('//[fe80::1]:47321/');
    expect(parsePairingUrl(url).host).toBe('fe80::1');
    expect(webSocketUrl({ host: 'fe80::1', port: 1 })).toBe('ws://[fe80::1]:1/v1');
  });

  it('round-trips arbitrary keys, tokens, ports and expiry times', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 1, max: 65535 }),
        fc.integer({ min: 0, max: 99_999_999_999 }),
        (pairingId, publicKey, token, port, seconds) => {
          const value = { ...fields, pairingId, publicKey, token, port, expiresAt: seconds * 1000 };
          expect(parsePairingUrl(formatPairingUrl(value))).toEqual(value);
        },
      ),
    );
  });

  it.each([
    ['other scheme', 'https://h:1/v1#id=AQEBAQEBAQE&k=x&t=y&exp=1'],
    ['wrong version', formatPairingUrl(fields).replace('/v1#', '/v2#')],
    ['no port', formatPairingUrl(fields).replace(':47321', '')],
    ['short token', formatPairingUrl(fields).replace(/t=[^&]+/, 't=AAAA')],
    ['padded key', formatPairingUrl(fields).replace(/k=([^&]+)/, 'k=$1=')],
    ['duplicate token', `${formatPairingUrl(fields)}&t=AAAA`],
    ['query string', formatPairingUrl(fields).replace('/v1#', '/v1?x=1#')],
    ['non-numeric expiry', formatPairingUrl(fields).replace(/exp=\d+/, 'exp=soon')],
    ['not a URL', 'hello'],
    ['too long', `${formatPairingUrl(fields)}${'x'.repeat(600)}`],
  ])('rejects %s with PROTOCOL', (_name, url) => {
    expect(() => parsePairingUrl(url)).toThrowError(
      expect.objectContaining({ code: 'PROTOCOL', remedy: 'bridge.pairing' }),
    );
  });

  it('asserts builder inputs', () => {
    expect(() => formatPairingUrl({ ...fields, port: 0 })).toThrow(RangeError);
    expect(() => formatPairingUrl({ ...fields, token: new Uint8Array(31) })).toThrow(RangeError);
    expect(() => parsePairingUrl(42 as unknown as string)).toThrow(TypeError);
  });
});

describe('base64url', () => {
  it('accepts only canonical unpadded text', () => {
    expect(encodeBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(decodeBase64Url('-_8')).toEqual(new Uint8Array([0xfb, 0xff]));
    expect(decodeBase64Url('-_9')).toBeUndefined(); // non-zero trailing bits
    expect(decodeBase64Url('A')).toBeUndefined();
    expect(decodeBase64Url('+/8=')).toBeUndefined();
    expect(decodeBase64Url('')).toEqual(new Uint8Array(0));
  });

  it('round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(decodeBase64Url(encodeBase64Url(bytes))).toEqual(bytes);
      }),
    );
  });
});
