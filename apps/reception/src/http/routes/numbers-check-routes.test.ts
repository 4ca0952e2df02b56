/**
 * `POST /api/checks/by-numbers` at the HTTP level, through the built-in stand-in and through the
 * file-interface adapter talking to the stand-in 連携アプリ as a real child process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSdkCardReaderFactory } from '../../adapters/sdk-card-reader-factory.js';
import { createFileQualificationService } from '../../qualification/file-qualification-service.js';
import { type ReceptionServer, startReceptionServer } from '../../server.js';
import { seedDemo } from '../../simulator/demo-seed.js';
import { createDeskCertificateValidator } from '../../simulator/desk-certificate-validator.js';
import { createSimulatorDesk, type SimulatorDesk } from '../../simulator/simulator-desk.js';
import { ApiClient } from '../../testing/api-client.js';

const PASSWORD = 'kakunin-demo';
const BIN = fileURLToPath(new URL('../../../bin/kakunin-oqs-standin.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../../../dist/oqs-standin.js', import.meta.url));
const KOKUHO = {
  insurerNumber: '138057',
  symbol: 'モギ',
  number: '1234567',
  branch: '00',
  birthDate: '1980-04-01',
};

async function readyClient(server: ReceptionServer, desk: SimulatorDesk): Promise<ApiClient> {
  await seedDemo(server.services, desk, { accountId: 'demo', password: PASSWORD });
  const client = new ApiClient(server.url);
  await client.post('/api/device/register', { accountId: 'demo', password: PASSWORD, deviceName: 'pc' });
  expect((await client.post('/api/passcode/setup', { passcode: '2468' })).json.stage).toBe('ready');
  return client;
}

describe.each(['built-in stand-in', 'file interface (stand-in 連携アプリ process)'] as const)(
  'POST /api/checks/by-numbers through the %s',
  (via) => {
    let desk: SimulatorDesk;
    let server: ReceptionServer;
    let client: ApiClient;
    let child: ChildProcess | undefined;
    let directory: string | undefined;

    beforeAll(async () => {
      desk = createSimulatorDesk();
      const validator = createDeskCertificateValidator(desk);
      let qualificationService: ReturnType<typeof createFileQualificationService> | undefined;
      if (via !== 'built-in stand-in') {
        if (!existsSync(DIST)) throw new Error(`${DIST} is missing: build the reception app first`);
        directory = await mkdtemp(join(tmpdir(), 'kakunin-oqs-api-'));
        await mkdir(join(directory, 'req'));
        await mkdir(join(directory, 'res'));
        child = spawn(process.execPath, [BIN, '--dir', directory, '--encoding', 'shift_jis'], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        await new Promise<void>((resolve, reject) => {
          child!.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
          child!.once('exit', (code) => reject(new Error(`stand-in exited ${code}`)));
        });
        qualificationService = createFileQualificationService({
          directory,
          validator,
          now: () => new Date(),
          random: (bytes) => randomFillSync(bytes),
          pollIntervalMs: 50,
          timeoutMs: 10_000,
          standIn: true,
        });
      }
      server = await startReceptionServer({
        port: 0,
        dbPath: ':memory:',
        cardReaderFactory: createSdkCardReaderFactory(desk.provider),
        certificateValidator: validator,
        ...(qualificationService === undefined ? {} : { qualificationService }),
      });
      client = await readyClient(server, desk);
    });
    afterAll(async () => {
      await server?.close();
      await desk?.provider.close();
      if (child !== undefined && child.exitCode === null) {
        const exited = new Promise((resolve) => child!.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (directory !== undefined) await rm(directory, { recursive: true, force: true });
    });

    it('answers with the same result view as a card check, readable again by id', async () => {
      const response = await client.post('/api/checks/by-numbers', KOKUHO);
      expect(response.status).toBe(201);
      const view = response.json;
      expect(view).toMatchObject({ mode: 'numbers', status: 'result' });
      expect(view.answer.header.referenceClassification).toBe('2');
      expect(view.answer.body.qualificationValidity).toBe('1');
      expect(view.answer.body.resultList[0]).toMatchObject({ name: '試験　太郎', insurerNumber: '138057' });
      // Reconciled with the stored patient P0001 (stored zero-padded: a format difference, not a mismatch).
      expect(view.reconciliation[0].status).toBe('match');
      expect(view.standInLabel.ja).toContain('模擬');
      const again = await client.get(`/api/checks/${view.id}`);
      expect(again.json.answer.body.resultList[0].name).toBe('試験　太郎');
      expect(server.services.audit.list({ subject: view.id }).map((event) => event.action)).toContain(
        'check.by-numbers',
      );
    });

    it('shows 該当なし (4) with guidance for numbers that match nobody, and 3 for old numbers after a job change', async () => {
      const none = await client.post('/api/checks/by-numbers', { ...KOKUHO, birthDate: '1980-04-02' });
      expect(none.status).toBe(201);
      expect(none.json.answer.body.qualificationValidity).toBe('4');
      expect(none.json.guidance.code).toBe('QUALIFICATION_NONE');
      const old = await client.post('/api/checks/by-numbers', {
        insurerNumber: '01130012',
        symbol: '5001',
        number: '99',
        branch: '',
        birthDate: '1985-03-03',
      });
      expect(old.json.answer.body.qualificationValidity).toBe('3');
    });

    it('refuses bad input with 400 NUMBERS_QUERY_INVALID naming the field, and requires login', async () => {
      const bad = await client.post('/api/checks/by-numbers', { ...KOKUHO, birthDate: '1980/04/01' });
      expect(bad.status).toBe(400);
      expect(bad.json.error).toMatchObject({ code: 'NUMBERS_QUERY_INVALID', field: 'birthDate' });
      const shortInsurer = await client.post('/api/checks/by-numbers', { ...KOKUHO, insurerNumber: '1380' });
      expect(shortInsurer.json.error.field).toBe('insurerNumber');
      const anonymous = await new ApiClient(server.url).post('/api/checks/by-numbers', KOKUHO);
      expect(anonymous.status).toBe(401);
    });
  },
);

describe('POST /api/checks/by-numbers with a qualification service that cannot query by numbers', () => {
  it('answers 409 BY_NUMBERS_UNSUPPORTED', async () => {
    const desk = createSimulatorDesk();
    const validator = createDeskCertificateValidator(desk);
    const full = createFileQualificationService({
      directory: tmpdir(),
      validator,
      now: () => new Date(),
      random: (bytes) => randomFillSync(bytes),
    });
    // An adapter that implements only the card query (the method is optional in the port).
    const cardOnly = { label: full.label, issueChallenge: full.issueChallenge, confirm: full.confirm };
    const server = await startReceptionServer({
      port: 0,
      dbPath: ':memory:',
      cardReaderFactory: createSdkCardReaderFactory(desk.provider),
      certificateValidator: validator,
      qualificationService: cardOnly,
    });
    try {
      const client = await readyClient(server, desk);
      const response = await client.post('/api/checks/by-numbers', KOKUHO);
      expect(response.status).toBe(409);
      expect(response.json.error.code).toBe('BY_NUMBERS_UNSUPPORTED');
    } finally {
      await server.close();
      await desk.provider.close();
    }
  });
});
