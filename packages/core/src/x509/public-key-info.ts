/**
 * SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) with the key facts validators need: RSA modulus
 * size and exponent (RFC 8017 App. A.1.1), EC named curve or explicit parameters (RFC 5480
 * §2.1.1), EdDSA (RFC 8410).
 *
 * @example
 * ```ts
 * const key = certificate.publicKeyInfo;
 * if (key.type === 'rsa') console.log(key.rsa?.modulusBits, key.rsa?.exponent); // 2048 65537n
 * ```
 */
import { DerCursor } from '../der/der-cursor.js';
import { decodeOid } from '../der/der-oid.js';
import { decodeUnsignedInteger } from '../der/der-primitives.js';
import { TAG_BIT_STRING, TAG_INTEGER, TAG_OID, TAG_SEQUENCE } from '../der/der-tags.js';
import { type AlgorithmIdentifier, readAlgorithmIdentifier } from './algorithm-identifier.js';
import { OID } from './oids.js';
import { x509Malformed } from './x509-error.js';

export type PublicKeyType = 'rsa' | 'rsa-pss' | 'ec' | 'ed25519' | 'ed448' | 'dsa' | 'unknown';

/** RSA public key facts. */
export interface RsaPublicKeyFacts {
  /** Modulus magnitude (big-endian, no sign octet; a view). */
  readonly modulus: Uint8Array;
  /** Bit length of the modulus (2048 for JPKI). */
  readonly modulusBits: number;
  /** Public exponent (65537n for JPKI). */
  readonly exponent: bigint;
}

export interface PublicKeyInfo {
  /** The whole SubjectPublicKeyInfo TLV (what WebCrypto imports as "spki"). */
  readonly der: Uint8Array;
  readonly algorithm: AlgorithmIdentifier;
  /** The subjectPublicKey BIT STRING data (a view). */
  readonly publicKey: Uint8Array;
  readonly type: PublicKeyType;
  /** Present for `rsa` / `rsa-pss` keys. */
  readonly rsa: RsaPublicKeyFacts | undefined;
  /** Named-curve OID for `ec` keys; `'explicit'` when the parameters spell the curve out. */
  readonly curve: string | undefined;
}

function bitLength(magnitude: Uint8Array): number {
  let start = 0;
  while (start < magnitude.length && magnitude[start] === 0) start++;
  if (start === magnitude.length) return 0;
  return (magnitude.length - start - 1) * 8 + (32 - Math.clz32(magnitude[start]!));
}

function parseRsaKey(key: Uint8Array, offset: number): RsaPublicKeyFacts {
  const cursor = new DerCursor(key);
  cursor.read(TAG_SEQUENCE, 'RSAPublicKey').enter();
  cursor.read(TAG_INTEGER, 'modulus');
  const modulus = decodeUnsignedInteger(cursor.bytes, cursor.valueStart, cursor.valueEnd);
  cursor.read(TAG_INTEGER, 'publicExponent');
  const exponentBytes = decodeUnsignedInteger(cursor.bytes, cursor.valueStart, cursor.valueEnd);
  cursor.leave();
  cursor.finish();
  let exponent = 0n;
  for (const byte of exponentBytes) exponent = (exponent << 8n) | BigInt(byte);
  if (exponent < 3n || modulus.length === 0)
    throw x509Malformed('RSA key with a zero modulus or exponent < 3', offset);
  return { modulus, modulusBits: bitLength(modulus), exponent };
}

/**
 * Parses a SubjectPublicKeyInfo TLV.
 *
 * @example
 * ```ts
 * const info = parsePublicKeyInfo(spkiBytes);
 * ```
 */
export function parsePublicKeyInfo(der: Uint8Array): PublicKeyInfo {
  const cursor = new DerCursor(der);
  cursor.read(TAG_SEQUENCE, 'SubjectPublicKeyInfo').enter();
  const algorithm = readAlgorithmIdentifier(cursor);
  const bits = cursor.read(TAG_BIT_STRING, 'subjectPublicKey').bitString();
  if (bits.unusedBits !== 0) throw x509Malformed('subjectPublicKey with unused bits', cursor.start);
  cursor.leave();
  cursor.finish();
  const publicKey = bits.bytes;
  let type: PublicKeyType = 'unknown';
  let rsa: RsaPublicKeyFacts | undefined;
  let curve: string | undefined;
  switch (algorithm.oid) {
    case OID.rsaEncryption:
      type = 'rsa';
      rsa = parseRsaKey(publicKey, 0);
      break;
    case OID.rsassaPss:
      type = 'rsa-pss';
      rsa = parseRsaKey(publicKey, 0);
      break;
    case OID.ecPublicKey: {
      type = 'ec';
      const parameters = algorithm.parameters;
      if (parameters === undefined) throw x509Malformed('EC key without curve parameters');
      if (parameters[0] === TAG_OID) {
        const inner = new DerCursor(parameters);
        inner.read(TAG_OID);
        curve = decodeOid(parameters, inner.valueStart, inner.valueEnd);
      } else {
        curve = 'explicit';
      }
      break;
    }
    case OID.ed25519:
      type = 'ed25519';
      break;
    case OID.ed448:
      type = 'ed448';
      break;
    case OID.dsa:
      type = 'dsa';
      break;
  }
  return { der, algorithm, publicKey, type, rsa, curve };
}
