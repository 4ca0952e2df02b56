// Over 600 lines: one decoder per RFC 5280 extension, each small; split by extension would scatter the shared strictness rules.
/**
 * X.509 v3 extensions (RFC 5280 §4.1.2.9, §4.2) and decoders for the ones that matter for path
 * validation, CRLs and the JPKI profile. Every decoder takes the extnValue content (inside the
 * OCTET STRING), checks it is exactly one strict structure, and throws `X509_MALFORMED` /
 * `DER_*` CardErrors otherwise.
 *
 * @example
 * ```ts
 * const ku = certificate.keyUsage; // decoded lazily from the 2.5.29.15 extension
 * if (ku !== undefined && ku.mask === KEY_USAGE.digitalSignature) { … }
 * ```
 */
import { DerCursor } from '../der/der-cursor.js';
import {
  type BitStringView,
  decodeBoolean,
  decodeSmallInteger,
  decodeUnsignedInteger,
} from '../der/der-primitives.js';
import {
  TAG_BIT_STRING,
  TAG_BOOLEAN,
  TAG_ENUMERATED,
  TAG_GENERALIZED_TIME,
  TAG_IA5_STRING,
  TAG_INTEGER,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_SEQUENCE,
  TAG_SET,
} from '../der/der-tags.js';
import { type GeneralName, readGeneralName, readGeneralNames } from './general-name.js';
import { OID } from './oids.js';
import { x509Malformed } from './x509-error.js';

/** One extension: `SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`. */
export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  /** Content of extnValue (the encoded extension value; a view). */
  readonly value: Uint8Array;
  /** Offset of the extension within the certificate/CRL, for error reports. */
  readonly offset: number;
}

/**
 * Reads `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension` from the current element of
 * `cursor` (positioned on the SEQUENCE). DER forbids encoding `critical` FALSE explicitly.
 *
 * @example
 * ```ts
 * cursor.read(TAG_SEQUENCE);
 * const extensions = readExtensions(cursor);
 * ```
 */
export function readExtensions(cursor: DerCursor): Extension[] {
  const listStart = cursor.start;
  cursor.enter();
  const extensions: Extension[] = [];
  while (cursor.next()) {
    if (cursor.tag !== TAG_SEQUENCE) throw x509Malformed('Extension must be a SEQUENCE', cursor.start);
    const offset = cursor.start;
    cursor.enter();
    const oid = cursor.read(TAG_OID, 'extnID').oid();
    let critical = false;
    if (cursor.readOptional(TAG_BOOLEAN)) {
      critical = cursor.boolean();
      if (!critical) throw x509Malformed('critical FALSE must be omitted in DER (X.690 §11.5)', cursor.start);
    }
    const value = cursor.read(TAG_OCTET_STRING, 'extnValue').value();
    cursor.leave();
    extensions.push({ oid, critical, value, offset });
  }
  cursor.leave();
  if (extensions.length === 0) throw x509Malformed('empty Extensions', listStart);
  return extensions;
}

/** Runs `read` over a cursor on `value`, requiring exactly one element consumed. */
function decodeWhole<T>(
  value: Uint8Array,
  expectedTag: number,
  what: string,
  read: (cursor: DerCursor) => T,
): T {
  const cursor = new DerCursor(value);
  cursor.read(expectedTag, what);
  const result = read(cursor);
  cursor.finish();
  return result;
}

/** Iterates the members of the SEQUENCE the cursor is on. */
function sequenceOf<T>(
  cursor: DerCursor,
  what: string,
  read: (cursor: DerCursor) => T,
  nonEmpty = true,
): T[] {
  const start = cursor.start;
  cursor.enter();
  const out: T[] = [];
  while (cursor.next()) out.push(read(cursor));
  cursor.leave();
  if (nonEmpty && out.length === 0) throw x509Malformed(`${what} must not be empty`, start);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Basic constraints (§4.2.1.9)

export interface BasicConstraints {
  readonly ca: boolean;
  /** pathLenConstraint, if present. */
  readonly pathLength: number | undefined;
}

/**
 * Decodes basicConstraints.
 *
 * @example
 * ```ts
 * decodeBasicConstraints(extension.value); // { ca: true, pathLength: 0 }
 * ```
 */
export function decodeBasicConstraints(value: Uint8Array): BasicConstraints {
  return decodeWhole(value, TAG_SEQUENCE, 'BasicConstraints', (cursor) => {
    cursor.enter();
    let ca = false;
    if (cursor.readOptional(TAG_BOOLEAN)) {
      ca = cursor.boolean();
      if (!ca) throw x509Malformed('cA FALSE must be omitted in DER (X.690 §11.5)', cursor.start);
    }
    let pathLength: number | undefined;
    if (cursor.readOptional(TAG_INTEGER)) {
      pathLength = cursor.smallInteger();
      if (pathLength < 0) throw x509Malformed('negative pathLenConstraint', cursor.start);
    }
    cursor.leave();
    return { ca, pathLength };
  });
}

// ---------------------------------------------------------------------------------------------
// Key usage (§4.2.1.3)

/** KeyUsage bits as masks: bit n of the named bit list ↔ `1 << n` (RFC 5280 §4.2.1.3). */
export const KEY_USAGE = {
  digitalSignature: 1 << 0,
  /** nonRepudiation, renamed contentCommitment. */
  nonRepudiation: 1 << 1,
  keyEncipherment: 1 << 2,
  dataEncipherment: 1 << 3,
  keyAgreement: 1 << 4,
  keyCertSign: 1 << 5,
  cRLSign: 1 << 6,
  encipherOnly: 1 << 7,
  decipherOnly: 1 << 8,
} as const;

export type KeyUsageName = keyof typeof KEY_USAGE;

/** Highest KeyUsage bit (decipherOnly). */
const KEY_USAGE_LAST_BIT = 8;

export interface KeyUsage {
  /** OR of {@link KEY_USAGE} masks. */
  readonly mask: number;
  /** Names of the set bits, in bit order. */
  readonly names: readonly KeyUsageName[];
}

function namedBits(bits: BitStringView, offset: number): number {
  // DER: trailing zero bits of a named bit list are removed (X.690 §11.2.2).
  const data = bits.bytes;
  if (data.length > 0) {
    const last = data[data.length - 1]!;
    if (last === 0 || (last & (1 << bits.unusedBits)) === 0)
      throw x509Malformed('named bit list with trailing zero bits (X.690 §11.2.2)', offset);
  }
  let mask = 0;
  const total = data.length * 8 - bits.unusedBits;
  for (let bit = 0; bit < total; bit++) {
    if ((data[bit >> 3]! & (0x80 >> (bit & 7))) === 0) continue;
    if (bit > 30) throw x509Malformed('named bit out of range', offset);
    mask |= 1 << bit;
  }
  return mask;
}

/**
 * Decodes keyUsage; at least one bit must be set.
 *
 * @example
 * ```ts
 * decodeKeyUsage(extension.value).names; // ["digitalSignature", "nonRepudiation"]
 * ```
 */
export function decodeKeyUsage(value: Uint8Array): KeyUsage {
  return decodeWhole(value, TAG_BIT_STRING, 'KeyUsage', (cursor) => {
    const mask = namedBits(cursor.bitString(), cursor.start);
    if (mask === 0) throw x509Malformed('keyUsage with no bit set', cursor.start);
    if (mask >> (KEY_USAGE_LAST_BIT + 1) !== 0)
      throw x509Malformed('keyUsage bit beyond decipherOnly', cursor.start);
    const names = (Object.keys(KEY_USAGE) as KeyUsageName[]).filter((name) => (mask & KEY_USAGE[name]) !== 0);
    return { mask, names };
  });
}

/** Decodes ReasonFlags (a named bit list) into a mask (bit n ↔ `1 << n`). */
function decodeReasonFlags(cursor: DerCursor): number {
  return namedBits(cursor.bitString(), cursor.start);
}

// ---------------------------------------------------------------------------------------------
// Identifiers, EKU, policies (§4.2.1.1, §4.2.1.2, §4.2.1.4, §4.2.1.12)

/**
 * Decodes subjectKeyIdentifier (an OCTET STRING).
 *
 * @example
 * ```ts
 * bytesToHex(decodeSubjectKeyIdentifier(extension.value));
 * ```
 */
export function decodeSubjectKeyIdentifier(value: Uint8Array): Uint8Array {
  return decodeWhole(value, TAG_OCTET_STRING, 'SubjectKeyIdentifier', (cursor) => cursor.value());
}

export interface AuthorityKeyIdentifier {
  readonly keyIdentifier: Uint8Array | undefined;
  readonly authorityCertIssuer: readonly GeneralName[] | undefined;
  /** Serial number content octets, if present. */
  readonly authorityCertSerialNumber: Uint8Array | undefined;
}

/** AKI field tags (RFC 5280 §4.2.1.1, IMPLICIT). */
const AKI_KEY_IDENTIFIER = 0x80;
const AKI_CERT_ISSUER = 0xa1;
const AKI_CERT_SERIAL = 0x82;

/**
 * Decodes authorityKeyIdentifier.
 *
 * @example
 * ```ts
 * decodeAuthorityKeyIdentifier(extension.value).keyIdentifier;
 * ```
 */
export function decodeAuthorityKeyIdentifier(value: Uint8Array): AuthorityKeyIdentifier {
  return decodeWhole(value, TAG_SEQUENCE, 'AuthorityKeyIdentifier', (cursor) => {
    const start = cursor.start;
    cursor.enter();
    let keyIdentifier: Uint8Array | undefined;
    let authorityCertIssuer: GeneralName[] | undefined;
    let authorityCertSerialNumber: Uint8Array | undefined;
    if (cursor.readOptional(AKI_KEY_IDENTIFIER)) keyIdentifier = cursor.value();
    if (cursor.readOptional(AKI_CERT_ISSUER)) authorityCertIssuer = readGeneralNames(cursor);
    if (cursor.readOptional(AKI_CERT_SERIAL)) {
      decodeUnsignedInteger(cursor.bytes, cursor.valueStart, cursor.valueEnd);
      authorityCertSerialNumber = cursor.value();
    }
    cursor.leave();
    if ((authorityCertIssuer === undefined) !== (authorityCertSerialNumber === undefined))
      throw x509Malformed('authorityCertIssuer and authorityCertSerialNumber must appear together', start);
    return { keyIdentifier, authorityCertIssuer, authorityCertSerialNumber };
  });
}

/**
 * Decodes extKeyUsage into dotted OIDs.
 *
 * @example
 * ```ts
 * decodeExtendedKeyUsage(extension.value); // ["1.3.6.1.5.5.7.3.2"]
 * ```
 */
export function decodeExtendedKeyUsage(value: Uint8Array): string[] {
  return decodeWhole(value, TAG_SEQUENCE, 'ExtKeyUsageSyntax', (cursor) =>
    sequenceOf(cursor, 'ExtKeyUsageSyntax', (item) => {
      if (item.tag !== TAG_OID) throw x509Malformed('KeyPurposeId must be an OID', item.start);
      return item.oid();
    }),
  );
}

export interface PolicyQualifier {
  readonly oid: string;
  /** The CPS URI for id-qt-cps qualifiers. */
  readonly cpsUri: string | undefined;
  /** The qualifier TLV (a view). */
  readonly der: Uint8Array;
}

export interface PolicyInformation {
  readonly oid: string;
  readonly qualifiers: readonly PolicyQualifier[];
}

/**
 * Decodes certificatePolicies (duplicate policy OIDs are rejected, §4.2.1.4).
 *
 * @example
 * ```ts
 * decodeCertificatePolicies(extension.value)[0]?.oid; // "1.2.392.200149.8.5.1.3.30"
 * ```
 */
export function decodeCertificatePolicies(value: Uint8Array): PolicyInformation[] {
  const policies = decodeWhole(value, TAG_SEQUENCE, 'CertificatePolicies', (cursor) =>
    sequenceOf(cursor, 'certificatePolicies', (item) => {
      if (item.tag !== TAG_SEQUENCE) throw x509Malformed('PolicyInformation must be a SEQUENCE', item.start);
      item.enter();
      const oid = item.read(TAG_OID, 'policyIdentifier').oid();
      let qualifiers: PolicyQualifier[] = [];
      if (item.readOptional(TAG_SEQUENCE)) {
        qualifiers = sequenceOf(item, 'policyQualifiers', (qualifier) => {
          if (qualifier.tag !== TAG_SEQUENCE)
            throw x509Malformed('PolicyQualifierInfo must be a SEQUENCE', qualifier.start);
          const der = qualifier.element();
          qualifier.enter();
          const qualifierOid = qualifier.read(TAG_OID, 'policyQualifierId').oid();
          let cpsUri: string | undefined;
          if (!qualifier.next()) throw x509Malformed('policy qualifier without a value', qualifier.position);
          if (qualifierOid === OID.cpsQualifier) {
            if ((qualifier.tag as number) !== TAG_IA5_STRING)
              throw x509Malformed('CPS URI must be an IA5String', qualifier.start);
            cpsUri = qualifier.string();
          }
          qualifier.leave();
          return { oid: qualifierOid, cpsUri, der };
        });
      }
      item.leave();
      return { oid, qualifiers };
    }),
  );
  const seen = new Set<string>();
  for (const policy of policies) {
    if (seen.has(policy.oid)) throw x509Malformed(`duplicate policy ${policy.oid}`);
    seen.add(policy.oid);
  }
  return policies;
}

// ---------------------------------------------------------------------------------------------
// Names, distribution points, access descriptions (§4.2.1.6, §4.2.1.13, §4.2.2.1, §5.2.5)

/**
 * Decodes subjectAltName / issuerAltName (`GeneralNames`).
 *
 * @example
 * ```ts
 * decodeGeneralNamesExtension(extension.value);
 * ```
 */
export function decodeGeneralNamesExtension(value: Uint8Array): GeneralName[] {
  return decodeWhole(value, TAG_SEQUENCE, 'GeneralNames', (cursor) => readGeneralNames(cursor));
}

export interface DistributionPointName {
  /** fullName: GeneralNames. */
  readonly fullName: readonly GeneralName[] | undefined;
  /** nameRelativeToCRLIssuer: the RDN SET TLV (a view). */
  readonly nameRelativeToCrlIssuer: Uint8Array | undefined;
}

export interface DistributionPoint {
  readonly distributionPoint: DistributionPointName | undefined;
  /** ReasonFlags mask (bit n ↔ `1 << n`), if present. */
  readonly reasons: number | undefined;
  readonly crlIssuer: readonly GeneralName[] | undefined;
}

/** DistributionPoint / IDP field tags (RFC 5280 §4.2.1.13, §5.2.5). */
const DP_NAME = 0xa0;
const DP_FULL_NAME = 0xa0;
const DP_RELATIVE_NAME = 0xa1;
const DP_REASONS = 0x81;
const DP_CRL_ISSUER = 0xa2;
const IDP_ONLY_USER = 0x81;
const IDP_ONLY_CA = 0x82;
const IDP_ONLY_SOME_REASONS = 0x83;
const IDP_INDIRECT = 0x84;
const IDP_ONLY_ATTRIBUTE = 0x85;

function readDistributionPointName(cursor: DerCursor): DistributionPointName {
  cursor.enter();
  if (!cursor.next()) throw x509Malformed('empty DistributionPointName', cursor.position);
  let result: DistributionPointName;
  if (cursor.tag === DP_FULL_NAME)
    result = { fullName: readGeneralNames(cursor), nameRelativeToCrlIssuer: undefined };
  else if (cursor.tag === DP_RELATIVE_NAME) {
    // [1] IMPLICIT RelativeDistinguishedName: a SET OF AttributeTypeAndValue in disguise.
    const element = cursor.element();
    const copy = element.slice();
    copy[0] = TAG_SET;
    result = { fullName: undefined, nameRelativeToCrlIssuer: copy };
  } else throw x509Malformed('unknown DistributionPointName choice', cursor.start);
  cursor.leave();
  return result;
}

/**
 * Decodes cRLDistributionPoints (or freshestCRL).
 *
 * @example
 * ```ts
 * decodeCrlDistributionPoints(extension.value)[0]?.distributionPoint?.fullName;
 * ```
 */
export function decodeCrlDistributionPoints(value: Uint8Array): DistributionPoint[] {
  return decodeWhole(value, TAG_SEQUENCE, 'CRLDistributionPoints', (cursor) =>
    sequenceOf(cursor, 'cRLDistributionPoints', (item) => {
      if (item.tag !== TAG_SEQUENCE) throw x509Malformed('DistributionPoint must be a SEQUENCE', item.start);
      const start = item.start;
      item.enter();
      let distributionPoint: DistributionPointName | undefined;
      let reasons: number | undefined;
      let crlIssuer: GeneralName[] | undefined;
      if (item.readOptional(DP_NAME)) distributionPoint = readDistributionPointName(item);
      if (item.readOptional(DP_REASONS)) reasons = decodeReasonFlags(item);
      if (item.readOptional(DP_CRL_ISSUER)) crlIssuer = readGeneralNames(item);
      item.leave();
      if (distributionPoint === undefined && crlIssuer === undefined)
        throw x509Malformed('DistributionPoint needs distributionPoint or cRLIssuer', start);
      return { distributionPoint, reasons, crlIssuer };
    }),
  );
}

export interface IssuingDistributionPoint {
  readonly distributionPoint: DistributionPointName | undefined;
  readonly onlyContainsUserCerts: boolean;
  readonly onlyContainsCaCerts: boolean;
  readonly onlySomeReasons: number | undefined;
  readonly indirectCrl: boolean;
  readonly onlyContainsAttributeCerts: boolean;
}

function readDefaultFalse(cursor: DerCursor, tag: number): boolean {
  if (!cursor.readOptional(tag)) return false;
  const value = decodeBoolean(cursor.bytes, cursor.valueStart, cursor.valueEnd);
  if (!value) throw x509Malformed('DEFAULT FALSE must be omitted in DER', cursor.start);
  return true;
}

/**
 * Decodes issuingDistributionPoint (CRL extension, §5.2.5).
 *
 * @example
 * ```ts
 * decodeIssuingDistributionPoint(extension.value).distributionPoint?.fullName;
 * ```
 */
export function decodeIssuingDistributionPoint(value: Uint8Array): IssuingDistributionPoint {
  return decodeWhole(value, TAG_SEQUENCE, 'IssuingDistributionPoint', (cursor) => {
    const start = cursor.start;
    cursor.enter();
    let distributionPoint: DistributionPointName | undefined;
    if (cursor.readOptional(DP_NAME)) distributionPoint = readDistributionPointName(cursor);
    const onlyContainsUserCerts = readDefaultFalse(cursor, IDP_ONLY_USER);
    const onlyContainsCaCerts = readDefaultFalse(cursor, IDP_ONLY_CA);
    let onlySomeReasons: number | undefined;
    if (cursor.readOptional(IDP_ONLY_SOME_REASONS)) onlySomeReasons = decodeReasonFlags(cursor);
    const indirectCrl = readDefaultFalse(cursor, IDP_INDIRECT);
    const onlyContainsAttributeCerts = readDefaultFalse(cursor, IDP_ONLY_ATTRIBUTE);
    cursor.leave();
    if ([onlyContainsUserCerts, onlyContainsCaCerts, onlyContainsAttributeCerts].filter(Boolean).length > 1)
      throw x509Malformed('at most one onlyContains* flag may be set', start);
    return {
      distributionPoint,
      onlyContainsUserCerts,
      onlyContainsCaCerts,
      onlySomeReasons,
      indirectCrl,
      onlyContainsAttributeCerts,
    };
  });
}

export interface AccessDescription {
  readonly method: string;
  readonly location: GeneralName;
}

/**
 * Decodes authorityInfoAccess / subjectInfoAccess (at least one AccessDescription).
 *
 * @example
 * ```ts
 * decodeInfoAccess(extension.value)[0]?.method; // "1.3.6.1.5.5.7.48.2"
 * ```
 */
export function decodeInfoAccess(value: Uint8Array): AccessDescription[] {
  return decodeWhole(value, TAG_SEQUENCE, 'AuthorityInfoAccessSyntax', (cursor) =>
    sequenceOf(cursor, 'AuthorityInfoAccessSyntax', (item) => {
      if (item.tag !== TAG_SEQUENCE) throw x509Malformed('AccessDescription must be a SEQUENCE', item.start);
      item.enter();
      const method = item.read(TAG_OID, 'accessMethod').oid();
      if (!item.next()) throw x509Malformed('AccessDescription without accessLocation', item.position);
      const location = readGeneralName(item);
      item.leave();
      return { method, location };
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Constraints (§4.2.1.5, §4.2.1.10, §4.2.1.11, §4.2.1.14)

export interface NameConstraints {
  readonly permitted: readonly GeneralName[] | undefined;
  readonly excluded: readonly GeneralName[] | undefined;
}

/** NameConstraints field tags (§4.2.1.10). */
const NC_PERMITTED = 0xa0;
const NC_EXCLUDED = 0xa1;
/** GeneralSubtree minimum / maximum (§4.2.1.10: minimum MUST be 0, maximum absent). */
const SUBTREE_MINIMUM = 0x80;
const SUBTREE_MAXIMUM = 0x81;

function readSubtrees(cursor: DerCursor): GeneralName[] {
  return sequenceOf(cursor, 'GeneralSubtrees', (subtree) => {
    if (subtree.tag !== TAG_SEQUENCE) throw x509Malformed('GeneralSubtree must be a SEQUENCE', subtree.start);
    subtree.enter();
    if (!subtree.next()) throw x509Malformed('GeneralSubtree without base', subtree.position);
    const base = readGeneralName(subtree);
    if (subtree.readOptional(SUBTREE_MINIMUM))
      throw x509Malformed('GeneralSubtree minimum must be omitted', subtree.start);
    if (subtree.readOptional(SUBTREE_MAXIMUM))
      throw x509Malformed('GeneralSubtree maximum must be absent', subtree.start);
    subtree.leave();
    return base;
  });
}

/**
 * Decodes nameConstraints (bases only; minimum/maximum must be absent per §4.2.1.10).
 *
 * @example
 * ```ts
 * decodeNameConstraints(extension.value).permitted;
 * ```
 */
export function decodeNameConstraints(value: Uint8Array): NameConstraints {
  return decodeWhole(value, TAG_SEQUENCE, 'NameConstraints', (cursor) => {
    const start = cursor.start;
    cursor.enter();
    let permitted: GeneralName[] | undefined;
    let excluded: GeneralName[] | undefined;
    if (cursor.readOptional(NC_PERMITTED)) permitted = readSubtrees(cursor);
    if (cursor.readOptional(NC_EXCLUDED)) excluded = readSubtrees(cursor);
    cursor.leave();
    if (permitted === undefined && excluded === undefined)
      throw x509Malformed('empty NameConstraints', start);
    return { permitted, excluded };
  });
}

export interface PolicyConstraints {
  readonly requireExplicitPolicy: number | undefined;
  readonly inhibitPolicyMapping: number | undefined;
}

/** PolicyConstraints field tags (§4.2.1.11). */
const PC_REQUIRE_EXPLICIT = 0x80;
const PC_INHIBIT_MAPPING = 0x81;

/**
 * Decodes policyConstraints (must not be empty, §4.2.1.11).
 *
 * @example
 * ```ts
 * decodePolicyConstraints(extension.value).requireExplicitPolicy;
 * ```
 */
export function decodePolicyConstraints(value: Uint8Array): PolicyConstraints {
  return decodeWhole(value, TAG_SEQUENCE, 'PolicyConstraints', (cursor) => {
    const start = cursor.start;
    cursor.enter();
    let requireExplicitPolicy: number | undefined;
    let inhibitPolicyMapping: number | undefined;
    const skipCerts = () => {
      const count = decodeSmallInteger(cursor.bytes, cursor.valueStart, cursor.valueEnd);
      if (count < 0) throw x509Malformed('negative SkipCerts', cursor.start);
      return count;
    };
    if (cursor.readOptional(PC_REQUIRE_EXPLICIT)) requireExplicitPolicy = skipCerts();
    if (cursor.readOptional(PC_INHIBIT_MAPPING)) inhibitPolicyMapping = skipCerts();
    cursor.leave();
    if (requireExplicitPolicy === undefined && inhibitPolicyMapping === undefined)
      throw x509Malformed('empty PolicyConstraints', start);
    return { requireExplicitPolicy, inhibitPolicyMapping };
  });
}

/**
 * Decodes inhibitAnyPolicy (SkipCerts).
 *
 * @example
 * ```ts
 * decodeInhibitAnyPolicy(extension.value); // 0
 * ```
 */
export function decodeInhibitAnyPolicy(value: Uint8Array): number {
  return decodeWhole(value, TAG_INTEGER, 'InhibitAnyPolicy', (cursor) => {
    const count = cursor.smallInteger();
    if (count < 0) throw x509Malformed('negative SkipCerts', cursor.start);
    return count;
  });
}

export interface PolicyMapping {
  readonly issuerDomainPolicy: string;
  readonly subjectDomainPolicy: string;
}

/**
 * Decodes policyMappings.
 *
 * @example
 * ```ts
 * decodePolicyMappings(extension.value);
 * ```
 */
export function decodePolicyMappings(value: Uint8Array): PolicyMapping[] {
  return decodeWhole(value, TAG_SEQUENCE, 'PolicyMappings', (cursor) =>
    sequenceOf(cursor, 'PolicyMappings', (item) => {
      if (item.tag !== TAG_SEQUENCE) throw x509Malformed('policy mapping must be a SEQUENCE', item.start);
      item.enter();
      const issuerDomainPolicy = item.read(TAG_OID).oid();
      const subjectDomainPolicy = item.read(TAG_OID).oid();
      item.leave();
      return { issuerDomainPolicy, subjectDomainPolicy };
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// CRL and CRL-entry extensions (§5.2.3, §5.3.1, §5.3.2)

/**
 * Decodes cRLNumber / deltaCRLIndicator: a non-negative INTEGER of at most 20 octets (§5.2.3).
 * Returns the content octets (a view).
 *
 * @example
 * ```ts
 * decodeCrlNumber(extension.value);
 * ```
 */
export function decodeCrlNumber(value: Uint8Array): Uint8Array {
  return decodeWhole(value, TAG_INTEGER, 'CRLNumber', (cursor) => {
    const magnitude = decodeUnsignedInteger(cursor.bytes, cursor.valueStart, cursor.valueEnd);
    if (magnitude.length > 20) throw x509Malformed('CRLNumber longer than 20 octets', cursor.start);
    return cursor.value();
  });
}

/** CRLReason values (RFC 5280 §5.3.1); 7 is unused. */
export const CRL_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  undefined,
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
] as const;

export type CrlReason = Exclude<(typeof CRL_REASONS)[number], undefined>;

/**
 * Decodes a reasonCode CRL-entry extension value.
 *
 * @example
 * ```ts
 * decodeReasonCode(Uint8Array.of(0x0a, 0x01, 0x04)); // "superseded"
 * ```
 */
export function decodeReasonCode(value: Uint8Array): CrlReason {
  return decodeWhole(value, TAG_ENUMERATED, 'CRLReason', (cursor) => {
    const code = cursor.smallInteger();
    const reason = code >= 0 ? CRL_REASONS[code] : undefined;
    if (reason === undefined) throw x509Malformed(`unknown CRLReason ${code}`, cursor.start);
    return reason;
  });
}

/**
 * Decodes an invalidityDate (GeneralizedTime) to epoch milliseconds.
 *
 * @example
 * ```ts
 * new Date(decodeInvalidityDate(extension.value));
 * ```
 */
export function decodeInvalidityDate(value: Uint8Array): number {
  return decodeWhole(value, TAG_GENERALIZED_TIME, 'InvalidityDate', (cursor) => cursor.time());
}

/** Extensions a certificate may carry that this library understands (for the criticality rule). */
export const KNOWN_CERTIFICATE_EXTENSIONS: ReadonlySet<string> = new Set([
  OID.subjectKeyIdentifier,
  OID.keyUsage,
  OID.subjectAltName,
  OID.issuerAltName,
  OID.basicConstraints,
  OID.crlDistributionPoints,
  OID.certificatePolicies,
  OID.authorityKeyIdentifier,
  OID.extendedKeyUsage,
  OID.freshestCrl,
  OID.authorityInfoAccess,
  OID.subjectInfoAccess,
  OID.signedCertificateTimestampList,
  OID.policyConstraints,
  OID.inhibitAnyPolicy,
]);

/**
 * Decodes the value of any extension in {@link KNOWN_CERTIFICATE_EXTENSIONS} (and name
 * constraints / policy mappings), throwing if it is malformed; unknown OIDs are left alone.
 *
 * @example
 * ```ts
 * for (const extension of certificate.extensions) checkExtensionValue(extension);
 * ```
 */
export function checkExtensionValue(extension: Extension): void {
  const value = extension.value;
  switch (extension.oid) {
    case OID.subjectKeyIdentifier:
      decodeSubjectKeyIdentifier(value);
      return;
    case OID.keyUsage:
      decodeKeyUsage(value);
      return;
    case OID.subjectAltName:
    case OID.issuerAltName:
      decodeGeneralNamesExtension(value);
      return;
    case OID.basicConstraints:
      decodeBasicConstraints(value);
      return;
    case OID.crlDistributionPoints:
    case OID.freshestCrl:
      decodeCrlDistributionPoints(value);
      return;
    case OID.certificatePolicies:
      decodeCertificatePolicies(value);
      return;
    case OID.authorityKeyIdentifier:
      decodeAuthorityKeyIdentifier(value);
      return;
    case OID.extendedKeyUsage:
      decodeExtendedKeyUsage(value);
      return;
    case OID.authorityInfoAccess:
    case OID.subjectInfoAccess:
      decodeInfoAccess(value);
      return;
    case OID.nameConstraints:
      decodeNameConstraints(value);
      return;
    case OID.policyConstraints:
      decodePolicyConstraints(value);
      return;
    case OID.inhibitAnyPolicy:
      decodeInhibitAnyPolicy(value);
      return;
    case OID.policyMappings:
      decodePolicyMappings(value);
      return;
    case OID.signedCertificateTimestampList:
      decodeWhole(value, TAG_OCTET_STRING, 'SignedCertificateTimestampList', () => undefined);
      return;
  }
}
