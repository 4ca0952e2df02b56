/**
 * A valid chain whose trust anchor is a cross-signed CA certificate without
 * authorityKeyIdentifier (the shape of x509-limbo's cve-2024-0567 case: leaf → A1 → A, with A,
 * B and C cross-signing each other in a cycle). RFC 5280 §4.2.1.1 binds issuing CAs, not
 * relying parties: §6 path validation accepts the chain and reports the gap as a finding.
 */
import * as nodeCrypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { derContextImplicit, derOctetString, derSequence } from '../der/der-writer.js';
import { OID } from './oids.js';
import { validatePath } from './path-validation.js';
import { createNodeCryptoVerifier } from './signature.js';
import { keyIdentifierOf } from './testing/jpki-fixtures.js';
import {
  buildCertificate,
  buildExtension,
  buildName,
  keyUsageValue,
  rsaTestKey,
  type TestKey,
} from './testing/x509-test-builders.js';

const verifier = createNodeCryptoVerifier(nodeCrypto);
const notBefore = new Date('2025-01-01T00:00:00Z');
const notAfter = new Date('2035-01-01T00:00:00Z');
const time = new Date('2026-06-01T00:00:00Z');
const name = (cn: string) => buildName([[OID.commonName, cn]]);
const keys = {
  a: rsaTestKey('cycle-a'),
  b: rsaTestKey('cycle-b'),
  c: rsaTestKey('cycle-c'),
  a1: rsaTestKey('cycle-a1'),
  b1: rsaTestKey('cycle-b1'),
  c1: rsaTestKey('cycle-c1'),
  leaf: rsaTestKey('end-entity'),
};
let serial = 100n;

function ca(subject: string, key: TestKey, issuer: string, issuerKey: TestKey, aki = true): Uint8Array {
  return buildCertificate({
    serial: serial++,
    issuer: name(issuer),
    subject: name(subject),
    notBefore,
    notAfter,
    subjectKey: key,
    issuerKey,
    extensions: [
      buildExtension(OID.basicConstraints, derSequence(Uint8Array.of(0x01, 0x01, 0xff)), true),
      buildExtension(OID.keyUsage, keyUsageValue([5]), false),
      buildExtension(OID.subjectKeyIdentifier, derOctetString(keyIdentifierOf(key.spki))),
      ...(aki
        ? [
            buildExtension(
              OID.authorityKeyIdentifier,
              derSequence(derContextImplicit(0, keyIdentifierOf(issuerKey.spki))),
            ),
          ]
        : []),
    ],
  });
}

// The trusted "Root A": issued under another name (not self-issued) and without AKI.
const rootA = ca('Root A', keys.a, 'x509-limbo-root', keys.a, false);
const intermediates = [
  ca('Intermediate A1', keys.a1, 'Root A', keys.a),
  ca('Root A', keys.a, 'Root B', keys.b),
  ca('Root A', keys.a, 'Root C', keys.c),
  ca('Intermediate B1', keys.b1, 'Root B', keys.b),
  ca('Root B', keys.b, 'Root A', keys.a),
  ca('Root B', keys.b, 'Root C', keys.c),
  ca('Intermediate C1', keys.c1, 'Root C', keys.c),
  ca('Root C', keys.c, 'Root A', keys.a),
  ca('Root C', keys.c, 'Root B', keys.b),
];
const leaf = buildCertificate({
  serial: 7n,
  issuer: name('Intermediate A1'),
  subject: name('cycle.example'),
  notBefore,
  notAfter,
  subjectKey: keys.leaf,
  issuerKey: keys.a1,
  extensions: [
    buildExtension(OID.keyUsage, keyUsageValue([0]), true),
    buildExtension(
      OID.authorityKeyIdentifier,
      derSequence(derContextImplicit(0, keyIdentifierOf(keys.a1.spki))),
    ),
  ],
});

describe('path validation: CA-conformance findings are not failures', () => {
  it('accepts leaf → intermediate → cross-signed anchor without AKI, and reports the finding', async () => {
    const result = await validatePath(leaf, { trustAnchors: [rootA], intermediates, time, verifier });
    expect(result.code).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(result.chain.map((certificate) => certificate.subject.toString())).toEqual([
      'CN=cycle.example',
      'CN=Intermediate A1',
      'CN=Root A',
    ]);
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'PROFILE_VIOLATION',
        certificateIndex: 2,
        message: expect.stringMatching(/authorityKeyIdentifier/),
      }),
    ]);
  });

  it('enforces the finding only when asked (strict conformance)', async () => {
    const result = await validatePath(leaf, {
      trustAnchors: [rootA],
      intermediates,
      time,
      verifier,
      conformance: 'strict',
    });
    expect(result.valid).toBe(false);
    expect(result.code).toBe('PROFILE_VIOLATION');
  });

  it('passes under the Web PKI profile (a root may omit AKI), fails under strict', async () => {
    const webpki = await validatePath(leaf, {
      trustAnchors: [rootA],
      intermediates,
      time,
      verifier,
      conformance: 'webpki',
    });
    expect(webpki.valid).toBe(true);
  });

  it('still refuses a leaf without AKI under the Web PKI profile and reports it by default', async () => {
    const bare = buildCertificate({
      serial: 8n,
      issuer: name('Intermediate A1'),
      subject: name('bare.example'),
      notBefore,
      notAfter,
      subjectKey: keys.leaf,
      issuerKey: keys.a1,
      extensions: [buildExtension(OID.keyUsage, keyUsageValue([0]), true)],
    });
    const strict = await validatePath(bare, {
      trustAnchors: [rootA],
      intermediates,
      time,
      verifier,
      conformance: 'webpki',
    });
    expect(strict.code).toBe('PROFILE_VIOLATION');
    const relaxed = await validatePath(bare, { trustAnchors: [rootA], intermediates, time, verifier });
    expect(relaxed.valid).toBe(true);
    expect(relaxed.findings.map((finding) => finding.certificateIndex)).toEqual([0, 2]);
  });
});

describe('revocation policy', () => {
  it("'required' fails an UNKNOWN status, 'delegated' reports it (never GOOD) and passes", async () => {
    const required = await validatePath(leaf, {
      trustAnchors: [rootA],
      intermediates,
      time,
      verifier,
      revocation: 'required',
    });
    expect(required.code).toBe('REVOCATION_UNKNOWN');
    const delegated = await validatePath(leaf, {
      trustAnchors: [rootA],
      intermediates,
      time,
      verifier,
      revocation: 'delegated',
    });
    expect(delegated.valid).toBe(true);
    expect(delegated.revocation.map((status) => status.status)).toEqual(['UNKNOWN', 'UNKNOWN']);
  });
});
