/**
 * The built-in qualification service: a **stand-in for the national オンライン資格確認等システム**
 * (which has no public sandbox), backed by SQLite and seeded with synthetic persons. Before it
 * answers it checks, like the real system would:
 *   1. the challenge exists, is unexpired and unused (one-time, bound to this query);
 *   2. the card's RSASSA-PKCS1-v1_5 / SHA-256 signature over the challenge verifies with the
 *      certificate's public key (PIN mode; visual mode carries a staff attestation instead);
 *   3. the certificate validates through the CertificateValidator port (`@kakunin/core/x509`:
 *      JPKI profile, issuing root, period, revocation GOOD — an UNKNOWN revocation answer is
 *      refused); an expired certificate is accepted only within the 3-month grace (domain.md §8.1);
 *   4. the certificate is linked to a person (保険証利用登録).
 *
 * @example
 * ```ts
 * const service = createSqliteQualificationService({ database, validator, now: () => new Date(), random });
 * service.seed();
 * service.linkCertificate('valid-kokuho', certificateDer);
 * ```
 */
import { verify, X509Certificate } from 'node:crypto';
import { APP_POLICY } from '../policy.js';
import type { CertificateValidator } from '../ports/certificate-validator.js';
import type {
  ConfirmRequest,
  IssuedChallenge,
  QualificationAnswer,
  QualificationService,
} from '../ports/qualification-service.js';
import type { ReceptionDatabase } from '../storage/database.js';
import {
  answerHeader,
  assertConfirmRequest,
  certificateGate,
  failureAnswer,
  STAND_IN_CODES,
} from './certificate-gate.js';
import { answerByNumbers, parseNumbersQuery } from './numbers-query.js';
import { SYNTHETIC_PERSONS, type SyntheticPerson } from './synthetic-persons.js';

export { STAND_IN_CODES } from './certificate-gate.js';

const CHALLENGE_BYTES = 32;

export interface SqliteQualificationServiceOptions {
  readonly database: ReceptionDatabase;
  readonly validator: CertificateValidator;
  readonly now: () => Date;
  /** Randomness source (crypto.getRandomValues in production). */
  readonly random: (bytes: Uint8Array) => Uint8Array;
}

export interface PersonSummary {
  readonly id: string;
  readonly label: { ja: string; en: string };
  readonly validity: string;
  readonly linkedCertificates: number;
}

export interface SqliteQualificationService extends QualificationService {
  queryByNumbers: NonNullable<QualificationService['queryByNumbers']>;
  /** Inserts the synthetic persons (idempotent). */
  seed(persons?: readonly SyntheticPerson[]): void;
  /** 保険証利用登録: ties a certificate (issuer + serial) to a person. Replaces an earlier link. */
  linkCertificate(personId: string, certificate: Uint8Array): void;
  listPersons(): PersonSummary[];
  personForCertificate(certificate: Uint8Array): string | undefined;
}

/** Certificate identity used for the link: issuer DN + serial number. */
export function certificateKey(certificate: Uint8Array): string {
  const parsed = new X509Certificate(certificate);
  return `${parsed.serialNumber.toUpperCase()}@${parsed.issuer.replace(/\n/g, ',')}`;
}

export function createSqliteQualificationService(
  options: SqliteQualificationServiceOptions,
): SqliteQualificationService {
  const { database, validator, now, random } = options;
  if (
    database === undefined ||
    validator === undefined ||
    typeof now !== 'function' ||
    typeof random !== 'function'
  ) {
    throw new TypeError('createSqliteQualificationService: database, validator, now and random are required');
  }

  const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

  const logQuery = (key: string | null, mode: string, answer: QualificationAnswer): void => {
    database.run(
      'INSERT INTO oqs_query_log (at, certificate_key, mode, segment_of_result, qualification_validity, processing_result_code) VALUES (?, ?, ?, ?, ?, ?)',
      now().toISOString(),
      key,
      mode,
      answer.header.segmentOfResult,
      answer.body?.qualificationValidity ?? null,
      answer.body?.processingResultCode ?? null,
    );
  };

  const failure = (institution: string, code: string, message: string): QualificationAnswer =>
    failureAnswer(now(), institution, { code, message }, true);

  return {
    label: {
      ja: 'オンライン資格確認(模擬サービス・国のシステムではありません)',
      en: 'Online qualification check (stand-in, not the national system)',
    },

    async issueChallenge(callOptions = {}) {
      callOptions.signal?.throwIfAborted();
      const nonce = random(new Uint8Array(CHALLENGE_BYTES));
      const id = toHex(random(new Uint8Array(16)));
      const issued = now();
      const expiresAt = new Date(issued.getTime() + APP_POLICY.challengeLifetimeSeconds * 1000).toISOString();
      database.run(
        'INSERT INTO oqs_challenge (id, nonce, issued_at, expires_at) VALUES (?, ?, ?, ?)',
        id,
        nonce,
        issued.toISOString(),
        expiresAt,
      );
      return { id, nonce: nonce.slice(), expiresAt } satisfies IssuedChallenge;
    },

    async confirm(request: ConfirmRequest, callOptions = {}) {
      callOptions.signal?.throwIfAborted();
      assertConfirmRequest(request);
      const institution = request.medicalInstitutionCode;
      let key: string | null = null;
      const finish = (answer: QualificationAnswer): QualificationAnswer => {
        logQuery(key, request.mode, answer);
        return answer;
      };
      try {
        key = certificateKey(request.certificate);
      } catch {
        return finish(failure(institution, STAND_IN_CODES.CERTIFICATE_INVALID, '電子証明書を読み取れません'));
      }
      const at = now();

      if (request.mode === 'pin') {
        // 1. one-time challenge, consumed atomically
        const nonce = database.write(() => {
          const row = database.get<{ nonce: Uint8Array; expires_at: string; used_at: string | null }>(
            'SELECT nonce, expires_at, used_at FROM oqs_challenge WHERE id = ?',
            String(request.challengeId),
          );
          if (row === undefined || row.used_at !== null || Date.parse(row.expires_at) < at.getTime())
            return undefined;
          database.run(
            'UPDATE oqs_challenge SET used_at = ? WHERE id = ?',
            at.toISOString(),
            String(request.challengeId),
          );
          return new Uint8Array(row.nonce);
        });
        if (nonce === undefined) {
          return finish(
            failure(institution, STAND_IN_CODES.CHALLENGE_INVALID, 'チャレンジが無効です(期限切れ・再使用)'),
          );
        }
        // 2. the card's signature over the challenge, with the certificate's key
        let signatureOk = false;
        try {
          const publicKey = new X509Certificate(request.certificate).publicKey;
          signatureOk = verify('sha256', nonce, publicKey, request.signature);
        } catch {
          signatureOk = false;
        }
        if (!signatureOk) {
          return finish(failure(institution, STAND_IN_CODES.SIGNATURE_INVALID, '署名を検証できません'));
        }
      }

      // 3. certificate validation (JPKI profile, issuing root, period, revocation), with the
      //    3-month grace after expiry (domain.md §8.1). Revocation must have answered GOOD: an
      //    UNKNOWN answer is refused, never treated as good.
      // A validator configured to delegate revocation here: this stand-in holds no JPKI CRLs
      // (only J-LIS-approved verifiers do), so it says so instead of claiming a check.
      const gated = await certificateGate(validator, request.certificate, at, {
        delegatedNote: {
          code: STAND_IN_CODES.REVOCATION_NOT_CHECKED,
          message: '失効確認は代替サービスでは行っていません(本番の資格確認システムが確認します)。',
        },
      });
      if ('failure' in gated) return finish(failure(institution, gated.failure.code, gated.failure.message));
      const sideCondition = gated.side;

      // 4. 保険証利用登録
      const link = database.get<{ person_id: string }>(
        'SELECT person_id FROM oqs_card_link WHERE certificate_key = ?',
        key,
      );
      const person =
        link === undefined
          ? undefined
          : database.get<{ data_json: string }>(
              'SELECT data_json FROM oqs_person WHERE id = ?',
              link.person_id,
            );
      if (person === undefined) {
        return finish(failure(institution, STAND_IN_CODES.NOT_REGISTERED, '保険証利用登録がされていません'));
      }
      const data = JSON.parse(person.data_json) as SyntheticPerson;
      const message = [sideCondition?.message, data.message].filter((part) => part !== undefined).join(' ');
      return finish({
        header: answerHeader(now(), institution, '1'),
        body: {
          processingResultStatus: '1',
          ...(sideCondition === undefined ? {} : { processingResultCode: sideCondition.code }),
          ...(message.length === 0 ? {} : { processingResultMessage: message }),
          qualificationValidity: data.validity,
          resultList: data.results,
        },
        standIn: true,
      });
    },

    async queryByNumbers(request, callOptions = {}) {
      callOptions.signal?.throwIfAborted();
      const query = parseNumbersQuery(request);
      const persons = database
        .all<{ data_json: string }>('SELECT data_json FROM oqs_person ORDER BY rowid')
        .map((row) => JSON.parse(row.data_json) as SyntheticPerson);
      const found = answerByNumbers(persons, query);
      const answer: QualificationAnswer = {
        header: answerHeader(now(), request.medicalInstitutionCode, '1', undefined, '2'),
        body: {
          processingResultStatus: '1',
          ...(found.message === undefined ? {} : { processingResultMessage: found.message }),
          qualificationValidity: found.validity,
          resultList: found.results,
        },
        standIn: true,
      };
      logQuery(null, 'numbers', answer);
      return answer;
    },

    seed(persons = SYNTHETIC_PERSONS) {
      database.write(() => {
        for (const person of persons) {
          database.run(
            'INSERT INTO oqs_person (id, label, data_json) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET label = excluded.label, data_json = excluded.data_json',
            person.id,
            JSON.stringify(person.label),
            JSON.stringify(person),
          );
        }
      });
    },

    linkCertificate(personId, certificate) {
      if (typeof personId !== 'string') throw new TypeError('linkCertificate: personId must be a string');
      const key = certificateKey(certificate);
      database.write(() => {
        if (database.get('SELECT id FROM oqs_person WHERE id = ?', personId) === undefined) {
          throw new RangeError(`linkCertificate: unknown person ${personId}`);
        }
        database.run(
          'INSERT INTO oqs_card_link (certificate_key, person_id, linked_at) VALUES (?, ?, ?) ON CONFLICT(certificate_key) DO UPDATE SET person_id = excluded.person_id, linked_at = excluded.linked_at',
          key,
          personId,
          now().toISOString(),
        );
      });
    },

    listPersons() {
      return database
        .all<{ id: string; label: string; data_json: string; links: number }>(
          'SELECT p.id, p.label, p.data_json, (SELECT COUNT(*) FROM oqs_card_link l WHERE l.person_id = p.id) AS links FROM oqs_person p ORDER BY p.rowid',
        )
        .map((row) => ({
          id: row.id,
          label: JSON.parse(row.label) as { ja: string; en: string },
          validity: (JSON.parse(row.data_json) as SyntheticPerson).validity,
          linkedCertificates: row.links,
        }));
    },

    personForCertificate(certificate) {
      return database.get<{ person_id: string }>(
        'SELECT person_id FROM oqs_card_link WHERE certificate_key = ?',
        certificateKey(certificate),
      )?.person_id;
    },
  };
}
