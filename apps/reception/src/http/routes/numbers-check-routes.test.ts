/**
 * `POST /api/checks/by-numbers` at the HTTP level, through the built-in stand-in and through the
 * file-interface adapter talking to the stand-in 連携アプリ as a real child process.
 */
import { randomFillSync } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileQualificationService } from '../../qualification/file-qualification-service.js';
import { KOKUHO_NUMBERS as KOKUHO } from '../../qualification/synthetic-persons.js';
import type { ReceptionServer } from '../../server.js';
import { createDeskCertificateValidator } from '../../simulator/desk-certificate-validator.js';
import { createSimulatorDesk } from '../../simulator/simulator-desk.js';
import { type OqsStandInProcess, startOqsStandInProcess } from '../../startup/oqs-standin-process.js';
import { ApiClient } from '../../testing/api-client.js';
import { readyClient, startTestServer, type TestServer } from '../../testing/test-server.js';

describe.each(['built-in stand-in', 'file interface (stand-in 連携アプリ process)'] as const)(
  'POST /api/checks/by-numbers through the %s',
  (via) => {
    let harness: TestServer;
    let server: ReceptionServer;
    let client: ApiClient;
    let standIn: OqsStandInProcess | undefined;
    let directory: string | undefined;

    beforeAll(async () => {
      const desk = createSimulatorDesk();
      const validator = createDeskCertificateValidator(desk);
      let qualificationService: ReturnType<typeof createFileQualificationService> | undefined;
      if (via !== 'built-in stand-in') {
        directory = await mkdtemp(join(tmpdir(), 'kakunin-oqs-api-'));
        await mkdir(join(directory, 'req'));
        await mkdir(join(directory, 'res'));
        standIn = await startOqsStandInProcess({ directory });
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
      harness = await startTestServer({
        dbPath: ':memory:',
        simulatorDesk: desk,
        validator: () => validator,
        seed: true,
        ...(qualificationService === undefined ? {} : { qualificationService }),
      });
      server = harness.server;
      client = await readyClient(harness);
    });
    afterAll(async () => {
      await harness?.close();
      await standIn?.close();
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
      // Stored like a card check (schema migration 4 admits mode 'numbers'), finished, no reader.
      expect(
        server.services.database.get(
          'SELECT mode, status, reader_id, qualification_validity, finished_at IS NOT NULL AS finished FROM qualification_check WHERE id = ?',
          view.id,
        ),
      ).toEqual({
        mode: 'numbers',
        status: 'result',
        reader_id: null,
        qualification_validity: '1',
        finished: 1,
      });
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
    await using harness = await startTestServer({
      dbPath: ':memory:',
      simulatorDesk: desk,
      validator: () => validator,
      seed: true,
      qualificationService: cardOnly,
    });
    const client = await readyClient(harness);
    const response = await client.post('/api/checks/by-numbers', KOKUHO);
    expect(response.status).toBe(409);
    expect(response.json.error.code).toBe('BY_NUMBERS_UNSUPPORTED');
  });
});
