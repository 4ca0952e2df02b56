/**
 * Which keys and signature algorithms validators accept. The default follows the CA/Browser
 * Forum baseline (RSA ≥ 2048 bits with a modulus size divisible by 8, e ≥ 3 odd; ECDSA on
 * named P-256/P-384/P-521 only; Ed25519/Ed448; no DSA, no explicit curves; no SHA-1 or MD5
 * signatures) — which also matches what x509-limbo expects.
 *
 * @example
 * ```ts
 * publicKeyProblem(certificate.publicKeyInfo); // undefined, or "RSA modulus of 1024 bits is below 2048"
 * signatureAlgorithmProblem(certificate.signatureAlgorithm); // undefined, or "unsupported signature algorithm …"
 * ```
 */
import type { AlgorithmIdentifier } from './algorithm-identifier.js';
import { hasNullOrAbsentParameters } from './algorithm-identifier.js';
import { OID } from './oids.js';
import type { PublicKeyInfo } from './public-key-info.js';
import { signatureSchemeOf } from './signature.js';

export interface AlgorithmPolicy {
  /** Smallest RSA modulus in bits (default 2048). */
  readonly minimumRsaBits?: number;
  /** Accept SHA-1 based signatures (default false). */
  readonly allowSha1?: boolean;
}

/** Default minimum RSA modulus size (CA/B Forum BR §6.1.5). */
const DEFAULT_MINIMUM_RSA_BITS = 2048;
/** Named curves accepted for ECDSA keys (RFC 5480 §2.1.1.1). */
const ACCEPTED_CURVES: ReadonlySet<string> = new Set([OID.secp256r1, OID.secp384r1, OID.secp521r1]);

/**
 * Why a subject public key is unacceptable, or undefined.
 *
 * @example
 * ```ts
 * if (publicKeyProblem(key) !== undefined) reject();
 * ```
 */
export function publicKeyProblem(key: PublicKeyInfo, policy: AlgorithmPolicy = {}): string | undefined {
  const minimumRsaBits = policy.minimumRsaBits ?? DEFAULT_MINIMUM_RSA_BITS;
  switch (key.type) {
    case 'rsa':
    case 'rsa-pss': {
      const rsa = key.rsa!;
      if (key.type === 'rsa' && !hasNullOrAbsentParameters(key.algorithm))
        return 'rsaEncryption key with parameters';
      if (rsa.modulusBits < minimumRsaBits)
        return `RSA modulus of ${rsa.modulusBits} bits is below ${minimumRsaBits}`;
      if (rsa.modulusBits % 8 !== 0) return `RSA modulus of ${rsa.modulusBits} bits is not a multiple of 8`;
      if (rsa.exponent % 2n === 0n) return 'RSA public exponent is even';
      return undefined;
    }
    case 'ec':
      if (key.curve === 'explicit') return 'EC key with explicit curve parameters';
      if (key.curve === undefined || !ACCEPTED_CURVES.has(key.curve))
        return `EC curve ${key.curve} is not accepted`;
      return undefined;
    case 'ed25519':
    case 'ed448':
      return key.algorithm.parameters === undefined ? undefined : 'EdDSA key with parameters';
    case 'dsa':
      return 'DSA keys are not accepted';
    default:
      return `unsupported key algorithm ${key.algorithm.oid}`;
  }
}

/**
 * Why a signature algorithm is unacceptable, or undefined.
 *
 * @example
 * ```ts
 * signatureAlgorithmProblem(certificate.signatureAlgorithm);
 * ```
 */
export function signatureAlgorithmProblem(
  algorithm: AlgorithmIdentifier,
  policy: AlgorithmPolicy = {},
): string | undefined {
  const scheme = signatureSchemeOf(algorithm);
  if (scheme === undefined) return `unsupported signature algorithm ${algorithm.oid}`;
  if ('hash' in scheme && scheme.hash === 'SHA-1' && policy.allowSha1 !== true)
    return 'SHA-1 signatures are not accepted';
  return undefined;
}
