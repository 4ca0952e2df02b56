/**
 * The simulator's test PKI, deterministic from a seed: JPKI-shaped user-authentication and
 * digital-signature hierarchies named as *test* authorities (O=kakunin Test JPKI — never J-LIS),
 * end-entity certificates following the JPKI profile (certificates.md §3), the card-issuer key
 * and CV certificate of the 券面 APs, and CRLs (see crl-builder.ts, large-crl.ts).
 *
 * Root keys are generated lazily through a {@link TestKeyStore}; certificates are re-signed on
 * every call (cheap), so the dates can follow a caller-supplied clock while the keys stay fixed.
 *
 * @example
 * ```ts
 * const pki = new TestPki({ seed: 'kakunin', keyStore });
 * const auth = pki.issueAuthCertificate(person, { issuedAt: new Date('2025-10-27T01:00:00Z') });
 * new X509Certificate(auth.certificate).verify(new X509Certificate(pki.authCa.certificate).publicKey); // true
 * ```
 */
import type { KeyObject } from 'node:crypto';
import { certificateBirthDate } from '../person/japanese-era.js';
import { JisX0208 } from '../person/jis-x0208.js';
import { certificateSexCode, nthBirthdayAfter, type SyntheticPerson } from '../person/synthetic-person.js';
import { buildCertificate, keyIdentifier } from './certificate-builder.js';
import { createCvCertificate, keyId } from './cv-certificate.js';
import { encodeName, type NameParts } from './distinguished-name.js';
import { JPKI_OID, X509_OID } from './jpki-oids.js';
import { SeededRandom } from './seeded-random.js';
import { TestKeyStore } from './test-key-store.js';
import {
  authorityKeyIdentifier,
  basicConstraintsCa,
  certificatePolicies,
  crlDistributionPoints,
  directoryName,
  extension,
  generalNames,
  keyUsage,
  otherNameUtf8,
  subjectKeyIdentifier,
} from './x509-extensions.js';

/**
 * Which JPKI hierarchy: user authentication or digital signature.
 *
 * @example
 * ```ts
 * const purpose: CertificatePurpose = 'sign';
 * ```
 */
export type CertificatePurpose = 'auth' | 'sign';

/**
 * Organization of every test authority (certificates.md §3 shape, test naming).
 *
 * @example
 * ```ts
 * subject.includes(`O=${TEST_ORGANIZATION}`);
 * ```
 */
export const TEST_ORGANIZATION = 'kakunin Test JPKI';
/**
 * CPS URI of the test policies (.invalid: RFC 2606, never resolves).
 *
 * @example
 * ```ts
 * certificatePolicies(JPKI_OID.POLICY_TEST_SIGN, TEST_CPS_URI);
 * ```
 */
export const TEST_CPS_URI = 'http://kakunin.invalid/test-jpki/cps.html';
/** Default root validity: long enough for the default and the expired profiles. */
export const DEFAULT_ROOT_NOT_BEFORE = new Date('2015-10-20T00:00:00Z');
export const DEFAULT_ROOT_NOT_AFTER = new Date('2035-10-19T14:59:59Z');
/** End of day in JST = 14:59:59 UTC (certificates.md §3 validity). */
const JST_END_OF_DAY_UTC = 'T14:59:59Z';
/** JPKI end-entity certificates run to the 5th birthday after issuance (certificates.md §3). */
const VALIDITY_BIRTHDAYS = 5;

const PURPOSE_UNIT: Readonly<Record<CertificatePurpose, string>> = {
  auth: 'JPKI for user authentication',
  sign: 'JPKI for digital signature',
};
const PURPOSE_UNIT_JA: Readonly<Record<CertificatePurpose, string>> = {
  auth: 'kakunin テスト公的個人認証サービス利用者証明用',
  sign: 'kakunin テスト公的個人認証サービス署名用',
};

/**
 * Options of the test PKI.
 *
 * @example
 * ```ts
 * new TestPki({ seed: 'kakunin', keyStore, policies: 'production', generation: 2 });
 * ```
 */
export interface TestPkiOptions {
  /** Seed of every key and serial number (default `kakunin`). */
  readonly seed?: string;
  /** Key cache (default: a fresh in-memory store). */
  readonly keyStore?: TestKeyStore;
  /** `test` (default): policies `…8.5.1.0.20/30` like JPKI-TEST cards; `production`: `…1.1.20` / `…1.3.30`. */
  readonly policies?: 'test' | 'production';
  /** Root generation: 2, 3, … give different keys under identical DNs (certificates.md §2.1). */
  readonly generation?: number;
  readonly rootNotBefore?: Date;
  readonly rootNotAfter?: Date;
}

/**
 * A root CA of the test PKI.
 *
 * @example
 * ```ts
 * new X509Certificate(pki.authCa.certificate).subject;
 * ```
 */
export interface CertificateAuthority {
  readonly purpose: CertificatePurpose;
  readonly seed: string;
  readonly nameParts: NameParts;
  /** DER Name (issuer and subject of the self-signed root). */
  readonly name: Uint8Array;
  readonly certificate: Uint8Array;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** SHA-1 key identifier (SKI of the root, AKI of what it issues). */
  readonly keyIdentifier: Uint8Array;
}

/**
 * An issued end-entity certificate and its key.
 *
 * @example
 * ```ts
 * pki.issueAuthCertificate(person, { issuedAt }).certificate;
 * ```
 */
export interface EndEntityCertificate {
  readonly purpose: CertificatePurpose;
  readonly certificate: Uint8Array;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly serialNumber: Uint8Array;
  readonly subject: NameParts;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** DER Name of the certificate's CRL distribution point (its municipality partition). */
  readonly crlPartition: Uint8Array;
}

/**
 * Card-issuer keys of the 券面 APs (jpki-card.md §4 EF 0004).
 *
 * @example
 * ```ts
 * verifyPkcs1Sha256(pki.cardIssuer.publicKey, signed, signature);
 * ```
 */
export interface CardIssuer {
  readonly rootPrivateKey: KeyObject;
  readonly rootPublicKey: KeyObject;
  readonly rootKeyId: Uint8Array;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: Uint8Array;
  /** `7F 21` certificate of the issuer key, signed by the root (568 bytes). */
  readonly cvCertificate: Uint8Array;
}

/**
 * Issuance options of an end-entity certificate.
 *
 * @example
 * ```ts
 * pki.issueSignCertificate(person, { issuedAt: new Date(), notAfter: new Date('2030-01-01') });
 * ```
 */
export interface IssueOptions {
  /** Issuance time = notBefore (request time in the sign subject CN). */
  readonly issuedAt: Date;
  /** Override notAfter (default: 5th birthday after issuance, 23:59:59 JST). */
  readonly notAfter?: Date;
  /** Key label inside the seed (default derived from the person's 個人番号). */
  readonly keyLabel?: string;
  /**
   * Exact DER length of the certificate (field sizes: simulator README, "Certificate sizes").
   * Longer than the profile's natural size: a non-critical filler extension makes up the
   * difference. Shorter: the compact shape without issuerAltName and cRLDistributionPoints, then
   * filled up. Below the compact shape's size: RangeError.
   */
  readonly certificateLength?: number;
}

/**
 * OID of the filler extension that sizes a test certificate (a UUID OID, ITU-T X.667 arc 2.25:
 * nobody else's; non-critical, so every validator ignores it).
 *
 * @example
 * ```ts
 * parseCertificate(der).extensions.some((entry) => entry.oid === FILLER_EXTENSION_OID);
 * ```
 */
export const FILLER_EXTENSION_OID = '2.25.239427818471342618834916330719870623151';

/**
 * The certificate built to exactly `length` bytes: the full shape, else the compact one, plus a
 * filler extension whose size is found by a few tries (DER length headers grow by steps).
 */
function sized(
  build: (compact: boolean, filler: number | undefined) => Uint8Array,
  length: number,
): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 1)
    throw new RangeError('certificateLength must be a positive integer');
  for (const compact of [false, true]) {
    const natural = build(compact, undefined).length;
    if (natural === length) return build(compact, undefined);
    const empty = build(compact, 0).length;
    if (length < empty) continue;
    // Each filler byte adds one byte, plus one whenever a length header grows: converge from below.
    let filler = length - empty;
    for (let attempt = 0; attempt < 8 && filler >= 0; attempt += 1) {
      const built = build(compact, filler);
      if (built.length === length) return built;
      filler -= built.length - length;
    }
  }
  throw new RangeError(
    `certificateLength ${length} cannot be built (too small, or falls on a DER length step)`,
  );
}

function yyyymmdd(date: Date): string {
  return date.toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * The test PKI.
 *
 * @example
 * ```ts
 * new TestPki({ seed: 'kakunin', keyStore }).authCa.certificate;
 * ```
 */
export class TestPki {
  readonly seed: string;
  readonly keyStore: TestKeyStore;
  readonly policies: 'test' | 'production';
  readonly generation: number;
  readonly #rootNotBefore: Date;
  readonly #rootNotAfter: Date;
  readonly #roots = new Map<CertificatePurpose, CertificateAuthority>();
  #cardIssuer: CardIssuer | undefined;
  #jis: JisX0208 | undefined;

  constructor(options: TestPkiOptions = {}) {
    this.seed = options.seed ?? 'kakunin';
    if (typeof this.seed !== 'string' || this.seed.length === 0)
      throw new TypeError('options.seed must be a non-empty string');
    this.keyStore = options.keyStore ?? new TestKeyStore();
    this.policies = options.policies ?? 'test';
    this.generation = options.generation ?? 1;
    if (!Number.isInteger(this.generation) || this.generation < 1)
      throw new RangeError('options.generation must be ≥ 1');
    this.#rootNotBefore = options.rootNotBefore ?? DEFAULT_ROOT_NOT_BEFORE;
    this.#rootNotAfter = options.rootNotAfter ?? DEFAULT_ROOT_NOT_AFTER;
  }

  /** DN of a test root: C=JP, O=kakunin Test JPKI, OU=<purpose unit>, OU=kakunin Test Certification Authority. */
  static rootName(purpose: CertificatePurpose): NameParts {
    return [
      ['C', 'JP'],
      ['O', TEST_ORGANIZATION],
      ['OU', PURPOSE_UNIT[purpose]],
      ['OU', 'kakunin Test Certification Authority'],
    ];
  }

  /** The user-authentication root (利用者証明用). */
  get authCa(): CertificateAuthority {
    return this.#root('auth');
  }

  /** The digital-signature root (署名用). */
  get signCa(): CertificateAuthority {
    return this.#root('sign');
  }

  /** The card-issuer key and CV certificate for the 券面 APs. */
  get cardIssuer(): CardIssuer {
    if (this.#cardIssuer === undefined) {
      const root = this.keyStore.rsaKey(this.seed, `cv-root:${this.generation}`);
      const issuer = this.keyStore.rsaKey(this.seed, `card-issuer:${this.generation}`);
      const rootKeyId = keyId(root.publicKey);
      const issuerKeyId = keyId(issuer.publicKey);
      this.#cardIssuer = {
        rootPrivateKey: root.privateKey,
        rootPublicKey: root.publicKey,
        rootKeyId,
        privateKey: issuer.privateKey,
        publicKey: issuer.publicKey,
        keyId: issuerKeyId,
        cvCertificate: createCvCertificate({
          issuerKeyId: rootKeyId,
          subjectKeyId: issuerKeyId,
          subjectPublicKey: issuer.publicKey,
          issuerPrivateKey: root.privateKey,
        }),
      };
    }
    return this.#cardIssuer;
  }

  #serial(label: string): Uint8Array {
    const serial = new SeededRandom(this.seed, `serial:${label}`).bytes(8);
    serial[0] = (serial[0]! & 0x7f) | 0x01;
    return serial;
  }

  #policyOid(purpose: CertificatePurpose): string {
    if (this.policies === 'production')
      return purpose === 'auth' ? JPKI_OID.POLICY_AUTH : JPKI_OID.POLICY_SIGN;
    return purpose === 'auth' ? JPKI_OID.POLICY_TEST_AUTH : JPKI_OID.POLICY_TEST_SIGN;
  }

  #alternativeName(purpose: CertificatePurpose): Uint8Array {
    return generalNames(
      directoryName(
        encodeName([
          ['C', 'JP'],
          ['O', 'kakunin テスト公的個人認証サービス'],
          ['OU', PURPOSE_UNIT_JA[purpose]],
          ['OU', 'kakunin テスト認証局'],
        ]),
      ),
    );
  }

  #root(purpose: CertificatePurpose): CertificateAuthority {
    const existing = this.#roots.get(purpose);
    if (existing !== undefined) return existing;
    const key = this.keyStore.rsaKey(this.seed, `${purpose}-ca:${this.generation}`);
    const nameParts = TestPki.rootName(purpose);
    const name = encodeName(nameParts);
    const ski = keyIdentifier(key.publicKey);
    const certificate = buildCertificate({
      serialNumber: this.#serial(`${purpose}-ca:${this.generation}`),
      issuer: name,
      subject: name,
      notBefore: this.#rootNotBefore,
      notAfter: this.#rootNotAfter,
      subjectPublicKey: key.publicKey,
      issuerPrivateKey: key.privateKey,
      // certificates.md §2.1: KU critical {keyCertSign, cRLSign}; BC critical CA; SKI; no AKI;
      // SAN directoryName; CRL DP = the CA's own directoryName.
      extensions: [
        extension(X509_OID.KEY_USAGE, true, keyUsage({ keyCertSign: true, cRLSign: true })),
        extension(X509_OID.BASIC_CONSTRAINTS, true, basicConstraintsCa()),
        extension(X509_OID.SUBJECT_KEY_IDENTIFIER, false, subjectKeyIdentifier(ski)),
        extension(X509_OID.SUBJECT_ALT_NAME, false, this.#alternativeName(purpose)),
        extension(X509_OID.CRL_DISTRIBUTION_POINTS, false, crlDistributionPoints(name)),
      ],
    });
    const root: CertificateAuthority = {
      purpose,
      seed: this.seed,
      nameParts,
      name,
      certificate,
      privateKey: key.privateKey,
      publicKey: key.publicKey,
      keyIdentifier: ski,
    };
    this.#roots.set(purpose, root);
    return root;
  }

  /** DN of a municipality's CRL distribution point (certificates.md §3). */
  crlPartitionName(purpose: CertificatePurpose, person: Pick<SyntheticPerson, 'municipality'>): NameParts {
    return [
      ['C', 'JP'],
      ['O', TEST_ORGANIZATION],
      ['OU', PURPOSE_UNIT[purpose]],
      ['OU', 'CRL Distribution Points'],
      ['OU', person.municipality.prefectureRomaji],
      ['CN', `${person.municipality.cityRomaji} CRLDP`],
    ];
  }

  /** Default notAfter: the 5th birthday after issuance, 23:59:59 JST. */
  static defaultNotAfter(birthDate: string, issuedAt: Date): Date {
    const day = nthBirthdayAfter(birthDate, yyyymmdd(issuedAt), VALIDITY_BIRTHDAYS);
    return new Date(`${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}${JST_END_OF_DAY_UTC}`);
  }

  #issue(
    purpose: CertificatePurpose,
    person: SyntheticPerson,
    options: IssueOptions,
    subject: NameParts,
    extra: readonly Uint8Array[],
  ): EndEntityCertificate {
    if (!(options.issuedAt instanceof Date) || Number.isNaN(options.issuedAt.getTime())) {
      throw new TypeError('options.issuedAt must be a valid Date');
    }
    const ca = this.#root(purpose);
    const label = options.keyLabel ?? person.myNumber;
    const key = this.keyStore.rsaKey(this.seed, `${purpose}-ee:${label}`);
    const notBefore = options.issuedAt;
    const notAfter = options.notAfter ?? TestPki.defaultNotAfter(person.birthDate, notBefore);
    const serialNumber = this.#serial(`${purpose}-ee:${label}:${notBefore.toISOString()}`);
    const partition = encodeName(this.crlPartitionName(purpose, person));
    const policy = certificatePolicies(this.#policyOid(purpose), TEST_CPS_URI);
    const build = (compact: boolean, filler: number | undefined): Uint8Array =>
      buildCertificate({
        serialNumber,
        issuer: ca.name,
        subject: encodeName(subject),
        notBefore,
        notAfter,
        subjectPublicKey: key.publicKey,
        issuerPrivateKey: ca.privateKey,
        extensions: [
          extension(
            X509_OID.KEY_USAGE,
            true,
            keyUsage(
              purpose === 'sign'
                ? { digitalSignature: true, nonRepudiation: true }
                : { digitalSignature: true },
            ),
          ),
          // certificates.md §3: critical for the sign certificate; the auth column does not say.
          extension(X509_OID.CERTIFICATE_POLICIES, purpose === 'sign', policy),
          ...extra,
          ...(compact
            ? []
            : [
                extension(X509_OID.ISSUER_ALT_NAME, false, this.#alternativeName(purpose)),
                extension(X509_OID.CRL_DISTRIBUTION_POINTS, false, crlDistributionPoints(partition)),
              ]),
          extension(X509_OID.AUTHORITY_KEY_IDENTIFIER, false, authorityKeyIdentifier(ca.keyIdentifier)),
          extension(
            X509_OID.SUBJECT_KEY_IDENTIFIER,
            false,
            subjectKeyIdentifier(keyIdentifier(key.publicKey)),
          ),
          ...(filler === undefined ? [] : [extension(FILLER_EXTENSION_OID, false, new Uint8Array(filler))]),
        ],
      });
    const certificate =
      options.certificateLength === undefined
        ? build(false, undefined)
        : sized(build, options.certificateLength);
    return {
      purpose,
      certificate,
      privateKey: key.privateKey,
      publicKey: key.publicKey,
      serialNumber,
      subject,
      notBefore,
      notAfter,
      crlPartition: partition,
    };
  }

  /**
   * A 利用者証明用 certificate: subject C=JP, CN=<opaque id>, no personal data (certificates.md §3).
   *
   * @example
   * ```ts
   * pki.issueAuthCertificate(person, { issuedAt }).certificate;
   * ```
   */
  issueAuthCertificate(person: SyntheticPerson, options: IssueOptions): EndEntityCertificate {
    const random = new SeededRandom(this.seed, `auth-cn:${options.keyLabel ?? person.myNumber}`);
    const hex = [...random.bytes(4)]
      .map((byte) => byte.toString(16).padStart(2, '0'))
      .join('')
      .toUpperCase();
    const letters = [...random.bytes(6)].map((byte) => String.fromCharCode(0x41 + (byte % 26))).join('');
    const commonName = `${hex}${letters}${person.municipality.code}${random.digits(3)}A`;
    return this.#issue(
      'auth',
      person,
      options,
      [
        ['C', 'JP'],
        ['CN', commonName],
      ],
      [],
    );
  }

  /**
   * A 署名用 certificate: subject C=JP, L=<prefecture>, L=<city>, CN=<request time + sequence +
   * window>; subjectAltName otherNames 5.5.1–5.5.6 (name, substitute maps, gender, EYYYYMMDD
   * birth, address) (certificates.md §3).
   *
   * @example
   * ```ts
   * pki.issueSignCertificate(person, { issuedAt }).certificate;
   * ```
   */
  issueSignCertificate(person: SyntheticPerson, options: IssueOptions): EndEntityCertificate {
    this.#jis ??= new JisX0208();
    const jis = this.#jis;
    const requestTime = options.issuedAt.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const sequence = new SeededRandom(this.seed, `sign-cn:${options.keyLabel ?? person.myNumber}`).digits(5);
    const subject: NameParts = [
      ['C', 'JP'],
      ['L', person.municipality.prefectureRomaji],
      ['L', person.municipality.cityRomaji],
      ['CN', `${requestTime}${sequence}${person.municipality.code}001`],
    ];
    const san = generalNames(
      otherNameUtf8(JPKI_OID.SAN_NAME, person.name),
      otherNameUtf8(JPKI_OID.SAN_NAME_SUBSTITUTION, jis.substitutionMap(person.name)),
      otherNameUtf8(JPKI_OID.SAN_GENDER, certificateSexCode(person.sex)),
      otherNameUtf8(JPKI_OID.SAN_BIRTH_DATE, certificateBirthDate(person.birthDate)),
      otherNameUtf8(JPKI_OID.SAN_ADDRESS, person.address),
      otherNameUtf8(JPKI_OID.SAN_ADDRESS_SUBSTITUTION, jis.substitutionMap(person.address)),
    );
    return this.#issue('sign', person, options, subject, [extension(X509_OID.SUBJECT_ALT_NAME, false, san)]);
  }
}
