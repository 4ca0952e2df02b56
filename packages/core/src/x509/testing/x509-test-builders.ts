/**
 * Test-only builders for X.509 certificates and CRLs, made with the package's own DER writer
 * and node:crypto RSA keys (generated once per process and cached). Used by the x509 tests
 * and benchmarks; never exported from the package.
 *
 * @example
 * ```ts
 * const root = rsaTestKey('root');
 * const der = buildCertificate({ issuer, subject, subjectKey: root, issuerKey: root, … });
 * ```
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import {
  derBitString,
  derBoolean,
  derContextExplicit,
  derContextImplicit,
  derGeneralizedTime,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derPrintableString,
  derSequence,
  derSet,
  derUtcTime,
  derUtf8String,
} from '../../der/der-writer.js';
import { OID } from '../oids.js';

export interface TestKey {
  readonly privateKey: KeyObject;
  /** SubjectPublicKeyInfo DER. */
  readonly spki: Uint8Array;
}

const keys = new Map<string, TestKey>();

/**
 * A cached RSA key per label (2048 bits, e = 65537 unless asked otherwise).
 *
 * @example
 * ```ts
 * const key = rsaTestKey('auth-root-2023');
 * ```
 */
export function rsaTestKey(label: string, modulusLength = 2048): TestKey {
  const id = `${label}/${modulusLength}`;
  let key = keys.get(id);
  if (key === undefined) {
    const pair = generateKeyPairSync('rsa', { modulusLength, publicExponent: 65537 });
    key = {
      privateKey: createPrivateKey(pair.privateKey.export({ format: 'pem', type: 'pkcs8' })),
      spki: new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' })),
    };
    keys.set(id, key);
  }
  return key;
}

/**
 * An RSA SubjectPublicKeyInfo with an arbitrary (not factorable-by-us) modulus — enough for a
 * subject key whose private half is never used (e.g. RSA-4096 or e = 3 profile tests).
 *
 * @example
 * ```ts
 * fakeRsaPublicKey(4096, 3n);
 * ```
 */
export function fakeRsaPublicKey(bits: number, exponent = 65537n): Uint8Array {
  const modulus = new Uint8Array(bits / 8).map((_, index) => (index * 37 + 11) & 0xff);
  modulus[0] = modulus[0]! | 0x80;
  modulus[modulus.length - 1] = modulus[modulus.length - 1]! | 1;
  const rsaPublicKey = derSequence(derInteger(modulus), derInteger(exponent));
  return derSequence(derSequence(derOid(OID.rsaEncryption), derNull()), derBitString(rsaPublicKey));
}

export type NameAttributeSpec = readonly [type: string, value: string, kind?: 'printable' | 'utf8'];

/**
 * A Name from attributes in order (one attribute per RDN).
 *
 * @example
 * ```ts
 * buildName([[OID.countryName, 'JP', 'printable'], [OID.commonName, 'test']]);
 * ```
 */
export function buildName(attributes: readonly NameAttributeSpec[]): Uint8Array {
  return derSequence(
    ...attributes.map(([type, value, kind]) =>
      derSet(
        derSequence(derOid(type), kind === 'printable' ? derPrintableString(value) : derUtf8String(value)),
      ),
    ),
  );
}

/**
 * One Extension.
 *
 * @example
 * ```ts
 * buildExtension(OID.keyUsage, derBitString(Uint8Array.of(0x80), 7), true);
 * ```
 */
export function buildExtension(oid: string, value: Uint8Array, critical = false): Uint8Array {
  return critical
    ? derSequence(derOid(oid), derBoolean(true), derOctetString(value))
    : derSequence(derOid(oid), derOctetString(value));
}

/** keyUsage value from bit indexes (RFC 5280 §4.2.1.3), minimal named-bit encoding. */
export function keyUsageValue(bits: readonly number[]): Uint8Array {
  const highest = Math.max(...bits);
  const bytes = new Uint8Array((highest >> 3) + 1);
  for (const bit of bits) bytes[bit >> 3] = bytes[bit >> 3]! | (0x80 >> (bit & 7));
  return derBitString(bytes, 7 - (highest & 7));
}

/** sha256WithRSAEncryption with NULL parameters. */
export const SHA256_WITH_RSA = derSequence(derOid(OID.sha256WithRsaEncryption), derNull());
/** sha1WithRSAEncryption with NULL parameters. */
export const SHA1_WITH_RSA = derSequence(derOid(OID.sha1WithRsaEncryption), derNull());

function time(date: Date): Uint8Array {
  const year = date.getUTCFullYear();
  return year >= 1950 && year <= 2049 ? derUtcTime(date) : derGeneralizedTime(date);
}

export interface CertificateSpec {
  readonly serial?: bigint | Uint8Array;
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Subject public key: a key (its SPKI is used) or raw SPKI bytes. */
  readonly subjectKey: TestKey | Uint8Array;
  readonly issuerKey: TestKey;
  readonly extensions?: readonly Uint8Array[];
  /** Explicit version INTEGER (default 2 = v3; null = omit). */
  readonly version?: number | null;
  /** TBS signature AlgorithmIdentifier (default sha256WithRSA). */
  readonly signatureAlgorithm?: Uint8Array;
  /** Outer AlgorithmIdentifier (default = signatureAlgorithm). */
  readonly outerSignatureAlgorithm?: Uint8Array;
  /** Hash used to sign (default sha256). */
  readonly hash?: 'sha1' | 'sha256';
}

/**
 * A signed certificate.
 *
 * @example
 * ```ts
 * const der = buildCertificate(spec);
 * ```
 */
export function buildCertificate(spec: CertificateSpec): Uint8Array {
  const algorithm = spec.signatureAlgorithm ?? (spec.hash === 'sha1' ? SHA1_WITH_RSA : SHA256_WITH_RSA);
  const spki = spec.subjectKey instanceof Uint8Array ? spec.subjectKey : spec.subjectKey.spki;
  const fields: Uint8Array[] = [];
  const version = spec.version === undefined ? 2 : spec.version;
  if (version !== null) fields.push(derContextExplicit(0, derInteger(version)));
  fields.push(
    derInteger(spec.serial ?? 0x1234n),
    algorithm,
    spec.issuer,
    derSequence(time(spec.notBefore), time(spec.notAfter)),
    spec.subject,
    spki,
  );
  if (spec.extensions !== undefined && spec.extensions.length > 0)
    fields.push(derContextExplicit(3, derSequence(...spec.extensions)));
  const tbs = derSequence(...fields);
  const signature = sign(spec.hash ?? 'sha256', tbs, spec.issuerKey.privateKey);
  return derSequence(tbs, spec.outerSignatureAlgorithm ?? algorithm, derBitString(new Uint8Array(signature)));
}

export interface CrlEntrySpec {
  readonly serial: bigint | Uint8Array;
  readonly revocationDate: Date;
  /** reasonCode value (RFC 5280 §5.3.1). */
  readonly reason?: number;
}

export interface CrlSpec {
  readonly issuer: Uint8Array;
  readonly issuerKey: TestKey;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly entries?: readonly CrlEntrySpec[];
  /** Pre-encoded revokedCertificates content (for large synthetic CRLs). */
  readonly encodedEntries?: Uint8Array;
  /** crlExtensions (default: a non-critical cRLNumber 1). */
  readonly extensions?: readonly Uint8Array[];
}

/**
 * A signed v2 CRL.
 *
 * @example
 * ```ts
 * buildCrl({ issuer, issuerKey, thisUpdate, nextUpdate, entries: [{ serial: 5n, revocationDate, reason: 1 }] });
 * ```
 */
export function buildCrl(spec: CrlSpec): Uint8Array {
  const fields: Uint8Array[] = [derInteger(1), SHA256_WITH_RSA, spec.issuer, time(spec.thisUpdate)];
  if (spec.nextUpdate !== undefined) fields.push(time(spec.nextUpdate));
  if (spec.encodedEntries !== undefined) fields.push(derSequenceFromContent(spec.encodedEntries));
  else if (spec.entries !== undefined && spec.entries.length > 0)
    fields.push(
      derSequence(
        ...spec.entries.map((entry) =>
          entry.reason === undefined
            ? derSequence(derInteger(entry.serial), time(entry.revocationDate))
            : derSequence(
                derInteger(entry.serial),
                time(entry.revocationDate),
                derSequence(buildExtension(OID.reasonCode, Uint8Array.of(0x0a, 0x01, entry.reason))),
              ),
        ),
      ),
    );
  const extensions = spec.extensions ?? [buildExtension(OID.crlNumber, derInteger(1))];
  if (extensions.length > 0) fields.push(derContextExplicit(0, derSequence(...extensions)));
  const tbs = derSequence(...fields);
  const signature = sign('sha256', tbs, spec.issuerKey.privateKey);
  return derSequence(tbs, SHA256_WITH_RSA, derBitString(new Uint8Array(signature)));
}

function derSequenceFromContent(content: Uint8Array): Uint8Array {
  // Same as derSequence(...children) when the children are already concatenated.
  const header =
    content.length < 0x80
      ? Uint8Array.of(0x30, content.length)
      : content.length < 0x10000
        ? Uint8Array.of(0x30, 0x82, content.length >> 8, content.length & 0xff)
        : content.length < 0x1000000
          ? Uint8Array.of(
              0x30,
              0x83,
              content.length >> 16,
              (content.length >> 8) & 0xff,
              content.length & 0xff,
            )
          : Uint8Array.of(
              0x30,
              0x84,
              content.length >>> 24,
              (content.length >> 16) & 0xff,
              (content.length >> 8) & 0xff,
              content.length & 0xff,
            );
  const out = new Uint8Array(header.length + content.length);
  out.set(header);
  out.set(content, header.length);
  return out;
}

/**
 * Concatenated revoked-certificate entries with sequential 8-byte serials starting at
 * `firstSerial`, each with a reasonCode (like certificates.md §4's
 * synthetic CRLs, with a 9-octet serial: 42 bytes per entry); written straight into one buffer.
 *
 * @example
 * ```ts
 * const entries = syntheticCrlEntries(1_000_000);
 * ```
 */
export function syntheticCrlEntries(count: number, firstSerial = 0x8100_0000_0000_0000n): Uint8Array {
  // 30 28 | 02 09 00 <8 serial bytes> | 17 0D <13 time bytes> | 30 0C 30 0A 06 03 55 1D 15 04 03 0A 01 <reason>
  const head = Uint8Array.of(0x30, 0x28, 0x02, 0x09, 0x00);
  const time = Uint8Array.of(0x17, 0x0d, ...new TextEncoder().encode('250401000000Z'));
  const reason = Uint8Array.of(
    0x30,
    0x0c,
    0x30,
    0x0a,
    0x06,
    0x03,
    0x55,
    0x1d,
    0x15,
    0x04,
    0x03,
    0x0a,
    0x01,
    0x00,
  );
  const entrySize = head.length + 8 + time.length + reason.length;
  const out = new Uint8Array(count * entrySize);
  const view = new DataView(out.buffer);
  for (let index = 0; index < count; index++) {
    const offset = index * entrySize;
    out.set(head, offset);
    view.setBigUint64(offset + head.length, firstSerial + BigInt(index) * 0x9e37n);
    out.set(time, offset + head.length + 8);
    out.set(reason, offset + head.length + 8 + time.length);
    out[offset + entrySize - 1] = index % 6; // reasons 0..5
  }
  return out;
}

/** The serial (INTEGER content octets) of synthetic entry `index`. */
export function syntheticSerial(index: number, firstSerial = 0x8100_0000_0000_0000n): Uint8Array {
  const out = new Uint8Array(9);
  new DataView(out.buffer).setBigUint64(1, firstSerial + BigInt(index) * 0x9e37n);
  return out;
}

/** `[tag] IMPLICIT` helper re-export for fixtures. */
export { derContextImplicit };
