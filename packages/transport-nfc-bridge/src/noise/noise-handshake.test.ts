import { hexToBytes } from '@kakunin/core/transport';
import { x25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { NoiseHandshake, type NoisePatternName } from './noise-handshake.js';

// Test vectors: cacophony vectors/cacophony.txt (Noise_NN_25519_ChaChaPoly_SHA256, messages and
// transport ciphertexts) and the noise_wiki vector format for NK / NKpsk0 with the same keys.
const PROLOGUE = hexToBytes('4a6f686e2047616c74'); // "John Galt"
const INIT_EPHEMERAL = hexToBytes('893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a');
const RESP_EPHEMERAL = hexToBytes('bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b');
const RESP_STATIC = hexToBytes('4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893');
const RESP_STATIC_PUBLIC = '31e0303fd6418d2f8c0e78b91f22e8caed0fbe48656dcf4767e4834f701b8f62';
const PSK = hexToBytes('54686973206973206d7920417573747269616e20706572737065637469766521');
const PAYLOADS = [
  '4c756477696720766f6e204d69736573',
  '4d757272617920526f746862617264',
  '462e20412e20486179656b',
  '4361726c204d656e676572',
];

interface Vector {
  readonly pattern: NoisePatternName;
  readonly ciphertexts: readonly string[];
  readonly handshakeHash?: string;
}

const VECTORS: readonly Vector[] = [
  {
    pattern: 'NN',
    ciphertexts: [
      'ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79444c756477696720766f6e204d69736573',
      '95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f144808843a0ff96bdf86b579ef7dbf94e812a7470b903c20a85a87e3a1fe863264ae547',
      'eb1a3e3d80c1792b1bb9cb0e1382f8d8322bfb1ca7c4c8517bb686',
      'c781b198d2a974eb1da2c7d518c000cf6396de87ca540963c03713',
    ],
  },
  {
    pattern: 'NK',
    handshakeHash: '2efa38a9c7c93ac98f3a097af25c2f58b9e7673787717bc27e98827118c2c1a5',
    ciphertexts: [
      'ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79448134d00711fdb390a0d178fa008f6d47d2891e5ea18ae136c3b4c23ac384efb0',
      '95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f1448088438ea16e3701bc0d77744f117bee22451c9afa7f4cdbbcff00c04a8ee0913c88',
      'a62de29ce27cb80245d440d986ed816c156e9d757d7008df2198b0',
      '174a35f11c689f4530d7208618e0564ae12f2f50ba8eb4df5382ff',
    ],
  },
  {
    pattern: 'NKpsk0',
    handshakeHash: '1609ef057bdd62c752b5960546a255a78aebff08c5f07ef2adaa1db8350e7077',
    ciphertexts: [
      'ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c7944190fec41487219f2069c3ba7b7f9521437045935231f0ed399dfd4baf6bd825b',
      '95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f14480884385010e0c56e886e6da0c69aee7388bcf4000cc357af5ebd11a46a169a3712c',
      '4beed26535f1a387c950fab9a162dc613cc5bf84e8a62653130b83',
      'ceaffe71ce7f1bf7b080736d62e0579ce5dc1530a36e7df795a4cc',
    ],
  },
];

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function pair(pattern: NoisePatternName, psk = PSK): [NoiseHandshake, NoiseHandshake] {
  const staticKeyPair = { secretKey: RESP_STATIC, publicKey: x25519.getPublicKey(RESP_STATIC) };
  const initiator = new NoiseHandshake({
    pattern,
    initiator: true,
    prologue: PROLOGUE,
    remoteStaticPublicKey: staticKeyPair.publicKey,
    psk,
    generateSecretKey: () => INIT_EPHEMERAL.slice(),
  });
  const responder = new NoiseHandshake({
    pattern,
    initiator: false,
    prologue: PROLOGUE,
    staticKeyPair,
    psk: PSK,
    generateSecretKey: () => RESP_EPHEMERAL.slice(),
  });
  return [initiator, responder];
}

describe('NoiseHandshake test vectors', () => {
  it('derives the vector responder static public key', () => {
    expect(hex(x25519.getPublicKey(RESP_STATIC))).toBe(RESP_STATIC_PUBLIC);
  });

  for (const vector of VECTORS) {
    it(`Noise_${vector.pattern}_25519_ChaChaPoly_SHA256 matches byte for byte`, () => {
      const [initiator, responder] = pair(vector.pattern);
      const message1 = initiator.writeMessage(hexToBytes(PAYLOADS[0]!));
      expect(hex(message1)).toBe(vector.ciphertexts[0]);
      expect(hex(responder.readMessage(message1))).toBe(PAYLOADS[0]);
      const message2 = responder.writeMessage(hexToBytes(PAYLOADS[1]!));
      expect(hex(message2)).toBe(vector.ciphertexts[1]);
      expect(hex(initiator.readMessage(message2))).toBe(PAYLOADS[1]);
      expect(initiator.isComplete && responder.isComplete).toBe(true);
      const phone = initiator.split();
      const pc = responder.split();
      expect(hex(phone.handshakeHash)).toBe(hex(pc.handshakeHash));
      if (vector.handshakeHash !== undefined) expect(hex(phone.handshakeHash)).toBe(vector.handshakeHash);
      const transport1 = phone.send.encryptWithAd(new Uint8Array(0), hexToBytes(PAYLOADS[2]!));
      expect(hex(transport1)).toBe(vector.ciphertexts[2]);
      expect(hex(pc.receive.decryptWithAd(new Uint8Array(0), transport1)!)).toBe(PAYLOADS[2]);
      const transport2 = pc.send.encryptWithAd(new Uint8Array(0), hexToBytes(PAYLOADS[3]!));
      expect(hex(transport2)).toBe(vector.ciphertexts[3]);
      expect(hex(phone.receive.decryptWithAd(new Uint8Array(0), transport2)!)).toBe(PAYLOADS[3]);
    });
  }
});

describe('NoiseHandshake failures', () => {
  it('rejects a wrong PSK (wrong pairing token) with PEER_REJECTED', () => {
    const [initiator, responder] = pair('NKpsk0', new Uint8Array(32).fill(7));
    const message1 = initiator.writeMessage(new Uint8Array([1, 2, 3]));
    expect(() => responder.readMessage(message1)).toThrowError(
      expect.objectContaining({ code: 'PEER_REJECTED', details: { reason: 'authentication' } }),
    );
  });

  it('rejects any single flipped bit of message 1', () => {
    const [initiator] = pair('NKpsk0');
    const message1 = initiator.writeMessage(new Uint8Array([9, 9]));
    for (let index = 0; index < message1.length; index += 1) {
      const [, responder] = pair('NKpsk0');
      const tampered = message1.slice();
      tampered[index]! ^= 0x01;
      expect(() => responder.readMessage(tampered)).toThrowError(
        expect.objectContaining({ code: 'PEER_REJECTED' }),
      );
    }
  });

  it('rejects truncated messages at every length', () => {
    const [initiator] = pair('NKpsk0');
    const message1 = initiator.writeMessage(new Uint8Array(0));
    for (let length = 0; length < message1.length; length += 1) {
      const [, responder] = pair('NKpsk0');
      expect(() => responder.readMessage(message1.subarray(0, length))).toThrowError(
        expect.objectContaining({ code: 'PEER_REJECTED' }),
      );
    }
  });

  it('rejects a low-order ephemeral public key', () => {
    const [, responder] = pair('NKpsk0');
    const message = new Uint8Array(32 + 16); // all-zero point is of low order
    expect(() => responder.readMessage(message)).toThrowError(
      expect.objectContaining({ code: 'PEER_REJECTED' }),
    );
  });

  it('asserts inputs at the boundary', () => {
    expect(
      () =>
        new NoiseHandshake({
          pattern: 'NKpsk0',
          initiator: true,
          prologue: PROLOGUE,
          psk: new Uint8Array(31),
        }),
    ).toThrow(RangeError);
    expect(() => new NoiseHandshake({ pattern: 'NK', initiator: false, prologue: PROLOGUE })).toThrow(
      TypeError,
    );
    const [initiator] = pair('NKpsk0');
    expect(() => initiator.readMessage(new Uint8Array(48))).toThrow(/turn/);
  });
});
