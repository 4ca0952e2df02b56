/**
 * Certificates shaped like J-LIS's 2019 generation, for tests of trust-root handling: a root with
 * J-LIS's name, serial and validity but a throw-away key (so its fingerprint is ours, never
 * J-LIS's), and an end-entity certificate it issued on 2021-04-01. They exercise `trust add`,
 * the registry's checks and TRUST_ANCHOR_MISSING without the real 2019 files. Keys are generated
 * once per process and label.
 *
 * @example
 * ```ts
 * const { root, leaf } = jLisShaped2019('auth');
 * ```
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { derOid, derSequence } from '@kakunin/core/der';
import { JPKI_POLICY, type JpkiPurpose, jpkiRootName } from '@kakunin/core/x509';
import { buildCertificate } from './certificate-builder.js';
import { X509_OID } from './jpki-oids.js';
import { basicConstraintsCa, extension, keyUsage } from './x509-extensions.js';

const keys = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
function key(label: string) {
  let pair = keys.get(label);
  if (pair === undefined) {
    pair = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
    keys.set(label, pair);
  }
  return pair;
}

/** 2019-generation root serials (J-LIS's CA page). */
const SERIAL_2019: Readonly<Record<JpkiPurpose, Uint8Array>> = {
  auth: Uint8Array.of(0x01, 0x33, 0xc3, 0x49),
  sign: Uint8Array.of(0x01, 0x32, 0xc4, 0xab),
};

/** A 2019-shaped J-LIS root of `purpose` (DER) and an end-entity certificate it issued on 2021-04-01. */
export function jLisShaped2019(purpose: JpkiPurpose): { root: Uint8Array; leaf: Uint8Array } {
  const rootKey = key(`root-${purpose}`);
  const leafKey = key('leaf');
  const name = jpkiRootName(purpose);
  const root = buildCertificate({
    serialNumber: SERIAL_2019[purpose],
    issuer: name,
    subject: name,
    notBefore: new Date('2019-09-14T02:00:00Z'),
    notAfter: new Date('2029-09-14T14:59:59Z'),
    subjectPublicKey: rootKey.publicKey,
    issuerPrivateKey: rootKey.privateKey,
    extensions: [
      extension(X509_OID.KEY_USAGE, true, keyUsage({ keyCertSign: true, cRLSign: true })),
      extension(X509_OID.BASIC_CONSTRAINTS, true, basicConstraintsCa()),
    ],
  });
  const leaf = buildCertificate({
    serialNumber: Uint8Array.of(0x12, 0x34, 0x56),
    issuer: name,
    subject: derSequence(),
    notBefore: new Date('2021-04-01T01:00:00Z'),
    notAfter: new Date('2026-12-31T14:59:59Z'),
    subjectPublicKey: leafKey.publicKey,
    issuerPrivateKey: rootKey.privateKey,
    extensions: [
      extension(X509_OID.KEY_USAGE, true, keyUsage({ digitalSignature: true })),
      // JPKI marks the policy critical on signing certificates only (certificates.md).
      extension(
        X509_OID.CERTIFICATE_POLICIES,
        purpose === 'sign',
        derSequence(derSequence(derOid(JPKI_POLICY[purpose]))),
      ),
    ],
  });
  return { root, leaf };
}
