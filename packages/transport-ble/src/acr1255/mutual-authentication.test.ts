/**
 * Known-answer vectors computed independently with OpenSSL
 * (`openssl enc -aes-128-cbc -K 41435231323535552d4a312041757468 -iv 0 -nopad`, and `-d`):
 * RND_A = 0F 0E … 00, RND_B = 00 11 … FF, default CMK "ACR1255U-J1 Auth".
 */
import { describe, expect, it } from 'vitest';
import { nodeAesCbc } from './aes-cbc.js';
import { ACR1255_DEFAULT_MASTER_KEY } from './constants.js';
import { decodeMessage, encodeMessage } from './message.js';
import {
  authenticationRequest,
  deriveSessionKey,
  hostAnswerChallenge,
  hostVerifyConfirmation,
  readerChallenge,
  readerCheckAnswer,
} from './mutual-authentication.js';
import { openBlock, sealBlock } from './secure-channel.js';

const fromHex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s/g, ''), 'hex'));
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const cipher = nodeAesCbc();
const key = ACR1255_DEFAULT_MASTER_KEY;
const rndA = fromHex('0f0e0d0c0b0a09080706050403020100');
const rndB = fromHex('00112233445566778899aabbccddeeff');

describe('mutual authentication (transports.md §4.4)', () => {
  it('the default master key is the ASCII "ACR1255U-J1 Auth"', () => {
    expect(new TextDecoder().decode(key)).toBe('ACR1255U-J1 Auth');
  });

  it('AES-128-CBC matches OpenSSL', () => {
    expect(hex(cipher.encrypt(key, fromHex('000102030405060708090a0b0c0d0e0f')))).toBe(
      '056c3512c010d168fbbf47442e118b04',
    );
  });

  it('runs all steps with the OpenSSL vectors', () => {
    expect(hex(authenticationRequest())).toBe('e000004500');
    const challenge = readerChallenge(cipher, key, rndA);
    expect(hex(challenge)).toBe('e100004500cca49a9983d3f68480aa15c102dce080');
    const answer = hostAnswerChallenge(cipher, key, challenge, rndB)!;
    expect(hex(answer.rndA)).toBe(hex(rndA));
    expect(hex(answer.payload)).toBe(
      'e000004600' + '4a753b2cae3889be8991825e25975e88efbbf77eef7fbd074d1a6601843eb12a',
    );
    const outcome = readerCheckAnswer(cipher, key, rndA, answer.payload)!;
    expect(hex(outcome.rndB)).toBe(hex(rndB));
    expect(hex(outcome.confirmation)).toBe('e100004600af2eb18b5637118a29bef4ba464097bf');
    expect(hostVerifyConfirmation(cipher, key, outcome.confirmation, rndB)).toBe(true);
    expect(hex(deriveSessionKey(rndA, rndB))).toBe('0f0e0d0c0b0a09080011223344556677');
  });

  it('a host with the wrong key is refused by the reader', () => {
    const wrong = new TextEncoder().encode('not-the-cmk-1234');
    const answer = hostAnswerChallenge(cipher, wrong, readerChallenge(cipher, key, rndA), rndB)!;
    expect(readerCheckAnswer(cipher, key, rndA, answer.payload)).toBeUndefined();
  });

  it('a reader with the wrong key fails the host check', () => {
    const wrong = new TextEncoder().encode('not-the-cmk-1234');
    const confirmation = Uint8Array.from([0xe1, 0, 0, 0x46, 0, ...cipher.encrypt(wrong, rndB)]);
    expect(hostVerifyConfirmation(cipher, key, confirmation, rndB)).toBe(false);
  });

  it('malformed phases are rejected, not thrown', () => {
    expect(hostAnswerChallenge(cipher, key, Uint8Array.of(0xe1, 0, 0, 0x45), rndB)).toBeUndefined();
    expect(
      hostAnswerChallenge(cipher, key, fromHex('e100004600cca49a9983d3f68480aa15c102dce080'), rndB),
    ).toBeUndefined();
    expect(readerCheckAnswer(cipher, key, rndA, fromHex('e000004600'))).toBeUndefined();
    expect(hostVerifyConfirmation(cipher, key, fromHex('e100004600'), rndB)).toBe(false);
  });
});

describe('encrypted data blocks', () => {
  it('pads with FF to 16 bytes and encrypts under the session key (OpenSSL vector)', () => {
    const sessionKey = deriveSessionKey(rndA, rndB);
    const powerOn = encodeMessage({ type: 0x62, sequence: 1, parameter: 0, data: new Uint8Array(0) });
    const sealed = sealBlock(cipher, sessionKey, powerOn);
    expect(hex(sealed)).toBe('2c49734ac474afc7cb10df5ce43411aa');
    const message = decodeMessage(openBlock(cipher, sessionKey, sealed));
    expect(message).toMatchObject({ type: 0x62, sequence: 1 });
  });

  it('refuses a block that is not a whole number of AES blocks', () => {
    let code: unknown;
    try {
      openBlock(cipher, rndA, new Uint8Array(7));
    } catch (error) {
      code = (error as { code?: unknown }).code;
    }
    expect(code).toBe('PROTOCOL');
    expect(() => cipher.encrypt(new Uint8Array(15), new Uint8Array(16))).toThrow(RangeError);
    expect(() => cipher.decrypt(rndA, new Uint8Array(17))).toThrow(RangeError);
  });
});
