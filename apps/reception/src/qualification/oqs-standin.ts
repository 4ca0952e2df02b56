/**
 * `kakunin-oqs-standin`: a **stand-in 連携アプリ** for the 資格確認端末's file interface, used by the
 * tests and the demo. It watches `<dir>/req/` (fs.watch + polling) for `OQSsiquc01req_*.xml`,
 * answers each from the seeded synthetic persons with `OQSsiquc01res_<same id>.xml` in
 * `<dir>/res/` (written under `<dir>/.standin-tmp/` and renamed: never half a file), and deletes
 * the request. Encoding of the answer: the request's CharacterCodeIdentifier, else `--encoding`.
 * In Shift_JIS, characters without a code are written as `--substitute` (default 〓).
 *
 *   kakunin-oqs-standin --dir DIR [--encoding shift_jis|utf-8] [--links FILE] [--substitute C]
 *                       [--fault duplicate|in-place|wrong-id|slow:MS|silent] (repeatable, comma list)
 *
 * `--links FILE`: JSON `[{ "personId": "...", "certificate": "<base64 DER>" }]`, the
 * 保険証利用登録 of card queries; re-read on every card query. Faults (for tests): `duplicate`
 * writes every answer twice (the copy 300 ms later); `in-place` writes the answer in place in two
 * halves 300 ms apart (a partial file is visible); `wrong-id` answers with a foreign
 * ArbitraryFileIdentifier; `slow:MS` delays every answer; `silent` never answers.
 * Prints `ready <dir>` on stdout once watching; stops on SIGTERM / SIGINT.
 *
 * @example
 * ```ts
 * const standIn = await runOqsStandIn({ directory: dir, encoding: 'Shift_JIS' });
 * await standIn.close();
 * ```
 */
import { verify, X509Certificate } from 'node:crypto';
import { type FSWatcher, watch as watchDirectory } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { QualificationResult } from '../ports/qualification-service.js';
import { answerByNumbers, NumbersQueryError, parseNumbersQuery } from './numbers-query.js';
import {
  answerDocument,
  fileIdentifier,
  type ParsedRequest,
  parseRequest,
  responseFileName,
} from './oqs-file-format.js';
import { parseXmlBytes, serializeXml, XML_LIMITS, type XmlEncoding } from './oqs-xml.js';
import { GETA_MARK } from './shift-jis.js';
import { certificateKey, STAND_IN_CODES } from './sqlite-qualification-service.js';
import { SYNTHETIC_PERSONS, type SyntheticPerson } from './synthetic-persons.js';

/** Extra person of the file-interface stand-in: a name with a character outside Shift_JIS (𠮷). */
export const GAIJI_PERSON: SyntheticPerson = {
  id: 'gaiji-name',
  label: { ja: '有効(氏名にShift_JIS外の文字)', en: 'Valid (name with a character outside Shift_JIS)' },
  validity: '1',
  results: [
    {
      insuredCardClassification: '01',
      insurerNumber: '138057',
      insurerName: '模擬区国民健康保険',
      insuredCardSymbol: 'モギ',
      insuredIdentificationNumber: '4440001',
      insuredBranchNumber: '00',
      personalFamilyClassification: '1',
      name: '𠮷野　七海',
      nameKana: 'ヨシノ　ナナミ',
      sex: '2',
      birthdate: '1999-07-07',
      insuredCardValidDate: '2021-04-01',
      insuredPartialContributionRatio: 30,
    } satisfies QualificationResult,
  ],
};

export const FILE_STANDIN_PERSONS: readonly SyntheticPerson[] = [...SYNTHETIC_PERSONS, GAIJI_PERSON];

export type StandInFault = 'duplicate' | 'in-place' | 'wrong-id' | 'silent' | `slow:${number}`;

export interface OqsStandInOptions {
  readonly directory: string;
  /** Answer encoding when the request does not ask for one (default Shift_JIS). */
  readonly encoding?: XmlEncoding;
  readonly linksFile?: string;
  readonly substitute?: string;
  readonly faults?: readonly StandInFault[];
  readonly persons?: readonly SyntheticPerson[];
  readonly pollIntervalMs?: number;
  readonly now?: () => Date;
}

export interface OqsStandIn {
  readonly answered: number;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** How long a request that does not parse (a writer without rename) may stay before it is refused. */
const UNPARSABLE_GRACE_MS = 2_000;

export async function runOqsStandIn(options: OqsStandInOptions): Promise<OqsStandIn> {
  const { directory } = options;
  if (typeof directory !== 'string' || directory.length === 0)
    throw new TypeError('runOqsStandIn: directory is required');
  const reqDirectory = join(directory, 'req');
  const resDirectory = join(directory, 'res');
  const tmpDirectory = join(directory, '.standin-tmp');
  for (const folder of [reqDirectory, resDirectory, tmpDirectory]) await mkdir(folder, { recursive: true });
  const persons = options.persons ?? FILE_STANDIN_PERSONS;
  const faults = new Set(options.faults ?? []);
  const slowMs = [...faults].reduce(
    (sum, fault) => (fault.startsWith('slow:') ? sum + Number(fault.slice(5)) : sum),
    0,
  );
  const substitute = options.substitute ?? GETA_MARK;
  const now = options.now ?? (() => new Date());
  const inFlight = new Set<string>();
  const firstSeenUnparsable = new Map<string, number>();
  let answered = 0;
  let closed = false;

  const links = async (): Promise<Map<string, string>> => {
    const map = new Map<string, string>();
    if (options.linksFile === undefined) return map;
    const raw = await readFile(options.linksFile, 'utf8').catch(() => '[]');
    for (const entry of JSON.parse(raw) as { personId: string; certificate: string }[]) {
      try {
        map.set(certificateKey(new Uint8Array(Buffer.from(entry.certificate, 'base64'))), entry.personId);
      } catch {
        // unreadable certificate: ignored
      }
    }
    return map;
  };

  const answerFor = async (request: ParsedRequest) => {
    const base = {
      id: request.id,
      medicalInstitutionCode: request.medicalInstitutionCode,
      at: now(),
      encoding: request.answerEncoding ?? options.encoding ?? 'Shift_JIS',
    };
    const failure = (referenceClassification: '1' | '2', code: string, message: string) =>
      answerDocument({
        ...base,
        referenceClassification,
        segmentOfResult: '9',
        error: { code, message },
        body: {
          processingResultStatus: '2',
          processingResultCode: code,
          processingResultMessage: message,
          resultList: [],
        },
      });
    if (request.kind === 'numbers') {
      let query: ReturnType<typeof parseNumbersQuery>;
      try {
        query = parseNumbersQuery(request.query);
      } catch (error) {
        if (!(error instanceof NumbersQueryError)) throw error;
        return failure('2', 'KKN-E-1101', `照会条件が不正です(${error.field})`);
      }
      const found = answerByNumbers(persons, query);
      return answerDocument({
        ...base,
        referenceClassification: '2',
        segmentOfResult: '1',
        body: {
          processingResultStatus: '1',
          ...(found.message === undefined ? {} : { processingResultMessage: found.message }),
          qualificationValidity: found.validity,
          resultList: found.results,
        },
      });
    }
    const { proof } = request;
    if (proof.mode === 'pin') {
      let ok = false;
      try {
        ok =
          proof.challenge !== undefined &&
          proof.signature !== undefined &&
          verify(
            'sha256',
            proof.challenge,
            new X509Certificate(proof.certificate).publicKey,
            proof.signature,
          );
      } catch {
        ok = false;
      }
      if (!ok) return failure('1', STAND_IN_CODES.SIGNATURE_INVALID, '署名を検証できません');
    } else if (proof.visualStaffId === undefined) {
      return failure('1', STAND_IN_CODES.CHALLENGE_INVALID, '目視確認の職員IDがありません');
    }
    let key: string;
    try {
      key = certificateKey(proof.certificate);
    } catch {
      return failure('1', STAND_IN_CODES.CERTIFICATE_INVALID, '電子証明書を読み取れません');
    }
    const personId = (await links()).get(key);
    const person = persons.find((entry) => entry.id === personId);
    if (person === undefined)
      return failure('1', STAND_IN_CODES.NOT_REGISTERED, '保険証利用登録がされていません');
    return answerDocument({
      ...base,
      referenceClassification: '1',
      segmentOfResult: '1',
      body: {
        processingResultStatus: '1',
        ...(person.message === undefined ? {} : { processingResultMessage: person.message }),
        qualificationValidity: person.validity,
        resultList: person.results,
      },
    });
  };

  const writeAnswer = async (
    id: string,
    document: ReturnType<typeof answerDocument>,
    encoding: XmlEncoding,
  ) => {
    const name = responseFileName(id);
    const { bytes } = serializeXml(document, encoding, substitute);
    const target = join(resDirectory, name);
    if (faults.has('in-place')) {
      const half = Math.floor(bytes.length / 2);
      await writeFile(target, bytes.subarray(0, half));
      await sleep(300);
      await writeFile(target, bytes);
      return;
    }
    const temporary = join(tmpDirectory, `${name}.part`);
    await writeFile(temporary, bytes);
    await rename(temporary, target);
  };

  const writeRefusal = async (
    requestName: string,
    document: ReturnType<typeof answerDocument>,
    encoding: XmlEncoding,
  ) => {
    const errorName = requestName.replace(/\.xml$/, '.err');
    const temporary = join(tmpDirectory, `${errorName}.part`);
    await writeFile(temporary, serializeXml(document, encoding, substitute).bytes);
    await rename(temporary, join(reqDirectory, errorName));
  };

  const handle = async (name: string): Promise<void> => {
    const id = fileIdentifier(name, 'request');
    if (id === undefined || inFlight.has(name)) return;
    inFlight.add(name);
    const path = join(reqDirectory, name);
    try {
      const size = (await stat(path).catch(() => undefined))?.size;
      if (size === undefined) return;
      // Bounded memory: a request larger than an XmlMsg may be is not read (refused below as unparsable).
      const raw =
        size > XML_LIMITS.maxBytes ? new Uint8Array(0) : await readFile(path).catch(() => undefined);
      if (raw === undefined) return;
      let request: ParsedRequest;
      let requestEncoding: XmlEncoding;
      try {
        const parsed = parseXmlBytes(new Uint8Array(raw));
        requestEncoding = parsed.encoding;
        request = parseRequest(parsed.root);
      } catch (error) {
        // A writer without rename: wait for the rest; refuse after the grace period.
        const first = firstSeenUnparsable.get(name) ?? Date.now();
        firstSeenUnparsable.set(name, first);
        if (Date.now() - first < UNPARSABLE_GRACE_MS) return;
        firstSeenUnparsable.delete(name);
        // Refused as a whole: `<request name>.err` beside the request in req/ (as smart-test expects).
        const encoding = options.encoding ?? 'Shift_JIS';
        await rm(path, { force: true });
        await writeRefusal(
          name,
          answerDocument({
            id,
            medicalInstitutionCode: '',
            at: now(),
            encoding,
            referenceClassification: '2',
            segmentOfResult: '9',
            error: {
              code: 'KKN-E-1100',
              message: `要求ファイルを読み取れません: ${(error as Error).message}`,
            },
          }),
          encoding,
        );
        return;
      }
      firstSeenUnparsable.delete(name);
      await rm(path, { force: true });
      if (faults.has('silent')) return;
      if (slowMs > 0) await sleep(slowMs);
      if (closed) return;
      const encoding = request.answerEncoding ?? options.encoding ?? requestEncoding;
      const document = await answerFor(request);
      const answerId = faults.has('wrong-id') ? `${id}X` : id;
      if (faults.has('wrong-id')) {
        const header = document.children[0]!;
        const idElement = header.children.find((entry) => entry.name === 'ArbitraryFileIdentifier')!;
        idElement.text = answerId;
      }
      await writeAnswer(id, document, encoding);
      answered += 1;
      if (faults.has('duplicate')) {
        await sleep(300);
        await writeAnswer(id, document, encoding);
      }
    } finally {
      inFlight.delete(name);
    }
  };

  const scan = async (): Promise<void> => {
    const names = await readdir(reqDirectory).catch(() => [] as string[]);
    await Promise.all(names.map((name) => handle(name).catch(() => undefined)));
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watchDirectory(reqDirectory, () => void scan());
    watcher.on('error', () => undefined);
  } catch {
    watcher = undefined;
  }
  const interval = setInterval(() => void scan(), options.pollIntervalMs ?? 100);
  await scan();
  return {
    get answered() {
      return answered;
    },
    async close() {
      closed = true;
      clearInterval(interval);
      watcher?.close();
    },
  };
}

const USAGE =
  'usage: kakunin-oqs-standin --dir DIR [--encoding shift_jis|utf-8] [--links FILE] [--substitute C] [--fault F[,F]]\n';

export async function standInMain(argv: readonly string[]): Promise<number> {
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        dir: { type: 'string' },
        encoding: { type: 'string' },
        links: { type: 'string' },
        substitute: { type: 'string' },
        fault: { type: 'string', multiple: true },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const dir = values.dir as string | undefined;
  if (dir === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  const encodingName = String(values.encoding ?? 'shift_jis').toLowerCase();
  if (encodingName !== 'shift_jis' && encodingName !== 'utf-8') {
    process.stderr.write(`unknown --encoding ${encodingName}\n${USAGE}`);
    return 2;
  }
  const faults = ((values.fault as string[] | undefined) ?? []).flatMap((entry) => entry.split(','));
  for (const fault of faults) {
    if (!['duplicate', 'in-place', 'wrong-id', 'silent'].includes(fault) && !/^slow:\d{1,6}$/.test(fault)) {
      process.stderr.write(`unknown --fault ${fault}\n${USAGE}`);
      return 2;
    }
  }
  const standIn = await runOqsStandIn({
    directory: dir,
    encoding: encodingName === 'utf-8' ? 'UTF-8' : 'Shift_JIS',
    ...(values.links === undefined ? {} : { linksFile: values.links as string }),
    ...(values.substitute === undefined ? {} : { substitute: values.substitute as string }),
    faults: faults as StandInFault[],
  });
  process.stdout.write(`ready ${dir}\n`);
  const stop = (): void => {
    void standIn.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return 0;
}
