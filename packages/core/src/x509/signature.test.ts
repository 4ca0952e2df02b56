import * as nodeCrypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DerCursor } from '../der/der-cursor.js';
import { derContextExplicit, derInteger, derNull, derOid, derSequence } from '../der/der-writer.js';
import { readAlgorithmIdentifier } from './algorithm-identifier.js';
import { OID } from './oids.js';
import { parsePublicKeyInfo } from './public-key-info.js';
import {
  createNodeCryptoVerifier,
  createWebCryptoVerifier,
  ecdsaDerToRaw,
  type SignatureScheme,
  signatureSchemeOf,
} from './signature.js';
import { rsaTestKey } from './testing/x509-test-builders.js';

const algorithm = (der: Uint8Array) => readAlgorithmIdentifier(new DerCursor(der));
const sha256 = derSequence(derOid(OID.sha256), derNull());
const pss = (salt: number) =>
  algorithm(
    derSequence(
      derOid(OID.rsassaPss),
      derSequence(
        derContextExplicit(0, sha256),
        derContextExplicit(1, derSequence(derOid(OID.mgf1), sha256)),
        derContextExplicit(2, derInteger(salt)),
      ),
    ),
  );

describe('signature schemes and verifiers', () => {
  it('maps AlgorithmIdentifiers, rejecting wrong parameters', () => {
    expect(signatureSchemeOf(algorithm(derSequence(derOid(OID.sha256WithRsaEncryption), derNull())))).toEqual(
      { kind: 'rsa-pkcs1', hash: 'SHA-256' },
    );
    expect(signatureSchemeOf(algorithm(derSequence(derOid(OID.sha256WithRsaEncryption))))).toBeUndefined();
    expect(signatureSchemeOf(algorithm(derSequence(derOid(OID.ecdsaWithSha384))))).toEqual({
      kind: 'ecdsa',
      hash: 'SHA-384',
    });
    expect(signatureSchemeOf(algorithm(derSequence(derOid(OID.ecdsaWithSha256), derNull())))).toBeUndefined();
    expect(signatureSchemeOf(pss(32))).toEqual({ kind: 'rsa-pss', hash: 'SHA-256', saltLength: 32 });
    expect(signatureSchemeOf(algorithm(derSequence(derOid(OID.rsassaPss), derSequence())))).toEqual({
      kind: 'rsa-pss',
      hash: 'SHA-1',
      saltLength: 20,
    });
    expect(signatureSchemeOf(algorithm(derSequence(derOid('1.2.840.10040.4.3'))))).toBeUndefined();
  });

  it('verifies RSA PKCS #1 v1.5 and PSS with both verifiers, and rejects tampering', async () => {
    const key = rsaTestKey('end-entity');
    const info = parsePublicKeyInfo(key.spki);
    const data = new TextEncoder().encode('challenge');
    const pkcs1 = new Uint8Array(nodeCrypto.sign('sha256', data, key.privateKey));
    const pssSignature = new Uint8Array(
      nodeCrypto.sign('sha256', data, {
        key: key.privateKey,
        padding: nodeCrypto.constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32,
      }),
    );
    for (const verifier of [
      createNodeCryptoVerifier(nodeCrypto),
      createWebCryptoVerifier(globalThis.crypto.subtle),
    ]) {
      const verifies = (scheme: SignatureScheme, signature: Uint8Array) =>
        verifier.verify({ scheme, publicKeyInfo: info, signature, data });
      expect(await verifies({ kind: 'rsa-pkcs1', hash: 'SHA-256' }, pkcs1)).toBe(true);
      expect(await verifies({ kind: 'rsa-pss', hash: 'SHA-256', saltLength: 32 }, pssSignature)).toBe(true);
      const tampered = pkcs1.slice();
      tampered[10] = tampered[10]! ^ 1;
      expect(await verifies({ kind: 'rsa-pkcs1', hash: 'SHA-256' }, tampered)).toBe(false);
      // Key type and scheme must match (an RSA key never verifies ECDSA).
      expect(await verifies({ kind: 'ecdsa', hash: 'SHA-256' }, pkcs1)).toBe(false);
    }
  });

  it('converts ECDSA signatures to the fixed-width form', () => {
    const der = derSequence(derInteger(Uint8Array.of(0x80, 1)), derInteger(5));
    const raw = ecdsaDerToRaw(der, 32)!;
    expect(raw.length).toBe(64);
    expect(raw[30]).toBe(0x80);
    expect(raw[63]).toBe(5);
    expect(
      ecdsaDerToRaw(derSequence(derInteger(new Uint8Array(33).fill(0x7f)), derInteger(1)), 32),
    ).toBeUndefined();
    expect(ecdsaDerToRaw(Uint8Array.of(0x30, 0x01), 32)).toBeUndefined();
  });

  it('needs a SubtleCrypto or the node:crypto module', () => {
    expect(() => createNodeCryptoVerifier({} as never)).toThrow(TypeError);
  });
});
