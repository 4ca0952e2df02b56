import * as nodeCrypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { derContextImplicit, derInteger, derOctetString, derOid, derSequence } from '../der/der-writer.js';
import { OID } from './oids.js';
import { validatePath } from './path-validation.js';
import type { RevocationSource } from './revocation.js';
import { createNodeCryptoVerifier } from './signature.js';
import { keyIdentifierOf } from './testing/jpki-fixtures.js';
import {
  buildCertificate,
  buildCrl,
  buildExtension,
  buildName,
  keyUsageValue,
  rsaTestKey,
  type TestKey,
} from './testing/x509-test-builders.js';

const verifier = createNodeCryptoVerifier(nodeCrypto);
const rootKey = rsaTestKey('path-root');
const intermediateKey = rsaTestKey('path-intermediate');
const decoyKey = rsaTestKey('path-decoy');
const leafKey = rsaTestKey('end-entity');
const rootName = buildName([[OID.commonName, 'Path Root']]);
const intermediateName = buildName([[OID.commonName, 'Path Intermediate']]);
const leafName = buildName([[OID.commonName, 'leaf.example']]);
const notBefore = new Date('2025-01-01T00:00:00Z');
const notAfter = new Date('2030-01-01T00:00:00Z');
const time = new Date('2026-01-01T00:00:00Z');

function ca(
  subject: Uint8Array,
  key: TestKey,
  issuer: Uint8Array,
  issuerKey: TestKey,
  extra: Uint8Array[] = [],
  serial = 2n,
) {
  return buildCertificate({
    serial,
    issuer,
    subject,
    notBefore,
    notAfter,
    subjectKey: key,
    issuerKey,
    extensions: [
      buildExtension(OID.basicConstraints, derSequence(Uint8Array.of(0x01, 0x01, 0xff)), true),
      buildExtension(OID.keyUsage, keyUsageValue([5, 6]), true),
      buildExtension(OID.subjectKeyIdentifier, derOctetString(keyIdentifierOf(key.spki))),
      ...(key === issuerKey
        ? []
        : [
            buildExtension(
              OID.authorityKeyIdentifier,
              derSequence(derContextImplicit(0, keyIdentifierOf(issuerKey.spki))),
            ),
          ]),
      ...extra,
    ],
  });
}

function leaf(issuerKey: TestKey, extra: Uint8Array[] = [], keyUsageBits = [0]) {
  return buildCertificate({
    serial: 77n,
    issuer: intermediateName,
    subject: leafName,
    notBefore,
    notAfter,
    subjectKey: leafKey,
    issuerKey,
    extensions: [
      buildExtension(OID.keyUsage, keyUsageValue(keyUsageBits), true),
      buildExtension(
        OID.authorityKeyIdentifier,
        derSequence(derContextImplicit(0, keyIdentifierOf(issuerKey.spki))),
      ),
      ...extra,
    ],
  });
}

const root = ca(rootName, rootKey, rootName, rootKey, [], 1n);
const intermediate = ca(intermediateName, intermediateKey, rootName, rootKey);
// Same subject, different key, also issued by the root: a plausible but wrong candidate.
const decoy = ca(intermediateName, decoyKey, rootName, rootKey, [], 3n);
const goodLeaf = leaf(intermediateKey);

describe('validatePath', () => {
  it('builds through untrusted intermediates past a same-named decoy', async () => {
    const result = await validatePath(goodLeaf, {
      trustAnchors: [root],
      intermediates: [decoy, intermediate],
      time,
      verifier,
    });
    expect(result.valid).toBe(true);
    expect(result.chain.map((certificate) => certificate.serialNumberHex)).toEqual(['4d', '02', '01']);
    // No revocation source: soft-fail, statuses reported as UNKNOWN (never GOOD).
    expect(result.revocation.map((status) => status.status)).toEqual(['UNKNOWN', 'UNKNOWN']);
  });

  it('reports an untrusted chain when the anchor is missing or the signature is wrong', async () => {
    const noAnchor = await validatePath(goodLeaf, {
      trustAnchors: [],
      intermediates: [intermediate],
      time,
      verifier,
    });
    expect(noAnchor.code).toBe('CHAIN_UNTRUSTED');
    const forged = await validatePath(leaf(decoyKey), {
      trustAnchors: [root],
      intermediates: [intermediate],
      time,
      verifier,
    });
    expect(forged.code).toBe('CHAIN_UNTRUSTED');
    expect(forged.message).toMatch(/signature did not verify/);
  });

  it('stops at the signature-check budget', async () => {
    const result = await validatePath(goodLeaf, {
      trustAnchors: [root],
      intermediates: [decoy, intermediate],
      time,
      verifier,
      maxSignatureChecks: 1,
    });
    expect(result.valid).toBe(false);
    expect(result.code).toBe('PATH_BUILDING_LIMIT');
    expect(result.message).toMatch(/1 of 1 signature checks/);
  });

  it('hard-fails UNKNOWN revocation when a source is configured, and honours REVOKED from CRLs', async () => {
    const unknown: RevocationSource = {
      check: async () => ({ status: 'UNKNOWN', source: 'test', detail: 'offline' }),
    };
    const soft = await validatePath(goodLeaf, {
      trustAnchors: [root],
      intermediates: [intermediate],
      time,
      verifier,
      revocation: unknown,
      revocationPolicy: 'soft-fail',
    });
    expect(soft.valid).toBe(true);
    const hard = await validatePath(goodLeaf, {
      trustAnchors: [root],
      intermediates: [intermediate],
      time,
      verifier,
      revocation: unknown,
    });
    expect(hard.code).toBe('REVOCATION_UNKNOWN');
    const crls = [
      buildCrl({
        issuer: rootName,
        issuerKey: rootKey,
        thisUpdate: new Date('2025-12-31T00:00:00Z'),
        nextUpdate: new Date('2026-01-02T00:00:00Z'),
        entries: [{ serial: 2n, revocationDate: new Date('2025-12-01T00:00:00Z'), reason: 2 }],
      }),
      buildCrl({
        issuer: intermediateName,
        issuerKey: intermediateKey,
        thisUpdate: new Date('2025-12-31T00:00:00Z'),
        nextUpdate: new Date('2026-01-02T00:00:00Z'),
      }),
    ];
    const revoked = await validatePath(goodLeaf, {
      trustAnchors: [root],
      intermediates: [intermediate],
      time,
      verifier,
      crls,
    });
    expect(revoked.code).toBe('REVOKED');
    expect(revoked.failures[0]?.certificateIndex).toBe(1);
    expect(revoked.revocation.map((status) => status.status)).toEqual(['GOOD', 'REVOKED']);
  });

  it('checks requested key usage and extended key usage', async () => {
    const ku = await validatePath(goodLeaf, {
      trustAnchors: [root],
      intermediates: [intermediate],
      time,
      verifier,
      keyUsage: ['keyEncipherment'],
    });
    expect(ku.message).toMatch(/keyEncipherment/);
    const ekuLeaf = leaf(intermediateKey, [
      buildExtension(OID.extendedKeyUsage, derSequence(derOid(OID.clientAuth))),
    ]);
    const eku = await validatePath(ekuLeaf, {
      trustAnchors: [root],
      intermediates: [intermediate],
      time,
      verifier,
      extendedKeyUsage: [OID.serverAuth],
    });
    expect(eku.message).toMatch(/extendedKeyUsage/);
    const ok = await validatePath(ekuLeaf, {
      trustAnchors: [root],
      intermediates: [intermediate],
      time,
      verifier,
      extendedKeyUsage: [OID.clientAuth],
    });
    expect(ok.valid).toBe(true);
  });

  it('refuses name constraints it cannot process and enforces explicit policy', async () => {
    const constrained = ca(intermediateName, intermediateKey, rootName, rootKey, [
      buildExtension(
        OID.nameConstraints,
        derSequence(
          derContextImplicit(
            0,
            derSequence(derContextImplicit(2, new TextEncoder().encode('example'))),
            true,
          ),
        ),
        true,
      ),
    ]);
    const nc = await validatePath(goodLeaf, {
      trustAnchors: [root],
      intermediates: [constrained],
      time,
      verifier,
    });
    expect(nc.message).toMatch(/nameConstraints are not supported/);
    const requirePolicy = ca(intermediateName, intermediateKey, rootName, rootKey, [
      buildExtension(OID.policyConstraints, derSequence(derContextImplicit(0, Uint8Array.of(0))), true),
    ]);
    const policy = await validatePath(goodLeaf, {
      trustAnchors: [root],
      intermediates: [requirePolicy],
      time,
      verifier,
    });
    expect(policy.message).toMatch(/explicit policy/);
    const anyPolicyIntermediate = ca(intermediateName, intermediateKey, rootName, rootKey, [
      buildExtension(OID.policyConstraints, derSequence(derContextImplicit(0, Uint8Array.of(0))), true),
      buildExtension(OID.certificatePolicies, derSequence(derSequence(derOid(OID.anyPolicy)))),
    ]);
    const withPolicy = leaf(intermediateKey, [
      buildExtension(OID.certificatePolicies, derSequence(derSequence(derOid('1.2.3.4')))),
    ]);
    const policyOk = await validatePath(withPolicy, {
      trustAnchors: [root],
      intermediates: [anyPolicyIntermediate],
      time,
      verifier,
    });
    expect(policyOk.failures).toEqual([]);
    // The intermediate without certificatePolicies empties the valid policy set (RFC 5280 §6.1.3 (e)).
    const policyLost = await validatePath(withPolicy, {
      trustAnchors: [root],
      intermediates: [requirePolicy],
      time,
      verifier,
    });
    expect(policyLost.message).toMatch(/explicit policy/);
    expect(derInteger(0)).toBeDefined();
  });

  it('reports an unparseable leaf as X509_MALFORMED and honours abort', async () => {
    const broken = await validatePath(goodLeaf.subarray(0, 100), { trustAnchors: [root], time, verifier });
    expect(broken.code).toBe('DER_TRUNCATED');
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      validatePath(goodLeaf, {
        trustAnchors: [root],
        intermediates: [intermediate],
        verifier,
        signal: controller.signal,
      }),
    ).rejects.toThrow('stop');
    await expect(validatePath(goodLeaf, { trustAnchors: 'x' as unknown as [] })).rejects.toThrow(TypeError);
  });
});
