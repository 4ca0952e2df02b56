/**
 * Deterministic RSA key generation for the test PKI: two probable primes from a seeded stream
 * (see prime-search.ts), e = 65537, d = e⁻¹ mod λ(n) (RFC 8017 §3.2, FIPS 186-5 §A.1.1 shape),
 * imported into node:crypto through a JWK (RFC 7518 §6.3). The same (seed, label, bits) always
 * yields the same key.
 *
 * @example
 * ```ts
 * const key = generateRsaKey('kakunin', 'auth-ca'); // { privateKey, publicKey, jwk }
 * ```
 */
import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { findProbablePrime } from './prime-search.js';
import { SeededRandom } from './seeded-random.js';

/** Public exponent F4 (certificates.md §3: e = 65537). */
export const RSA_PUBLIC_EXPONENT = 65537n;
/** Default modulus size (jpki-card.md §3.3: RSA-2048). */
export const DEFAULT_MODULUS_BITS = 2048;

/**
 * A generated key pair plus its private JWK (for caching).
 *
 * @example
 * ```ts
 * const { privateKey, publicKey } = keyStore.rsaKey('kakunin', 'label');
 * ```
 */
export interface RsaKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Private JWK (n, e, d, p, q, dp, dq, qi). Test material only. */
  readonly jwk: JsonWebKey;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** Modular inverse by the extended Euclidean algorithm. */
export function modInverse(value: bigint, modulus: bigint): bigint {
  let [oldR, r] = [value % modulus, modulus];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  if (oldR !== 1n) throw new RangeError('value has no inverse');
  return ((oldS % modulus) + modulus) % modulus;
}

/** Big-endian unsigned bytes → base64url (RFC 7518 §2 Base64urlUInt). */
function toBase64Url(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
}

/** Imports a private JWK and derives the public key. */
export function keyPairFromJwk(jwk: JsonWebKey): RsaKeyPair {
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  return { privateKey, publicKey: createPublicKey(privateKey), jwk };
}

/**
 * Generates the RSA key named `label` under `seed`. ~0.3–1 s for 2048 bits on one core; cache it
 * with a {@link TestKeyStore}.
 *
 * @example
 * ```ts
 * generateRsaKey('kakunin', 'sign-ee').publicKey.asymmetricKeyDetails?.modulusLength; // 2048
 * ```
 */
export function generateRsaKey(seed: string, label: string, bits = DEFAULT_MODULUS_BITS): RsaKeyPair {
  if (!Number.isInteger(bits) || bits < 512 || bits % 2 !== 0)
    throw new RangeError('bits must be an even integer ≥ 512');
  const random = new SeededRandom(seed, `rsa:${label}:${bits}`);
  const e = RSA_PUBLIC_EXPONENT;
  const coprime = (candidate: bigint): boolean => gcd(candidate - 1n, e) === 1n;
  const half = bits / 2;
  let p = findProbablePrime(random, half, coprime);
  let q = findProbablePrime(random, half, (candidate) => candidate !== p && coprime(candidate));
  if (p < q) [p, q] = [q, p];
  const n = p * q;
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  const d = modInverse(e, lambda);
  const jwk: JsonWebKey = {
    kty: 'RSA',
    n: toBase64Url(n),
    e: toBase64Url(e),
    d: toBase64Url(d),
    p: toBase64Url(p),
    q: toBase64Url(q),
    dp: toBase64Url(d % (p - 1n)),
    dq: toBase64Url(d % (q - 1n)),
    qi: toBase64Url(modInverse(q, p)),
  };
  return keyPairFromJwk(jwk);
}
