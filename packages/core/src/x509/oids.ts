/**
 * Object identifiers used by `@kakunin/core/x509`, in dotted form, each with its source.
 *
 * @example
 * ```ts
 * import { OID } from '@kakunin/core/x509';
 * certificate.extension(OID.keyUsage);
 * ```
 */
export const OID = {
  // Signature and key algorithms — RFC 8017 App. C, RFC 5758 §3.2, RFC 8410 §3, RFC 3279 §2.3.
  /** rsaEncryption (RFC 8017 App. C). */
  rsaEncryption: '1.2.840.113549.1.1.1',
  /** md5WithRSAEncryption (RFC 8017); rejected by policy. */
  md5WithRsaEncryption: '1.2.840.113549.1.1.4',
  /** sha1WithRSAEncryption (RFC 8017); rejected by default. */
  sha1WithRsaEncryption: '1.2.840.113549.1.1.5',
  /** id-mgf1 (RFC 8017 App. B.2.1). */
  mgf1: '1.2.840.113549.1.1.8',
  /** id-RSASSA-PSS (RFC 8017 App. C). */
  rsassaPss: '1.2.840.113549.1.1.10',
  /** sha256WithRSAEncryption — the JPKI algorithm (certificates.md §2.1, §3). */
  sha256WithRsaEncryption: '1.2.840.113549.1.1.11',
  /** sha384WithRSAEncryption. */
  sha384WithRsaEncryption: '1.2.840.113549.1.1.12',
  /** sha512WithRSAEncryption. */
  sha512WithRsaEncryption: '1.2.840.113549.1.1.13',
  /** id-ecPublicKey (RFC 5480 §2.1.1). */
  ecPublicKey: '1.2.840.10045.2.1',
  /** ecdsa-with-SHA1 (RFC 3279 §2.2.3); rejected by default. */
  ecdsaWithSha1: '1.2.840.10045.4.1',
  /** ecdsa-with-SHA256 (RFC 5758 §3.2). */
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  /** ecdsa-with-SHA384. */
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  /** ecdsa-with-SHA512. */
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  /** secp192r1 / P-192 (RFC 5480 §2.1.1.1); rejected by key policy. */
  secp192r1: '1.2.840.10045.3.1.1',
  /** secp256r1 / P-256. */
  secp256r1: '1.2.840.10045.3.1.7',
  /** secp384r1 / P-384. */
  secp384r1: '1.3.132.0.34',
  /** secp521r1 / P-521. */
  secp521r1: '1.3.132.0.35',
  /** id-Ed25519 (RFC 8410 §3). */
  ed25519: '1.3.101.112',
  /** id-Ed448 (RFC 8410 §3). */
  ed448: '1.3.101.113',
  /** id-dsa (RFC 3279 §2.3.2); rejected by key policy. */
  dsa: '1.2.840.10040.4.1',
  /** id-sha1 (RFC 3279 §2.2.1). */
  sha1: '1.3.14.3.2.26',
  /** id-sha256 (RFC 5758 §2). */
  sha256: '2.16.840.1.101.3.4.2.1',
  /** id-sha384. */
  sha384: '2.16.840.1.101.3.4.2.2',
  /** id-sha512. */
  sha512: '2.16.840.1.101.3.4.2.3',

  // Certificate and CRL extensions — RFC 5280 §4.2, §5.2, §5.3.
  /** subjectKeyIdentifier (RFC 5280 §4.2.1.2). */
  subjectKeyIdentifier: '2.5.29.14',
  /** keyUsage (§4.2.1.3). */
  keyUsage: '2.5.29.15',
  /** subjectAltName (§4.2.1.6). */
  subjectAltName: '2.5.29.17',
  /** issuerAltName (§4.2.1.7). */
  issuerAltName: '2.5.29.18',
  /** basicConstraints (§4.2.1.9). */
  basicConstraints: '2.5.29.19',
  /** cRLNumber (§5.2.3). */
  crlNumber: '2.5.29.20',
  /** reasonCode (§5.3.1). */
  reasonCode: '2.5.29.21',
  /** invalidityDate (§5.3.2). */
  invalidityDate: '2.5.29.24',
  /** deltaCRLIndicator (§5.2.4). */
  deltaCrlIndicator: '2.5.29.27',
  /** issuingDistributionPoint (§5.2.5). */
  issuingDistributionPoint: '2.5.29.28',
  /** certificateIssuer (§5.3.3). */
  certificateIssuer: '2.5.29.29',
  /** nameConstraints (§4.2.1.10). */
  nameConstraints: '2.5.29.30',
  /** cRLDistributionPoints (§4.2.1.13). */
  crlDistributionPoints: '2.5.29.31',
  /** certificatePolicies (§4.2.1.4). */
  certificatePolicies: '2.5.29.32',
  /** anyPolicy (§4.2.1.4). */
  anyPolicy: '2.5.29.32.0',
  /** policyMappings (§4.2.1.5). */
  policyMappings: '2.5.29.33',
  /** authorityKeyIdentifier (§4.2.1.1). */
  authorityKeyIdentifier: '2.5.29.35',
  /** policyConstraints (§4.2.1.11). */
  policyConstraints: '2.5.29.36',
  /** extKeyUsage (§4.2.1.12). */
  extendedKeyUsage: '2.5.29.37',
  /** anyExtendedKeyUsage (§4.2.1.12). */
  anyExtendedKeyUsage: '2.5.29.37.0',
  /** freshestCRL (§4.2.1.15). */
  freshestCrl: '2.5.29.46',
  /** inhibitAnyPolicy (§4.2.1.14). */
  inhibitAnyPolicy: '2.5.29.54',
  /** authorityInfoAccess (§4.2.2.1). */
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  /** subjectInfoAccess (§4.2.2.2). */
  subjectInfoAccess: '1.3.6.1.5.5.7.1.11',
  /** Signed Certificate Timestamp list (RFC 6962 §3.3). */
  signedCertificateTimestampList: '1.3.6.1.4.1.11129.2.4.2',
  /** id-qt-cps policy qualifier (§4.2.1.4). */
  cpsQualifier: '1.3.6.1.5.5.7.2.1',
  /** id-qt-unotice policy qualifier (§4.2.1.4). */
  userNoticeQualifier: '1.3.6.1.5.5.7.2.2',

  // Extended key usages — RFC 5280 §4.2.1.12.
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',

  // Attribute types — X.520, RFC 4519, RFC 5280 App. A.
  commonName: '2.5.4.3',
  surname: '2.5.4.4',
  serialNumber: '2.5.4.5',
  countryName: '2.5.4.6',
  localityName: '2.5.4.7',
  stateOrProvinceName: '2.5.4.8',
  streetAddress: '2.5.4.9',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  title: '2.5.4.12',
  givenName: '2.5.4.42',
  emailAddress: '1.2.840.113549.1.9.1',
  domainComponent: '0.9.2342.19200300.100.1.25',
  userId: '0.9.2342.19200300.100.1.1',

  // JPKI — certificates.md §3 (J-LIS profile, OID tree on p.32 of 13_profile_genkou.pdf).
  /** 署名用 (digital signature) certificate policy `…8.5.1.1.20` (certificates.md §3). */
  jpkiSignPolicy: '1.2.392.200149.8.5.1.1.20',
  /** 利用者証明用 (user authentication) certificate policy `…8.5.1.3.30` (certificates.md §3). */
  jpkiAuthPolicy: '1.2.392.200149.8.5.1.3.30',
  /** Prefix of the JPKI-TEST hierarchy's policies `…8.5.1.0.x` (certificates.md §3, §5 step 3). */
  jpkiTestPolicyPrefix: '1.2.392.200149.8.5.1.0.',
  /** SAN otherName: name (surname + full-width space + given name) (certificates.md §3). */
  jpkiName: '1.2.392.200149.8.5.5.1',
  /** SAN otherName: name substitute-character map. */
  jpkiNameSubstitute: '1.2.392.200149.8.5.5.2',
  /** SAN otherName: gender (1 male, 2 female, 3 unknown). */
  jpkiSex: '1.2.392.200149.8.5.5.3',
  /** SAN otherName: date of birth `EYYYYMMDD`. */
  jpkiBirthDate: '1.2.392.200149.8.5.5.4',
  /** SAN otherName: address. */
  jpkiAddress: '1.2.392.200149.8.5.5.5',
  /** SAN otherName: address substitute-character map. */
  jpkiAddressSubstitute: '1.2.392.200149.8.5.5.6',
} as const;

/** Short names for attribute types in {@link Name.toString} (RFC 4514 §3 plus common ones). */
export const ATTRIBUTE_SHORT_NAMES: Readonly<Record<string, string>> = {
  [OID.commonName]: 'CN',
  [OID.surname]: 'SN',
  [OID.serialNumber]: 'serialNumber',
  [OID.countryName]: 'C',
  [OID.localityName]: 'L',
  [OID.stateOrProvinceName]: 'ST',
  [OID.streetAddress]: 'STREET',
  [OID.organizationName]: 'O',
  [OID.organizationalUnitName]: 'OU',
  [OID.title]: 'title',
  [OID.givenName]: 'GN',
  [OID.emailAddress]: 'emailAddress',
  [OID.domainComponent]: 'DC',
  [OID.userId]: 'UID',
};
