/**
 * The file-interface adapter against the stand-in 連携アプリ as a **real child process**
 * (bin/kakunin-oqs-standin.mjs, from the build) exchanging **real files** in a temporary folder, in
 * both encodings; plus the robustness rules: partial files both ways, timeout, stale, duplicate and
 * foreign answers, substituted characters.
 */
import { randomFillSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSdkCardReaderFactory } from '../adapters/sdk-card-reader-factory.js';
import { createJpkiCertificateValidator } from '../certificates/jpki-certificate-validator.js';
import type { CardReaderFactory } from '../ports/card-reader.js';
import type { CertificateValidator } from '../ports/certificate-validator.js';
import { createDeskCertificateValidator } from '../simulator/desk-certificate-validator.js';
import { createSimulatorDesk, type SimulatorDesk } from '../simulator/simulator-desk.js';
import { type OqsStandInProcess, startOqsStandInProcess } from '../startup/oqs-standin-process.js';
import {
  TEST_INSTITUTION as INSTITUTION,
  pinProof,
  pinRequest,
  visualRequest,
} from '../testing/qualification-requests.js';
import { STAND_IN_CODES } from './certificate-gate.js';
import { createFileQualificationService, FileInterfaceError } from './file-qualification-service.js';
import { answerDocument, numbersRequest, parseAnswer } from './oqs-file-format.js';
import { parseXmlBytes, serializeXml, type XmlEncoding } from './oqs-xml.js';
import { KOKUHO_NUMBERS } from './synthetic-persons.js';

const random = (bytes: Uint8Array): Uint8Array => randomFillSync(bytes);
const now = (): Date => new Date();

const KOKUHO = KOKUHO_NUMBERS;
const GAIJI = {
  insurerNumber: '138057',
  symbol: 'モギ',
  number: '4440001',
  branch: '00',
  birthDate: '1999-07-07',
};

const running = new Set<OqsStandInProcess>();

/** Starts the stand-in process (fails loudly without a build); stopped after each test. */
async function startStandIn(directory: string, args: string[] = []): Promise<OqsStandInProcess> {
  const standIn = await startOqsStandInProcess({ directory, args });
  running.add(standIn);
  return standIn;
}

async function folder(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'kakunin-oqs-'));
  await mkdir(join(directory, 'req'));
  await mkdir(join(directory, 'res'));
  return directory;
}

const waitFor = async (condition: () => Promise<boolean>, ms: number): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe('file-interface adapter against the stand-in 連携アプリ process', () => {
  let desk: SimulatorDesk;
  let factory: CardReaderFactory;
  const directories: string[] = [];

  beforeAll(() => {
    desk = createSimulatorDesk();
    factory = createSdkCardReaderFactory(desk.provider);
  });
  afterEach(async () => {
    for (const entry of running) await entry.close();
    running.clear();
  });
  afterAll(async () => {
    await factory.close();
    for (const directory of directories) await rm(directory, { recursive: true, force: true });
  });

  interface AdapterOptions {
    encoding?: XmlEncoding;
    timeoutMs?: number;
    validator?: CertificateValidator;
    /** 保険証利用登録 the stand-in knows: person id → certificate (a links file it rereads). */
    links?: Record<string, Uint8Array>;
  }
  const setup = async (args: string[] = [], adapter: AdapterOptions = {}) => {
    const directory = await folder();
    directories.push(directory);
    const linksFile = join(directory, 'links.json');
    const writeLinks = (links: Record<string, Uint8Array>) =>
      writeFile(
        linksFile,
        JSON.stringify(
          Object.entries(links).map(([personId, certificate]) => ({
            personId,
            certificate: Buffer.from(certificate).toString('base64'),
          })),
        ),
      );
    if (adapter.links !== undefined) await writeLinks(adapter.links);
    const process = await startStandIn(directory, [
      ...args,
      ...(adapter.links === undefined ? [] : ['--links', linksFile]),
    ]);
    const service = createFileQualificationService({
      directory,
      encoding: adapter.encoding ?? 'Shift_JIS',
      validator: adapter.validator ?? createDeskCertificateValidator(desk),
      now,
      random,
      timeoutMs: adapter.timeoutMs ?? 10_000,
      pollIntervalMs: 50,
      standIn: true,
    });
    return { directory, process, service, writeLinks };
  };

  /** The adapter on a fresh folder with no 連携アプリ serving it (the test plays that part). */
  const adapterAlone = async (options: { timeoutMs?: number } = {}) => {
    const directory = await folder();
    directories.push(directory);
    const service = createFileQualificationService({
      directory,
      validator: createDeskCertificateValidator(desk),
      now,
      random,
      pollIntervalMs: 50,
      ...options,
    });
    return { directory, service };
  };

  for (const encoding of ['Shift_JIS', 'UTF-8'] as const) {
    describe(`in ${encoding}`, () => {
      it('answers a query by numbers with the seeded person (6-digit insurer number trimmed)', async () => {
        const { service, directory } = await setup([], { encoding });
        const answer = await service.queryByNumbers({ medicalInstitutionCode: INSTITUTION, ...KOKUHO });
        expect(answer.header.segmentOfResult).toBe('1');
        expect(answer.header.referenceClassification).toBe('2');
        expect(answer.body?.processingResultStatus).toBe('1');
        expect(answer.body?.qualificationValidity).toBe('1');
        const [result] = answer.body!.resultList;
        expect(result).toMatchObject({
          insurerNumber: '138057',
          insuredCardSymbol: 'モギ',
          insuredIdentificationNumber: '1234567',
          name: '試験　太郎',
          birthdate: '1980-04-01',
          insuredPartialContributionRatio: 30,
        });
        expect(answer.standIn).toBe(true);
        // Both folders are left empty: request taken, answer consumed.
        expect(await readdir(join(directory, 'req'))).toEqual([]);
        expect(await readdir(join(directory, 'res'))).toEqual([]);
      });

      it('answers not found (4) and keeps the elderly and limit-certificate fields', async () => {
        const { service } = await setup([], { encoding });
        const none = await service.queryByNumbers({
          medicalInstitutionCode: INSTITUTION,
          ...KOKUHO,
          number: '9999999',
        });
        expect(none.body?.qualificationValidity).toBe('4');
        expect(none.body?.resultList).toEqual([]);
        const employee = await service.queryByNumbers({
          medicalInstitutionCode: INSTITUTION,
          insurerNumber: '01130012',
          symbol: '5001',
          number: '42',
          branch: '',
          birthDate: '1975-11-23',
        });
        expect(employee.body?.resultList[0]?.limitApplicationCertificateRelatedInfo).toEqual({
          classification: '01',
          categoryFlag: 'B04',
          validFrom: '2026-01-01',
        });
      });

      it(`a name outside Shift_JIS arrives ${encoding === 'Shift_JIS' ? 'with ● for the lost character' : 'intact'}`, async () => {
        const { service } = await setup([], { encoding });
        const answer = await service.queryByNumbers({ medicalInstitutionCode: INSTITUTION, ...GAIJI });
        expect(answer.body?.resultList[0]?.name).toBe(encoding === 'Shift_JIS' ? '●野　七海' : '𠮷野　七海');
      });

      it('answers a card query (目視) for a linked certificate and refuses an unlinked one', async () => {
        const certificate = desk.authCertificate('plastic');
        const { service, writeLinks } = await setup([], {
          encoding,
          links: { 'valid-employee': certificate },
        });
        const linked = await service.confirm(visualRequest(certificate, 'staff01'));
        expect(linked.header.referenceClassification).toBe('1');
        expect(linked.body?.qualificationValidity).toBe('1');
        expect(linked.body?.resultList[0]?.name).toBe('見本　花子');
        await writeLinks({});
        const unlinked = await service.confirm(visualRequest(certificate, 'staff01'));
        expect(unlinked.header.segmentOfResult).toBe('9');
        expect(unlinked.body?.processingResultCode).toBe(STAND_IN_CODES.NOT_REGISTERED);
      });
    });
  }

  it('the stand-in answers in the encoding the request asks for (raw bytes checked)', async () => {
    const directory = await folder();
    directories.push(directory);
    await startStandIn(directory);
    for (const [encoding, declaration, nameBytes] of [
      ['Shift_JIS', 'encoding="Shift_JIS"', Buffer.from([0x8e, 0x8e, 0x8c, 0xb1])], // 試験
      ['UTF-8', 'encoding="UTF-8"', Buffer.from('試験', 'utf8')],
    ] as const) {
      const id = `RAW${encoding === 'UTF-8' ? 'U' : 'S'}0001`;
      const request = numbersRequest({
        id,
        medicalInstitutionCode: INSTITUTION,
        at: new Date(),
        answerEncoding: encoding,
        query: KOKUHO,
      });
      await writeFile(
        join(directory, 'req', `OQSsiquc01req_${id}.xml`),
        serializeXml(request, encoding).bytes,
      );
      const answerPath = join(directory, 'res', `OQSsiquc01res_${id}.xml`);
      await waitFor(async () => existsSync(answerPath), 10_000);
      const raw = await readFile(answerPath);
      expect(raw.subarray(0, 80).toString('latin1')).toContain(declaration);
      expect(raw.includes(nameBytes)).toBe(true);
      const parsed = parseAnswer(parseXmlBytes(new Uint8Array(raw)).root, { standIn: true });
      expect(parsed.id).toBe(id);
      expect(parsed.answer.body?.resultList[0]?.name).toBe('試験　太郎');
    }
  });

  it('PIN-mode card query: a real card signature passes, a forged one is refused by the 連携アプリ', async () => {
    const certificate = desk.authCertificate('plastic');
    const { service } = await setup([], { links: { 'valid-kokuho': certificate } });
    const { challenge, proof } = await pinProof(desk, factory, service);
    const ok = await service.confirm(pinRequest(challenge.id, proof));
    expect(ok.body?.qualificationValidity).toBe('1');
    expect(ok.body?.resultList[0]?.name).toBe('試験　太郎');
    // The challenge is one-time: reuse is refused locally, nothing is sent.
    const reused = await service.confirm(pinRequest(challenge.id, proof));
    expect(reused.body?.processingResultCode).toBe(STAND_IN_CODES.CHALLENGE_INVALID);
    const fresh = await service.issueChallenge();
    const forged = await service.confirm(pinRequest(fresh.id, proof));
    expect(forged.body?.processingResultCode).toBe(STAND_IN_CODES.SIGNATURE_INVALID);
  });

  it('a card whose revocation the app delegates is sent on: the national system checks revocation', async () => {
    const certificate = desk.authCertificate('plastic');
    const { service } = await setup([], {
      links: { 'valid-kokuho': certificate },
      // Real cards: the app holds no JPKI CRLs (start-reception-app.ts), revocation is delegated.
      validator: createJpkiCertificateValidator({
        trustAnchors: [],
        testAnchors: desk.testAnchors,
        revocation: 'delegated',
      }),
    });
    const answer = await service.confirm(visualRequest(certificate, 'staff01'));
    expect(answer.header.segmentOfResult).toBe('1');
    expect(answer.body?.qualificationValidity).toBe('1');
    expect(answer.body?.resultList[0]?.name).toBe('試験　太郎');
  });

  it('times out with OQS_TIMEOUT and withdraws the request when the 連携アプリ never answers', async () => {
    const { service, directory } = await setup(['--fault', 'silent'], { timeoutMs: 600 });
    // The silent stand-in takes the request away; a missing 連携アプリ leaves it: both end empty.
    await expect(
      service.queryByNumbers({ medicalInstitutionCode: INSTITUTION, ...KOKUHO }),
    ).rejects.toMatchObject({
      name: 'FileInterfaceError',
      code: 'OQS_TIMEOUT',
    });
    expect(await readdir(join(directory, 'req'))).toEqual([]);
    expect(service.stats().timeouts).toBe(1);
  });

  it('an aborted query withdraws its request and fails with OQS_ABORTED', async () => {
    const { directory, service } = await adapterAlone();
    const controller = new AbortController();
    const pending = service.queryByNumbers(
      { medicalInstitutionCode: INSTITUTION, ...KOKUHO },
      { signal: controller.signal },
    );
    await waitFor(async () => (await readdir(join(directory, 'req'))).length === 1, 5_000);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'OQS_ABORTED' });
    expect(await readdir(join(directory, 'req'))).toEqual([]);
  });

  it('a late answer to a timed-out query is deleted and never used for the next query', async () => {
    const directory = await folder();
    directories.push(directory);
    const slow = await startStandIn(directory, ['--fault', 'slow:1200']);
    const service = createFileQualificationService({
      directory,
      validator: createDeskCertificateValidator(desk),
      now,
      random,
      timeoutMs: 500,
      pollIntervalMs: 50,
    });
    await expect(
      service.queryByNumbers({ medicalInstitutionCode: INSTITUTION, ...KOKUHO }),
    ).rejects.toBeInstanceOf(FileInterfaceError);
    // The late answer lands in res/ …
    await waitFor(async () => (await readdir(join(directory, 'res'))).length === 1, 5_000);
    await slow.close();
    await startStandIn(directory);
    // … and the next query (another person) gets its own answer; the stale file is swept.
    const answer = await service.queryByNumbers({ medicalInstitutionCode: INSTITUTION, ...GAIJI });
    expect(answer.body?.resultList[0]?.birthdate).toBe('1999-07-07');
    expect(await readdir(join(directory, 'res'))).toEqual([]);
    expect(service.stats().discarded).toBeGreaterThanOrEqual(1);
  });

  it('a duplicate answer is deleted, not taken as the answer to a later query', async () => {
    const { service, directory } = await setup(['--fault', 'duplicate']);
    const first = await service.queryByNumbers({ medicalInstitutionCode: INSTITUTION, ...KOKUHO });
    expect(first.body?.resultList[0]?.name).toBe('試験　太郎');
    // The duplicate arrives 300 ms later; the next query sweeps it and gets its own answer.
    await waitFor(async () => (await readdir(join(directory, 'res'))).length >= 1, 5_000);
    const second = await service.queryByNumbers({ medicalInstitutionCode: INSTITUTION, ...GAIJI });
    expect(second.body?.resultList[0]?.birthdate).toBe('1999-07-07');
    expect(service.stats().discarded).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    // Only the second query's own duplicate may be left; the first query's copy was swept.
    expect((await readdir(join(directory, 'res'))).length).toBeLessThanOrEqual(1);
  });

  it('an answer written in place (partial file visible) is read again until complete', async () => {
    const { service } = await setup(['--fault', 'in-place']);
    const answer = await service.queryByNumbers({ medicalInstitutionCode: INSTITUTION, ...KOKUHO });
    expect(answer.body?.resultList[0]?.name).toBe('試験　太郎');
    expect(service.stats().retriedReads).toBeGreaterThanOrEqual(1);
  });

  it('an answer with a foreign ArbitraryFileIdentifier is never used (OQS_RESPONSE_INVALID at the deadline)', async () => {
    const { service } = await setup(['--fault', 'wrong-id'], { timeoutMs: 1_500 });
    await expect(
      service.queryByNumbers({ medicalInstitutionCode: INSTITUTION, ...KOKUHO }),
    ).rejects.toMatchObject({
      code: 'OQS_RESPONSE_INVALID',
    });
    expect(service.stats().discarded).toBeGreaterThanOrEqual(1);
  });

  it('the stand-in waits for a request written in place (partial) instead of refusing it', async () => {
    const directory = await folder();
    directories.push(directory);
    await startStandIn(directory);
    const id = 'PARTIAL0001';
    const bytes = serializeXml(
      numbersRequest({
        id,
        medicalInstitutionCode: INSTITUTION,
        at: new Date(),
        answerEncoding: 'Shift_JIS',
        query: KOKUHO,
      }),
      'Shift_JIS',
    ).bytes;
    const path = join(directory, 'req', `OQSsiquc01req_${id}.xml`);
    await writeFile(path, bytes.subarray(0, 100));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await writeFile(path, bytes);
    const answerPath = join(directory, 'res', `OQSsiquc01res_${id}.xml`);
    await waitFor(async () => existsSync(answerPath), 10_000);
    const parsed = parseAnswer(parseXmlBytes(new Uint8Array(await readFile(answerPath))).root, {
      standIn: true,
    });
    expect(parsed.answer.header.segmentOfResult).toBe('1');
    expect(parsed.answer.body?.resultList[0]?.name).toBe('試験　太郎');
  });

  it('the stand-in refuses an unparsable request with <name>.err beside it in req/', async () => {
    const directory = await folder();
    directories.push(directory);
    await startStandIn(directory);
    await writeFile(
      join(directory, 'req', 'OQSsiquc01req_BROKEN0001.xml'),
      '<?xml version="1.0"?><XmlMsg><Mess',
    );
    const errorPath = join(directory, 'req', 'OQSsiquc01req_BROKEN0001.err');
    await waitFor(async () => existsSync(errorPath), 10_000);
    const refusal = parseAnswer(parseXmlBytes(new Uint8Array(await readFile(errorPath))).root, {
      standIn: true,
    });
    expect(refusal.answer.header.segmentOfResult).toBe('9');
    expect(refusal.answer.header.errorCode).toBe('KKN-E-1100');
    expect(existsSync(join(directory, 'req', 'OQSsiquc01req_BROKEN0001.xml'))).toBe(false);
  });

  it('the adapter takes a .err refusal as the answer (or OQS_REQUEST_REJECTED when it is not XML)', async () => {
    const { directory, service } = await adapterAlone({ timeoutMs: 5_000 });
    // Plays the 連携アプリ by hand: refuses whatever request appears.
    const refuse = async (content: (id: string) => Uint8Array) => {
      await waitFor(async () => (await readdir(join(directory, 'req'))).length === 1, 5_000);
      const [name] = await readdir(join(directory, 'req'));
      const id = name!.slice('OQSsiquc01req_'.length, -'.xml'.length);
      await writeFile(join(directory, 'req', name!.replace(/\.xml$/, '.err')), content(id));
    };
    const xmlRefusal = (id: string) =>
      serializeXml(
        answerDocument({
          id,
          medicalInstitutionCode: INSTITUTION,
          at: new Date(),
          encoding: 'Shift_JIS',
          referenceClassification: '2',
          segmentOfResult: '9',
          error: { code: 'E-TEST', message: '形式エラー' },
        }),
        'Shift_JIS',
      ).bytes;
    const [answer] = await Promise.all([
      service.queryByNumbers({ medicalInstitutionCode: INSTITUTION, ...KOKUHO }),
      refuse(xmlRefusal),
    ]);
    expect(answer.header).toMatchObject({
      segmentOfResult: '9',
      errorCode: 'E-TEST',
      errorMessage: '形式エラー',
    });
    const [rejected] = await Promise.allSettled([
      service.queryByNumbers({ medicalInstitutionCode: INSTITUTION, ...KOKUHO }),
      refuse(() => new TextEncoder().encode('request rejected')),
    ]);
    expect(rejected.status === 'rejected' && rejected.reason).toMatchObject({ code: 'OQS_REQUEST_REJECTED' });
    expect(await readdir(join(directory, 'req'))).toEqual([]);
    // An oversized answer is never read into memory: deleted, and the query fails at its deadline.
    const oversized = async () => {
      await waitFor(async () => (await readdir(join(directory, 'req'))).length === 1, 5_000);
      const [name] = await readdir(join(directory, 'req'));
      await writeFile(join(directory, 'res', name!.replace('req_', 'res_')), new Uint8Array(2 * 1024 * 1024));
    };
    const [huge] = await Promise.allSettled([
      service.queryByNumbers({ medicalInstitutionCode: INSTITUTION, ...KOKUHO }),
      oversized(),
    ]);
    expect(huge.status === 'rejected' && huge.reason).toMatchObject({ code: 'OQS_RESPONSE_INVALID' });
    expect(huge.status === 'rejected' && String(huge.reason.message)).toContain('over');
    expect(await readdir(join(directory, 'res'))).toEqual([]);
  });

  it('refuses a missing folder with OQS_FOLDER_MISSING', async () => {
    const service = createFileQualificationService({
      directory: join(tmpdir(), 'kakunin-oqs-does-not-exist'),
      validator: createDeskCertificateValidator(desk),
      now,
      random,
    });
    await expect(
      service.queryByNumbers({ medicalInstitutionCode: INSTITUTION, ...KOKUHO }),
    ).rejects.toMatchObject({
      code: 'OQS_FOLDER_MISSING',
    });
  });
});
