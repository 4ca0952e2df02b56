/**
 * General RFC 5280 certification path validation (§6.1) with path building over untrusted
 * intermediates, for any chain (JPKI or not).
 *
 * Path building is depth-first from the leaf: candidate issuers are found by subject name
 * (authorityKeyIdentifier/subjectKeyIdentifier mismatches are skipped), intermediates whose
 * issuer name cannot lead to any trust anchor are pruned up front, signatures are verified
 * once per (child, issuer) pair, and a signature-check budget bounds adversarial inputs (the
 * x509-limbo "pathological" chains finish in milliseconds). Every complete candidate path is
 * then validated: per-certificate profile rules ({@link certificateProfileProblems}),
 * validity of every certificate including the anchor (inclusive, at second granularity),
 * basic constraints and keyCertSign on issuers, pathLenConstraint (self-issued certificates
 * not counted), a maximum number of intermediates, requested key usage / extended key usage,
 * explicit-policy requirements (policy sets, without policy mapping), and revocation (CRLs
 * and/or a pluggable source). The first path that passes wins.
 *
 * Not supported (reported as failures, never silently ignored): nameConstraints, critical
 * policyMappings, indirect and delta CRLs.
 *
 * @example
 * ```ts
 * const result = await validatePath(leafPem, {
 *   trustAnchors: [rootPem],
 *   intermediates: [intermediatePem],
 *   time: new Date('2026-01-01T00:00:00Z'),
 *   verifier: createWebCryptoVerifier(),
 * });
 * if (!result.valid) console.log(result.code, result.failures);
 * ```
 */

import { remedyFor } from '../remedies/error-table.js';
import type { ErrorCode } from '../transport/error-codes.js';
import type { RemedyKey } from '../transport/remedy-keys.js';
import { type Certificate, parseCertificate } from './certificate.js';
import {
  type CertificateProfileOptions,
  type CertificateRole,
  type ConformanceRule,
  certificateProfileProblems,
  type ProfileProblem,
} from './certificate-profile.js';
import type { CertificateRevocationList } from './crl.js';
import { decodeInhibitAnyPolicy, KEY_USAGE, type KeyUsageName } from './extensions.js';
import { OID } from './oids.js';
import {
  checkRevocationSafely,
  combineRevocationSources,
  createCrlRevocationSource,
  type RevocationSource,
  type RevocationStatus,
} from './revocation.js';
import { createWebCryptoVerifier, type SignatureVerifier, verifyCertificateSignature } from './signature.js';
import { X509ErrorCode } from './x509-error.js';

/** Default limit on intermediates (non-self-issued) in a path. */
export const DEFAULT_MAX_INTERMEDIATES = 8;
/** Hard cap on certificates below the anchor explored by the path builder. */
const MAX_PATH_CERTIFICATES = 16;
/** Default signature-verification budget per validation. */
export const DEFAULT_MAX_SIGNATURE_CHECKS = 256;
/**
 * Default budget of candidate steps per validation: every (certificate, candidate issuer) pair
 * the builder considers, whether its signature is checked or comes from the cache. Bounds the
 * number of paths explored (same-named CAs that cross-sign each other yield factorially many).
 */
export const DEFAULT_MAX_PATH_CANDIDATES = 2048;

type CertificateInput = Certificate | Uint8Array | string;

export interface PathValidationOptions extends CertificateProfileOptions {
  readonly trustAnchors: readonly CertificateInput[];
  readonly intermediates?: readonly CertificateInput[];
  /** Validation time (default: now). Compared at second granularity, bounds inclusive. */
  readonly time?: Date;
  /** Signature verifier (default: WebCrypto on `globalThis.crypto.subtle`). */
  readonly verifier?: SignatureVerifier;
  /** Maximum non-self-issued intermediates (default 8). */
  readonly maxIntermediates?: number;
  /** Key usage bits the leaf must allow (when it has a keyUsage extension). */
  readonly keyUsage?: readonly KeyUsageName[];
  /** Extended key usages the leaf (and any intermediate with EKU) must allow. */
  readonly extendedKeyUsage?: readonly string[];
  /** CRLs to check every non-anchor certificate against. */
  readonly crls?: readonly (CertificateRevocationList | Uint8Array | string)[];
  /**
   * `required`: UNKNOWN revocation fails the path (hard-fail); `delegated`: revocation is checked
   * elsewhere, UNKNOWN is reported (never GOOD) and does not fail. A RevocationSource here is an
   * extra source asked before the CRLs (older spelling of {@link revocationSource}).
   */
  readonly revocation?: 'required' | 'delegated' | RevocationSource;
  /** An extra revocation source, asked before the CRLs. */
  readonly revocationSource?: RevocationSource;
  /**
   * `hard-fail`: UNKNOWN revocation status fails the path; `soft-fail`: it is reported only.
   * Default: hard-fail when `crls` or `revocation` is given, soft-fail otherwise.
   */
  readonly revocationPolicy?: 'hard-fail' | 'soft-fail';
  /** Signature-verification budget for path building (default 256). */
  readonly maxSignatureChecks?: number;
  /** Candidate-step budget for path building, cache hits included (default 2048). */
  readonly maxPathCandidates?: number;
  /**
   * What happens to CA-conformance findings (rules RFC 5280 §4 places on issuing CAs, e.g. the
   * authorityKeyIdentifier of §4.2.1.1 or critical basicConstraints in CA certificates):
   * - `report` (default; RFC 5280 §6): listed in `result.findings`, never a failure;
   * - `webpki`: enforced (PROFILE_VIOLATION) on every certificate, except that a trust anchor may
   *   omit authorityKeyIdentifier (CA/Browser Forum BR 7.1.2.1: optional on roots);
   * - `strict`: enforced on every certificate, the trust anchor included.
   */
  readonly conformance?: 'report' | 'webpki' | 'strict';
  readonly signal?: AbortSignal;
}

/** A CA-conformance finding on the validated (or attempted) chain, reported, not failed. */
export interface PathFinding {
  readonly code: ErrorCode;
  readonly rule: ConformanceRule;
  readonly message: string;
  /** Index in the chain (0 = leaf). */
  readonly certificateIndex: number;
}

export interface PathFailure {
  readonly code: ErrorCode;
  readonly message: string;
  /** Index in the attempted chain (0 = leaf), when the failure concerns one certificate. */
  readonly certificateIndex?: number;
}

export interface PathValidationResult {
  readonly valid: boolean;
  /** Code of the first failure (X509ErrorCode / DER_*), undefined when valid. */
  readonly code: ErrorCode | undefined;
  readonly message: string | undefined;
  readonly remedy: RemedyKey | undefined;
  /** The validated chain, leaf first, anchor last (or the best failed attempt; empty if none). */
  readonly chain: readonly Certificate[];
  readonly failures: readonly PathFailure[];
  /** Revocation status per non-anchor certificate of `chain` (same order). */
  readonly revocation: readonly RevocationStatus[];
  /** CA-conformance findings on `chain` that were reported rather than enforced. */
  readonly findings: readonly PathFinding[];
  /** Work done by the path builder (bounded by the two budgets). */
  readonly pathBuilding: PathBuildingStats;
}

export interface PathBuildingStats {
  /** Candidate steps considered (signature checks and cache hits). */
  readonly candidates: number;
  /** Signature verifications performed. */
  readonly signatureChecks: number;
  /** A budget ran out (the result is then PATH_BUILDING_LIMIT unless a path was found first). */
  readonly exhausted: boolean;
}

function toCertificate(input: CertificateInput): Certificate {
  return typeof input === 'string' || input instanceof Uint8Array ? parseCertificate(input) : input;
}

function nameKey(der: Uint8Array): string {
  let key = '';
  for (let index = 0; index < der.length; index++) key += String.fromCharCode(der[index]!);
  return key;
}

function equalBytes(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}

/** 0 = AKI matches the candidate's SKI, 1 = unknown, 2 = mismatch (tried last, never skipped). */
function keyIdentifierRank(child: Certificate, issuer: Certificate): number {
  try {
    const authorityKey = child.authorityKeyIdentifier?.keyIdentifier;
    const subjectKey = issuer.subjectKeyIdentifier;
    if (authorityKey === undefined || subjectKey === undefined) return 1;
    return equalBytes(authorityKey, subjectKey) ? 0 : 2;
  } catch {
    return 1;
  }
}

function byKeyIdentifier(child: Certificate, candidates: readonly Certificate[] | undefined): Certificate[] {
  if (candidates === undefined) return [];
  return candidates
    .map((candidate) => ({ candidate, rank: keyIdentifierRank(child, candidate) }))
    .sort((left, right) => left.rank - right.rank)
    .map((entry) => entry.candidate);
}

function failureResult(
  failures: PathFailure[],
  chain: readonly Certificate[],
  revocation: readonly RevocationStatus[] = [],
  findings: readonly PathFinding[] = [],
  pathBuilding: PathBuildingStats = { candidates: 0, signatureChecks: 0, exhausted: false },
): PathValidationResult {
  const first = failures[0]!;
  return {
    valid: false,
    code: first.code,
    message: first.message,
    remedy: remedyFor(first.code),
    chain,
    failures,
    revocation,
    findings,
    pathBuilding,
  };
}

/** Whether a conformance problem is enforced (a failure) under `mode` for a certificate in `role`. */
function enforced(
  mode: 'report' | 'webpki' | 'strict',
  problem: Pick<ProfileProblem, 'kind' | 'rule'>,
  role: CertificateRole,
): boolean {
  if (problem.kind === 'validation') return true;
  if (mode === 'strict') return true;
  if (mode === 'webpki') return !(role === 'anchor' && problem.rule === 'aki.missing');
  return false;
}

/**
 * Builds and validates a certification path from `leaf` to one of `options.trustAnchors`.
 *
 * @example
 * ```ts
 * const { valid, chain } = await validatePath(leaf, { trustAnchors: [root], intermediates });
 * ```
 */
export async function validatePath(
  leafInput: CertificateInput,
  options: PathValidationOptions,
): Promise<PathValidationResult> {
  if (options === null || typeof options !== 'object' || !Array.isArray(options.trustAnchors))
    throw new TypeError('validatePath: options.trustAnchors must be an array');
  if (options.time !== undefined && (!(options.time instanceof Date) || Number.isNaN(options.time.getTime())))
    throw new TypeError('validatePath: options.time must be a valid Date');
  const maxIntermediates = options.maxIntermediates ?? DEFAULT_MAX_INTERMEDIATES;
  if (!Number.isInteger(maxIntermediates) || maxIntermediates < 0)
    throw new RangeError('validatePath: options.maxIntermediates must be a non-negative integer');
  const maxSignatureChecks = options.maxSignatureChecks ?? DEFAULT_MAX_SIGNATURE_CHECKS;
  const maxPathCandidates = options.maxPathCandidates ?? DEFAULT_MAX_PATH_CANDIDATES;
  if (!Number.isInteger(maxSignatureChecks) || maxSignatureChecks < 0)
    throw new RangeError('validatePath: options.maxSignatureChecks must be a non-negative integer');
  if (!Number.isInteger(maxPathCandidates) || maxPathCandidates < 1)
    throw new RangeError('validatePath: options.maxPathCandidates must be a positive integer');
  const conformance = options.conformance ?? 'report';
  if (conformance !== 'report' && conformance !== 'webpki' && conformance !== 'strict')
    throw new RangeError("validatePath: options.conformance must be 'report', 'webpki' or 'strict'");
  const signal = options.signal;
  const time = options.time ?? new Date();
  const at = Math.floor(time.getTime() / 1000) * 1000;
  const verifier = options.verifier ?? createWebCryptoVerifier();

  let leaf: Certificate;
  try {
    leaf = toCertificate(leafInput);
  } catch (error) {
    const code = (error as { code?: ErrorCode }).code ?? X509ErrorCode.X509_MALFORMED;
    return failureResult([{ code, message: (error as Error).message, certificateIndex: 0 }], []);
  }
  let candidateSteps = 0;
  const parseAll = (inputs: readonly CertificateInput[] | undefined): Certificate[] => {
    const out: Certificate[] = [];
    for (const input of inputs ?? []) {
      try {
        const certificate = toCertificate(input);
        if (!out.some((known) => equalBytes(known.der, certificate.der))) out.push(certificate);
      } catch {
        // An unparseable candidate can never be part of a path; ignore it.
      }
    }
    return out;
  };
  const anchors = parseAll(options.trustAnchors);
  const intermediates = parseAll(options.intermediates).filter(
    (candidate) => !anchors.some((anchor) => equalBytes(anchor.der, candidate.der)),
  );

  const anchorsBySubject = new Map<string, Certificate[]>();
  for (const anchor of anchors) {
    const key = nameKey(anchor.subject.der);
    anchorsBySubject.set(key, [...(anchorsBySubject.get(key) ?? []), anchor]);
  }
  // Names from which some anchor is reachable by name chaining (prunes dead intermediates).
  const reachable = new Set(anchorsBySubject.keys());
  for (let changed = true; changed; ) {
    changed = false;
    for (const candidate of intermediates) {
      const subject = nameKey(candidate.subject.der);
      if (!reachable.has(subject) && reachable.has(nameKey(candidate.issuer.der))) {
        reachable.add(subject);
        changed = true;
      }
    }
  }
  const intermediatesBySubject = new Map<string, Certificate[]>();
  for (const candidate of intermediates) {
    if (!reachable.has(nameKey(candidate.issuer.der))) continue;
    const key = nameKey(candidate.subject.der);
    intermediatesBySubject.set(key, [...(intermediatesBySubject.get(key) ?? []), candidate]);
  }

  let signatureChecks = 0;
  let budgetExhausted = false;
  const signatureMemo = new Map<Certificate, Map<Certificate, Promise<boolean>>>();
  const issuedBy = (child: Certificate, issuer: Certificate): Promise<boolean> => {
    // Every step counts, cache hits included: the number of paths explored is bounded too.
    if (candidateSteps >= maxPathCandidates) {
      budgetExhausted = true;
      return Promise.resolve(false);
    }
    candidateSteps++;
    let byIssuer = signatureMemo.get(child);
    if (byIssuer === undefined) {
      byIssuer = new Map();
      signatureMemo.set(child, byIssuer);
    }
    let result = byIssuer.get(issuer);
    if (result === undefined) {
      if (signatureChecks >= maxSignatureChecks) {
        budgetExhausted = true;
        return Promise.resolve(false);
      }
      signatureChecks++;
      let key: Certificate['publicKeyInfo'];
      try {
        key = issuer.publicKeyInfo;
      } catch {
        return Promise.resolve(false);
      }
      result = verifyCertificateSignature(child, key, verifier);
      byIssuer.set(issuer, result);
    }
    return result;
  };

  const revocationSources: RevocationSource[] = [];
  const revocationOption = options.revocation;
  if (options.revocationSource !== undefined) revocationSources.push(options.revocationSource);
  if (typeof revocationOption === 'object' && revocationOption !== null)
    revocationSources.push(revocationOption);
  if (options.crls !== undefined && options.crls.length > 0)
    revocationSources.push(createCrlRevocationSource(options.crls, { verifier }));
  const revocationPolicy =
    revocationOption === 'required'
      ? 'hard-fail'
      : revocationOption === 'delegated'
        ? 'soft-fail'
        : (options.revocationPolicy ?? (revocationSources.length > 0 ? 'hard-fail' : 'soft-fail'));
  const revocationSource = combineRevocationSources(revocationSources);

  let firstAttempt: PathValidationResult | undefined;
  let nameMatchedButUnsigned = false;

  const checkPath = async (path: readonly Certificate[]): Promise<PathValidationResult> => {
    const failures: PathFailure[] = [];
    const findings: PathFinding[] = [];
    const fail = (code: ErrorCode, message: string, certificateIndex?: number) =>
      failures.push(certificateIndex === undefined ? { code, message } : { code, message, certificateIndex });
    const anchorIndex = path.length - 1;
    const roleOf = (index: number): CertificateRole =>
      index === 0 ? 'leaf' : index === anchorIndex ? 'anchor' : 'intermediate';
    const problem = (entry: ProfileProblem, index: number) => {
      if (enforced(conformance, entry, roleOf(index))) fail(entry.code, entry.message, index);
      else
        findings.push({
          code: entry.code,
          rule: entry.rule ?? 'basic-constraints',
          message: entry.message,
          certificateIndex: index,
        });
    };
    path.forEach((certificate, index) => {
      for (const entry of certificateProfileProblems(certificate, roleOf(index), options))
        problem(entry, index);
    });
    if (failures.length > 0) return failureResult(failures, path, [], findings);

    path.forEach((certificate, index) => {
      if (at < certificate.notBeforeTime)
        fail(
          X509ErrorCode.CERT_NOT_YET_VALID,
          `not valid before ${certificate.notBefore.toISOString()}`,
          index,
        );
      if (at > certificate.notAfterTime)
        fail(X509ErrorCode.CERT_EXPIRED, `expired at ${certificate.notAfter.toISOString()}`, index);
    });

    // Issuers: basicConstraints cA (critical) and keyCertSign (RFC 5280 §6.1.4 (k), (n)).
    for (let index = 1; index <= anchorIndex; index++) {
      const issuer = path[index]!;
      const basicConstraints = issuer.basicConstraints;
      if (basicConstraints?.ca !== true)
        fail(X509ErrorCode.PROFILE_VIOLATION, 'issuer is not a CA (basicConstraints cA)', index);
      else if (issuer.extension(OID.basicConstraints)?.critical !== true)
        problem(
          {
            code: X509ErrorCode.PROFILE_VIOLATION,
            message: 'CA basicConstraints must be critical (RFC 5280 §4.2.1.9)',
            kind: 'conformance',
            rule: 'basic-constraints',
          },
          index,
        );
      const keyUsage = issuer.keyUsage;
      if (keyUsage !== undefined && (keyUsage.mask & KEY_USAGE.keyCertSign) === 0)
        fail(X509ErrorCode.PROFILE_VIOLATION, 'issuer keyUsage lacks keyCertSign', index);
    }

    // pathLenConstraint (§6.1.4 (l), (m)); the anchor's own constraint applies too.
    let maxPathLength = path[anchorIndex]!.basicConstraints?.pathLength ?? Number.POSITIVE_INFINITY;
    let counted = 0;
    for (let index = anchorIndex - 1; index >= 1; index--) {
      const certificate = path[index]!;
      if (!certificate.isSelfIssued) {
        if (maxPathLength <= 0) fail(X509ErrorCode.PROFILE_VIOLATION, 'pathLenConstraint exceeded', index);
        maxPathLength--;
        counted++;
      }
      const pathLength = certificate.basicConstraints?.pathLength;
      if (pathLength !== undefined && pathLength < maxPathLength) maxPathLength = pathLength;
    }
    if (counted > maxIntermediates)
      fail(
        X509ErrorCode.PROFILE_VIOLATION,
        `${counted} intermediates exceed the maximum of ${maxIntermediates}`,
      );

    // Requested key usage and extended key usage.
    const leafKeyUsage = leaf.keyUsage;
    for (const name of options.keyUsage ?? [])
      if (leafKeyUsage !== undefined && (leafKeyUsage.mask & KEY_USAGE[name]) === 0)
        fail(X509ErrorCode.PROFILE_VIOLATION, `leaf keyUsage lacks ${name}`, 0);
    const wanted = options.extendedKeyUsage ?? [];
    if (wanted.length > 0)
      for (let index = 0; index < anchorIndex; index++) {
        const usages = path[index]!.extendedKeyUsage;
        if (
          usages !== undefined &&
          !usages.includes(OID.anyExtendedKeyUsage) &&
          !wanted.some((usage) => usages.includes(usage))
        )
          fail(
            X509ErrorCode.PROFILE_VIOLATION,
            `extendedKeyUsage does not allow ${wanted.join(', ')}`,
            index,
          );
      }

    const policyFailure = explicitPolicyFailure(path);
    if (policyFailure !== undefined) fail(X509ErrorCode.PROFILE_VIOLATION, policyFailure);
    if (failures.length > 0) return failureResult(failures, path, [], findings);

    const statuses: RevocationStatus[] = [];
    for (let index = 0; index < anchorIndex; index++) {
      signal?.throwIfAborted();
      const status = await checkRevocationSafely(revocationSource, {
        certificate: path[index]!,
        issuer: path[index + 1]!,
        time,
        ...(signal === undefined ? {} : { signal }),
      });
      statuses.push(status);
      if (status.status === 'REVOKED')
        fail(
          X509ErrorCode.REVOKED,
          `revoked${status.reason === undefined ? '' : ` (${status.reason})`}`,
          index,
        );
      else if (status.status === 'UNKNOWN' && revocationPolicy === 'hard-fail')
        fail(X509ErrorCode.REVOCATION_UNKNOWN, `revocation status unknown: ${status.detail}`, index);
    }
    if (failures.length > 0) return failureResult(failures, path, statuses, findings);
    return {
      valid: true,
      code: undefined,
      message: undefined,
      remedy: undefined,
      chain: path,
      failures: [],
      revocation: statuses,
      findings,
      pathBuilding: { candidates: 0, signatureChecks: 0, exhausted: false },
    };
  };

  const search = async (path: Certificate[]): Promise<PathValidationResult | undefined> => {
    signal?.throwIfAborted();
    const current = path[path.length - 1]!;
    const issuerKey = nameKey(current.issuer.der);
    for (const anchor of byKeyIdentifier(current, anchorsBySubject.get(issuerKey))) {
      if (budgetExhausted) return undefined;
      if (!(await issuedBy(current, anchor))) {
        nameMatchedButUnsigned = true;
        continue;
      }
      const outcome = await checkPath([...path, anchor]);
      if (outcome.valid) return outcome;
      firstAttempt ??= outcome;
    }
    if (path.length > MAX_PATH_CERTIFICATES) return undefined;
    for (const candidate of byKeyIdentifier(current, intermediatesBySubject.get(issuerKey))) {
      if (path.includes(candidate)) continue;
      if (budgetExhausted) return undefined;
      if (!(await issuedBy(current, candidate))) {
        nameMatchedButUnsigned = true;
        continue;
      }
      const outcome = await search([...path, candidate]);
      if (outcome !== undefined) return outcome;
      if (budgetExhausted) return undefined;
    }
    return undefined;
  };

  const found = await search([leaf]);
  const stats = (): PathBuildingStats => ({
    candidates: candidateSteps,
    signatureChecks,
    exhausted: budgetExhausted,
  });
  if (found !== undefined) return { ...found, pathBuilding: stats() };
  if (firstAttempt !== undefined && !budgetExhausted) return { ...firstAttempt, pathBuilding: stats() };
  // No complete path: report what is wrong with the leaf itself first, then the chain.
  const failures: PathFailure[] = certificateProfileProblems(leaf, 'leaf', options)
    .filter((entry) => enforced(conformance, entry, 'leaf'))
    .map((entry) => ({ code: entry.code, message: entry.message, certificateIndex: 0 }));
  failures.push(
    budgetExhausted
      ? {
          code: X509ErrorCode.PATH_BUILDING_LIMIT,
          message: `no path to a trust anchor within the path-building budget (${candidateSteps} of ${maxPathCandidates} candidate steps, ${signatureChecks} of ${maxSignatureChecks} signature checks)`,
        }
      : {
          code: X509ErrorCode.CHAIN_UNTRUSTED,
          message: nameMatchedButUnsigned
            ? 'no path to a trust anchor (a candidate issuer matched by name, but its signature did not verify)'
            : 'no path to a trust anchor',
        },
  );
  return failureResult(failures, [], [], [], stats());
}

/**
 * Simplified RFC 5280 §6.1 explicit-policy processing over policy sets (no policy mapping):
 * returns a failure message when a requireExplicitPolicy constraint comes due and no policy
 * is valid along the path.
 */
function explicitPolicyFailure(path: readonly Certificate[]): string | undefined {
  const anchorIndex = path.length - 1;
  const n = anchorIndex;
  let explicitPolicy = n + 1;
  let inhibitAnyPolicy = n + 1;
  let constrained = false;
  let valid: Set<string> | 'any' = 'any';
  for (let index = anchorIndex - 1; index >= 0; index--) {
    const certificate = path[index]!;
    const isLeaf = index === 0;
    const policies = certificate.certificatePolicies;
    if (policies === undefined) valid = new Set();
    else {
      const oids = new Set<string>(policies.map((policy) => policy.oid));
      const anyAllowed =
        oids.has(OID.anyPolicy) && (inhibitAnyPolicy > 0 || (!isLeaf && certificate.isSelfIssued));
      if (valid === 'any')
        valid = anyAllowed ? 'any' : new Set([...oids].filter((oid) => oid !== OID.anyPolicy));
      else if (!anyAllowed) valid = new Set([...valid].filter((oid: string) => oids.has(oid)));
    }
    if (!certificate.isSelfIssued || isLeaf) {
      if (explicitPolicy > 0) explicitPolicy--;
      if (inhibitAnyPolicy > 0) inhibitAnyPolicy--;
    }
    const constraints = certificate.policyConstraints;
    if (constraints?.requireExplicitPolicy !== undefined) {
      constrained = true;
      explicitPolicy = Math.min(explicitPolicy, constraints.requireExplicitPolicy);
    }
    const inhibit = certificate.extension(OID.inhibitAnyPolicy);
    if (inhibit !== undefined) {
      constrained = true;
      inhibitAnyPolicy = Math.min(inhibitAnyPolicy, decodeInhibitAnyPolicy(inhibit.value));
    }
    if (constrained && explicitPolicy === 0 && valid !== 'any' && valid.size === 0)
      return 'no valid certificate policy while an explicit policy is required';
  }
  return undefined;
}
