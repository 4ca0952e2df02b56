/**
 * X.509 v3 extension encoders used by the test PKI (RFC 5280 §4.2.1) in the shapes of the JPKI
 * profile (certificates.md §2.1, §3).
 *
 * @example
 * ```ts
 * extension(X509_OID.KEY_USAGE, true, keyUsage({ digitalSignature: true }));
 * ```
 */

import {
  derBitString,
  derBoolean,
  derContextExplicit,
  derContextImplicit,
  derIA5String,
  derInteger,
  derOctetString,
  derOid,
  derSequence,
  derUtf8String,
} from '@kakunin/core/der';
import { concatBytes } from '@kakunin/core/transport';
import { X509_OID } from './jpki-oids.js';

/**
 * Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE, extnValue OCTET STRING } (§4.1).
 *
 * @example
 * ```ts
 * extension(X509_OID.BASIC_CONSTRAINTS, true, basicConstraintsCa());
 * ```
 */
export function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical
    ? derSequence(derOid(oid), derBoolean(true), derOctetString(value))
    : derSequence(derOid(oid), derOctetString(value));
}

/** The KeyUsage bits the test PKI sets (RFC 5280 §4.2.1.3). */
export interface KeyUsageBits {
  readonly digitalSignature?: boolean;
  readonly nonRepudiation?: boolean;
  readonly keyCertSign?: boolean;
  readonly cRLSign?: boolean;
}

/**
 * KeyUsage named BIT STRING with trailing zero bits removed (X.690 §11.2.2; RFC 5280 §4.2.1.3).
 *
 * @example
 * ```ts
 * keyUsage({ keyCertSign: true, cRLSign: true });
 * ```
 */
export function keyUsage(bits: KeyUsageBits): Uint8Array {
  const positions = [
    bits.digitalSignature === true ? 0 : -1,
    bits.nonRepudiation === true ? 1 : -1,
    bits.keyCertSign === true ? 5 : -1,
    bits.cRLSign === true ? 6 : -1,
  ].filter((position) => position >= 0);
  let byte = 0;
  for (const position of positions) byte |= 0x80 >> position;
  const last = Math.max(...positions);
  return derBitString(Uint8Array.of(byte), 7 - last);
}

/**
 * BasicConstraints { cA TRUE } (§4.2.1.9; JPKI roots: no pathLen, certificates.md §2.1).
 *
 * @example
 * ```ts
 * extension(X509_OID.BASIC_CONSTRAINTS, true, basicConstraintsCa());
 * ```
 */
export function basicConstraintsCa(): Uint8Array {
  return derSequence(derBoolean(true));
}

/**
 * SubjectKeyIdentifier (§4.2.1.2).
 *
 * @example
 * ```ts
 * subjectKeyIdentifier(keyIdentifier(publicKey));
 * ```
 */
export function subjectKeyIdentifier(keyId: Uint8Array): Uint8Array {
  return derOctetString(keyId);
}

/**
 * AuthorityKeyIdentifier { [0] keyIdentifier } (§4.2.1.1).
 *
 * @example
 * ```ts
 * authorityKeyIdentifier(keyIdentifier(issuerPublicKey));
 * ```
 */
export function authorityKeyIdentifier(keyId: Uint8Array): Uint8Array {
  return derSequence(derContextImplicit(0, keyId));
}

/** GeneralName directoryName [4] (explicit: Name is a CHOICE, §4.2.1.6). */
export function directoryName(name: Uint8Array): Uint8Array {
  return derContextExplicit(4, name);
}

/** GeneralName otherName [0] { type-id, [0] EXPLICIT UTF8String } (certificates.md §3). */
export function otherNameUtf8(oid: string, value: string): Uint8Array {
  return derContextImplicit(0, concatBytes(derOid(oid), derContextExplicit(0, derUtf8String(value))), true);
}

/** GeneralNames. */
export function generalNames(...names: Uint8Array[]): Uint8Array {
  return derSequence(...names);
}

/** certificatePolicies with one policy and a CPS qualifier (§4.2.1.4). */
export function certificatePolicies(policyOid: string, cpsUri: string): Uint8Array {
  return derSequence(
    derSequence(
      derOid(policyOid),
      derSequence(derSequence(derOid(X509_OID.CPS_QUALIFIER), derIA5String(cpsUri))),
    ),
  );
}

/** DistributionPointName fullName [0] { directoryName } inside [0] (§4.2.1.13). */
function distributionPointName(name: Uint8Array): Uint8Array {
  return derContextImplicit(0, derContextImplicit(0, directoryName(name), true), true);
}

/** cRLDistributionPoints with one directoryName point (JPKI style, certificates.md §3). */
export function crlDistributionPoints(name: Uint8Array): Uint8Array {
  return derSequence(derSequence(distributionPointName(name)));
}

/** issuingDistributionPoint { [0] distributionPoint } (§5.2.5) for a partitioned CRL. */
export function issuingDistributionPoint(name: Uint8Array): Uint8Array {
  return derSequence(distributionPointName(name));
}

/** CRLNumber (§5.2.3). */
export function crlNumber(value: bigint | number): Uint8Array {
  return derInteger(value);
}
