/**
 * Side-by-side benchmarks on the same inputs (results in packages/core/README.md):
 * full certificate parse (kakunin vs pkijs 4, @peculiar/x509 2, node:crypto X509Certificate),
 * CRL parse + index of a 10,000-entry CRL (the 100k / 1M runs with memory figures live in
 * tools/bench/x509-scale.mjs, one child process per measurement), and revocation lookups.
 */
import 'reflect-metadata'; // @peculiar/x509 (tsyringe) needs the Reflect metadata polyfill
import * as nodeCrypto from 'node:crypto';
import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
// The built package (what users run; `pnpm bench` builds first). Importing the TS sources
// through vitest's module runner adds a namespace lookup to every cross-module call.
import {
  createNodeCryptoVerifier,
  jpkiRootName,
  parseCertificate,
  parseCrl,
  pemToDer,
  validatePath,
} from '@kakunin/core/x509';
import { X509Certificate as PeculiarX509Certificate, X509Crl as PeculiarX509Crl } from '@peculiar/x509';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { bench, describe } from 'vitest';
import { jpkiEndEntity } from './testing/jpki-fixtures.js';
import { sameNameLoopBundle } from './testing/same-name-loop.js';
import { buildCrl, rsaTestKey, syntheticCrlEntries, syntheticSerial } from './testing/x509-test-builders.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
/** The 1,319-byte J-LIS auth root 2023 (the input of certificates.md §8). */
const rootDer = pemToDer(
  readFileSync(path.resolve(repoRoot, '../shared/data/jpki-roots/auth_ca_2023.pem'), 'utf8'),
  'CERTIFICATE',
);
/** A JPKI-shaped sign end-entity certificate with holder attributes (synthetic). */
const signDer = jpkiEndEntity({ purpose: 'sign', issuerKey: rsaTestKey('sign-2023') });

function kakunin(der: Uint8Array): number {
  const certificate = parseCertificate(der).decodeAll();
  return (
    certificate.subject.toString().length +
    certificate.issuer.toString().length +
    certificate.notAfterTime +
    (certificate.keyUsage?.mask ?? 0) +
    (certificate.publicKeyInfo.rsa?.modulusBits ?? 0) +
    certificate.extensions.length
  );
}

function pkijsParse(der: Uint8Array): number {
  const certificate = pkijs.Certificate.fromBER(der as Uint8Array<ArrayBuffer>);
  let total = certificate.subject.typesAndValues.length + certificate.issuer.typesAndValues.length;
  total += certificate.notAfter.value.getTime() + (certificate.extensions?.length ?? 0);
  total += certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView.length;
  return total;
}

function peculiarParse(der: Uint8Array): number {
  const certificate = new PeculiarX509Certificate(der as Uint8Array<ArrayBuffer>);
  return (
    certificate.subject.length +
    certificate.issuer.length +
    certificate.notAfter.getTime() +
    certificate.extensions.length +
    certificate.publicKey.rawData.byteLength
  );
}

function nodeParse(der: Uint8Array): number {
  const certificate = new NodeX509Certificate(der);
  return (
    certificate.subject.length +
    certificate.issuer.length +
    certificate.validTo.length +
    (certificate.keyUsage?.length ?? 0) +
    (certificate.subjectAltName?.length ?? 0) +
    certificate.serialNumber.length
  );
}

for (const [label, der] of [
  ['J-LIS auth root 2023 (1,319 B)', rootDer],
  [`JPKI-shaped sign certificate (${signDer.length} B)`, signDer],
] as const) {
  describe(`certificate full parse: ${label}`, () => {
    bench('kakunin parseCertificate + decodeAll + fields', () => {
      kakunin(der);
    });
    bench('pkijs 4 Certificate.fromBER + fields', () => {
      pkijsParse(der);
    });
    bench('@peculiar/x509 2 X509Certificate + fields', () => {
      peculiarParse(der);
    });
    bench('node:crypto X509Certificate + fields', () => {
      nodeParse(der);
    });
  });
}

const crlKey = rsaTestKey('bench-crl');
const crl10k = buildCrl({
  issuer: jpkiRootName('sign'),
  issuerKey: crlKey,
  thisUpdate: new Date('2026-06-01T00:00:00Z'),
  nextUpdate: new Date('2026-06-02T00:00:00Z'),
  encodedEntries: syntheticCrlEntries(10_000),
});
/** asn1js limits raised so the tree parsers accept the CRL at all (default maxNodes 10,000). */
const BER_LIMITS = { maxNodes: 50_000_000, maxDepth: 100, maxContentLength: 512 * 1024 * 1024 };

describe('CRL parse + index: 10,000 entries (0.42 MB)', () => {
  bench('kakunin parseCrl (strict scan + serial index)', () => {
    parseCrl(crl10k);
  });
  bench(
    'pkijs 4 CertificateRevocationList (asn1js maxNodes raised)',
    () => {
      const asn1 = asn1js.fromBER(crl10k, BER_LIMITS as never);
      new pkijs.CertificateRevocationList({ schema: asn1.result });
    },
    { iterations: 3, time: 0 },
  );
  bench(
    '@peculiar/x509 2 X509Crl (berOptions.maxNodes raised)',
    () => {
      const crl = new PeculiarX509Crl(crl10k as Uint8Array<ArrayBuffer>, { berOptions: BER_LIMITS } as never);
      void crl.entries.length;
    },
    { iterations: 3, time: 0 },
  );
});

const crl1m = buildCrl({
  issuer: jpkiRootName('sign'),
  issuerKey: crlKey,
  thisUpdate: new Date('2026-06-01T00:00:00Z'),
  nextUpdate: new Date('2026-06-02T00:00:00Z'),
  encodedEntries: syntheticCrlEntries(1_000_000),
});
const indexed = parseCrl(crl1m);
const hit = syntheticSerial(777_777);
const miss = syntheticSerial(2_000_000);

describe('revocation lookup in a 1,000,000-entry CRL', () => {
  bench('kakunin lookup (listed serial)', () => {
    indexed.lookup(hit);
  });
  bench('kakunin has (unlisted serial)', () => {
    indexed.has(miss);
  });
});

// 12 same-named CA certificates cross-signing each other (17.5 s before the
// candidate budget); bounded by DEFAULT_MAX_PATH_CANDIDATES now.
const loop = sameNameLoopBundle(12);
const loopVerifier = createNodeCryptoVerifier(nodeCrypto);
describe('path building over 12 same-named cross-signing CAs', () => {
  bench('kakunin validatePath (budget → PATH_BUILDING_LIMIT)', async () => {
    await validatePath(loop.leaf, {
      trustAnchors: [loop.anchor],
      intermediates: loop.bundle,
      time: new Date('2026-06-01T00:00:00Z'),
      verifier: loopVerifier,
    });
  });
});
