/**
 * `kakunin verify-cert FILE [--purpose auth|sign] [--trust DIR] [--test-trust DIR] [--crl FILE]…
 * [--at ISO] [--allow-revocation-unknown] [--json]`
 *
 * Validates a JPKI certificate (DER or PEM) in the documented order (certificates.md §5) and
 * prints every check, the days until expiry and the remedy. Without `--purpose` the purpose
 * is taken from the issuer DN; a certificate that is not JPKI-issued is validated as a
 * general RFC 5280 chain (FILE may hold the leaf followed by intermediates) against the
 * `--trust` certificates. Exit 0 when valid, 6 otherwise (revocation UNKNOWN included, unless
 * `--allow-revocation-unknown`).
 */
import * as nodeCrypto from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { remedyCatalog } from '@kakunin/core/remedies';
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
} from '@kakunin/core/x509';
import { type CliIo, type CommandModule, EXIT, UsageError, writeLine } from '../context.js';

/** File extensions read from a trust directory. */
const TRUST_FILE = /\.(pem|crt|cer|der)$/i;
/** Check outcome marks for the text output. */
const MARKS: Readonly<Record<string, string>> = { pass: '✓', fail: '✗', skip: '–', unknown: '?' };

async function readCertificates(path: string, signal: AbortSignal): Promise<Certificate[]> {
  const bytes = new Uint8Array(await readFile(path, { signal }));
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
      writeLine(io.stderr, `警告 / warning: ${entry}: ${(error as Error).message}`);
    }
  }
  return out;
}

async function readCrlFile(file: string, signal: AbortSignal) {
  const handle = await open(file);
  try {
    const probe = new Uint8Array(16);
    await handle.read(probe, 0, probe.length, 0);
    if (isPemText(probe)) return parseCrl(new Uint8Array(await readFile(file, { signal })));
  } finally {
    await handle.close();
  }
  return parseCrlStream(createReadStream(file, { signal }), { signal });
}

function printRemedy(io: CliIo, key: keyof typeof remedyCatalog | undefined): void {
  if (key === undefined) return;
  const remedy = remedyCatalog[key];
  writeLine(io.stdout, `対処 / remedy [${key}]: ${remedy.title.ja} / ${remedy.title.en}`);
  writeLine(io.stdout, `  ${remedy.action.ja}`);
  writeLine(io.stdout, `  ${remedy.action.en}`);
}

function jpkiJson(result: JpkiValidationResult) {
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

const command: CommandModule = {
  summary: '証明書の検証 / validate a JPKI (or any X.509) certificate',
  usage:
    'kakunin verify-cert FILE [--purpose auth|sign] [--trust DIR] [--test-trust DIR] [--crl FILE]... [--at ISO] [--allow-revocation-unknown] [--json]',
  options: {
    purpose: { type: 'string' },
    trust: { type: 'string' },
    'test-trust': { type: 'string' },
    crl: { type: 'string', multiple: true },
    at: { type: 'string' },
    'allow-revocation-unknown': { type: 'boolean' },
  },
  async run({ io, values, positionals, signal }) {
    if (positionals.length !== 1) throw new UsageError(this.usage);
    const purposeOption = values.purpose as string | undefined;
    if (purposeOption !== undefined && purposeOption !== 'auth' && purposeOption !== 'sign')
      throw new UsageError('--purpose must be auth or sign');
    const atOption = values.at as string | undefined;
    const time = atOption === undefined ? new Date() : new Date(atOption);
    if (Number.isNaN(time.getTime())) throw new UsageError(`--at: not an ISO date: ${atOption}`);
    const trustDirectory = (values.trust as string | undefined) ?? io.env.KAKUNIN_TRUST_DIR;
    const trust = trustDirectory === undefined ? [] : await readTrustDirectory(trustDirectory, io, signal);
    const testDirectory = values['test-trust'] as string | undefined;
    const testTrust = testDirectory === undefined ? [] : await readTrustDirectory(testDirectory, io, signal);
    const crls = [];
    // PEM CRLs are small; DER ones may be huge and are parsed while they stream in.
    for (const file of (values.crl as string[] | undefined) ?? []) crls.push(await readCrlFile(file, signal));
    const verifier = createNodeCryptoVerifier(nodeCrypto);
    const json = values.json === true;
    const allowUnknown = values['allow-revocation-unknown'] === true;

    const fileBytes = new Uint8Array(await readFile(positionals[0]!, { signal }));
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
      const result = await validateJpkiCertificate(certificates[0]!, {
        purpose,
        trustAnchors: trust,
        testAnchors: testTrust,
        time,
        verifier,
        ...(crls.length === 0 ? {} : { revocation: createCrlRevocationSource(crls, { verifier }) }),
        signal,
      });
      const ok = result.valid || (allowUnknown && result.status === 'revocation-unknown');
      if (json) writeLine(io.stdout, JSON.stringify(jpkiJson(result), null, 2));
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
        printRemedy(io, result.remedy);
      }
      return ok ? EXIT.OK : EXIT.VALIDATION_FAILED;
    }

    const result = await validatePath(certificates[0]!, {
      trustAnchors: trust,
      intermediates: certificates.slice(1),
      time,
      verifier,
      ...(crls.length === 0 ? {} : { crls }),
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
      printRemedy(io, result.remedy);
    }
    return ok ? EXIT.OK : EXIT.VALIDATION_FAILED;
  },
};
export default command;
