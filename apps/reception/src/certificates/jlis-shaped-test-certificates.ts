/**
 * Test support (not exported from the package): certificates shaped like J-LIS's, made with the
 * simulator's certificate builder and a throw-away key — a stand-in for a 2019-generation root
 * (right name, serial and validity; our own key, so its fingerprint is ours) and an auth
 * certificate it issued. Used to exercise `trust add` and TRUST_ANCHOR_MISSING without the real
 * 2019 files.
 *
 * @example
 * ```ts
 * const { root, leaf } = jLisShaped2019('auth');
 * ```
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { derBitString, derBoolean, derOctetString, derOid, derSequence } from '@kakunin/core/der';
import { JPKI_POLICY, type JpkiPurpose, jpkiRootName } from '@kakunin/core/x509';
import { buildCertificate } from '@kakunin/simulator/pki';

function extension(oid: string, value: Uint8Array, critical: boolean): Uint8Array {
  return critical
    ? derSequence(derOid(oid), derBoolean(true), derOctetString(value))
    : derSequence(derOid(oid), derOctetString(value));
}

const keys = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
function key(label: string) {
  let pair = keys.get(label);
  if (pair === undefined) {
    pair = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
    keys.set(label, pair);
  }
  return pair;
}

/** 2019-generation serials (J-LIS). */
const SERIAL_2019: Readonly<Record<JpkiPurpose, Uint8Array>> = {
  auth: Uint8Array.of(0x01, 0x33, 0xc3, 0x49),
  sign: Uint8Array.of(0x01, 0x32, 0xc4, 0xab),
};

/**
 * A 2019-shaped J-LIS root of `purpose` and an end-entity certificate it issued on 2021-04-01.
 */
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
      extension('2.5.29.15', derBitString(Uint8Array.of(0x06), 1), true),
      extension('2.5.29.19', derSequence(derBoolean(true)), true),
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
      extension('2.5.29.15', derBitString(Uint8Array.of(0x80), 7), true),
      extension('2.5.29.32', derSequence(derSequence(derOid(JPKI_POLICY[purpose]))), purpose === 'sign'),
    ],
  });
  return { root, leaf };
}
