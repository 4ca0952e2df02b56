/**
 * Test-only: the path-building budget's input — two keys under one CA name certifying each other,
 * re-issued with new serials (every alternation of them is a candidate path), a trusted CA of
 * that name with another key (no path verifies) and a leaf issued under the name.
 *
 * @example
 * ```ts
 * const { leaf, anchor, bundle } = sameNameLoopBundle(12);
 * ```
 */
import { derContextImplicit, derOctetString, derSequence } from '../../der/der-writer.js';
import { OID } from '../oids.js';
import { keyIdentifierOf } from './jpki-fixtures.js';
import {
  buildCertificate,
  buildExtension,
  buildName,
  keyUsageValue,
  rsaTestKey,
  type TestKey,
} from './x509-test-builders.js';

const notBefore = new Date('2025-01-01T00:00:00Z');
const notAfter = new Date('2035-01-01T00:00:00Z');
const loop = buildName([[OID.commonName, 'Loop CA']]);
const keys = ['a', 'b'].map((label) => rsaTestKey(`loop-${label}`));
let serial = 1000n;

export function loopCa(subjectKey: TestKey, issuerKey: TestKey): Uint8Array {
  return buildCertificate({
    serial: serial++,
    issuer: loop,
    subject: loop,
    notBefore,
    notAfter,
    subjectKey,
    issuerKey,
    extensions: [
      buildExtension(OID.basicConstraints, derSequence(Uint8Array.of(0x01, 0x01, 0xff)), true),
      buildExtension(OID.keyUsage, keyUsageValue([5]), true),
      buildExtension(OID.subjectKeyIdentifier, derOctetString(keyIdentifierOf(subjectKey.spki))),
    ],
  });
}

/**
 * Two keys under one name certifying each other, re-issued with new serials: `count` certificates
 * (half A-by-B, half B-by-A). Every alternation of them is a candidate path: with 10 or 11 the
 * simple paths number in the hundreds of thousands although only 2 × 2 signatures are distinct.
 */
function loopBundle(count: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let index = 0; index < count; index++)
    out.push(index % 2 === 0 ? loopCa(keys[0]!, keys[1]!) : loopCa(keys[1]!, keys[0]!));
  return out;
}

export function sameNameLoopBundle(count: number) {
  const bundle = loopBundle(count);
  // The trusted "Loop CA" has yet another key: no path ever verifies to it.
  const anchor = loopCa(rsaTestKey('loop-anchor'), rsaTestKey('loop-anchor'));
  const leaf = buildCertificate({
    serial: 5n,
    issuer: loop,
    subject: buildName([[OID.commonName, 'victim.example']]),
    notBefore,
    notAfter,
    subjectKey: rsaTestKey('end-entity'),
    issuerKey: keys[0]!,
    extensions: [
      buildExtension(OID.keyUsage, keyUsageValue([0]), true),
      buildExtension(
        OID.authorityKeyIdentifier,
        derSequence(derContextImplicit(0, keyIdentifierOf(keys[0]!.spki))),
      ),
    ],
  });

  return { bundle, anchor, leaf, keys };
}
