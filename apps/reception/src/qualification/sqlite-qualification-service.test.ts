import * as nodeCrypto from 'node:crypto';
import { randomFillSync } from 'node:crypto';
import { createNodeCryptoVerifier } from '@kakunin/core/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSdkCardReaderFactory } from '../adapters/sdk-card-reader-factory.js';
import {
  createJpkiCertificateValidator,
  type JpkiCertificateValidatorOptions,
} from '../certificates/jpki-certificate-validator.js';
import type { CardReaderFactory } from '../ports/card-reader.js';
import { createDeskCertificateValidator } from '../simulator/desk-certificate-validator.js';
import { createSimulatorDesk, type SimulatorDesk } from '../simulator/simulator-desk.js';
import { openReceptionDatabase, type ReceptionDatabase } from '../storage/database.js';
import { pinProof, pinRequest, visualRequest } from '../testing/qualification-requests.js';
import { createSqliteQualificationService, STAND_IN_CODES } from './sqlite-qualification-service.js';
import { SYNTHETIC_PERSONS } from './synthetic-persons.js';

const random = (bytes: Uint8Array): Uint8Array => randomFillSync(bytes);

/** What an answer must hold: its segment, processing result code and (part of) its message. */
const answered = (segment: string, code: string, message: string, body: object = {}) => ({
  header: { segmentOfResult: segment },
  body: { processingResultCode: code, processingResultMessage: expect.stringContaining(message), ...body },
});

describe('qualification stand-in (SQLite)', () => {
  let desk: SimulatorDesk;
  let factory: CardReaderFactory;
  let database: ReceptionDatabase;
  let clock = new Date();
  const now = (): Date => clock;
  let service: ReturnType<typeof createSqliteQualificationService>;

  beforeAll(() => {
    desk = createSimulatorDesk();
    factory = createSdkCardReaderFactory(desk.provider);
    database = openReceptionDatabase({ path: ':memory:' });
    const validator = createDeskCertificateValidator(desk);
    service = createSqliteQualificationService({ database, validator, now, random });
    service.seed();
  });
  afterAll(async () => {
    database.close();
    await factory.close();
  });

  /** Another stand-in on the same database, validating with the JPKI validator over the desk's test roots. */
  const standInWith = (options: Partial<JpkiCertificateValidatorOptions>) =>
    createSqliteQualificationService({
      database,
      validator: createJpkiCertificateValidator({
        trustAnchors: [],
        testAnchors: desk.testAnchors,
        ...options,
      }),
      now,
      random,
    });

  /** A real PIN-mode proof from the virtual card over a fresh challenge. */
  const proofFromCard = (profile: 'plastic' | 'child' = 'plastic') =>
    pinProof(desk, factory, service, profile);

  it('answers a verified PIN-mode query with the linked person, once per challenge', async () => {
    clock = new Date();
    const { challenge, proof } = await proofFromCard();
    service.linkCertificate('valid-kokuho', proof.certificate);
    const request = pinRequest(challenge.id, proof);
    const answer = await service.confirm(request);
    expect(answer.standIn).toBe(true);
    expect(answer.header.segmentOfResult).toBe('1');
    expect(answer.body?.qualificationValidity).toBe('1');
    expect(answer.body?.resultList[0]?.insurerNumber).toBe('138057');
    const replay = await service.confirm(request);
    expect(replay.body?.processingResultCode).toBe(STAND_IN_CODES.CHALLENGE_INVALID);
  });

  it('rejects a tampered signature and a signature over another challenge', async () => {
    const { challenge, proof } = await proofFromCard();
    const tampered = proof.signature.slice();
    tampered[10] = (tampered[10]! ^ 0x01) & 0xff;
    const bad = await service.confirm(
      pinRequest(challenge.id, { certificate: proof.certificate, signature: tampered }),
    );
    expect(bad.body?.processingResultCode).toBe(STAND_IN_CODES.SIGNATURE_INVALID);
    const other = await service.issueChallenge();
    const wrongChallenge = await service.confirm(pinRequest(other.id, proof));
    expect(wrongChallenge.body?.processingResultCode).toBe(STAND_IN_CODES.SIGNATURE_INVALID);
  });

  it('refuses an expired challenge', async () => {
    clock = new Date();
    const { challenge, proof } = await proofFromCard();
    clock = new Date(clock.getTime() + 121_000);
    const answer = await service.confirm(pinRequest(challenge.id, proof));
    expect(answer.body?.processingResultCode).toBe(STAND_IN_CODES.CHALLENGE_INVALID);
    clock = new Date();
  });

  it('refuses a certificate from an untrusted root and an unregistered certificate', async () => {
    const otherDesk = createSimulatorDesk({ seed: 'another-pki' });
    const strict = createSqliteQualificationService({
      database,
      validator: createDeskCertificateValidator(otherDesk),
      now,
      random,
    });
    const certificate = desk.authCertificate('plastic');
    const untrusted = await strict.confirm(visualRequest(certificate, 's1'));
    expect(untrusted.header.segmentOfResult).toBe('9');
    expect(untrusted.body?.processingResultCode).toBe(STAND_IN_CODES.CERTIFICATE_INVALID);
    const unregistered = await service.confirm(visualRequest(desk.authCertificate('android'), 's1'));
    expect(unregistered.body?.processingResultCode).toBe(STAND_IN_CODES.NOT_REGISTERED);
  });

  it('refuses a revoked certificate, and one whose revocation status is unknown (never taken as good)', async () => {
    clock = new Date();
    const revoked = desk.authCertificate('revoked');
    service.linkCertificate('valid-employee', revoked);
    expect(await service.confirm(visualRequest(revoked, 's1'))).toMatchObject(
      answered('9', STAND_IN_CODES.CERTIFICATE_INVALID, '失効', { resultList: [] }),
    );

    const noRevocation = standInWith({});
    const certificate = desk.authCertificate('plastic');
    service.linkCertificate('valid-kokuho', certificate);
    expect(await noRevocation.confirm(visualRequest(certificate, 's1'))).toMatchObject(
      answered('9', STAND_IN_CODES.CERTIFICATE_INVALID, '失効状態を確認できません'),
    );
    // Revocation delegated (issue 14): answered, and the answer says revocation was not checked here.
    const delegating = standInWith({ revocation: 'delegated' });
    expect(await delegating.confirm(visualRequest(certificate, 's1'))).toMatchObject(
      answered('1', STAND_IN_CODES.REVOCATION_NOT_CHECKED, '失効確認は代替サービスでは行っていません'),
    );
    // A revoked card is still refused when revocation is delegated and a source answers REVOKED.
    const delegatingWithCrl = standInWith({
      revocation: 'delegated',
      revocationSource: desk.revocationSource({ verifier: createNodeCryptoVerifier(nodeCrypto) }),
    });
    const stillRevoked = await delegatingWithCrl.confirm(visualRequest(revoked, 's1'));
    expect(stillRevoked.body?.processingResultCode).toBe(STAND_IN_CODES.CERTIFICATE_INVALID);
    // the same certificate with the desk's CRLs is answered
    const good = await service.confirm(visualRequest(certificate, 's1'));
    expect(good.body?.qualificationValidity).toBe('1');
  });

  it('returns every result code of the synthetic persons', async () => {
    const certificate = desk.authCertificate('child');
    clock = new Date();
    for (const person of SYNTHETIC_PERSONS) {
      service.linkCertificate(person.id, certificate);
      const answer = await service.confirm(visualRequest(certificate, 'nurse'));
      expect(answer.body?.qualificationValidity, person.id).toBe(person.validity);
      expect(answer.body?.resultList.length, person.id).toBe(person.results.length);
    }
    const codes = new Set(SYNTHETIC_PERSONS.map((person) => person.validity));
    expect([...codes].sort()).toEqual(['1', '2', '3', '4', '5']);
    const insurerLengths = new Set(
      SYNTHETIC_PERSONS.flatMap((person) => person.results.map((result) => result.insurerNumber.length)),
    );
    expect([...insurerLengths].sort()).toEqual([6, 8]);
    expect(
      SYNTHETIC_PERSONS.some((person) => person.results.some((result) => result.name.includes('●'))),
    ).toBe(true);
  });

  it('accepts an expired certificate within the 3-month grace with a warning, and refuses it after', async () => {
    const certificate = desk.authCertificate('expired');
    service.linkCertificate('valid-elderly', certificate);
    const notAfter = new Date(
      (await createDeskCertificateValidator(desk).validate(certificate, { at: new Date(), purpose: 'auth' }))
        .notAfter!,
    );
    const request = visualRequest(certificate, 'nurse');
    clock = new Date(notAfter.getTime() + 30 * 86_400_000);
    const inGrace = await service.confirm(request);
    expect(inGrace.body?.qualificationValidity).toBe('1');
    expect(inGrace.body?.processingResultCode).toBe(STAND_IN_CODES.CERTIFICATE_EXPIRED_IN_GRACE);
    clock = new Date(notAfter.getTime() + 100 * 86_400_000);
    const outside = await service.confirm(request);
    expect(outside.header.segmentOfResult).toBe('9');
    expect(outside.body?.processingResultCode).toBe(STAND_IN_CODES.CERTIFICATE_EXPIRED);
    clock = new Date(notAfter.getTime() - 30 * 86_400_000);
    const expiringSoon = await service.confirm(request);
    expect(expiringSoon.body?.processingResultCode).toBe(STAND_IN_CODES.CERTIFICATE_EXPIRING_SOON);
    clock = new Date();
  });

  it('logs every query without card data beyond the certificate key', () => {
    const rows = database.all<{ mode: string; segment_of_result: string }>(
      'SELECT mode, segment_of_result FROM oqs_query_log',
    );
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((row) => row.mode === 'pin' || row.mode === 'visual')).toBe(true);
  });
});
