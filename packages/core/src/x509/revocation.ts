/**
 * Revocation sources. A source answers GOOD, REVOKED or UNKNOWN for one certificate; the
 * default ({@link createUnknownRevocationSource}) always answers UNKNOWN, because JPKI
 * revocation data is only available to registered verifiers (certificates.md §4) — kakunin
 * never reports GOOD without evidence.
 *
 * {@link createCrlRevocationSource} answers from CRLs: a CRL counts only if its issuer DN
 * equals the certificate's issuer, its signature verifies with the issuer's key (whose
 * keyUsage, if present, allows cRLSign), it is fresh (thisUpdate ≤ t ≤ nextUpdate), it has no
 * unknown critical extensions, carries a non-critical cRLNumber, and its scope matches: an
 * issuingDistributionPoint name must equal one of the certificate's cRLDistributionPoints
 * names (JPKI partitions sign-certificate CRLs per municipality, certificates.md §3–4).
 *
 * @example
 * ```ts
 * const revocation = createCrlRevocationSource([parseCrl(crlBytes)], { verifier });
 * const status = await revocation.check({ certificate, issuer: root, time: new Date() });
 * if (status.status === 'REVOKED') console.log(status.reason);
 * ```
 */
import { bytesToHex } from '../transport/hex.js';
import type { Certificate } from './certificate.js';
import { type CertificateRevocationList, parseCrl } from './crl.js';
import { type CrlReason, type DistributionPointName, KEY_USAGE } from './extensions.js';
import type { GeneralName } from './general-name.js';
import { OID } from './oids.js';
import { type SignatureVerifier, verifyCertificateSignature } from './signature.js';

export type RevocationStatus =
  | {
      readonly status: 'GOOD';
      /** Which source answered ("crl", an operator name, …). */
      readonly source: string;
      readonly thisUpdate?: Date;
      readonly nextUpdate?: Date;
    }
  | {
      readonly status: 'REVOKED';
      readonly source: string;
      readonly reason?: CrlReason;
      readonly revocationDate?: Date;
      readonly invalidityDate?: Date;
    }
  | {
      readonly status: 'UNKNOWN';
      readonly source: string;
      /** Why no verdict could be given. */
      readonly detail: string;
    };

export interface RevocationQuery {
  readonly certificate: Certificate;
  /** The certificate that issued it (already verified by signature). */
  readonly issuer: Certificate;
  readonly time: Date;
  readonly signal?: AbortSignal;
}

/** A pluggable revocation oracle (CRL set, OCSP client, a platform operator's verdict…). */
export interface RevocationSource {
  check(query: RevocationQuery): Promise<RevocationStatus>;
}

/**
 * The default source: always UNKNOWN.
 *
 * @example
 * ```ts
 * await createUnknownRevocationSource().check(query); // { status: 'UNKNOWN', … }
 * ```
 */
export function createUnknownRevocationSource(detail = 'no revocation source configured'): RevocationSource {
  return {
    async check() {
      return { status: 'UNKNOWN', source: 'none', detail };
    },
  };
}

/**
 * Asks `source`, turning a thrown error (other than an abort) into UNKNOWN: a failing oracle
 * never yields GOOD.
 *
 * @example
 * ```ts
 * const status = await checkRevocationSafely(source, query);
 * ```
 */
export async function checkRevocationSafely(
  source: RevocationSource,
  query: RevocationQuery,
): Promise<RevocationStatus> {
  try {
    return await source.check(query);
  } catch (error) {
    if (query.signal?.aborted === true) throw error;
    return {
      status: 'UNKNOWN',
      source: 'error',
      detail: `revocation source failed: ${(error as Error)?.message ?? String(error)}`,
    };
  }
}

/**
 * Asks several sources in order; the first GOOD or REVOKED wins, otherwise UNKNOWN with all
 * details joined.
 *
 * @example
 * ```ts
 * const revocation = combineRevocationSources([operatorVerdicts, crlSource]);
 * ```
 */
export function combineRevocationSources(sources: readonly RevocationSource[]): RevocationSource {
  return {
    async check(query) {
      const details: string[] = [];
      for (const source of sources) {
        query.signal?.throwIfAborted();
        const status = await checkRevocationSafely(source, query);
        if (status.status !== 'UNKNOWN') return status;
        details.push(status.detail);
      }
      return {
        status: 'UNKNOWN',
        source: 'combined',
        detail: details.join('; ') || 'no revocation source configured',
      };
    },
  };
}

export interface CrlRevocationSourceOptions {
  /** Verifies CRL signatures. */
  readonly verifier: SignatureVerifier;
}

function equalBytes(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}

function generalNameEquals(left: GeneralName, right: GeneralName): boolean {
  if (left.type !== right.type) return false;
  switch (left.type) {
    case 'directoryName':
      return left.name.equals((right as typeof left).name);
    case 'uniformResourceIdentifier':
    case 'dNSName':
    case 'rfc822Name':
      return left.value === (right as typeof left).value;
    case 'iPAddress':
      return equalBytes(left.bytes, (right as typeof left).bytes);
    case 'registeredID':
      return left.oid === (right as typeof left).oid;
    case 'otherName':
      return (
        left.typeId === (right as typeof left).typeId && equalBytes(left.value, (right as typeof left).value)
      );
    default:
      return equalBytes((left as { der: Uint8Array }).der, (right as { der: Uint8Array }).der);
  }
}

function distributionPointNamesMatch(
  idp: DistributionPointName,
  certificateNames: readonly DistributionPointName[],
): boolean {
  for (const name of certificateNames) {
    if (idp.fullName !== undefined && name.fullName !== undefined) {
      for (const left of idp.fullName)
        for (const right of name.fullName) if (generalNameEquals(left, right)) return true;
    }
    if (idp.nameRelativeToCrlIssuer !== undefined && name.nameRelativeToCrlIssuer !== undefined)
      if (equalBytes(idp.nameRelativeToCrlIssuer, name.nameRelativeToCrlIssuer)) return true;
  }
  return false;
}

/**
 * Why a CRL cannot answer for a certificate, or undefined when it is in scope (issuer DN,
 * delta / indirect CRLs, onlyContains* flags, partition = issuingDistributionPoint vs CDP).
 *
 * @example
 * ```ts
 * crlScopeProblem(crl, certificate); // "CRL partition (issuingDistributionPoint) does not match …"
 * ```
 */
export function crlScopeProblem(
  crl: CertificateRevocationList,
  certificate: Certificate,
): string | undefined {
  if (!crl.issuer.equals(certificate.issuer)) return 'CRL issuer differs from the certificate issuer';
  if (crl.isDelta) return 'delta CRLs are not used on their own';
  const idp = crl.issuingDistributionPoint;
  const points = certificate.crlDistributionPoints ?? [];
  if (points.some((point) => point.crlIssuer !== undefined))
    return 'indirect CRL distribution points are not supported';
  if (idp === undefined) return undefined;
  if (idp.indirectCrl) return 'indirect CRLs are not supported';
  if (idp.onlyContainsAttributeCerts) return 'CRL covers attribute certificates only';
  const isCa = certificate.basicConstraints?.ca === true;
  if (idp.onlyContainsUserCerts && isCa) return 'CRL covers end-entity certificates only';
  if (idp.onlyContainsCaCerts && !isCa) return 'CRL covers CA certificates only';
  if (idp.onlySomeReasons !== undefined) return 'CRL covers only some reasons';
  if (idp.distributionPoint !== undefined) {
    const names = points.flatMap((point) =>
      point.distributionPoint === undefined ? [] : [point.distributionPoint],
    );
    if (!distributionPointNamesMatch(idp.distributionPoint, names))
      return 'CRL partition (issuingDistributionPoint) does not match the certificate cRLDistributionPoints';
  }
  return undefined;
}

/**
 * Why a CRL is unusable at `time` in epoch ms (ignoring its signature), or undefined.
 *
 * @example
 * ```ts
 * crlValidityProblem(crl, issuer, Date.now()); // "CRL is stale (past nextUpdate)"
 * ```
 */
export function crlValidityProblem(
  crl: CertificateRevocationList,
  issuer: Certificate,
  time: number,
): string | undefined {
  try {
    crl.decodeAll();
  } catch (error) {
    return `malformed CRL extension: ${(error as Error).message}`;
  }
  if (crl.version !== 2) return 'CRL is not v2';
  const crlNumber = crl.extension(OID.crlNumber);
  if (crlNumber === undefined) return 'CRL lacks the mandatory cRLNumber (RFC 5280 §5.2.3)';
  if (crlNumber.critical) return 'cRLNumber must be non-critical (RFC 5280 §5.2.3)';
  if (crl.unknownCriticalExtensions.length > 0)
    return `unknown critical CRL extension ${crl.unknownCriticalExtensions[0]}`;
  if (crl.hasUnsupportedCriticalEntryExtension) return 'unsupported critical CRL entry extension';
  if (!equalBytes(crl.signatureAlgorithm.der, crl.tbsSignatureAlgorithm.der))
    return 'CRL signature algorithms differ';
  const keyUsage = issuer.keyUsage;
  if (keyUsage !== undefined && (keyUsage.mask & KEY_USAGE.cRLSign) === 0)
    return 'CRL issuer keyUsage lacks cRLSign';
  const aki = crl.authorityKeyIdentifier?.keyIdentifier;
  const ski = issuer.subjectKeyIdentifier;
  if (aki !== undefined && ski !== undefined && !equalBytes(aki, ski))
    return 'CRL authorityKeyIdentifier does not match the issuer';
  if (crl.thisUpdateTime > time) return 'CRL thisUpdate is in the future';
  if (crl.nextUpdateTime === undefined) return 'CRL has no nextUpdate';
  if (crl.nextUpdateTime < time) return 'CRL is stale (past nextUpdate)';
  return undefined;
}

/**
 * A revocation source over a fixed set of CRLs (DER, PEM or parsed).
 *
 * @example
 * ```ts
 * const source = createCrlRevocationSource([crlBytes], { verifier: createWebCryptoVerifier() });
 * ```
 */
export function createCrlRevocationSource(
  crls: readonly (CertificateRevocationList | Uint8Array | string)[],
  options: CrlRevocationSourceOptions,
): RevocationSource {
  if (!Array.isArray(crls)) throw new TypeError('createCrlRevocationSource: crls must be an array');
  if (options?.verifier === undefined)
    throw new TypeError('createCrlRevocationSource: options.verifier is required');
  const parsed = crls.map((crl) =>
    typeof crl === 'string' || crl instanceof Uint8Array ? parseCrl(crl) : crl,
  );
  const verified = new WeakMap<CertificateRevocationList, Map<string, Promise<boolean>>>();
  const signatureValid = (crl: CertificateRevocationList, issuer: Certificate): Promise<boolean> => {
    let byKey = verified.get(crl);
    if (byKey === undefined) {
      byKey = new Map();
      verified.set(crl, byKey);
    }
    const id = bytesToHex(issuer.publicKeyInfo.der);
    let result = byKey.get(id);
    if (result === undefined) {
      result = verifyCertificateSignature(crl, issuer.publicKeyInfo, options.verifier);
      byKey.set(id, result);
    }
    return result;
  };
  return {
    async check({ certificate, issuer, time, signal }) {
      const at = Math.floor(time.getTime() / 1000) * 1000;
      const problems: string[] = [];
      for (const crl of parsed) {
        signal?.throwIfAborted();
        let problem: string | undefined;
        try {
          problem = crlScopeProblem(crl, certificate) ?? crlValidityProblem(crl, issuer, at);
        } catch (error) {
          problem = `malformed CRL: ${(error as Error).message}`;
        }
        if (problem !== undefined) {
          problems.push(problem);
          continue;
        }
        if (!(await signatureValid(crl, issuer))) {
          problems.push('CRL signature does not verify with the issuer key');
          continue;
        }
        const entry = crl.lookup(certificate.serialNumber);
        if (entry !== undefined && entry.reason !== 'removeFromCRL')
          return {
            status: 'REVOKED',
            source: 'crl',
            ...(entry.reason === undefined ? {} : { reason: entry.reason }),
            revocationDate: entry.revocationDate,
            ...(entry.invalidityDate === undefined ? {} : { invalidityDate: entry.invalidityDate }),
          };
        return {
          status: 'GOOD',
          source: 'crl',
          thisUpdate: crl.thisUpdate,
          ...(crl.nextUpdate === undefined ? {} : { nextUpdate: crl.nextUpdate }),
        };
      }
      return {
        status: 'UNKNOWN',
        source: 'crl',
        detail: problems.length === 0 ? 'no CRL supplied for this issuer' : [...new Set(problems)].join('; '),
      };
    },
  };
}
