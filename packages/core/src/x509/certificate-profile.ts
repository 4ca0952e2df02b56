/**
 * Per-certificate RFC 5280 profile rules applied to every certificate of a candidate path
 * (trust anchor included): v3 only, matching signature AlgorithmIdentifiers (§4.1.1.2),
 * positive serial of at most 20 octets (§4.1.2.2), extension criticality (§4.2: unknown
 * critical extensions, AKI/SKI/AIA non-critical, policyConstraints critical), basic
 * constraints vs key usage (§4.2.1.3, §4.2.1.9), SKI and a non-empty subject on CAs
 * (§4.2.1.2, §4.1.2.6), AKI keyIdentifier on everything but self-issued certificates (§4.2.1.1),
 * and the key/signature algorithm policy. Rules that bind the issuing CA rather than the relying
 * party come back as `kind: 'conformance'` findings; path validation decides what to do with them.
 *
 * @example
 * ```ts
 * for (const problem of certificateProfileProblems(certificate, 'leaf')) console.log(problem.message);
 * ```
 */
import { type AlgorithmPolicy, publicKeyProblem, signatureAlgorithmProblem } from './algorithm-policy.js';
import type { Certificate } from './certificate.js';
import { KEY_USAGE, KNOWN_CERTIFICATE_EXTENSIONS } from './extensions.js';
import { OID } from './oids.js';
import { X509ErrorCode } from './x509-error.js';

/** Largest serial number encoding (RFC 5280 §4.1.2.2). */
const MAX_SERIAL_OCTETS = 20;

export type CertificateRole = 'leaf' | 'intermediate' | 'anchor';

export interface ProfileProblem {
  readonly code: X509ErrorCode | 'DER_MALFORMED' | 'DER_TRUNCATED';
  readonly message: string;
  /**
   * `validation`: a relying party must refuse the certificate (unknown critical extension,
   * unsupported constraint, algorithm policy, malformed structure). `conformance`: a rule RFC 5280
   * places on the CA that issued it ("conforming CAs MUST …"); RFC 5280 §6 path validation does
   * not fail on these — {@link PathValidationOptions.conformance} decides whether they are
   * reported (`findings`) or enforced.
   */
  readonly kind: 'validation' | 'conformance';
  /** Stable id of a conformance rule, e.g. `aki.missing` (RFC 5280 §4.2.1.1). */
  readonly rule?: ConformanceRule;
}

/** CA-conformance rules (RFC 5280 §4) reported by {@link certificateProfileProblems}. */
export type ConformanceRule =
  | 'serial'
  | 'extension.criticality'
  | 'basic-constraints'
  | 'ski.missing'
  | 'subject.empty'
  | 'aki.root'
  | 'aki.missing';

export interface CertificateProfileOptions extends AlgorithmPolicy {
  /** Require authorityKeyIdentifier.keyIdentifier except on self-issued certificates (default true). */
  readonly requireAuthorityKeyIdentifier?: boolean;
}

function equalBytes(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}

/**
 * All profile problems of `certificate` in the given role (empty when it conforms).
 *
 * @example
 * ```ts
 * certificateProfileProblems(root, 'anchor'); // []
 * ```
 */
export function certificateProfileProblems(
  certificate: Certificate,
  role: CertificateRole,
  options: CertificateProfileOptions = {},
): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  const violation = (message: string) =>
    problems.push({ code: X509ErrorCode.PROFILE_VIOLATION, message, kind: 'validation' });
  const finding = (rule: ConformanceRule, message: string) =>
    problems.push({ code: X509ErrorCode.PROFILE_VIOLATION, message, kind: 'conformance', rule });
  try {
    certificate.decodeAll();
  } catch (error) {
    const code = (error as { code?: string }).code;
    return [
      {
        code: code === 'DER_MALFORMED' || code === 'DER_TRUNCATED' ? code : X509ErrorCode.X509_MALFORMED,
        message: (error as Error).message,
        kind: 'validation',
      },
    ];
  }
  if (certificate.version !== 3) violation(`version ${certificate.version} certificate (v3 required)`);
  if (!equalBytes(certificate.signatureAlgorithm.der, certificate.tbsSignatureAlgorithm.der))
    problems.push({
      code: X509ErrorCode.X509_MALFORMED,
      message: 'signatureAlgorithm differs from the TBS signature field',
      kind: 'validation',
    });

  const serial = certificate.serialNumber;
  if ((serial[0]! & 0x80) !== 0) finding('serial', 'negative serial number');
  else if (serial.every((byte) => byte === 0)) finding('serial', 'serial number zero');
  if (serial.length > MAX_SERIAL_OCTETS)
    finding('serial', `serial number longer than ${MAX_SERIAL_OCTETS} octets`);

  for (const extension of certificate.extensions) {
    if (
      extension.critical &&
      !KNOWN_CERTIFICATE_EXTENSIONS.has(extension.oid) &&
      extension.oid !== OID.nameConstraints &&
      extension.oid !== OID.policyMappings
    )
      violation(`unknown critical extension ${extension.oid}`);
    switch (extension.oid) {
      case OID.authorityKeyIdentifier:
      case OID.subjectKeyIdentifier:
      case OID.authorityInfoAccess:
      case OID.subjectInfoAccess:
        if (extension.critical)
          finding('extension.criticality', `extension ${extension.oid} must be non-critical`);
        break;
      case OID.policyConstraints:
        if (!extension.critical)
          finding('extension.criticality', 'policyConstraints must be critical (RFC 5280 §4.2.1.11)');
        break;
      case OID.nameConstraints:
        violation('nameConstraints are not supported by this validator');
        break;
      case OID.policyMappings:
        if (extension.critical) violation('policyMappings are not supported by this validator');
        break;
    }
  }

  const basicConstraints = certificate.basicConstraints;
  const keyUsage = certificate.keyUsage;
  const isCa = basicConstraints?.ca === true;
  const canSignCertificates = keyUsage === undefined || (keyUsage.mask & KEY_USAGE.keyCertSign) !== 0;
  if (keyUsage !== undefined && (keyUsage.mask & KEY_USAGE.keyCertSign) !== 0 && !isCa)
    finding('basic-constraints', 'keyCertSign asserted without basicConstraints cA (RFC 5280 §4.2.1.9)');
  if (basicConstraints?.pathLength !== undefined && (!isCa || !canSignCertificates))
    finding('basic-constraints', 'pathLenConstraint without cA and keyCertSign (RFC 5280 §4.2.1.9)');
  if (isCa) {
    if (certificate.subjectKeyIdentifier === undefined)
      finding('ski.missing', 'CA certificate without subjectKeyIdentifier (RFC 5280 §4.2.1.2)');
    if (certificate.subject.isEmpty)
      finding('subject.empty', 'CA certificate with an empty subject (RFC 5280 §4.1.2.6)');
  } else if (certificate.subject.isEmpty && certificate.extension(OID.subjectAltName)?.critical !== true) {
    finding('subject.empty', 'empty subject without a critical subjectAltName (RFC 5280 §4.1.2.6)');
  }

  const authorityKey = certificate.authorityKeyIdentifier;
  const selfIssuedAnchor = role === 'anchor' && certificate.isSelfIssued;
  if (selfIssuedAnchor) {
    if (authorityKey !== undefined) {
      if (authorityKey.keyIdentifier === undefined)
        finding('aki.root', 'root authorityKeyIdentifier without keyIdentifier');
      else {
        const subjectKey = certificate.subjectKeyIdentifier;
        if (subjectKey !== undefined && !equalBytes(subjectKey, authorityKey.keyIdentifier))
          finding('aki.root', 'root authorityKeyIdentifier differs from its subjectKeyIdentifier');
      }
      if (authorityKey.authorityCertIssuer !== undefined)
        finding('aki.root', 'root authorityKeyIdentifier with authorityCertIssuer/SerialNumber');
    }
  } else if (
    options.requireAuthorityKeyIdentifier !== false &&
    !certificate.isSelfIssued &&
    authorityKey?.keyIdentifier === undefined
  ) {
    finding('aki.missing', 'missing authorityKeyIdentifier keyIdentifier (RFC 5280 §4.2.1.1)');
  }

  const keyProblem = publicKeyProblem(certificate.publicKeyInfo, options);
  if (keyProblem !== undefined)
    problems.push({ code: X509ErrorCode.UNSUPPORTED_ALGORITHM, message: keyProblem, kind: 'validation' });
  if (role !== 'anchor') {
    const signatureProblem = signatureAlgorithmProblem(certificate.signatureAlgorithm, options);
    if (signatureProblem !== undefined)
      problems.push({
        code: X509ErrorCode.UNSUPPORTED_ALGORITHM,
        message: signatureProblem,
        kind: 'validation',
      });
  }
  return problems;
}
