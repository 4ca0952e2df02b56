/**
 * Signature schemes of X.509 AlgorithmIdentifiers and pluggable verifiers. Nothing is
 * looked up at import: pass a `SubtleCrypto` (browsers, Node, React Native polyfills) or the
 * `node:crypto` module, or let {@link createWebCryptoVerifier} use `globalThis.crypto.subtle`
 * when it is called.
 *
 * @example
 * ```ts
 * import * as nodeCrypto from 'node:crypto';
 * const verifier = createNodeCryptoVerifier(nodeCrypto);          // fastest on Node
 * const portable = createWebCryptoVerifier(globalThis.crypto.subtle);
 * await verifyCertificateSignature(certificate, issuer.publicKeyInfo, verifier);
 * ```
 */
import { DerCursor } from '../der/der-cursor.js';
import { decodeUnsignedInteger } from '../der/der-primitives.js';
import { TAG_INTEGER, TAG_OID, TAG_SEQUENCE } from '../der/der-tags.js';
import { type AlgorithmIdentifier, hasNullParameters } from './algorithm-identifier.js';
import type { Certificate } from './certificate.js';
import { OID } from './oids.js';
import type { PublicKeyInfo } from './public-key-info.js';

export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export type SignatureScheme =
  | { readonly kind: 'rsa-pkcs1'; readonly hash: HashName }
  | { readonly kind: 'rsa-pss'; readonly hash: HashName; readonly saltLength: number }
  | { readonly kind: 'ecdsa'; readonly hash: HashName }
  | { readonly kind: 'ed25519' }
  | { readonly kind: 'ed448' };

/** One verification request. */
export interface SignatureVerificationRequest {
  readonly scheme: SignatureScheme;
  readonly publicKeyInfo: PublicKeyInfo;
  /** The signature as carried in X.509 (DER `Ecdsa-Sig-Value` for ECDSA). */
  readonly signature: Uint8Array;
  readonly data: Uint8Array;
}

/** Verifies one signature; resolves false (never throws) for a bad signature or unusable key. */
export interface SignatureVerifier {
  verify(request: SignatureVerificationRequest): Promise<boolean>;
}

const HASH_BY_OID: Readonly<Record<string, HashName>> = {
  [OID.sha1]: 'SHA-1',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};
/** PKCS #1 v1.5 signature OIDs (RFC 8017 App. C); parameters MUST be NULL (RFC 4055 §5). */
const RSA_PKCS1: Readonly<Record<string, HashName>> = {
  [OID.sha1WithRsaEncryption]: 'SHA-1',
  [OID.sha256WithRsaEncryption]: 'SHA-256',
  [OID.sha384WithRsaEncryption]: 'SHA-384',
  [OID.sha512WithRsaEncryption]: 'SHA-512',
};
/** ECDSA signature OIDs (RFC 5758 §3.2); parameters MUST be absent. */
const ECDSA: Readonly<Record<string, HashName>> = {
  [OID.ecdsaWithSha1]: 'SHA-1',
  [OID.ecdsaWithSha256]: 'SHA-256',
  [OID.ecdsaWithSha384]: 'SHA-384',
  [OID.ecdsaWithSha512]: 'SHA-512',
};
/** RSASSA-PSS-params field tags (RFC 8017 App. A.2.3). */
const PSS_HASH = 0xa0;
const PSS_MGF = 0xa1;
const PSS_SALT = 0xa2;
const PSS_TRAILER = 0xa3;
/** Default PSS salt length when the field is absent (RFC 8017 App. A.2.3). */
const PSS_DEFAULT_SALT = 20;

function readHashAlgorithm(cursor: DerCursor): HashName | undefined {
  cursor.read(TAG_SEQUENCE).enter();
  const hash = HASH_BY_OID[cursor.read(TAG_OID).oid()];
  if (cursor.next() && !(cursor.tag === 0x05 && cursor.length === 0)) return undefined;
  cursor.leave();
  return hash;
}

function pssScheme(parameters: Uint8Array | undefined): SignatureScheme | undefined {
  if (parameters === undefined) return undefined;
  try {
    const cursor = new DerCursor(parameters);
    cursor.read(TAG_SEQUENCE).enter();
    let hash: HashName | undefined = 'SHA-1';
    let mgfHash: HashName | undefined = 'SHA-1';
    let saltLength = PSS_DEFAULT_SALT;
    if (cursor.readOptional(PSS_HASH)) {
      cursor.enter();
      hash = readHashAlgorithm(cursor);
      cursor.leave();
    }
    if (cursor.readOptional(PSS_MGF)) {
      cursor.enter();
      cursor.read(TAG_SEQUENCE).enter();
      if (cursor.read(TAG_OID).oid() !== OID.mgf1) return undefined;
      mgfHash = readHashAlgorithm(cursor);
      cursor.leave();
      cursor.leave();
    }
    if (cursor.readOptional(PSS_SALT)) {
      cursor.enter();
      saltLength = cursor.read(TAG_INTEGER).smallInteger();
      cursor.leave();
    }
    if (cursor.readOptional(PSS_TRAILER)) {
      cursor.enter();
      if (cursor.read(TAG_INTEGER).smallInteger() !== 1) return undefined;
      cursor.leave();
    }
    cursor.leave();
    cursor.finish();
    if (hash === undefined || mgfHash !== hash || saltLength < 0) return undefined;
    return { kind: 'rsa-pss', hash, saltLength };
  } catch {
    return undefined;
  }
}

/**
 * The scheme of a signature AlgorithmIdentifier, or undefined when unsupported or when its
 * parameters are wrong (e.g. missing NULL for PKCS #1 v1.5, parameters on ECDSA).
 *
 * @example
 * ```ts
 * signatureSchemeOf(certificate.signatureAlgorithm); // { kind: 'rsa-pkcs1', hash: 'SHA-256' }
 * ```
 */
export function signatureSchemeOf(algorithm: AlgorithmIdentifier): SignatureScheme | undefined {
  const rsaHash = RSA_PKCS1[algorithm.oid];
  if (rsaHash !== undefined)
    return hasNullParameters(algorithm) ? { kind: 'rsa-pkcs1', hash: rsaHash } : undefined;
  const ecdsaHash = ECDSA[algorithm.oid];
  if (ecdsaHash !== undefined)
    return algorithm.parameters === undefined ? { kind: 'ecdsa', hash: ecdsaHash } : undefined;
  if (algorithm.oid === OID.ed25519)
    return algorithm.parameters === undefined ? { kind: 'ed25519' } : undefined;
  if (algorithm.oid === OID.ed448) return algorithm.parameters === undefined ? { kind: 'ed448' } : undefined;
  if (algorithm.oid === OID.rsassaPss) return pssScheme(algorithm.parameters);
  return undefined;
}

/**
 * True when the key type can produce signatures of `scheme`.
 *
 * @example
 * ```ts
 * keyMatchesScheme(root.publicKeyInfo, { kind: 'rsa-pkcs1', hash: 'SHA-256' }); // true
 * ```
 */
export function keyMatchesScheme(key: PublicKeyInfo, scheme: SignatureScheme): boolean {
  switch (scheme.kind) {
    case 'rsa-pkcs1':
      return key.type === 'rsa';
    case 'rsa-pss':
      return key.type === 'rsa' || key.type === 'rsa-pss';
    case 'ecdsa':
      return key.type === 'ec' && key.curve !== 'explicit';
    case 'ed25519':
      return key.type === 'ed25519';
    case 'ed448':
      return key.type === 'ed448';
  }
}

/** Named curves WebCrypto knows (RFC 5480 §2.1.1.1 ↔ WebCrypto names) and field sizes in bytes. */
const CURVES: Readonly<Record<string, { readonly name: string; readonly size: number }>> = {
  [OID.secp256r1]: { name: 'P-256', size: 32 },
  [OID.secp384r1]: { name: 'P-384', size: 48 },
  [OID.secp521r1]: { name: 'P-521', size: 66 },
};

/**
 * Converts a DER `Ecdsa-Sig-Value` (RFC 3279 §2.2.3) to the fixed-width r‖s form WebCrypto
 * expects; undefined when malformed or too wide.
 *
 * @example
 * ```ts
 * ecdsaDerToRaw(signature, 32); // 64 bytes for P-256
 * ```
 */
export function ecdsaDerToRaw(signature: Uint8Array, size: number): Uint8Array | undefined {
  try {
    const cursor = new DerCursor(signature);
    cursor.read(TAG_SEQUENCE).enter();
    cursor.read(TAG_INTEGER);
    const r = decodeUnsignedInteger(cursor.bytes, cursor.valueStart, cursor.valueEnd);
    cursor.read(TAG_INTEGER);
    const s = decodeUnsignedInteger(cursor.bytes, cursor.valueStart, cursor.valueEnd);
    cursor.leave();
    cursor.finish();
    if (r.length > size || s.length > size) return undefined;
    const raw = new Uint8Array(size * 2);
    raw.set(r, size - r.length);
    raw.set(s, size * 2 - s.length);
    return raw;
  } catch {
    return undefined;
  }
}

/** Upper bound of cached imported keys per verifier. */
const KEY_CACHE_LIMIT = 256;

function cacheKey(key: PublicKeyInfo, scheme: SignatureScheme): string {
  let text = `${scheme.kind}:${'hash' in scheme ? scheme.hash : ''}:`;
  for (const byte of key.der) text += String.fromCharCode(byte);
  return text;
}

/**
 * A verifier on WebCrypto. `subtle` defaults to `globalThis.crypto.subtle`, looked up when
 * the verifier is created (not at import). Imported keys are cached per verifier.
 *
 * @example
 * ```ts
 * const verifier = createWebCryptoVerifier();
 * ```
 */
export function createWebCryptoVerifier(subtle?: SubtleCrypto): SignatureVerifier {
  const crypto = subtle ?? globalThis.crypto?.subtle;
  if (crypto === undefined)
    throw new TypeError('createWebCryptoVerifier: no SubtleCrypto available; pass one');
  const keys = new Map<string, Promise<CryptoKey>>();
  const importKey = (key: PublicKeyInfo, scheme: SignatureScheme): Promise<CryptoKey> => {
    const id = cacheKey(key, scheme);
    let cached = keys.get(id);
    if (cached === undefined) {
      let algorithm: RsaHashedImportParams | EcKeyImportParams | Algorithm;
      switch (scheme.kind) {
        case 'rsa-pkcs1':
          algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: scheme.hash };
          break;
        case 'rsa-pss':
          algorithm = { name: 'RSA-PSS', hash: scheme.hash };
          break;
        case 'ecdsa':
          algorithm = { name: 'ECDSA', namedCurve: CURVES[key.curve ?? '']?.name ?? 'unsupported' };
          break;
        case 'ed25519':
          algorithm = { name: 'Ed25519' };
          break;
        case 'ed448':
          algorithm = { name: 'Ed448' };
          break;
      }
      cached = crypto.importKey('spki', key.der as Uint8Array<ArrayBuffer>, algorithm, false, ['verify']);
      if (keys.size >= KEY_CACHE_LIMIT) keys.delete(keys.keys().next().value as string);
      keys.set(id, cached);
    }
    return cached;
  };
  return {
    async verify({ scheme, publicKeyInfo, signature, data }) {
      if (!keyMatchesScheme(publicKeyInfo, scheme)) return false;
      try {
        const key = await importKey(publicKeyInfo, scheme);
        let algorithm: AlgorithmIdentifierLike;
        let signatureBytes = signature;
        switch (scheme.kind) {
          case 'rsa-pkcs1':
            algorithm = { name: 'RSASSA-PKCS1-v1_5' };
            break;
          case 'rsa-pss':
            algorithm = { name: 'RSA-PSS', saltLength: scheme.saltLength };
            break;
          case 'ecdsa': {
            const curve = CURVES[publicKeyInfo.curve ?? ''];
            if (curve === undefined) return false;
            const raw = ecdsaDerToRaw(signature, curve.size);
            if (raw === undefined) return false;
            signatureBytes = raw;
            algorithm = { name: 'ECDSA', hash: scheme.hash };
            break;
          }
          case 'ed25519':
            algorithm = { name: 'Ed25519' };
            break;
          case 'ed448':
            algorithm = { name: 'Ed448' };
            break;
        }
        return await crypto.verify(
          algorithm,
          key,
          signatureBytes as Uint8Array<ArrayBuffer>,
          data as Uint8Array<ArrayBuffer>,
        );
      } catch {
        return false;
      }
    },
  };
}

type AlgorithmIdentifierLike = Algorithm | RsaPssParams | EcdsaParams;

/** The parts of `node:crypto` the Node verifier uses (pass the module itself). */
export interface NodeCryptoLike {
  /** Called as `createPublicKey({ key, format: 'der', type: 'spki' })`. */
  createPublicKey(key: never): unknown;
  /** Called as `verify(hash | null, data, key, signature)`. */
  verify(algorithm: string | null | undefined, data: never, key: never, signature: never): boolean;
}

/** RSA_PKCS1_PSS_PADDING of OpenSSL / node:crypto `constants`. */
const RSA_PKCS1_PSS_PADDING = 6;
const NODE_HASH: Readonly<Record<HashName, string>> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/**
 * A verifier on `node:crypto` (synchronous OpenSSL calls wrapped in a promise; no WebCrypto
 * round trips). Pass the module: `createNodeCryptoVerifier(await import('node:crypto'))`.
 *
 * @example
 * ```ts
 * import * as nodeCrypto from 'node:crypto';
 * const verifier = createNodeCryptoVerifier(nodeCrypto);
 * ```
 */
export function createNodeCryptoVerifier(nodeCrypto: NodeCryptoLike): SignatureVerifier {
  if (typeof nodeCrypto?.verify !== 'function' || typeof nodeCrypto.createPublicKey !== 'function')
    throw new TypeError('createNodeCryptoVerifier: pass the node:crypto module');
  const keys = new Map<string, unknown>();
  return {
    async verify({ scheme, publicKeyInfo, signature, data }) {
      if (!keyMatchesScheme(publicKeyInfo, scheme)) return false;
      if (scheme.kind === 'ecdsa' && CURVES[publicKeyInfo.curve ?? ''] === undefined) return false;
      try {
        const id = cacheKey(publicKeyInfo, { kind: 'ed25519' });
        let key = keys.get(id);
        if (key === undefined) {
          key = nodeCrypto.createPublicKey({ key: publicKeyInfo.der, format: 'der', type: 'spki' } as never);
          if (keys.size >= KEY_CACHE_LIMIT) keys.delete(keys.keys().next().value as string);
          keys.set(id, key);
        }
        const hash = 'hash' in scheme ? NODE_HASH[scheme.hash] : null;
        const keyInput = (
          scheme.kind === 'rsa-pss'
            ? { key, padding: RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength }
            : key
        ) as never;
        return nodeCrypto.verify(hash, data as never, keyInput, signature as never);
      } catch {
        return false;
      }
    },
  };
}

/**
 * Verifies `certificate`'s signature with an issuer key: the outer algorithm must be supported
 * and match the key type; the signature covers the exact TBS bytes.
 *
 * @example
 * ```ts
 * await verifyCertificateSignature(certificate, root.publicKeyInfo, verifier); // true
 * ```
 */
export async function verifyCertificateSignature(
  certificate: Pick<Certificate, 'signatureAlgorithm' | 'signatureValue' | 'tbs'>,
  issuerKey: PublicKeyInfo,
  verifier: SignatureVerifier,
): Promise<boolean> {
  const scheme = signatureSchemeOf(certificate.signatureAlgorithm);
  if (scheme === undefined || !keyMatchesScheme(issuerKey, scheme)) return false;
  return verifier.verify({
    scheme,
    publicKeyInfo: issuerKey,
    signature: certificate.signatureValue,
    data: certificate.tbs,
  });
}
