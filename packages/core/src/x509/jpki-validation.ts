// Over 600 lines: the JPKI validation pipeline: each check is short, and their order is the reviewable contract.
/**
 * JPKI end-entity certificate validation in the documented order (certificates.md §5):
 *
 * 1. input limits — size cap (4 KiB) and a strict DER parse of every field;
 * 2. structure — v3; outer and inner signature algorithm equal and sha256WithRSAEncryption
 *    with NULL parameters; an rsaEncryption key of 2048 bits with e = 65537;
 * 3. purpose — issuer DN byte-equal to the purpose's root DN (auth vs sign); basicConstraints
 *    absent or cA FALSE; keyUsage critical and exactly {digitalSignature} (auth) or
 *    {digitalSignature, nonRepudiation} (sign); certificatePolicies holding exactly the
 *    purpose's policy (`…1.0.x` only for an opted-in test hierarchy); no unknown critical
 *    extension; for sign certificates, well-formed holder attributes in subjectAltName;
 * 4. issuer — among the roots with the issuer's DN (all generations share it), the first whose
 *    RSA signature over the exact TBS bytes verifies (SKI/AKI only orders the candidates);
 * 5. time — notBefore ≤ t ≤ notAfter, inclusive, for the certificate and for the root, in UTC
 *    at second granularity (JPKI certificates end at 14:59:59Z = 23:59:59 JST);
 * 6. revocation — a pluggable source; the default answers UNKNOWN, never GOOD. The policy is
 *    explicit: `revocation: 'required'` (default) leaves an UNKNOWN answer undecided
 *    (`acceptable: false`); `'delegated'` says another party checks revocation (in the national
 *    flow, the online qualification system): the status stays `revocation-unknown` and the check
 *    `unknown` — never GOOD — but the result is `acceptable` and says it was delegated.
 *
 * A failing group stops the later groups (reported as `skip`). The result lists every
 * check, the days left (JST calendar days), whether renewal is due (within 3 months) and the
 * remedy key for staff.
 *
 * @example
 * ```ts
 * const result = await validateJpkiCertificate(authCertificateDer, {
 *   purpose: 'auth',
 *   trustAnchors: [authCa2015Pem, authCa2023Pem],
 *   time: new Date(),
 *   revocation: operatorVerdicts, // optional; default UNKNOWN
 * });
 * result.status;          // 'valid' | 'invalid' | 'revocation-unknown'
 * result.remedy;          // e.g. 'cert.expired' → show the flyer's fallback
 * result.daysUntilExpiry; // 1234
 * ```
 */

import { remedyFor } from '../remedies/error-table.js';
import { CardError } from '../transport/card-error.js';
import type { ErrorCode } from '../transport/error-codes.js';
import type { RemedyKey } from '../transport/remedy-keys.js';
import { hasNullParameters } from './algorithm-identifier.js';
import { Certificate, parseCertificate } from './certificate.js';
import { KNOWN_CERTIFICATE_EXTENSIONS } from './extensions.js';
import {
  JPKI_KEY_USAGE,
  JPKI_MAX_CERTIFICATE_SIZE,
  JPKI_POLICY,
  JPKI_PURPOSE_UNIT,
  JPKI_RSA_BITS,
  JPKI_RSA_EXPONENT,
  type JpkiPurpose,
  jpkiRootName,
} from './jpki-profile.js';
import { decodeJpkiSubjectAltName, type JpkiHolderAttributes } from './jpki-subject-alt-name.js';
import { Name } from './name.js';
import { OID } from './oids.js';
import { isPemText, pemToDer } from './pem.js';
import {
  checkRevocationSafely,
  createUnknownRevocationSource,
  type RevocationSource,
  type RevocationStatus,
} from './revocation.js';
import { createWebCryptoVerifier, type SignatureVerifier, verifyCertificateSignature } from './signature.js';
import {
  builtInJpkiRoots,
  type JpkiRootGeneration,
  likelyJpkiGeneration,
} from './trust-anchors/jpki-trust-registry.js';
import { X509ErrorCode } from './x509-error.js';

type CertificateInput = Certificate | Uint8Array | string;

/** JST is UTC+9 (no daylight saving). */
const JST_OFFSET_MS = 9 * 3_600_000;
const MILLISECONDS_PER_DAY = 86_400_000;
/** Renewal warning window (domain.md §… / remedy `cert.expiring-soon`: 3 months). */
const DEFAULT_RENEWAL_WARNING_MONTHS = 3;

export type JpkiCheckId =
  | 'input.size'
  | 'input.der'
  | 'structure.version'
  | 'structure.signature-algorithm'
  | 'structure.public-key'
  | 'purpose.issuer'
  | 'purpose.basic-constraints'
  | 'purpose.key-usage'
  | 'purpose.certificate-policies'
  | 'purpose.critical-extensions'
  | 'purpose.holder-attributes'
  | 'issuer.signature'
  | 'time.certificate'
  | 'time.anchor'
  | 'revocation';

export type JpkiCheckOutcome = 'pass' | 'fail' | 'skip' | 'unknown';

export interface JpkiCheck {
  readonly id: JpkiCheckId;
  readonly outcome: JpkiCheckOutcome;
  /** Error code for `fail` / `unknown` outcomes. */
  readonly code?: ErrorCode;
  readonly message: string;
}

export interface JpkiValidationOptions {
  readonly purpose: JpkiPurpose;
  /**
   * J-LIS roots (any generations, either family: only those with the purpose's DN are used).
   * Default: the registry compiled into the package ({@link builtInJpkiRoots}); pass
   * `createJpkiTrustStore(added).anchors` to include operator-added roots.
   */
  readonly trustAnchors?: readonly CertificateInput[];
  /**
   * Opt-in test hierarchy roots (JPKI-TEST cards, the simulator's test PKI): used only for
   * certificates whose issuer equals one of these subjects, which must name the purpose in an
   * OU ("JPKI for user authentication" / "JPKI for digital signature"); such certificates must
   * carry a `…8.5.1.0.x` test policy.
   */
  readonly testAnchors?: readonly CertificateInput[];
  /** Validation time (default: now). */
  readonly time?: Date;
  /** Signature verifier (default: WebCrypto on `globalThis.crypto.subtle`). */
  readonly verifier?: SignatureVerifier;
  /**
   * Revocation policy: `required` (default) or `delegated` (see the module comment). A
   * RevocationSource here is the older spelling of {@link revocationSource} (policy `required`).
   */
  readonly revocation?: 'required' | 'delegated' | RevocationSource;
  /** Revocation source (default: always UNKNOWN). */
  readonly revocationSource?: RevocationSource;
  /** Size cap in bytes (default 4096). */
  readonly maxCertificateSize?: number;
  /** Renewal warning window in calendar months (default 3). */
  readonly renewalWarningMonths?: number;
  readonly signal?: AbortSignal;
}

export interface JpkiValidationResult {
  /** `valid`: every check passed, revocation GOOD; `revocation-unknown`: all else passed. */
  readonly status: 'valid' | 'invalid' | 'revocation-unknown';
  /** `status === 'valid'`. */
  readonly valid: boolean;
  /** The revocation policy applied. */
  readonly revocationPolicy: 'required' | 'delegated';
  /**
   * `valid`, or — under the `delegated` policy — everything but revocation passed and revocation
   * is UNKNOWN (left to the party it was delegated to). Never true for REVOKED.
   */
  readonly acceptable: boolean;
  readonly purpose: JpkiPurpose;
  /** Code of the first failed check (or REVOCATION_UNKNOWN), undefined when valid. */
  readonly code: ErrorCode | undefined;
  readonly message: string | undefined;
  /** What staff should do: the failure's remedy, or `cert.expiring-soon` for a valid certificate due for renewal. */
  readonly remedy: RemedyKey | undefined;
  /** Every check in order, including skipped ones. */
  readonly checks: readonly JpkiCheck[];
  readonly certificate: Certificate | undefined;
  /** The root whose signature verified. */
  readonly issuingRoot: Certificate | undefined;
  /** True when the certificate chains to a test anchor. */
  readonly testHierarchy: boolean;
  readonly notBefore: Date | undefined;
  readonly notAfter: Date | undefined;
  /** JST calendar days from the validation time to notAfter (0 = expires today; negative = expired). */
  readonly daysUntilExpiry: number | undefined;
  /** notAfter falls within the renewal window (and the certificate has not expired). */
  readonly expiringSoon: boolean;
  readonly revocation: RevocationStatus | undefined;
  /** Holder attributes of a sign certificate (personal data: do not log). */
  readonly holder: JpkiHolderAttributes | undefined;
  /** With TRUST_ANCHOR_MISSING: the root generation that most likely issued the certificate. */
  readonly missingTrustAnchor: JpkiRootGeneration | undefined;
  readonly validatedAt: Date;
}

const CHECK_ORDER: readonly JpkiCheckId[] = [
  'input.size',
  'input.der',
  'structure.version',
  'structure.signature-algorithm',
  'structure.public-key',
  'purpose.issuer',
  'purpose.basic-constraints',
  'purpose.key-usage',
  'purpose.certificate-policies',
  'purpose.critical-extensions',
  'purpose.holder-attributes',
  'issuer.signature',
  'time.certificate',
  'time.anchor',
  'revocation',
];

function jstDay(time: number): number {
  return Math.floor((time + JST_OFFSET_MS) / MILLISECONDS_PER_DAY);
}

function addMonths(time: number, months: number): number {
  const date = new Date(time);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date.getTime();
}

function equalBytes(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}

function parseAnchors(inputs: readonly CertificateInput[] | undefined): Certificate[] {
  const out: Certificate[] = [];
  for (const input of inputs ?? []) {
    try {
      const certificate =
        typeof input === 'string' || input instanceof Uint8Array ? parseCertificate(input) : input;
      certificate.decodeAll();
      out.push(certificate);
    } catch {
      // A malformed anchor can never verify anything; ignore it.
    }
  }
  return out;
}

/**
 * Validates a JPKI auth or sign certificate (DER, PEM or parsed) for `options.purpose`.
 *
 * @example
 * ```ts
 * const result = await validateJpkiCertificate(der, { purpose: 'sign', trustAnchors: roots });
 * if (!result.valid) console.log(result.checks.filter((check) => check.outcome === 'fail'));
 * ```
 */
export async function validateJpkiCertificate(
  input: CertificateInput,
  options: JpkiValidationOptions,
): Promise<JpkiValidationResult> {
  if (options === null || typeof options !== 'object')
    throw new TypeError('validateJpkiCertificate: options are required');
  const purpose = options.purpose;
  if (purpose !== 'auth' && purpose !== 'sign')
    throw new RangeError("validateJpkiCertificate: options.purpose must be 'auth' or 'sign'");
  if (options.trustAnchors !== undefined && !Array.isArray(options.trustAnchors))
    throw new TypeError('validateJpkiCertificate: options.trustAnchors must be an array');
  if (options.time !== undefined && (!(options.time instanceof Date) || Number.isNaN(options.time.getTime())))
    throw new TypeError('validateJpkiCertificate: options.time must be a valid Date');
  const maxSize = options.maxCertificateSize ?? JPKI_MAX_CERTIFICATE_SIZE;
  if (!Number.isInteger(maxSize) || maxSize < 1)
    throw new RangeError('validateJpkiCertificate: options.maxCertificateSize must be a positive integer');
  const renewalMonths = options.renewalWarningMonths ?? DEFAULT_RENEWAL_WARNING_MONTHS;
  const time = options.time ?? new Date();
  const at = Math.floor(time.getTime() / 1000) * 1000;
  const verifier = options.verifier ?? createWebCryptoVerifier();
  const policyOption = options.revocation;
  if (
    policyOption !== undefined &&
    policyOption !== 'required' &&
    policyOption !== 'delegated' &&
    (typeof policyOption !== 'object' || policyOption === null)
  )
    throw new RangeError(
      "validateJpkiCertificate: options.revocation must be 'required', 'delegated' or a source",
    );
  const revocationPolicy = policyOption === 'delegated' ? 'delegated' : 'required';
  const revocationSource =
    options.revocationSource ??
    (typeof policyOption === 'object' ? policyOption : undefined) ??
    createUnknownRevocationSource(
      revocationPolicy === 'delegated' ? 'revocation delegated; no source configured here' : undefined,
    );
  const signal = options.signal;

  const checks = new Map<JpkiCheckId, JpkiCheck>();
  const pass = (id: JpkiCheckId, message: string) => checks.set(id, { id, outcome: 'pass', message });
  const fail = (id: JpkiCheckId, code: ErrorCode, message: string) =>
    checks.set(id, { id, outcome: 'fail', code, message });
  const groupFailed = (prefix: string) =>
    [...checks.values()].some((check) => check.id.startsWith(prefix) && check.outcome === 'fail');

  let certificate: Certificate | undefined;
  let issuingRoot: Certificate | undefined;
  let testHierarchy = false;
  let holder: JpkiHolderAttributes | undefined;
  let revocation: RevocationStatus | undefined;
  let missingTrustAnchor: JpkiRootGeneration | undefined;

  // 1. Input limits and strict DER.
  if (typeof input !== 'string' && !(input instanceof Uint8Array) && !(input instanceof Certificate))
    throw new TypeError('validateJpkiCertificate: input must be DER bytes, PEM text or a Certificate');
  try {
    const der =
      input instanceof Certificate
        ? input.der
        : typeof input === 'string' || isPemText(input)
          ? pemToDer(input, 'CERTIFICATE', { maxSize: maxSize * 2 })
          : input;
    if (der.length > maxSize)
      fail(
        'input.size',
        X509ErrorCode.X509_MALFORMED,
        `certificate of ${der.length} bytes exceeds ${maxSize}`,
      );
    else {
      pass('input.size', `${der.length} bytes ≤ ${maxSize}`);
      certificate = (input instanceof Certificate ? input : new Certificate(der, { maxSize })).decodeAll();
      pass('input.der', 'strict DER, every field decodes');
    }
  } catch (error) {
    if (!checks.has('input.size')) pass('input.size', `≤ ${maxSize} bytes`);
    fail(
      'input.der',
      (error as { code?: ErrorCode }).code ?? X509ErrorCode.X509_MALFORMED,
      (error as Error).message,
    );
    certificate = undefined;
  }

  if (certificate !== undefined) {
    const cert = certificate;
    // 2. Structure.
    if (cert.version === 3) pass('structure.version', 'v3');
    else fail('structure.version', X509ErrorCode.PROFILE_VIOLATION, `version ${cert.version} (v3 required)`);
    const outer = cert.signatureAlgorithm;
    if (!equalBytes(outer.der, cert.tbsSignatureAlgorithm.der))
      fail(
        'structure.signature-algorithm',
        X509ErrorCode.X509_MALFORMED,
        'signatureAlgorithm differs from the TBS signature field',
      );
    else if (outer.oid !== OID.sha256WithRsaEncryption || !hasNullParameters(outer))
      fail(
        'structure.signature-algorithm',
        X509ErrorCode.UNSUPPORTED_ALGORITHM,
        `signature algorithm ${outer.oid} (sha256WithRSAEncryption with NULL required)`,
      );
    else pass('structure.signature-algorithm', 'sha256WithRSAEncryption');
    const key = cert.publicKeyInfo;
    if (key.type !== 'rsa' || !hasNullParameters(key.algorithm) || key.rsa === undefined)
      fail(
        'structure.public-key',
        X509ErrorCode.UNSUPPORTED_ALGORITHM,
        `key algorithm ${key.algorithm.oid} (rsaEncryption required)`,
      );
    else if (key.rsa.modulusBits !== JPKI_RSA_BITS)
      fail(
        'structure.public-key',
        X509ErrorCode.UNSUPPORTED_ALGORITHM,
        `RSA-${key.rsa.modulusBits} (RSA-${JPKI_RSA_BITS} required)`,
      );
    else if (key.rsa.exponent !== JPKI_RSA_EXPONENT)
      fail(
        'structure.public-key',
        X509ErrorCode.UNSUPPORTED_ALGORITHM,
        `public exponent ${key.rsa.exponent} (65537 required)`,
      );
    else pass('structure.public-key', 'RSA-2048, e = 65537');

    // 3. Purpose binding.
    const productionAnchors =
      options.trustAnchors === undefined
        ? builtInJpkiRoots().map((root) => root.certificate)
        : parseAnchors(options.trustAnchors);
    const testAnchors = parseAnchors(options.testAnchors).filter((anchor) =>
      anchor.subject.getAll(OID.organizationalUnitName).includes(JPKI_PURPOSE_UNIT[purpose]),
    );
    const otherPurpose: JpkiPurpose = purpose === 'auth' ? 'sign' : 'auth';
    let candidates: Certificate[] = [];
    if (!groupFailed('structure')) {
      const expectedName = new Name(jpkiRootName(purpose));
      if (cert.issuer.equals(expectedName)) {
        candidates = productionAnchors.filter((anchor) => anchor.subject.equals(expectedName));
        pass('purpose.issuer', `issued under the ${purpose} family: ${cert.issuer.toString()}`);
      } else if (testAnchors.some((anchor) => anchor.subject.equals(cert.issuer))) {
        testHierarchy = true;
        candidates = testAnchors.filter((anchor) => anchor.subject.equals(cert.issuer));
        pass('purpose.issuer', `issued under the opted-in test hierarchy: ${cert.issuer.toString()}`);
      } else if (cert.issuer.equals(new Name(jpkiRootName(otherPurpose))))
        fail(
          'purpose.issuer',
          X509ErrorCode.PROFILE_VIOLATION,
          `a ${otherPurpose} certificate presented as ${purpose}`,
        );
      else
        fail(
          'purpose.issuer',
          X509ErrorCode.CHAIN_UNTRUSTED,
          `issuer ${cert.issuer.toString()} is not a JPKI ${purpose} root`,
        );

      const basicConstraints = cert.basicConstraints;
      if (basicConstraints?.ca === true)
        fail(
          'purpose.basic-constraints',
          X509ErrorCode.PROFILE_VIOLATION,
          'end-entity certificate with cA TRUE',
        );
      else pass('purpose.basic-constraints', basicConstraints === undefined ? 'absent' : 'cA FALSE');

      const keyUsageExtension = cert.extension(OID.keyUsage);
      const keyUsage = cert.keyUsage;
      if (keyUsageExtension === undefined || keyUsage === undefined)
        fail('purpose.key-usage', X509ErrorCode.PROFILE_VIOLATION, 'keyUsage missing');
      else if (!keyUsageExtension.critical)
        fail('purpose.key-usage', X509ErrorCode.PROFILE_VIOLATION, 'keyUsage must be critical');
      else if (keyUsage.mask !== JPKI_KEY_USAGE[purpose])
        fail(
          'purpose.key-usage',
          X509ErrorCode.PROFILE_VIOLATION,
          `keyUsage {${keyUsage.names.join(', ')}} is not the ${purpose} profile's`,
        );
      else pass('purpose.key-usage', `{${keyUsage.names.join(', ')}}`);

      const policies = cert.certificatePolicies;
      const expectedPolicy = JPKI_POLICY[purpose];
      if (policies === undefined)
        fail('purpose.certificate-policies', X509ErrorCode.PROFILE_VIOLATION, 'certificatePolicies missing');
      else if (policies.length !== 1)
        fail(
          'purpose.certificate-policies',
          X509ErrorCode.PROFILE_VIOLATION,
          `${policies.length} policies (exactly one expected)`,
        );
      else {
        const oid = policies[0]!.oid;
        const isTestPolicy = oid.startsWith(OID.jpkiTestPolicyPrefix);
        if (oid === expectedPolicy && !testHierarchy) pass('purpose.certificate-policies', oid);
        else if (isTestPolicy && testHierarchy)
          pass('purpose.certificate-policies', `${oid} (test hierarchy)`);
        else if (isTestPolicy)
          fail(
            'purpose.certificate-policies',
            X509ErrorCode.PROFILE_VIOLATION,
            `test-hierarchy policy ${oid} without an opted-in test anchor`,
          );
        else if (oid === JPKI_POLICY[otherPurpose])
          fail(
            'purpose.certificate-policies',
            X509ErrorCode.PROFILE_VIOLATION,
            `${otherPurpose} policy ${oid} on a ${purpose} certificate`,
          );
        else
          fail(
            'purpose.certificate-policies',
            X509ErrorCode.PROFILE_VIOLATION,
            `unsupported policy ${oid} (expected ${expectedPolicy})`,
          );
      }

      const unknownCritical = cert.extensions.filter(
        (extension) => extension.critical && !KNOWN_CERTIFICATE_EXTENSIONS.has(extension.oid),
      );
      if (unknownCritical.length > 0)
        fail(
          'purpose.critical-extensions',
          X509ErrorCode.PROFILE_VIOLATION,
          `unknown critical extension ${unknownCritical.map((extension) => extension.oid).join(', ')}`,
        );
      else pass('purpose.critical-extensions', 'no unknown critical extension');

      if (purpose === 'sign') {
        try {
          holder = decodeJpkiSubjectAltName(cert);
          if (holder === undefined)
            fail(
              'purpose.holder-attributes',
              X509ErrorCode.PROFILE_VIOLATION,
              'sign certificate without JPKI holder attributes',
            );
          else pass('purpose.holder-attributes', 'name, gender, birth date and address present');
        } catch (error) {
          fail(
            'purpose.holder-attributes',
            (error as { code?: ErrorCode }).code ?? X509ErrorCode.X509_MALFORMED,
            (error as Error).message,
          );
        }
      } else pass('purpose.holder-attributes', 'not applicable to auth certificates');
    }

    // 4. Issuer by signature.
    if (!groupFailed('structure') && !groupFailed('purpose')) {
      issuingRoot = await selectIssuingRoot(cert, candidates, verifier, signal);
      const likely = testHierarchy ? undefined : likelyJpkiGeneration(cert, purpose);
      // A root of the likely generation is installed when one was created in its issuing period.
      const likelyInstalled =
        likely !== undefined &&
        candidates.some(
          (anchor) =>
            anchor.notBeforeTime >= Date.parse(likely.issuedFrom) - 86_400_000 &&
            (likely.issuedUntil === undefined || anchor.notBeforeTime < Date.parse(likely.issuedUntil)),
        );
      if (issuingRoot === undefined && likely !== undefined && !likelyInstalled) {
        missingTrustAnchor = likely;
        fail(
          'issuer.signature',
          X509ErrorCode.TRUST_ANCHOR_MISSING,
          `issued ${cert.notBefore.toISOString().slice(0, 10)} under J-LIS's ${likely.generation} ${purpose} root ${likely.id} (serial ${likely.serial}), which is not installed: download ${likely.file} from https://www.jpki.go.jp/ca/, compare its SHA-256 with the one J-LIS publishes, and run kakunin trust add ${likely.file} --fingerprint <SHA-256>`,
        );
      } else if (issuingRoot === undefined)
        fail(
          'issuer.signature',
          X509ErrorCode.CHAIN_UNTRUSTED,
          candidates.length === 0
            ? `no trust anchor named ${cert.issuer.toString()}`
            : `none of ${candidates.length} roots with the issuer's name verifies the signature`,
        );
      else
        pass(
          'issuer.signature',
          `verified by the root valid ${issuingRoot.notBefore.toISOString()} – ${issuingRoot.notAfter.toISOString()} (serial ${issuingRoot.serialNumberHex})`,
        );
    }

    // 5. Time, inclusive, UTC, second granularity.
    if (issuingRoot !== undefined) {
      const timeCheck = (id: JpkiCheckId, subject: Certificate, what: string) => {
        if (at < subject.notBeforeTime)
          fail(
            id,
            X509ErrorCode.CERT_NOT_YET_VALID,
            `${what} not valid before ${subject.notBefore.toISOString()}`,
          );
        else if (at > subject.notAfterTime)
          fail(id, X509ErrorCode.CERT_EXPIRED, `${what} expired at ${subject.notAfter.toISOString()}`);
        else pass(id, `${what} valid ${subject.notBefore.toISOString()} – ${subject.notAfter.toISOString()}`);
      };
      timeCheck('time.certificate', cert, 'certificate');
      timeCheck('time.anchor', issuingRoot, 'root');
    }

    // 6. Revocation, only for an otherwise valid certificate.
    if (issuingRoot !== undefined && !groupFailed('time')) {
      signal?.throwIfAborted();
      revocation = await checkRevocationSafely(revocationSource, {
        certificate: cert,
        issuer: issuingRoot,
        time,
        ...(signal === undefined ? {} : { signal }),
      });
      if (revocation.status === 'GOOD') pass('revocation', `not revoked (${revocation.source})`);
      else if (revocation.status === 'REVOKED')
        fail(
          'revocation',
          X509ErrorCode.REVOKED,
          `revoked${revocation.reason === undefined ? '' : ` (${revocation.reason})`} (${revocation.source})`,
        );
      else
        checks.set('revocation', {
          id: 'revocation',
          outcome: 'unknown',
          code: X509ErrorCode.REVOCATION_UNKNOWN,
          message:
            revocationPolicy === 'delegated'
              ? `not checked here, delegated (status UNKNOWN, not GOOD): ${revocation.detail}`
              : revocation.detail,
        });
    }
  }

  const ordered = CHECK_ORDER.map(
    (id) => checks.get(id) ?? { id, outcome: 'skip' as const, message: 'not run: an earlier step failed' },
  );
  const firstFailure = ordered.find((check) => check.outcome === 'fail');
  const unknown = ordered.find((check) => check.outcome === 'unknown');
  const status =
    firstFailure !== undefined ? 'invalid' : unknown !== undefined ? 'revocation-unknown' : 'valid';
  const daysUntilExpiry =
    certificate === undefined ? undefined : jstDay(certificate.notAfterTime) - jstDay(at);
  const expiringSoon =
    certificate !== undefined &&
    at <= certificate.notAfterTime &&
    certificate.notAfterTime <= addMonths(at, renewalMonths);
  const decisive = firstFailure ?? unknown;
  const code = decisive?.code;
  let remedy = code === undefined ? undefined : remedyFor(code);
  if (status === 'valid' && expiringSoon) remedy = 'cert.expiring-soon';
  return {
    status,
    valid: status === 'valid',
    revocationPolicy,
    acceptable: status === 'valid' || (status === 'revocation-unknown' && revocationPolicy === 'delegated'),
    purpose,
    code,
    message: decisive?.message,
    remedy,
    checks: ordered,
    certificate,
    issuingRoot,
    testHierarchy,
    notBefore: certificate?.notBefore,
    notAfter: certificate?.notAfter,
    daysUntilExpiry,
    expiringSoon,
    revocation,
    holder,
    missingTrustAnchor,
    validatedAt: new Date(at),
  };
}

/**
 * The root that issued `certificate`, chosen by signature among `roots` with the issuer's DN
 * (all JPKI generations share one DN; SKI = AKI only orders the attempts), or undefined.
 *
 * @example
 * ```ts
 * const root = await selectIssuingRoot(certificate, [authCa2015, authCa2023], verifier);
 * ```
 */
export async function selectIssuingRoot(
  certificate: Certificate,
  roots: readonly Certificate[],
  verifier: SignatureVerifier,
  signal?: AbortSignal,
): Promise<Certificate | undefined> {
  const candidates = roots
    .filter((root) => root.subject.equals(certificate.issuer))
    .sort((left, right) => rank(certificate, left) - rank(certificate, right));
  for (const root of candidates) {
    signal?.throwIfAborted();
    let key: Certificate['publicKeyInfo'];
    try {
      key = root.publicKeyInfo;
    } catch {
      continue;
    }
    if (await verifyCertificateSignature(certificate, key, verifier)) return root;
  }
  return undefined;
}

function rank(certificate: Certificate, anchor: Certificate): number {
  const authorityKey = certificate.authorityKeyIdentifier?.keyIdentifier;
  const subjectKey = anchor.subjectKeyIdentifier;
  if (authorityKey === undefined || subjectKey === undefined) return 1;
  return equalBytes(authorityKey, subjectKey) ? 0 : 2;
}

/**
 * A `VALIDATION_FAILED` CardError summarising a result that is not acceptable (undefined when
 * valid, or revocation-unknown under the `delegated` policy), for
 * apps and the CLI (exit code 6).
 *
 * @example
 * ```ts
 * const error = jpkiValidationError(result);
 * if (error !== undefined) throw error;
 * ```
 */
export function jpkiValidationError(result: JpkiValidationResult): CardError | undefined {
  if (result.valid || result.acceptable) return undefined;
  const failed = result.checks.filter((check) => check.outcome === 'fail' || check.outcome === 'unknown');
  return new CardError(
    X509ErrorCode.VALIDATION_FAILED,
    `JPKI ${result.purpose} certificate ${result.status}: ${result.message ?? ''}`,
    {
      ...(result.remedy === undefined ? {} : { remedy: result.remedy }),
      details: {
        status: result.status,
        code: result.code ?? null,
        failedChecks: failed.map((check) => check.id).join(','),
        daysUntilExpiry: result.daysUntilExpiry ?? null,
      },
    },
  );
}
