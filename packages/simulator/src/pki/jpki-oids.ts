/**
 * Object identifiers of the JPKI certificate profile (certificates.md §3) and of the X.509
 * extensions the test PKI writes (RFC 5280 §4.2).
 *
 * @example
 * ```ts
 * derOid(JPKI_OID.SAN_NAME); // 1.2.392.200149.8.5.5.1
 * ```
 */
export const JPKI_OID = {
  /** subjectAltName otherName: name (surname + U+3000 + given name). */
  SAN_NAME: '1.2.392.200149.8.5.5.1',
  /** Name substitute-character map ("0"/"1" per character). */
  SAN_NAME_SUBSTITUTION: '1.2.392.200149.8.5.5.2',
  /** Gender: 1 male, 2 female, 3 unknown. */
  SAN_GENDER: '1.2.392.200149.8.5.5.3',
  /** Date of birth `EYYYYMMDD`. */
  SAN_BIRTH_DATE: '1.2.392.200149.8.5.5.4',
  /** Address (≤ 200 characters, no postcode). */
  SAN_ADDRESS: '1.2.392.200149.8.5.5.5',
  /** Address substitute-character map. */
  SAN_ADDRESS_SUBSTITUTION: '1.2.392.200149.8.5.5.6',
  /** Production policies: 署名用 `…1.1.20`, 利用者証明用 `…1.3.30`. */
  POLICY_SIGN: '1.2.392.200149.8.5.1.1.20',
  POLICY_AUTH: '1.2.392.200149.8.5.1.3.30',
  /** JPKI-TEST hierarchy policies `…1.0.x` (certificates.md §3: `…1.0.20` seen on test cards). */
  POLICY_TEST_SIGN: '1.2.392.200149.8.5.1.0.20',
  /** Test auth policy: `…1.0.30` by analogy (no public source). */
  POLICY_TEST_AUTH: '1.2.392.200149.8.5.1.0.30',
} as const;

/**
 * X.509 / PKIX OIDs (RFC 5280 §4.1.1.2, §4.2.1; RFC 4055; RFC 8017).
 *
 * @example
 * ```ts
 * derOid(X509_OID.KEY_USAGE);
 * ```
 */
export const X509_OID = {
  SHA256_WITH_RSA: '1.2.840.113549.1.1.11',
  RSA_ENCRYPTION: '1.2.840.113549.1.1.1',
  COUNTRY: '2.5.4.6',
  ORGANIZATION: '2.5.4.10',
  ORGANIZATIONAL_UNIT: '2.5.4.11',
  COMMON_NAME: '2.5.4.3',
  LOCALITY: '2.5.4.7',
  SUBJECT_KEY_IDENTIFIER: '2.5.29.14',
  KEY_USAGE: '2.5.29.15',
  SUBJECT_ALT_NAME: '2.5.29.17',
  ISSUER_ALT_NAME: '2.5.29.18',
  BASIC_CONSTRAINTS: '2.5.29.19',
  CRL_NUMBER: '2.5.29.20',
  REASON_CODE: '2.5.29.21',
  ISSUING_DISTRIBUTION_POINT: '2.5.29.28',
  CRL_DISTRIBUTION_POINTS: '2.5.29.31',
  CERTIFICATE_POLICIES: '2.5.29.32',
  AUTHORITY_KEY_IDENTIFIER: '2.5.29.35',
  CPS_QUALIFIER: '1.3.6.1.5.5.7.2.1',
} as const;
