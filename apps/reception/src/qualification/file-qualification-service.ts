/**
 * The second QualificationService adapter: the 資格確認端末's **file interface**. The app writes a
 * single-query XmlMsg into `<dir>/req/` and waits for the 連携アプリ's answer in `<dir>/res/`
 * (format: oqs-file-format.ts; confirmed vs inferred details: apps/reception/README.md).
 *
 * Robustness rules:
 * - write-then-rename both ways: a request is written under `<dir>/.kakunin-tmp/` and renamed into
 *   `req/`, so the 連携アプリ never sees half a file; an answer that does not parse yet (a writer that
 *   writes in place) is read again on the next poll, and only the timeout turns it into an error;
 * - the answer must be `OQSsiquc01res_<id>.xml` **and** carry `ArbitraryFileIdentifier` = `<id>`
 *   (a fresh random id per query), so a stale answer to an earlier, timed-out query or a duplicate
 *   can never be taken for this one; answers for ids this process gave up on or already consumed
 *   are deleted when seen; a consumed answer is deleted;
 * - timeout (default 30 s): the request is withdrawn from `req/` if still there, and the query
 *   fails with `OQS_TIMEOUT`; AbortSignal is honoured while waiting.
 *
 * Card queries: the app validates the certificate itself (same CertificateValidator and 3-month
 * grace as the built-in stand-in) and issues the one-time challenge locally; the certificate,
 * challenge and signature go to the 連携アプリ in a kakunin extension element (see cardRequest).
 *
 * @example
 * ```ts
 * const service = createFileQualificationService({ directory: '/srv/oqs', encoding: 'Shift_JIS', validator, now, random });
 * const answer = await service.queryByNumbers!({ medicalInstitutionCode, insurerNumber: '138057', symbol: 'モギ', number: '1234567', branch: '00', birthDate: '1980-04-01' });
 * ```
 */
import { type FSWatcher, watch as watchDirectory } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_POLICY } from '../policy.js';
import type { CertificateValidator } from '../ports/certificate-validator.js';
import type {
  ConfirmRequest,
  IssuedChallenge,
  NumbersQueryRequest,
  QualificationAnswer,
  QualificationService,
} from '../ports/qualification-service.js';
import { assertConfirmRequest, certificateGate, failureAnswer, STAND_IN_CODES } from './certificate-gate.js';
import { parseNumbersQuery } from './numbers-query.js';
import {
  type CardProof,
  cardRequest,
  fileIdentifier,
  numbersRequest,
  parseAnswer,
  requestFileName,
  responseFileName,
} from './oqs-file-format.js';
import { parseXmlBytes, serializeXml, XML_LIMITS, type XmlElement, type XmlEncoding } from './oqs-xml.js';

export type FileInterfaceErrorCode =
  | 'OQS_TIMEOUT'
  | 'OQS_FOLDER_MISSING'
  | 'OQS_RESPONSE_INVALID'
  | 'OQS_REQUEST_REJECTED'
  | 'OQS_ABORTED';

export class FileInterfaceError extends Error {
  override readonly name = 'FileInterfaceError';
  constructor(
    readonly code: FileInterfaceErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface FileQualificationServiceOptions {
  /** The shared folder holding `req/` and `res/`. */
  readonly directory: string;
  /** Encoding of the requests and the one asked for the answers (default Shift_JIS). */
  readonly encoding?: XmlEncoding;
  readonly validator: CertificateValidator;
  readonly now: () => Date;
  readonly random: (bytes: Uint8Array) => Uint8Array;
  /** How long to wait for an answer, ms (default 30 000). */
  readonly timeoutMs?: number;
  /** Poll interval of `res/` (fs.watch is unreliable on network shares), ms (default 100). */
  readonly pollIntervalMs?: number;
  /** True when the folders are served by kakunin's stand-in 連携アプリ (shown on results). */
  readonly standIn?: boolean;
}

export interface FileQualificationService extends QualificationService {
  queryByNumbers: NonNullable<QualificationService['queryByNumbers']>;
  readonly directory: string;
  /** Counters since start: stale/duplicate answers deleted, unparsable reads retried. */
  stats(): { readonly discarded: number; readonly retriedReads: number; readonly timeouts: number };
}

const CHALLENGE_BYTES = 32;
const MAX_REMEMBERED_IDS = 1024;

export function createFileQualificationService(
  options: FileQualificationServiceOptions,
): FileQualificationService {
  if (options === null || typeof options !== 'object')
    throw new TypeError('createFileQualificationService: options must be an object');
  const { directory, validator, now, random } = options;
  if (typeof directory !== 'string' || directory.length === 0)
    throw new TypeError('createFileQualificationService: directory is required');
  if (validator === undefined || typeof now !== 'function' || typeof random !== 'function')
    throw new TypeError('createFileQualificationService: validator, now and random are required');
  const encoding = options.encoding ?? 'Shift_JIS';
  if (encoding !== 'Shift_JIS' && encoding !== 'UTF-8')
    throw new RangeError('createFileQualificationService: encoding must be Shift_JIS or UTF-8');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  const standIn = options.standIn ?? false;
  const reqDirectory = join(directory, 'req');
  const resDirectory = join(directory, 'res');
  const tmpDirectory = join(directory, '.kakunin-tmp');

  const challenges = new Map<string, { nonce: Uint8Array; expiresAt: number }>();
  /** Ids whose answers must never be used: consumed or given up (bounded, oldest dropped). */
  const finished = new Set<string>();
  const counters = { discarded: 0, retriedReads: 0, timeouts: 0 };

  const remember = (id: string): void => {
    finished.add(id);
    if (finished.size > MAX_REMEMBERED_IDS) finished.delete(finished.values().next().value!);
  };
  const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
  const newId = (): string => {
    const at = now();
    const stamp = at.toISOString().replace(/\D/g, '').slice(0, 14);
    return `${stamp}${hex(random(new Uint8Array(4)))}`;
  };

  const ensureFolders = async (): Promise<void> => {
    for (const folder of [reqDirectory, resDirectory]) {
      const info = await stat(folder).catch(() => undefined);
      if (info === undefined || !info.isDirectory())
        throw new FileInterfaceError(
          'OQS_FOLDER_MISSING',
          `${folder} does not exist (is the 連携アプリ folder shared?)`,
        );
    }
    await mkdir(tmpDirectory, { recursive: true });
  };

  /** Deletes answers for ids already consumed or given up (stale / duplicate). */
  const sweep = async (): Promise<void> => {
    const names = await readdir(resDirectory).catch(() => [] as string[]);
    for (const name of names) {
      const id = fileIdentifier(name, 'response');
      if (id !== undefined && finished.has(id)) {
        await rm(join(resDirectory, name), { force: true });
        counters.discarded += 1;
      }
    }
  };

  /** Reads a file unless it is larger than an XmlMsg may be (bounded memory); undefined if absent. */
  const readBounded = async (path: string): Promise<Buffer | 'too-large' | undefined> => {
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) return undefined;
    if (info.size > XML_LIMITS.maxBytes) return 'too-large';
    return readFile(path).catch(() => undefined);
  };

  const exchange = async (
    build: (id: string) => XmlElement,
    signal: AbortSignal | undefined,
  ): Promise<QualificationAnswer> => {
    signal?.throwIfAborted();
    await ensureFolders();
    await sweep();
    const id = newId();
    const name = requestFileName(id);
    const { bytes } = serializeXml(build(id), encoding);
    const temporary = join(tmpDirectory, `${name}.part`);
    await writeFile(temporary, bytes);
    await rename(temporary, join(reqDirectory, name));

    const answerPath = join(resDirectory, responseFileName(id));
    // A request the 連携アプリ refuses as a whole comes back as `<request name>.err` beside it in
    // req/ (smart-test watches for it); its content is read as an answer when it parses [inferred].
    const errorPath = join(reqDirectory, name.replace(/\.xml$/, '.err'));
    const deadline = Date.now() + timeoutMs;
    let watcher: FSWatcher | undefined;
    let wake: (() => void) | undefined;
    try {
      watcher = watchDirectory(resDirectory, () => wake?.());
      watcher.on('error', () => undefined);
    } catch {
      watcher = undefined; // polling alone
    }
    let lastProblem = 'no answer';
    let aborted = false;
    try {
      for (;;) {
        if (signal?.aborted) {
          aborted = true;
          break;
        }
        const refusal = await readBounded(errorPath);
        if (refusal === 'too-large') {
          await rm(errorPath, { force: true });
          lastProblem = 'refusal file too large';
        } else if (refusal !== undefined) {
          await rm(errorPath, { force: true });
          await rm(join(reqDirectory, name), { force: true });
          remember(id);
          try {
            return parseAnswer(parseXmlBytes(new Uint8Array(refusal)).root, { standIn }).answer;
          } catch {
            const text = new TextDecoder('utf-8').decode(refusal.subarray(0, 400)).replace(/\s+/g, ' ');
            throw new FileInterfaceError(
              'OQS_REQUEST_REJECTED',
              `the 連携アプリ refused the request: ${text}`,
            );
          }
        }
        const raw = await readBounded(answerPath);
        if (raw === 'too-large') {
          await rm(answerPath, { force: true });
          counters.discarded += 1;
          lastProblem = `answer over ${XML_LIMITS.maxBytes} bytes`;
        } else if (raw !== undefined) {
          try {
            const { root } = parseXmlBytes(new Uint8Array(raw));
            const parsed = parseAnswer(root, { standIn });
            if (parsed.id !== id) {
              // Right name, wrong content: not ours (a copied or stale file). Never used.
              await rm(answerPath, { force: true });
              counters.discarded += 1;
              lastProblem = `answer carried ArbitraryFileIdentifier ${parsed.id ?? '(none)'}`;
            } else {
              await rm(answerPath, { force: true });
              remember(id);
              return parsed.answer;
            }
          } catch (error) {
            // Partial file (written in place) or broken: read again until the deadline.
            counters.retriedReads += 1;
            lastProblem = (error as Error).message;
          }
        }
        const left = deadline - Date.now();
        if (left <= 0) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, Math.min(pollIntervalMs, left));
          function done(): void {
            clearTimeout(timer);
            wake = undefined;
            signal?.removeEventListener('abort', done);
            resolve();
          }
          wake = done;
          signal?.addEventListener('abort', done, { once: true });
        });
      }
    } finally {
      watcher?.close();
    }
    // Give up: withdraw the request if the 連携アプリ has not taken it, and ignore a late answer.
    remember(id);
    await rm(join(reqDirectory, name), { force: true });
    await rm(answerPath, { force: true });
    if (aborted) throw new FileInterfaceError('OQS_ABORTED', 'query aborted; request withdrawn');
    counters.timeouts += 1;
    throw new FileInterfaceError(
      lastProblem === 'no answer' ? 'OQS_TIMEOUT' : 'OQS_RESPONSE_INVALID',
      `no usable answer from the 連携アプリ within ${timeoutMs} ms (${lastProblem})`,
    );
  };

  const localFailure = (institution: string, code: string, message: string): QualificationAnswer =>
    failureAnswer(now(), institution, { code, message }, standIn);

  return {
    directory,
    label: standIn
      ? {
          ja: 'オンライン資格確認(資格確認端末のファイル連携・模擬連携アプリ・国のシステムではありません)',
          en: 'Online qualification check through the terminal file interface (stand-in 連携アプリ, not the national system)',
        }
      : {
          ja: 'オンライン資格確認(資格確認端末のファイル連携)',
          en: 'Online qualification check through the terminal file interface',
        },

    stats: () => ({ ...counters }),

    async issueChallenge(callOptions = {}) {
      callOptions.signal?.throwIfAborted();
      const at = now().getTime();
      for (const [key, entry] of challenges) if (entry.expiresAt < at) challenges.delete(key);
      const nonce = random(new Uint8Array(CHALLENGE_BYTES));
      const id = hex(random(new Uint8Array(16)));
      const expiresAt = at + APP_POLICY.challengeLifetimeSeconds * 1000;
      challenges.set(id, { nonce: nonce.slice(), expiresAt });
      return {
        id,
        nonce: nonce.slice(),
        expiresAt: new Date(expiresAt).toISOString(),
      } satisfies IssuedChallenge;
    },

    async confirm(request: ConfirmRequest, callOptions = {}) {
      callOptions.signal?.throwIfAborted();
      assertConfirmRequest(request);
      const institution = String(request.medicalInstitutionCode);
      let proof: CardProof;
      if (request.mode === 'pin') {
        const entry = challenges.get(String(request.challengeId));
        challenges.delete(String(request.challengeId));
        if (entry === undefined || entry.expiresAt < now().getTime())
          return localFailure(
            institution,
            STAND_IN_CODES.CHALLENGE_INVALID,
            'チャレンジが無効です(期限切れ・再使用)',
          );
        proof = {
          mode: 'pin',
          certificate: request.certificate,
          challenge: entry.nonce,
          signature: request.signature,
        };
      } else {
        proof = {
          mode: 'visual',
          certificate: request.certificate,
          visualStaffId: request.visualStaffId.trim(),
        };
      }
      // Certificate gate before anything leaves the app (profile, root, revocation; 3-month
      // grace). Revocation delegated by the app's validator is the national system's to check.
      const gated = await certificateGate(validator, request.certificate, now(), {});
      if ('failure' in gated) return localFailure(institution, gated.failure.code, gated.failure.message);
      const answer = await exchange(
        (id) =>
          cardRequest({
            id,
            medicalInstitutionCode: institution,
            at: now(),
            answerEncoding: encoding,
            proof,
          }),
        callOptions.signal,
      );
      const side = gated.side;
      const body = answer.body;
      if (side === undefined || body === undefined || body.processingResultStatus !== '1') return answer;
      const message = [side.message, body.processingResultMessage]
        .filter((part) => part !== undefined)
        .join(' ');
      return {
        ...answer,
        body: { ...body, processingResultCode: side.code, processingResultMessage: message },
      };
    },

    async queryByNumbers(request: NumbersQueryRequest, callOptions = {}) {
      const query = parseNumbersQuery(request);
      const institution = String(request.medicalInstitutionCode);
      return exchange(
        (id) =>
          numbersRequest({
            id,
            medicalInstitutionCode: institution,
            at: now(),
            answerEncoding: encoding,
            query,
          }),
        callOptions.signal,
      );
    },
  };
}
