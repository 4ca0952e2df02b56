/**
 * Test-only JPKI-shaped certificates (certificates.md §2–3) with synthetic holders and
 * generated keys under the real root DNs — never a real person's certificate.
 *
 * @example
 * ```ts
 * const root = jpkiRootCertificate('auth', rsaTestKey('auth-2023'));
 * const leaf = jpkiEndEntity({ purpose: 'auth', issuerKey: rsaTestKey('auth-2023') });
 * ```
 */
import { createHash } from 'node:crypto';
import {
  derContextExplicit,
  derContextImplicit,
  derIA5String,
  derOid,
  derSequence,
  derUtf8String,
} from '../../der/der-writer.js';
import { JPKI_POLICY, type JpkiPurpose, jpkiRootName } from '../jpki-profile.js';
import { OID } from '../oids.js';
import {
  buildCertificate,
  buildExtension,
  buildName,
  keyUsageValue,
  rsaTestKey,
  type TestKey,
} from './x509-test-builders.js';

/** keyUsage bit numbers (RFC 5280 §4.2.1.3). */
export const KU_DIGITAL_SIGNATURE = 0;
export const KU_NON_REPUDIATION = 1;
export const KU_KEY_CERT_SIGN = 5;
export const KU_CRL_SIGN = 6;

/** CPS URI of the sign policy qualifier (certificates.md §3). */
const JPKI_CPS_URI = 'http://www.jpki.go.jp/cps.html';

export function keyIdentifierOf(spki: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha1').update(spki).digest());
}

function spkiOf(key: TestKey | Uint8Array): Uint8Array {
  return key instanceof Uint8Array ? key : key.spki;
}

/** A [4] directoryName GeneralNames wrapper. */
function directoryNameGeneralNames(name: Uint8Array): Uint8Array {
  return derSequence(derContextExplicit(4, name));
}

/** cRLDistributionPoints with one directoryName distribution point (certificates.md §2.1/§3). */
export function directoryCdp(name: Uint8Array): Uint8Array {
  // DistributionPoint { distributionPoint [0] { fullName [0] GeneralNames } }
  const fullName = derContextImplicit(0, derContextExplicit(4, name), true);
  return derSequence(derSequence(derContextImplicit(0, fullName, true)));
}

/** Partition DN of a municipality's CRL (certificates.md §3 cRLDistributionPoints). */
export function partitionName(purpose: JpkiPurpose, city: string, prefecture: string): Uint8Array {
  return buildName([
    [OID.countryName, 'JP', 'printable'],
    [OID.organizationName, 'JPKI'],
    [
      OID.organizationalUnitName,
      purpose === 'auth' ? 'JPKI for user authentication' : 'JPKI for digital signature',
    ],
    [OID.organizationalUnitName, 'CRL Distribution Points'],
    [OID.organizationalUnitName, prefecture],
    [OID.commonName, `${city} CRLDP`],
  ]);
}

export interface JpkiRootOptions {
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly serial?: bigint;
}

/**
 * A root shaped like the J-LIS roots: same DN per family, BC critical cA, KU critical
 * {keyCertSign, cRLSign}, SKI, no AKI.
 *
 * @example
 * ```ts
 * jpkiRootCertificate('sign', rsaTestKey('sign-2023'));
 * ```
 */
export function jpkiRootCertificate(
  purpose: JpkiPurpose,
  key: TestKey,
  options: JpkiRootOptions = {},
): Uint8Array {
  const name = jpkiRootName(purpose);
  return buildCertificate({
    serial: options.serial ?? 1n,
    issuer: name,
    subject: name,
    notBefore: options.notBefore ?? new Date('2023-07-16T01:01:04Z'),
    notAfter: options.notAfter ?? new Date('2033-07-15T14:59:59Z'),
    subjectKey: key,
    issuerKey: key,
    extensions: [
      buildExtension(OID.keyUsage, keyUsageValue([KU_KEY_CERT_SIGN, KU_CRL_SIGN]), true),
      buildExtension(OID.basicConstraints, derSequence(Uint8Array.of(0x01, 0x01, 0xff)), true),
      buildExtension(OID.subjectKeyIdentifier, derOctetStringOf(keyIdentifierOf(key.spki))),
      buildExtension(OID.crlDistributionPoints, directoryCdp(name)),
    ],
  });
}

function derOctetStringOf(bytes: Uint8Array): Uint8Array {
  return Uint8Array.of(0x04, bytes.length, ...bytes);
}

/** JPKI holder-attribute otherNames (SAN .1–.6); pass undefined to omit a field. */
export interface HolderFields {
  readonly name?: string | undefined;
  readonly nameSubstitute?: string | undefined;
  readonly sex?: string | undefined;
  readonly birthDate?: string | undefined;
  readonly address?: string | undefined;
  readonly addressSubstitute?: string | undefined;
  /** Extra raw otherNames (e.g. duplicates). */
  readonly extra?: readonly Uint8Array[];
}

/** An otherName GeneralName `[0] { type-id, [0] EXPLICIT UTF8String }`. */
export function otherNameUtf8(oid: string, value: string): Uint8Array {
  return derContextImplicit(
    0,
    Uint8Array.from([...derOid(oid), ...derContextExplicit(0, derUtf8String(value))]),
    true,
  );
}

/** A synthetic holder (fictional person). */
export const SYNTHETIC_HOLDER: Required<Omit<HolderFields, 'extra'>> = {
  name: '架空　花子',
  nameSubstitute: '00000',
  sex: '2',
  birthDate: '319800401',
  address: '東京都千代田区架空町一丁目２番３号',
  addressSubstitute: '0'.repeat(17),
};

/** subjectAltName value with the given holder fields. */
export function holderSubjectAltName(fields: HolderFields): Uint8Array {
  const names: Uint8Array[] = [];
  const add = (oid: string, value: string | undefined) => {
    if (value !== undefined) names.push(otherNameUtf8(oid, value));
  };
  add(OID.jpkiName, fields.name);
  add(OID.jpkiNameSubstitute, fields.nameSubstitute);
  add(OID.jpkiSex, fields.sex);
  add(OID.jpkiBirthDate, fields.birthDate);
  add(OID.jpkiAddress, fields.address);
  add(OID.jpkiAddressSubstitute, fields.addressSubstitute);
  names.push(...(fields.extra ?? []));
  return derSequence(...names);
}

export interface JpkiEndEntityOptions {
  readonly purpose: JpkiPurpose;
  readonly issuerKey: TestKey;
  readonly subjectKey?: TestKey | Uint8Array;
  readonly issuerName?: Uint8Array;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly serial?: bigint;
  /** Policy OIDs (default: the purpose's policy); [] omits the extension. */
  readonly policies?: readonly string[];
  readonly policiesCritical?: boolean;
  /** keyUsage bits (default: the purpose's); null omits the extension. */
  readonly keyUsageBits?: readonly number[] | null;
  readonly keyUsageCritical?: boolean;
  /** basicConstraints: absent (default), empty (cA FALSE) or cA TRUE. */
  readonly basicConstraints?: 'absent' | 'ca-false' | 'ca-true';
  /** Holder fields for sign certificates (default {@link SYNTHETIC_HOLDER}); null omits SAN. */
  readonly holder?: HolderFields | null | undefined;
  readonly extraExtensions?: readonly Uint8Array[];
  /** CRL partition DN put in cRLDistributionPoints (default: none). */
  readonly crlPartition?: Uint8Array;
  readonly version?: number | null;
  readonly hash?: 'sha1' | 'sha256';
  readonly signatureAlgorithm?: Uint8Array;
  readonly outerSignatureAlgorithm?: Uint8Array;
}

/** Default EE key (shared: its private half is never used by the validator tests). */
export function endEntityKey(): TestKey {
  return rsaTestKey('end-entity');
}

/**
 * A JPKI-shaped end-entity certificate (auth: opaque CN, no personal data; sign: holder SAN,
 * critical certificatePolicies with CPS qualifier).
 *
 * @example
 * ```ts
 * jpkiEndEntity({ purpose: 'sign', issuerKey, notAfter: new Date('2030-02-17T14:59:59Z') });
 * ```
 */
export function jpkiEndEntity(options: JpkiEndEntityOptions): Uint8Array {
  const purpose = options.purpose;
  const subjectKey = options.subjectKey ?? endEntityKey();
  const extensions: Uint8Array[] = [];
  const keyUsageBits =
    options.keyUsageBits === undefined
      ? purpose === 'auth'
        ? [KU_DIGITAL_SIGNATURE]
        : [KU_DIGITAL_SIGNATURE, KU_NON_REPUDIATION]
      : options.keyUsageBits;
  if (keyUsageBits !== null)
    extensions.push(
      buildExtension(OID.keyUsage, keyUsageValue(keyUsageBits), options.keyUsageCritical ?? true),
    );
  const policies = options.policies ?? [JPKI_POLICY[purpose]];
  if (policies.length > 0)
    extensions.push(
      buildExtension(
        OID.certificatePolicies,
        derSequence(
          ...policies.map((oid) =>
            derSequence(
              derOid(oid),
              derSequence(derSequence(derOid(OID.cpsQualifier), derIA5String(JPKI_CPS_URI))),
            ),
          ),
        ),
        options.policiesCritical ?? purpose === 'sign',
      ),
    );
  if (options.basicConstraints === 'ca-false')
    extensions.push(buildExtension(OID.basicConstraints, derSequence()));
  if (options.basicConstraints === 'ca-true')
    extensions.push(buildExtension(OID.basicConstraints, derSequence(Uint8Array.of(0x01, 0x01, 0xff)), true));
  const holder =
    options.holder === undefined ? (purpose === 'sign' ? SYNTHETIC_HOLDER : null) : options.holder;
  if (holder !== null) extensions.push(buildExtension(OID.subjectAltName, holderSubjectAltName(holder)));
  extensions.push(
    buildExtension(
      OID.issuerAltName,
      directoryNameGeneralNames(
        buildName([
          [OID.countryName, 'JP', 'printable'],
          [OID.organizationName, '公的個人認証サービス'],
        ]),
      ),
    ),
  );
  if (options.crlPartition !== undefined)
    extensions.push(buildExtension(OID.crlDistributionPoints, directoryCdp(options.crlPartition)));
  extensions.push(
    buildExtension(OID.subjectKeyIdentifier, derOctetStringOf(keyIdentifierOf(spkiOf(subjectKey)))),
  );
  extensions.push(
    buildExtension(
      OID.authorityKeyIdentifier,
      derSequence(derContextImplicit(0, keyIdentifierOf(options.issuerKey.spki))),
    ),
  );
  extensions.push(...(options.extraExtensions ?? []));
  const subject =
    purpose === 'auth'
      ? buildName([
          [OID.countryName, 'JP', 'printable'],
          [OID.commonName, '997794E9AGCIEG13221003A', 'printable'],
        ])
      : buildName([
          [OID.countryName, 'JP', 'printable'],
          [OID.localityName, 'Tokyo-to', 'printable'],
          [OID.localityName, 'Chiyoda-ku', 'printable'],
          [OID.commonName, '2025102701000000001A', 'printable'],
        ]);
  return buildCertificate({
    serial: options.serial ?? 0x0a1b2c3dn,
    issuer: options.issuerName ?? jpkiRootName(purpose),
    subject,
    notBefore: options.notBefore ?? new Date('2025-10-27T01:00:00Z'),
    notAfter: options.notAfter ?? new Date('2030-02-17T14:59:59Z'),
    subjectKey,
    issuerKey: options.issuerKey,
    extensions,
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.hash === undefined ? {} : { hash: options.hash }),
    ...(options.signatureAlgorithm === undefined ? {} : { signatureAlgorithm: options.signatureAlgorithm }),
    ...(options.outerSignatureAlgorithm === undefined
      ? {}
      : { outerSignatureAlgorithm: options.outerSignatureAlgorithm }),
  });
}
