/**
 * An x509-limbo harness for `@kakunin/core/x509` (test tooling; the CLI's `kakunin limbo` runs it) (C2SP/x509-limbo `harness/README.md`): runs every testcase of a limbo
 * JSON document through {@link validatePath} and returns a `LimboResult`. Hostname checks are
 * out of scope (expected peer names are ignored, not skipped); key usage, extended key usage,
 * maximum chain depth, validation time and CRLs are honoured.
 *
 * @example
 * ```ts
 * const limbo = JSON.parse(await readFile('limbo.json', 'utf8'));
 * const result = await runLimbo(limbo, { verifier: createNodeCryptoVerifier(nodeCrypto) });
 * console.log(JSON.stringify(result));
 * ```
 */
import { KEY_USAGE, type KeyUsageName, OID, type SignatureVerifier, validatePath } from '@kakunin/core/x509';

export type LimboActualResult = 'SUCCESS' | 'FAILURE' | 'SKIPPED';

export interface LimboCaseResult {
  readonly id: string;
  readonly actual_result: LimboActualResult;
  readonly context: string;
}

export interface LimboResult {
  readonly version: 1;
  readonly harness: string;
  readonly results: readonly LimboCaseResult[];
}

/** The testcase fields the harness reads (limbo-schema.json). */
export interface LimboTestcase {
  readonly id: string;
  readonly features?: readonly string[];
  readonly trusted_certs: readonly string[];
  readonly untrusted_intermediates: readonly string[];
  readonly peer_certificate: string;
  readonly validation_time?: string | null;
  readonly key_usage?: readonly string[];
  readonly extended_key_usage?: readonly string[];
  readonly max_chain_depth?: number | null;
  readonly crls?: readonly string[];
  readonly expected_result?: 'SUCCESS' | 'FAILURE';
}

export interface RunLimboOptions {
  readonly verifier?: SignatureVerifier;
  /** Time used for cases without `validation_time` (default: now). */
  readonly now?: Date;
  /** Harness name in the result (default "kakunin"). */
  readonly harness?: string;
}

/** Limbo KeyUsage names → ours (limbo uses the RFC 5280 names; contentCommitment = nonRepudiation). */
const KEY_USAGE_NAMES: Readonly<Record<string, KeyUsageName>> = {
  digitalSignature: 'digitalSignature',
  contentCommitment: 'nonRepudiation',
  nonRepudiation: 'nonRepudiation',
  keyEncipherment: 'keyEncipherment',
  dataEncipherment: 'dataEncipherment',
  keyAgreement: 'keyAgreement',
  keyCertSign: 'keyCertSign',
  cRLSign: 'cRLSign',
  encipherOnly: 'encipherOnly',
  decipherOnly: 'decipherOnly',
};
/** Limbo KnownEKUs → OIDs (RFC 5280 §4.2.1.12). */
const EKU_OIDS: Readonly<Record<string, string>> = {
  anyExtendedKeyUsage: OID.anyExtendedKeyUsage,
  serverAuth: OID.serverAuth,
  clientAuth: OID.clientAuth,
  codeSigning: OID.codeSigning,
  emailProtection: OID.emailProtection,
  timeStamping: OID.timeStamping,
  OCSPSigning: OID.ocspSigning,
};

/**
 * Runs one limbo testcase.
 *
 * @example
 * ```ts
 * const { actual_result } = await runLimboTestcase(testcase, { verifier });
 * ```
 */
export async function runLimboTestcase(
  testcase: LimboTestcase,
  options: RunLimboOptions = {},
): Promise<LimboCaseResult> {
  const keyUsage: KeyUsageName[] = [];
  for (const name of testcase.key_usage ?? []) {
    const mapped = KEY_USAGE_NAMES[name];
    if (mapped === undefined || KEY_USAGE[mapped] === undefined)
      return { id: testcase.id, actual_result: 'SKIPPED', context: `unknown key usage ${name}` };
    keyUsage.push(mapped);
  }
  const extendedKeyUsage: string[] = [];
  for (const name of testcase.extended_key_usage ?? []) {
    const oid = EKU_OIDS[name] ?? (/^[0-9.]+$/.test(name) ? name : undefined);
    if (oid === undefined)
      return { id: testcase.id, actual_result: 'SKIPPED', context: `unknown extended key usage ${name}` };
    extendedKeyUsage.push(oid);
  }
  const time =
    testcase.validation_time === undefined || testcase.validation_time === null
      ? (options.now ?? new Date())
      : new Date(testcase.validation_time);
  if (Number.isNaN(time.getTime()))
    return { id: testcase.id, actual_result: 'SKIPPED', context: 'unparseable validation_time' };
  const result = await validatePath(testcase.peer_certificate, {
    trustAnchors: testcase.trusted_certs,
    intermediates: testcase.untrusted_intermediates,
    time,
    ...(options.verifier === undefined ? {} : { verifier: options.verifier }),
    ...(keyUsage.length === 0 ? {} : { keyUsage }),
    ...(extendedKeyUsage.length === 0 ? {} : { extendedKeyUsage }),
    ...(testcase.max_chain_depth === undefined || testcase.max_chain_depth === null
      ? {}
      : { maxIntermediates: testcase.max_chain_depth }),
    ...(testcase.crls === undefined || testcase.crls.length === 0 ? {} : { crls: testcase.crls }),
    // Limbo's server validation is the Web PKI profile; its `pedantic-rfc5280` cases also hold
    // trust anchors to every RFC 5280 CA rule.
    conformance: (testcase.features ?? []).includes('pedantic-rfc5280') ? 'strict' : 'webpki',
  });
  if (result.valid) {
    // CA-conformance findings (RFC 5280 §4 rules on issuing CAs) are reported, never a failure
    // (issue 14 seen-3): kept apart from the verdict, in the context.
    const findings = result.findings.map(
      (finding) =>
        `${finding.code} ${finding.rule} (certificate ${finding.certificateIndex}): ${finding.message}`,
    );
    return {
      id: testcase.id,
      actual_result: 'SUCCESS',
      context: `chain of ${result.chain.length}${findings.length === 0 ? '' : `; findings: ${findings.join('; ')}`}`,
    };
  }
  const first = result.failures[0];
  const where = first?.certificateIndex === undefined ? '' : ` (certificate ${first.certificateIndex})`;
  return { id: testcase.id, actual_result: 'FAILURE', context: `${result.code}: ${result.message}${where}` };
}

/**
 * Runs a whole limbo document (`{ version: 1, testcases: [...] }`).
 *
 * @example
 * ```ts
 * const result = await runLimbo(JSON.parse(text));
 * ```
 */
export async function runLimbo(limbo: unknown, options: RunLimboOptions = {}): Promise<LimboResult> {
  const document = limbo as { version?: unknown; testcases?: unknown };
  if (typeof document !== 'object' || document === null || !Array.isArray(document.testcases))
    throw new TypeError('runLimbo: expected a limbo document { version, testcases: [...] }');
  if (document.version !== 1)
    throw new RangeError(`runLimbo: unsupported limbo version ${String(document.version)}`);
  const results: LimboCaseResult[] = [];
  for (const testcase of document.testcases as LimboTestcase[]) {
    try {
      results.push(await runLimboTestcase(testcase, options));
    } catch (error) {
      results.push({
        id: String(testcase?.id),
        actual_result: 'FAILURE',
        context: `harness error: ${(error as Error).message}`,
      });
    }
  }
  return { version: 1, harness: options.harness ?? 'kakunin', results };
}
