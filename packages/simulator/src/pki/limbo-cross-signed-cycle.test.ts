/**
 * Issue 14 seen-3 as a harness-level limbo case: leaf → intermediate → a CA that three roots
 * cross-sign in a cycle (A, B, C each certify the others), the trusted "Root A" without
 * authorityKeyIdentifier — the shape of x509-limbo's held-out cve-2024-0567 case. The case runs
 * through the same harness as ../shared's x509-limbo subset (`@kakunin/tools-conformance/limbo`,
 * both verifiers; the test lives here because tools-conformance cannot depend on the simulator,
 * which already depends on it): it must
 * validate, and the generic CA-conformance gap (RFC 5280 §4.2.1.1 binds issuing CAs, not relying
 * parties) comes back as a finding beside the verdict, not as a failure. The certificates are
 * built here, deterministically, with the simulator's PKI builders (no certificate is committed).
 */
import * as nodeCrypto from 'node:crypto';
import { createNodeCryptoVerifier, createWebCryptoVerifier } from '@kakunin/core/x509';
import { type LimboTestcase, runLimbo } from '@kakunin/tools-conformance/limbo';
import { describe, expect, it } from 'vitest';
import {
  authorityKeyIdentifier,
  basicConstraintsCa,
  buildCertificate,
  encodeName,
  extension,
  keyIdentifier,
  keyUsage,
  subjectKeyIdentifier,
  X509_OID,
} from './index.js';
import { defaultKeyCacheDirectory, TestKeyStore } from './test-key-store.js';

const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
const SEED = 'limbo-cross-signed-cycle';
const key = (label: string) => keyStore.rsaKey(SEED, label);
const name = (commonName: string) => encodeName([['CN', commonName]]);
const notBefore = new Date('2025-01-01T00:00:00Z');
const notAfter = new Date('2035-01-01T00:00:00Z');
let serial = 0x100;

function pem(der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${base64.replace(/(.{64})/g, '$1\n').trimEnd()}\n-----END CERTIFICATE-----\n`;
}

/** A CA certificate `subject` (key `subjectKey`) issued by `issuer` (key `issuerKey`). */
function ca(subject: string, subjectKey: string, issuer: string, issuerKey: string, withAki = true): string {
  const own = key(subjectKey);
  const signer = key(issuerKey);
  return pem(
    buildCertificate({
      serialNumber: Uint8Array.of(serial >> 8, serial++ & 0xff),
      issuer: name(issuer),
      subject: name(subject),
      notBefore,
      notAfter,
      subjectPublicKey: own.publicKey,
      issuerPrivateKey: signer.privateKey,
      extensions: [
        extension(X509_OID.BASIC_CONSTRAINTS, true, basicConstraintsCa()),
        extension(X509_OID.KEY_USAGE, true, keyUsage({ keyCertSign: true, cRLSign: true })),
        extension(X509_OID.SUBJECT_KEY_IDENTIFIER, false, subjectKeyIdentifier(keyIdentifier(own.publicKey))),
        ...(withAki
          ? [
              extension(
                X509_OID.AUTHORITY_KEY_IDENTIFIER,
                false,
                authorityKeyIdentifier(keyIdentifier(signer.publicKey)),
              ),
            ]
          : []),
      ],
    }),
  );
}

function leaf(): string {
  return pem(
    buildCertificate({
      serialNumber: Uint8Array.of(0x07),
      issuer: name('Intermediate A1'),
      subject: name('cycle.example'),
      notBefore,
      notAfter,
      subjectPublicKey: key('leaf').publicKey,
      issuerPrivateKey: key('a1').privateKey,
      extensions: [
        extension(X509_OID.KEY_USAGE, true, keyUsage({ digitalSignature: true })),
        extension(
          X509_OID.AUTHORITY_KEY_IDENTIFIER,
          false,
          authorityKeyIdentifier(keyIdentifier(key('a1').publicKey)),
        ),
      ],
    }),
  );
}

/** The limbo testcase (limbo-schema.json fields the harness reads). */
function crossSignedCycle(
  features: readonly string[] = [],
): LimboTestcase & { expected_result: 'SUCCESS' | 'FAILURE' } {
  serial = 0x100;
  return {
    id: 'kakunin::cross-signed-cycle-anchor-without-aki',
    features,
    // Root A is issued under another name (not self-issued) and carries no AKI.
    trusted_certs: [ca('Root A', 'a', 'x509-limbo-root', 'a', false)],
    untrusted_intermediates: [
      ca('Intermediate A1', 'a1', 'Root A', 'a'),
      ca('Root A', 'a', 'Root B', 'b'),
      ca('Root A', 'a', 'Root C', 'c'),
      ca('Intermediate B1', 'b1', 'Root B', 'b'),
      ca('Root B', 'b', 'Root A', 'a'),
      ca('Root B', 'b', 'Root C', 'c'),
      ca('Intermediate C1', 'c1', 'Root C', 'c'),
      ca('Root C', 'c', 'Root A', 'a'),
      ca('Root C', 'c', 'Root B', 'b'),
    ],
    peer_certificate: leaf(),
    validation_time: '2026-06-01T00:00:00Z',
    key_usage: ['digitalSignature'],
    expected_result: features.includes('pedantic-rfc5280') ? 'FAILURE' : 'SUCCESS',
  };
}

describe('x509-limbo harness: cross-signed cycle, trust anchor without authorityKeyIdentifier', () => {
  it('builds the same certificates every run (deterministic keys and serials)', () => {
    expect(crossSignedCycle()).toEqual(crossSignedCycle());
  });

  describe.each([
    ['node:crypto', createNodeCryptoVerifier(nodeCrypto)],
    ['WebCrypto', createWebCryptoVerifier(globalThis.crypto.subtle)],
  ])('with the %s verifier', (_name, verifier) => {
    it('validates leaf → Intermediate A1 → Root A and reports the missing AKI as a finding', {
      timeout: 60_000,
    }, async () => {
      const testcase = crossSignedCycle();
      const result = await runLimbo({ version: 1, testcases: [testcase] }, { verifier });
      expect(result.results).toEqual([
        {
          id: testcase.id,
          actual_result: 'SUCCESS',
          context: expect.stringMatching(
            /^chain of 3; findings: PROFILE_VIOLATION aki\.missing \(certificate 2\): .*authorityKeyIdentifier/,
          ),
        },
      ]);
      // Exactly one finding: the anchor's; the leaf and intermediate carry their AKI.
      expect(result.results[0]!.context.match(/PROFILE_VIOLATION/g)).toHaveLength(1);
    });
  });

  it('a pedantic-rfc5280 case holds the anchor to the CA rule and fails for that reason', {
    timeout: 60_000,
  }, async () => {
    const testcase = crossSignedCycle(['pedantic-rfc5280']);
    const result = await runLimbo(
      { version: 1, testcases: [testcase] },
      { verifier: createNodeCryptoVerifier(nodeCrypto) },
    );
    expect(result.results[0]).toMatchObject({
      actual_result: testcase.expected_result,
      context: expect.stringMatching(/^PROFILE_VIOLATION: .*authorityKeyIdentifier.*\(certificate 2\)/),
    });
  });
});
