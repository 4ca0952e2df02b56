/**
 * `kakunin verify-cert FILE [--purpose auth|sign] [--trust DIR] [--test-trust DIR] [--crl FILE]…
 * [--at ISO] [--revocation required|delegated] [--json]`
 *
 * Validates a JPKI certificate (DER or PEM) in the documented order (certificates.md §5) and
 * prints every check, the days until expiry and the remedy. The J-LIS roots come from the
 * registry compiled into @kakunin/core plus the roots added with `kakunin trust add` (no
 * directory needed); `--trust DIR` adds certificates (and is the trust for non-JPKI chains).
 * Without `--purpose` the purpose is taken from the issuer DN; a certificate that is not
 * JPKI-issued is validated as a general RFC 5280 chain (FILE may hold the leaf followed by
 * intermediates) against the `--trust` certificates. Exit 0 when valid, 6 otherwise.
 * `--revocation required` (default): revocation UNKNOWN fails (exit 6); `delegated`: revocation
 * is left to the qualification service (the status stays UNKNOWN, never GOOD, and says so);
 * `--allow-revocation-unknown` is the old spelling of `delegated`. File inputs are capped in
 * size while reading and must be regular files (INPUT_REJECTED, exit 2).
 */
import * as nodeCrypto from 'node:crypto';
import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { remedyCatalog } from '@kakunin/core/remedies';
import { CardError } from '@kakunin/core/transport';
import { loadJpkiTrustStore } from '@kakunin/core/trust-store';
import {
  type Certificate,
  createCrlRevocationSource,
  createNodeCryptoVerifier,
  decodePemBlocks,
  isPemText,
  type JpkiPurpose,
  type JpkiValidationResult,
  jpkiRootName,
  Name,
  type PathValidationResult,
  parseCertificate,
  parseCrl,
  parseCrlStream,
  validateJpkiCertificate,
  validatePath,
  X509ErrorCode,
} from '@kakunin/core/x509';
import { type CliIo, type CommandModule, EXIT, UsageError, writeLine } from '../context.js';
import {
  MAX_CERTIFICATE_FILE_BYTES,
  MAX_CRL_FILE_BYTES,
  MAX_ROOT_FILE_BYTES,
  readBoundedFile,
} from './bounded-read.js';

/** File extensions read from a trust directory. */
const TRUST_FILE = /\.(pem|crt|cer|der)$/i;
/** Check outcome marks for the text output. */
const MARKS: Readonly<Record<string, string>> = { pass: '✓', fail: '✗', skip: '–', unknown: '?' };

async function readCertificates(path: string, signal: AbortSignal): Promise<Certificate[]> {
  const bytes = await readBoundedFile(path, { maxBytes: MAX_ROOT_FILE_BYTES, signal });
  if (!isPemText(bytes)) return [parseCertificate(bytes)];
  return decodePemBlocks(bytes)
    .filter((block) => block.label === 'CERTIFICATE')
    .map((block) => parseCertificate(block.der));
}

async function readTrustDirectory(directory: string, io: CliIo, signal: AbortSignal): Promise<Certificate[]> {
  const out: Certificate[] = [];
  for (const entry of (await readdir(directory)).sort()) {
    if (!TRUST_FILE.test(entry)) continue;
    try {
      out.push(...(await readCertificates(join(directory, entry), signal)));
    } catch (error) {
      // A device, FIFO or oversized file in the trust directory is refused outright.
      if (CardError.isInstance(error, X509ErrorCode.INPUT_REJECTED)) throw error;
      writeLine(io.stderr, `警告 / warning: ${entry}: ${(error as Error).message}`);
    }
  }
  return out;
}

async function readCrlFile(file: string, signal: AbortSignal) {
  const handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  let streaming = false;
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > MAX_CRL_FILE_BYTES) {
      await handle.close();
      // Let the bounded reader produce the typed INPUT_REJECTED error.
      return parseCrl(await readBoundedFile(file, { maxBytes: MAX_CRL_FILE_BYTES, signal }));
    }
    const probe = new Uint8Array(16);
    await handle.read(probe, 0, probe.length, 0);
    if (isPemText(probe))
      return parseCrl(await readBoundedFile(file, { maxBytes: MAX_CRL_FILE_BYTES, signal }));
    // DER CRLs may be large: parsed while they stream in, bounded by the outer DER length.
    streaming = true;
    return await parseCrlStream(handle.createReadStream({ start: 0, signal, autoClose: true }), {
      signal,
      maxSize: MAX_CRL_FILE_BYTES,
    });
  } finally {
    if (!streaming) await handle.close().catch(() => undefined);
  }
}

function printRemedy(io: CliIo, key: keyof typeof remedyCatalog | undefined): void {
  if (key === undefined) return;
  const remedy = remedyCatalog[key];
  writeLine(io.stdout, `対処 / remedy [${key}]: ${remedy.title.ja} / ${remedy.title.en}`);
  writeLine(io.stdout, `  ${remedy.action.ja}`);
  writeLine(io.stdout, `  ${remedy.action.en}`);
}

function jpkiJson(result: JpkiValidationResult, revocationPolicy: RevocationPolicy) {
  return {
    kind: 'jpki',
    status: result.status,
    valid: result.valid,
    purpose: result.purpose,
    code: result.code ?? null,
    message: result.message ?? null,
    remedy: result.remedy ?? null,
    checks: result.checks,
    subject: result.certificate?.subject.toString() ?? null,
    serialNumber: result.certificate?.serialNumberHex ?? null,
    notBefore: result.notBefore?.toISOString() ?? null,
    notAfter: result.notAfter?.toISOString() ?? null,
    daysUntilExpiry: result.daysUntilExpiry ?? null,
    expiringSoon: result.expiringSoon,
    testHierarchy: result.testHierarchy,
    issuingRoot:
      result.issuingRoot === undefined
        ? null
        : {
            subject: result.issuingRoot.subject.toString(),
            serialNumber: result.issuingRoot.serialNumberHex,
            notAfter: result.issuingRoot.notAfter.toISOString(),
          },
    revocation: result.revocation ?? null,
    revocationPolicy,
    revocationDelegated: revocationPolicy === 'delegated' && result.status === 'revocation-unknown',
    missingTrustAnchor:
      result.missingTrustAnchor === undefined
        ? null
        : {
            id: result.missingTrustAnchor.id,
            generation: result.missingTrustAnchor.generation,
            serial: result.missingTrustAnchor.serial,
            file: result.missingTrustAnchor.file,
          },
    holderAttributes: result.holder !== undefined,
    validatedAt: result.validatedAt.toISOString(),
  };
}

function pathJson(result: PathValidationResult, time: Date) {
  return {
    kind: 'rfc5280',
    status: result.valid ? 'valid' : 'invalid',
    valid: result.valid,
    code: result.code ?? null,
    message: result.message ?? null,
    remedy: result.remedy ?? null,
    failures: result.failures,
    findings: result.findings,
    chain: result.chain.map((certificate) => ({
      subject: certificate.subject.toString(),
      serialNumber: certificate.serialNumberHex,
      notAfter: certificate.notAfter.toISOString(),
    })),
    revocation: result.revocation,
    validatedAt: time.toISOString(),
  };
}

function purposeOf(certificate: Certificate): JpkiPurpose | undefined {
  if (certificate.issuer.equals(new Name(jpkiRootName('auth')))) return 'auth';
  if (certificate.issuer.equals(new Name(jpkiRootName('sign')))) return 'sign';
  const units = certificate.issuer.getAll('2.5.4.11');
  if (units.includes('JPKI for user authentication')) return 'auth';
  if (units.includes('JPKI for digital signature')) return 'sign';
  return undefined;
}

type RevocationPolicy = 'required' | 'delegated';

const command: CommandModule = {
  summary: '証明書の検証 / validate a JPKI (or any X.509) certificate',
  usage:
    'kakunin verify-cert FILE [--purpose auth|sign] [--trust DIR] [--test-trust DIR] [--crl FILE]... [--at ISO] [--revocation required|delegated] [--json]',
  options: {
    purpose: { type: 'string' },
    trust: { type: 'string' },
    'test-trust': { type: 'string' },
    crl: { type: 'string', multiple: true },
    at: { type: 'string' },
    'allow-revocation-unknown': { type: 'boolean' },
    revocation: { type: 'string' },
  },
  async run({ io, values, positionals, signal }) {
    if (positionals.length !== 1) throw new UsageError(this.usage);
    const purposeOption = values.purpose as string | undefined;
    if (purposeOption !== undefined && purposeOption !== 'auth' && purposeOption !== 'sign')
      throw new UsageError('--purpose must be auth or sign');
    const atOption = values.at as string | undefined;
    const time = atOption === undefined ? new Date() : new Date(atOption);
    if (Number.isNaN(time.getTime())) throw new UsageError(`--at: not an ISO date: ${atOption}`);
    const revocationOption = values.revocation as string | undefined;
    if (revocationOption !== undefined && revocationOption !== 'required' && revocationOption !== 'delegated')
      throw new UsageError('--revocation must be required or delegated');
    const revocationPolicy: RevocationPolicy =
      (revocationOption as RevocationPolicy | undefined) ??
      (values['allow-revocation-unknown'] === true ? 'delegated' : 'required');
    const trustDirectory = (values.trust as string | undefined) ?? io.env.KAKUNIN_TRUST_DIR;
    const trust = trustDirectory === undefined ? [] : await readTrustDirectory(trustDirectory, io, signal);
    const testDirectory = values['test-trust'] as string | undefined;
    const testTrust = testDirectory === undefined ? [] : await readTrustDirectory(testDirectory, io, signal);
    const crls = [];
    // PEM CRLs are small; DER ones may be huge and are parsed while they stream in.
    for (const file of (values.crl as string[] | undefined) ?? []) crls.push(await readCrlFile(file, signal));
    const verifier = createNodeCryptoVerifier(nodeCrypto);
    const json = values.json === true;

    const fileBytes = await readBoundedFile(positionals[0]!, {
      maxBytes: MAX_CERTIFICATE_FILE_BYTES,
      signal,
    });
    const certificates = isPemText(fileBytes)
      ? decodePemBlocks(fileBytes)
          .filter((block) => block.label === 'CERTIFICATE')
          .map((block) => block.der)
      : [fileBytes];
    if (certificates.length === 0) throw new UsageError(`${positionals[0]}: no certificate found`);
    let purpose = purposeOption as JpkiPurpose | undefined;
    if (purpose === undefined) {
      try {
        purpose = purposeOf(parseCertificate(certificates[0]!));
      } catch {
        purpose = 'auth'; // unparseable input: let the JPKI validator report the DER problem.
      }
    }

    if (purpose !== undefined) {
      // The compiled-in J-LIS registry plus `kakunin trust add` roots, plus any --trust certificates.
      const store = await loadJpkiTrustStore({ env: io.env, verifier });
      for (const skipped of store.skipped)
        writeLine(io.stderr, `警告 / warning: ${store.directory}: ${skipped.file}: ${skipped.reason}`);
      const result = await validateJpkiCertificate(certificates[0]!, {
        purpose,
        trustAnchors: [...store.anchors, ...trust],
        testAnchors: testTrust,
        time,
        verifier,
        revocation: revocationPolicy,
        ...(crls.length === 0 ? {} : { revocationSource: createCrlRevocationSource(crls, { verifier }) }),
        signal,
      });
      const delegated = result.acceptable && !result.valid;
      const ok = result.acceptable;
      if (json) writeLine(io.stdout, JSON.stringify(jpkiJson(result, revocationPolicy), null, 2));
      else {
        writeLine(
          io.stdout,
          `JPKI ${purpose === 'auth' ? '利用者証明用 / auth' : '署名用 / sign'}: ${result.status}`,
        );
        if (result.certificate !== undefined)
          writeLine(io.stdout, `subject: ${result.certificate.subject.toString()}`);
        for (const check of result.checks)
          writeLine(
            io.stdout,
            `  ${MARKS[check.outcome]} ${check.id}: ${check.message}${check.code === undefined ? '' : ` [${check.code}]`}`,
          );
        if (result.daysUntilExpiry !== undefined)
          writeLine(
            io.stdout,
            `有効期限まで / days until expiry: ${result.daysUntilExpiry} (${result.notAfter?.toISOString()})`,
          );
        if (delegated)
          writeLine(
            io.stdout,
            '失効確認: 資格確認サービスに委任 (未確認) / revocation: delegated to the qualification service (not checked here)',
          );
        else printRemedy(io, result.remedy);
      }
      return ok ? EXIT.OK : EXIT.VALIDATION_FAILED;
    }

    const result = await validatePath(certificates[0]!, {
      trustAnchors: trust,
      intermediates: certificates.slice(1),
      time,
      verifier,
      ...(crls.length === 0 ? {} : { crls }),
      ...(revocationOption === undefined ? {} : { revocation: revocationPolicy }),
      signal,
    });
    const ok = result.valid;
    if (json) writeLine(io.stdout, JSON.stringify(pathJson(result, time), null, 2));
    else {
      writeLine(io.stdout, `RFC 5280: ${ok ? 'valid' : 'invalid'}`);
      for (const [index, certificate] of result.chain.entries())
        writeLine(io.stdout, `  [${index}] ${certificate.subject.toString()}`);
      for (const failure of result.failures)
        writeLine(
          io.stdout,
          `  ✗ ${failure.code}: ${failure.message}${failure.certificateIndex === undefined ? '' : ` (certificate ${failure.certificateIndex})`}`,
        );
      for (const finding of result.findings)
        writeLine(
          io.stdout,
          `  ! 指摘 / finding (${finding.rule}): ${finding.message} (certificate ${finding.certificateIndex})`,
        );
      printRemedy(io, result.remedy);
    }
    return ok ? EXIT.OK : EXIT.VALIDATION_FAILED;
  },
};
export default command;
