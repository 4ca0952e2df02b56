/**
 * The JPKI trust-anchor registry compiled into `@kakunin/core`: every J-LIS root generation per
 * purpose (2015, 2019, 2023; all generations of a purpose share one subject name) with its serial,
 * validity and — where the file is embedded — its SHA-256 fingerprint and PEM. Validation uses
 * the embedded roots by default; nothing is read from disk here (der/x509 do no I/O).
 *
 * A root that is not embedded (the 2019 generation: its files could not be obtained when the
 * registry was built) can be added by an operator. {@link checkJpkiRootCandidate} accepts it only
 * if it is self-signed, carries J-LIS's subject, matches a known generation's serial and validity
 * and its SHA-256 equals the fingerprint the operator read off J-LIS's page (`--fingerprint`).
 * Embedded generations are pinned by fingerprint: a different file claiming to be one of them is
 * refused. {@link createJpkiTrustStore} combines the embedded roots with such additions.
 *
 * @example
 * ```ts
 * const store = createJpkiTrustStore();           // the embedded roots
 * store.missing.map((root) => root.id);           // ['authca02', 'signca02']
 * await validateJpkiCertificate(der, { purpose: 'auth' }); // uses the embedded roots by default
 * ```
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '../../transport/hex.js';
import { type Certificate, parseCertificate } from '../certificate.js';
import { type JpkiPurpose, jpkiRootName } from '../jpki-profile.js';
import { Name } from '../name.js';
import { isPemText, pemToDer } from '../pem.js';
import { createWebCryptoVerifier, type SignatureVerifier, verifyCertificateSignature } from '../signature.js';
import {
  AUTH_CA_2015_PEM,
  AUTH_CA_2023_PEM,
  SIGN_CA_2015_PEM,
  SIGN_CA_2023_PEM,
} from './jpki-root-certificates.js';

export type JpkiRootGenerationYear = 2015 | 2019 | 2023;

/** One J-LIS root (one purpose, one generation). */
export interface JpkiRootGeneration {
  /** J-LIS's name for the root: `authca01` … `signca03`. */
  readonly id: string;
  readonly purpose: JpkiPurpose;
  readonly generation: JpkiRootGenerationYear;
  /** Serial number, upper-case hex as J-LIS prints it. */
  readonly serial: string;
  /** Validity start: an ISO instant when the file is known, else the published day (JST). */
  readonly notBefore: string;
  /** Validity end: an ISO instant when the file is known, else the published day (JST). */
  readonly notAfter: string;
  /** SHA-256 of the DER (upper-case hex, no separators); undefined when not embedded. */
  readonly sha256: string | undefined;
  /** The embedded certificate, undefined when the registry knows only the facts. */
  readonly pem: string | undefined;
  /** The file J-LIS's CA page (https://www.jpki.go.jp/ca/) offers for this root. */
  readonly file: string;
  /**
   * Certificates whose notBefore falls in [issuedFrom, issuedUntil) were issued under this root
   * (the next generation took over at issuedUntil).
   */
  readonly issuedFrom: string;
  readonly issuedUntil: string | undefined;
}

/** Longest validity of a JPKI end-entity certificate (auth: 5 years + the birthday margin). */
const MAX_END_ENTITY_YEARS = 5;

/**
 * Every J-LIS root generation (certificates.md §2.1; the 2019 facts from J-LIS's CA page).
 * Issuing periods: 2015 until the 2019 roots' start, 2019 until the 2023 roots' start.
 */
export const JPKI_ROOT_GENERATIONS: readonly JpkiRootGeneration[] = [
  {
    id: 'authca01',
    purpose: 'auth',
    generation: 2015,
    serial: '01',
    notBefore: '2015-10-20T03:08:13Z',
    notAfter: '2025-10-19T14:59:59Z',
    sha256: '4DCFC4CA0AAF9FB2A3081B3F0C991C320B3ACC008667A341EEAEC5AF1D58CA7D',
    pem: AUTH_CA_2015_PEM,
    file: 'authca01.cer',
    issuedFrom: '2015-10-20T00:00:00+09:00',
    issuedUntil: '2019-09-14T00:00:00+09:00',
  },
  {
    id: 'signca01',
    purpose: 'sign',
    generation: 2015,
    serial: '01',
    notBefore: '2015-10-20T02:40:28Z',
    notAfter: '2025-10-19T14:59:59Z',
    sha256: '19645405A1FE14377434BD55957628AC4038557C542403A2243F21C706FC9355',
    pem: SIGN_CA_2015_PEM,
    file: 'signca01.cer',
    issuedFrom: '2015-10-20T00:00:00+09:00',
    issuedUntil: '2019-09-14T00:00:00+09:00',
  },
  {
    id: 'authca02',
    purpose: 'auth',
    generation: 2019,
    serial: '0133C349',
    notBefore: '2019-09-14',
    notAfter: '2029-09-14',
    sha256: undefined,
    pem: undefined,
    file: 'authca02.cer',
    issuedFrom: '2019-09-14T00:00:00+09:00',
    issuedUntil: '2023-07-16T00:00:00+09:00',
  },
  {
    id: 'signca02',
    purpose: 'sign',
    generation: 2019,
    serial: '0132C4AB',
    notBefore: '2019-09-14',
    notAfter: '2029-09-14',
    sha256: undefined,
    pem: undefined,
    file: 'signca02.cer',
    issuedFrom: '2019-09-14T00:00:00+09:00',
    issuedUntil: '2023-07-16T00:00:00+09:00',
  },
  {
    id: 'authca03',
    purpose: 'auth',
    generation: 2023,
    serial: '06D18006',
    notBefore: '2023-07-16T01:01:04Z',
    notAfter: '2033-07-15T14:59:59Z',
    sha256: '64114F29620C24ED2631D46476A040E7EE740D956089C00B036A6A8118C322B5',
    pem: AUTH_CA_2023_PEM,
    file: 'authca03.cer',
    issuedFrom: '2023-07-16T00:00:00+09:00',
    issuedUntil: undefined,
  },
  {
    id: 'signca03',
    purpose: 'sign',
    generation: 2023,
    serial: '067C6A21',
    notBefore: '2023-07-16T00:50:27Z',
    notAfter: '2033-07-15T14:59:59Z',
    sha256: 'D227F6CDE11D35C5252178F106F843D24651944975413B539FA2FB68DBFA365F',
    pem: SIGN_CA_2023_PEM,
    file: 'signca03.cer',
    issuedFrom: '2023-07-16T00:00:00+09:00',
    issuedUntil: undefined,
  },
];

/** Where a root in a trust store came from. */
export type JpkiRootSource = 'built-in' | 'added';

/** A root of a {@link JpkiTrustStore}. */
export interface InstalledJpkiRoot {
  readonly generation: JpkiRootGeneration;
  readonly certificate: Certificate;
  readonly sha256: string;
  readonly source: JpkiRootSource;
}

/** The roots validation trusts: the embedded ones plus operator-added ones that passed the checks. */
export interface JpkiTrustStore {
  readonly roots: readonly InstalledJpkiRoot[];
  /** The certificates of {@link roots}, for `trustAnchors`. */
  readonly anchors: readonly Certificate[];
  /** Known generations without an installed root. */
  readonly missing: readonly JpkiRootGeneration[];
  /** Added roots that were refused (with the reason). */
  readonly rejected: readonly { readonly label: string; readonly code: string; readonly reason: string }[];
}

const JST_OFFSET_MS = 9 * 3_600_000;

/** SHA-256 fingerprint of `der`, upper-case hex without separators. */
export function sha256Fingerprint(der: Uint8Array): string {
  return bytesToHex(sha256(der)).toUpperCase();
}

/**
 * Normalises a fingerprint as printed (`4D:CF:…`, `4dcf…`, with spaces) to upper-case hex, or
 * undefined when it is not 64 hex digits.
 */
export function normalizeFingerprint(text: string): string | undefined {
  if (typeof text !== 'string') return undefined;
  const hex = text.replace(/[\s:]/g, '').toUpperCase();
  return /^[0-9A-F]{64}$/.test(hex) ? hex : undefined;
}

function dayMatches(instant: number, published: string): boolean {
  if (published.length > 10) return Math.floor(instant / 1000) * 1000 === Date.parse(published);
  const utcDay = new Date(instant).toISOString().slice(0, 10);
  const jstDay = new Date(instant + JST_OFFSET_MS).toISOString().slice(0, 10);
  return utcDay === published || jstDay === published;
}

function serialOf(certificate: Certificate): string {
  return certificate.serialNumberHex.toUpperCase().replace(/^0+(?=.)/, '');
}

let builtIn: InstalledJpkiRoot[] | undefined;

/**
 * The embedded roots (parsed once, on first use).
 *
 * @example
 * ```ts
 * builtInJpkiRoots().map((root) => root.generation.id); // ['authca01', 'signca01', 'authca03', 'signca03']
 * ```
 */
export function builtInJpkiRoots(): readonly InstalledJpkiRoot[] {
  builtIn ??= JPKI_ROOT_GENERATIONS.filter((generation) => generation.pem !== undefined).map((generation) => {
    const certificate = parseCertificate(generation.pem!);
    return {
      generation,
      certificate,
      sha256: sha256Fingerprint(certificate.der),
      source: 'built-in' as const,
    };
  });
  return builtIn;
}

/** Why a candidate root was refused (`code` is stable). */
export type JpkiRootRefusal =
  | 'NOT_A_CERTIFICATE'
  | 'NOT_JLIS_SUBJECT'
  | 'NOT_SELF_SIGNED'
  | 'UNKNOWN_GENERATION'
  | 'FINGERPRINT_REQUIRED'
  | 'FINGERPRINT_MISMATCH';

export type JpkiRootCandidateResult =
  | {
      readonly ok: true;
      readonly generation: JpkiRootGeneration;
      readonly certificate: Certificate;
      readonly sha256: string;
    }
  | {
      readonly ok: false;
      readonly code: JpkiRootRefusal;
      readonly reason: string;
      /** The file's SHA-256 when it could be computed (shown to the operator to compare). */
      readonly sha256: string | undefined;
      readonly generation?: JpkiRootGeneration;
    };

export interface JpkiRootCandidateOptions {
  /** The SHA-256 the operator read off J-LIS's page (any common spelling). Required to accept. */
  readonly fingerprint?: string;
  readonly verifier?: SignatureVerifier;
}

/**
 * Checks a root file an operator wants to add: self-signed (its own key verifies it), J-LIS's
 * subject, a known generation's serial and validity, the pinned fingerprint for embedded
 * generations, and SHA-256 equal to `options.fingerprint`.
 *
 * @example
 * ```ts
 * const result = await checkJpkiRootCandidate(fileBytes, { fingerprint: '12:AB:…' });
 * if (!result.ok) console.log(result.code, result.sha256);
 * ```
 */
export async function checkJpkiRootCandidate(
  input: Uint8Array | string,
  options: JpkiRootCandidateOptions = {},
): Promise<JpkiRootCandidateResult> {
  let certificate: Certificate;
  let der: Uint8Array;
  try {
    der =
      typeof input === 'string' || isPemText(input)
        ? pemToDer(input, 'CERTIFICATE', { maxSize: 16 * 1024 })
        : input;
    certificate = parseCertificate(der).decodeAll();
  } catch (error) {
    return {
      ok: false,
      code: 'NOT_A_CERTIFICATE',
      reason: `not a certificate: ${(error as Error).message}`,
      sha256: undefined,
    };
  }
  const fingerprint = sha256Fingerprint(certificate.der);
  const refuse = (code: JpkiRootRefusal, reason: string, generation?: JpkiRootGeneration) =>
    ({
      ok: false,
      code,
      reason,
      sha256: fingerprint,
      ...(generation === undefined ? {} : { generation }),
    }) as const;
  const purpose: JpkiPurpose | undefined = certificate.subject.equals(new Name(jpkiRootName('auth')))
    ? 'auth'
    : certificate.subject.equals(new Name(jpkiRootName('sign')))
      ? 'sign'
      : undefined;
  if (purpose === undefined || !certificate.issuer.equals(certificate.subject))
    return refuse('NOT_JLIS_SUBJECT', `subject ${certificate.subject.toString()} is not a J-LIS root name`);
  const serial = serialOf(certificate);
  const generation = JPKI_ROOT_GENERATIONS.find(
    (candidate) =>
      candidate.purpose === purpose &&
      candidate.serial.replace(/^0+(?=.)/, '') === serial &&
      dayMatches(certificate.notBeforeTime, candidate.notBefore) &&
      dayMatches(certificate.notAfterTime, candidate.notAfter),
  );
  if (generation === undefined)
    return refuse(
      'UNKNOWN_GENERATION',
      `serial ${serial}, valid ${certificate.notBefore.toISOString()} – ${certificate.notAfter.toISOString()}: no known J-LIS ${purpose} root generation`,
    );
  let selfSigned = false;
  try {
    selfSigned = await verifyCertificateSignature(
      certificate,
      certificate.publicKeyInfo,
      options.verifier ?? createWebCryptoVerifier(),
    );
  } catch {
    selfSigned = false;
  }
  if (!selfSigned)
    return refuse('NOT_SELF_SIGNED', 'the certificate is not signed by its own key', generation);
  if (generation.sha256 !== undefined && generation.sha256 !== fingerprint)
    return refuse(
      'FINGERPRINT_MISMATCH',
      `SHA-256 ${fingerprint} differs from the pinned ${generation.id} fingerprint ${generation.sha256}`,
      generation,
    );
  if (options.fingerprint === undefined)
    return refuse(
      'FINGERPRINT_REQUIRED',
      `compare SHA-256 ${fingerprint} with the fingerprint J-LIS publishes for ${generation.id} and pass it`,
      generation,
    );
  const expected = normalizeFingerprint(options.fingerprint);
  if (expected !== fingerprint)
    return refuse(
      'FINGERPRINT_MISMATCH',
      `the file's SHA-256 ${fingerprint} differs from the given fingerprint ${options.fingerprint}`,
      generation,
    );
  return { ok: true, generation, certificate, sha256: fingerprint };
}

/** An operator-added root as stored: its bytes and the fingerprint confirmed at installation. */
export interface AddedJpkiRoot {
  /** Where it came from (a file name), for messages. */
  readonly label: string;
  readonly der: Uint8Array;
  /** The fingerprint the operator confirmed when adding it. */
  readonly fingerprint: string;
}

/**
 * The trust store: the embedded roots plus `added` ones, each re-checked with
 * {@link checkJpkiRootCandidate} against its recorded fingerprint (refused ones are listed).
 *
 * @example
 * ```ts
 * const store = await createJpkiTrustStore([{ label: 'authca02.pem', der, fingerprint }]);
 * store.missing; // generations still without a root
 * ```
 */
export async function createJpkiTrustStore(
  added: readonly AddedJpkiRoot[] = [],
  options: { readonly verifier?: SignatureVerifier } = {},
): Promise<JpkiTrustStore> {
  const roots: InstalledJpkiRoot[] = [...builtInJpkiRoots()];
  const rejected: { label: string; code: string; reason: string }[] = [];
  for (const entry of added) {
    const result = await checkJpkiRootCandidate(entry.der, {
      fingerprint: entry.fingerprint,
      ...(options.verifier === undefined ? {} : { verifier: options.verifier }),
    });
    if (!result.ok) {
      rejected.push({ label: entry.label, code: result.code, reason: result.reason });
      continue;
    }
    if (roots.some((root) => root.sha256 === result.sha256)) continue;
    roots.push({
      generation: result.generation,
      certificate: result.certificate,
      sha256: result.sha256,
      source: 'added',
    });
  }
  const missing = JPKI_ROOT_GENERATIONS.filter(
    (generation) => !roots.some((root) => root.generation.id === generation.id),
  );
  return { roots, anchors: roots.map((root) => root.certificate), missing, rejected };
}

/**
 * The generation that most likely issued an end-entity certificate of `purpose`, from its
 * notBefore (undefined before the first generation).
 *
 * @example
 * ```ts
 * likelyJpkiGeneration(certificate, 'auth')?.id; // 'authca02' for a certificate issued in 2021
 * ```
 */
export function likelyJpkiGeneration(
  certificate: Certificate,
  purpose: JpkiPurpose,
): JpkiRootGeneration | undefined {
  const issued = certificate.notBeforeTime;
  return JPKI_ROOT_GENERATIONS.find(
    (generation) =>
      generation.purpose === purpose &&
      issued >= Date.parse(generation.issuedFrom) &&
      (generation.issuedUntil === undefined || issued < Date.parse(generation.issuedUntil)),
  );
}

/**
 * Whether certificates issued under `generation` may still be valid at `time`: until the root
 * expires, and no later than 5 years after its issuing period ended.
 *
 * @example
 * ```ts
 * generationMayStillBeValid(authca02, new Date('2026-12-01')); // true
 * ```
 */
export function generationMayStillBeValid(generation: JpkiRootGeneration, time: Date): boolean {
  const rootEnd =
    generation.notAfter.length > 10
      ? Date.parse(generation.notAfter)
      : Date.parse(`${generation.notAfter}T23:59:59+09:00`);
  let end = rootEnd;
  if (generation.issuedUntil !== undefined) {
    const lastIssued = new Date(Date.parse(generation.issuedUntil));
    lastIssued.setUTCFullYear(lastIssued.getUTCFullYear() + MAX_END_ENTITY_YEARS);
    end = Math.min(end, lastIssued.getTime() + 86_400_000);
  }
  return time.getTime() <= end;
}
