import { CardError } from '@kakunin/core/transport';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BridgeMessage, decodeMessage, encodeMessage, MessageType } from './bridge-messages.js';
import { cardErrorFromPhone, phoneErrorFor, reportFromError } from './phone-report.js';

const capabilities = {
  maxTransceiveLength: 261,
  maxResponseLength: 258,
  extendedLength: false,
  transceiveTimeoutMs: 5000,
  maxTransceiveTimeoutMs: 10000,
};

const samples: BridgeMessage[] = [
  { type: 'hello', hello: { protocol: 1, platform: 'android', device: 'Pixel', capabilities } },
  {
    type: 'hello',
    hello: {
      protocol: 1,
      platform: 'ios',
      capabilities: { ...capabilities, readerSessionLimitMs: 60000, aidAllowList: ['D392F000260100000001'] },
    },
  },
  {
    type: 'welcome',
    welcome: {
      readerId: 'phone-1',
      sessionExpiresAt: 1,
      idleTimeoutMs: 2,
      heartbeatIntervalMs: 3,
      maxFrameLength: 66560,
    },
  },
  {
    type: 'apdu',
    requestId: 0xffffffff,
    timeoutMs: 5000,
    command: Uint8Array.of(0, 0x20, 0, 0x81, 4, 1, 2, 3, 4),
  },
  { type: 'apdu-response', requestId: 7, response: Uint8Array.of(0x90, 0) },
  { type: 'error', requestId: 7, report: phoneErrorFor('tag-lost', 'lost') },
  {
    type: 'card-insert',
    card: {
      atr: Uint8Array.of(0x3b, 0x88),
      technology: 'B',
      hiLayerResponse: Uint8Array.of(1),
      maxTransceiveLength: 261,
    },
  },
  { type: 'card-remove', remedy: 'nfc.moved' },
  { type: 'card-remove' },
  { type: 'phone-status', status: { ready: false, situation: 'nfc-off', remedy: 'nfc.off' } },
  { type: 'reset', requestId: 1, kind: 'cold' },
  { type: 'reset', requestId: 2, kind: 'warm' },
  { type: 'reset-result', requestId: 1, atr: Uint8Array.of(0x3b, 0x00) },
  { type: 'release', unpower: true },
  { type: 'ping', counter: 3 },
  { type: 'pong', counter: 3 },
  { type: 'close', reason: 'bye', remedy: 'bridge.network' },
];

describe('bridge messages', () => {
  it.each(samples.map((sample) => [sample.type, sample] as const))('round-trips %s', (_type, sample) => {
    expect(decodeMessage(encodeMessage(sample))).toEqual(sample);
  });

  it('round-trips arbitrary APDUs and responses', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 4, maxLength: 600 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (command, requestId) => {
          const decoded = decodeMessage(encodeMessage({ type: 'apdu', requestId, timeoutMs: 1, command }));
          expect(decoded).toEqual({ type: 'apdu', requestId, timeoutMs: 1, command });
        },
      ),
    );
  });

  it('never throws anything but a PROTOCOL CardError on random input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          decodeMessage(bytes);
        } catch (error) {
          expect(CardError.isInstance(error, 'PROTOCOL')).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  const text = (type: number, body: string): Uint8Array =>
    new Uint8Array([type, ...new TextEncoder().encode(body)]);
  it.each([
    ['empty', new Uint8Array(0)],
    ['unknown type', Uint8Array.of(0x99)],
    ['short APDU', Uint8Array.of(MessageType.APDU, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0xa4)],
    ['response without SW', Uint8Array.of(MessageType.APDU_RESPONSE, 0, 0, 0, 1, 0x90)],
    ['truncated request id', Uint8Array.of(MessageType.APDU_RESPONSE, 0, 0)],
    ['reset kind 3', Uint8Array.of(MessageType.RESET, 0, 0, 0, 1, 3)],
    ['ATR of 34 bytes', new Uint8Array([MessageType.RESET_RESULT, 0, 0, 0, 1, ...new Uint8Array(34)])],
    ['non-JSON hello', text(MessageType.HELLO, '{')],
    ['hello v2', text(MessageType.HELLO, JSON.stringify({ protocol: 2, platform: 'ios', capabilities }))],
    [
      'transceive length 3',
      text(
        MessageType.HELLO,
        JSON.stringify({
          protocol: 1,
          platform: 'ios',
          capabilities: { ...capabilities, maxTransceiveLength: 3 },
        }),
      ),
    ],
    [
      'AID of 4 bytes',
      text(
        MessageType.HELLO,
        JSON.stringify({
          protocol: 1,
          platform: 'ios',
          capabilities: { ...capabilities, aidAllowList: ['D3921000'] },
        }),
      ),
    ],
    ['foreign remedy', text(MessageType.CARD_REMOVE, JSON.stringify({ remedy: 'pin.incorrect' }))],
    ['unknown remedy', text(MessageType.CARD_REMOVE, JSON.stringify({ remedy: 'nfc.nope' }))],
    ['odd-length ATR hex', text(MessageType.CARD_INSERT, JSON.stringify({ atr: '3B8' }))],
    ['oversized body', text(MessageType.CLOSE, JSON.stringify({ reason: 'x'.repeat(5000) }))],
    ['invalid UTF-8', Uint8Array.of(MessageType.CLOSE, 0xff, 0xfe)],
  ])('rejects %s', (_name, bytes) => {
    expect(() => decodeMessage(bytes)).toThrowError(expect.objectContaining({ code: 'PROTOCOL' }));
  });
});

describe('phone reports', () => {
  it('maps each FAQ smartphone situation to a remedy key', () => {
    expect(phoneErrorFor('nfc-off').remedy).toBe('nfc.off');
    expect(phoneErrorFor('airplane-mode').remedy).toBe('nfc.airplane-mode');
    expect(phoneErrorFor('location-off').remedy).toBe('nfc.location-off');
    expect(phoneErrorFor('weak-field').remedy).toBe('nfc.phone-case');
    expect(phoneErrorFor('card-not-found').remedy).toBe('nfc.card-position');
    expect(phoneErrorFor('tag-lost')).toMatchObject({ code: 'CARD_REMOVED', remedy: 'nfc.moved' });
    expect(phoneErrorFor('unsupported-device').remedy).toBe('nfc.unsupported-device');
  });

  it('turns reports into CardErrors, refusing unknown codes and foreign remedies', () => {
    const error = cardErrorFromPhone(
      { code: 'CARD_REMOVED', remedy: 'nfc.moved', message: 'a\u0000b' },
      'transmit',
    );
    expect(error).toMatchObject({ code: 'CARD_REMOVED', remedy: 'nfc.moved' });
    expect(error.message).not.toContain('\u0000');
    expect(cardErrorFromPhone({ code: 'PIN_BLOCKED' }, 'x').code).toBe('IO');
    expect(cardErrorFromPhone({ code: 'IO', remedy: 'pin.blocked' }, 'x').remedy).toBeUndefined();
  });

  it('maps local card errors on the relay', () => {
    expect(reportFromError(new CardError('CARD_REMOVED', 'gone'))).toMatchObject({ remedy: 'nfc.moved' });
    expect(reportFromError(new CardError('TIMEOUT', 'slow'))).toMatchObject({
      code: 'TIMEOUT',
      remedy: 'nfc.moved',
    });
    expect(reportFromError(new Error('boom'))).toEqual({ code: 'IO', message: 'card I/O failed' });
  });
});
