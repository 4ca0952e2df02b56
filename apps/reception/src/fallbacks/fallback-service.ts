/**
 * Records every fallback as an auditable evidence record (domain.md §11 "Fallbacks"): failure
 * category, evidence type, the data read from the document, staff account, time, the check it
 * belongs to, a scheduled re-query date (再照会), and for a 被保険者資格申立書 the PDF itself (stored
 * in SQLite with its SHA-256). Each record also appends to the hash-chained audit log.
 *
 * @example
 * ```ts
 * const record = await fallbacks.record({ actor: 'staff01', checkId, failureCategory: 2, evidence: 'myna-portal-pdf', data: { insurerNumber: '138057', shownWithCard: true } });
 * ```
 */
import { createHash } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.js';
import type { PatientRecords } from '../checks/patient-records.js';
import { renderDeclarationPdf, unprintableCharacters } from '../pdf/declaration-pdf.js';
import type { TrueTypeFont } from '../pdf/truetype-font.js';
import { APP_POLICY } from '../policy.js';
import type { ReceptionDatabase } from '../storage/database.js';
import type { FailureCategory } from '../troubleshooting/error-guidance.js';
import { claimFor, japanToday, parseDeclaration } from './declaration-form.js';
import { EVIDENCE_TYPES, type EvidenceType, REQUIRES_CARD, refusalReason } from './fallback-rules.js';

export class FallbackRefusedError extends RangeError {
  override readonly name = 'FallbackRefusedError';
  constructor(
    readonly code: string,
    readonly reason: { ja: string; en: string },
  ) {
    super(reason.en);
  }
}

interface CardHolder {
  readonly name: string;
  readonly birthdate?: string;
}

const bareName = (name: unknown): string => String(name ?? '').replace(/[\s\u3000]/g, '');

/** Same name (spaces ignored) and, where both are known, the same birth date. */
function isSamePerson(patient: { name: string; birthdate: string | null }, holder: CardHolder): boolean {
  if (bareName(patient.name) !== bareName(holder.name)) return false;
  return (
    patient.birthdate === null || holder.birthdate === undefined || patient.birthdate === holder.birthdate
  );
}

export interface FallbackRecord {
  readonly id: string;
  readonly checkId: string | null;
  readonly createdAt: string;
  readonly staffAccount: string;
  readonly failureCategory: FailureCategory;
  readonly evidence: EvidenceType;
  readonly data: Record<string, unknown>;
  readonly requeryOn: string | null;
  readonly documentSha256: string | null;
}

export interface FallbackInput {
  readonly actor: string;
  readonly checkId?: string | null;
  readonly failureCategory: number;
  readonly evidence: string;
  readonly data?: unknown;
}

export interface FallbackService {
  record(input: FallbackInput): Promise<FallbackRecord>;
  get(id: string): FallbackRecord | undefined;
  list(options?: { checkId?: string; limit?: number }): FallbackRecord[];
  document(id: string): { mediaType: string; content: Uint8Array } | undefined;
}

const DOCUMENT_FIELDS = [
  'insurerNumber',
  'symbol',
  'number',
  'branch',
  'name',
  'birthdate',
  'copaymentRatio',
  'validUntil',
  'note',
] as const;

interface FallbackRow {
  id: string;
  check_id: string | null;
  created_at: string;
  staff_account: string;
  failure_category: number;
  evidence: string;
  data_json: string;
  requery_on: string | null;
  document_sha256: string | null;
}

const toRecord = (row: FallbackRow): FallbackRecord => ({
  id: row.id,
  checkId: row.check_id,
  createdAt: row.created_at,
  staffAccount: row.staff_account,
  failureCategory: row.failure_category as FailureCategory,
  evidence: row.evidence as EvidenceType,
  data: JSON.parse(row.data_json) as Record<string, unknown>,
  requeryOn: row.requery_on,
  documentSha256: row.document_sha256,
});

export function createFallbackService(options: {
  database: ReceptionDatabase;
  audit: AuditLog;
  patients: PatientRecords;
  now: () => Date;
  random: (bytes: Uint8Array) => Uint8Array;
  facility: () => { code: string; name: string } | undefined;
  font: () => Promise<TrueTypeFont>;
}): FallbackService {
  const { database, audit, patients, now, random } = options;
  /** The person the check's qualification answer named (the card holder), if it named one. */
  const cardHolderOf = (checkId: string): CardHolder | undefined => {
    const row = database.get<{ result_json: string | null }>(
      'SELECT result_json FROM qualification_check WHERE id = ?',
      String(checkId),
    );
    if (row?.result_json == null) return undefined;
    try {
      const stored = JSON.parse(row.result_json) as {
        answer?: { body?: { resultList?: { name?: unknown; birthdate?: unknown }[] } };
      };
      const result = stored.answer?.body?.resultList?.[0];
      if (typeof result?.name !== 'string' || result.name === '') return undefined;
      return {
        name: result.name,
        ...(typeof result.birthdate === 'string' ? { birthdate: result.birthdate } : {}),
      };
    } catch {
      return undefined;
    }
  };
  return {
    async record(input) {
      const category = input.failureCategory;
      if (category !== 1 && category !== 2 && category !== 3)
        throw new RangeError('failureCategory must be 1, 2 or 3');
      if (!(EVIDENCE_TYPES as readonly string[]).includes(input.evidence)) {
        throw new RangeError(`evidence must be one of ${EVIDENCE_TYPES.join(', ')}`);
      }
      const evidence = input.evidence as EvidenceType;
      const refusal = refusalReason(category, evidence);
      if (refusal !== undefined) throw new FallbackRefusedError('EVIDENCE_NOT_ACCEPTED', refusal);
      const body = (input.data ?? {}) as Record<string, unknown>;
      if (typeof body !== 'object' || body === null) throw new TypeError('data must be an object');
      const at = now();
      const id = `fb-${Buffer.from(random(new Uint8Array(8))).toString('hex')}`;
      let data: Record<string, unknown> = {};
      let document: Uint8Array | undefined;

      if (REQUIRES_CARD.has(evidence) && body.shownWithCard !== true) {
        throw new FallbackRefusedError('CARD_REQUIRED', {
          ja: 'この書類はマイナンバーカードと併せて提示していただく必要があります。',
          en: 'This document is valid only together with the My Number card.',
        });
      }
      if (evidence === 'oral-confirmation') {
        const recordId = Number(body.patientRecordId);
        const patient = Number.isInteger(recordId) ? patients.get(recordId) : undefined;
        if (patient === undefined) {
          throw new FallbackRefusedError('NOT_A_RETURNING_PATIENT', {
            ja: '口頭確認は、過去の受診で資格が確認できている再診の方のみです。初診の方は被保険者資格申立書を記入してください。',
            en: 'Oral confirmation is only for returning patients whose qualification is on record; first-visit patients fill in the declaration.',
          });
        }
        // Only the holder of the card this check read (when the national system named them):
        // an oral "nothing changed" is about the person in front of the desk, not any record.
        const holder = input.checkId ? cardHolderOf(input.checkId) : undefined;
        if (holder !== undefined && !isSamePerson(patient, holder)) {
          throw new FallbackRefusedError('NOT_THE_CARD_HOLDER', {
            ja: `口頭確認は、読み取ったカードの持ち主(${holder.name}さん)ご本人の記録にだけ使えます。別の方の記録は選べません。ご本人の記録がない場合は被保険者資格申立書を記入してください。`,
            en: `Oral confirmation is only for the record of the card holder just read (${holder.name}); another person's record cannot be chosen. Without a record of the holder, fill in the declaration.`,
          });
        }
        if (body.noChangeConfirmed !== true) {
          throw new RangeError('noChangeConfirmed must be true: the patient confirmed nothing has changed');
        }
        data = {
          patientRecordId: patient.id,
          patientName: patient.name,
          insurerNumber: patient.insurerNumber,
          noChangeConfirmed: true,
        };
      } else if (evidence === 'declaration') {
        const form = parseDeclaration(body, japanToday(at));
        const claim = claimFor(form);
        const facility = options.facility() ?? { code: '0000000000', name: '' };
        const font = await options.font();
        document = renderDeclarationPdf({
          form,
          claim,
          facility,
          recordId: id,
          createdAt: at,
          font,
        });
        // Characters the font could not print: the PDF carries a visible warning; so does the record.
        data = { form, claim, unprintableCharacters: unprintableCharacters(form, font) };
      } else {
        for (const field of DOCUMENT_FIELDS) {
          const value = body[field];
          if (value === undefined || value === null || value === '') continue;
          if (typeof value !== 'string' && typeof value !== 'number')
            throw new TypeError(`${field} must be a string`);
          data[field] = String(value).slice(0, 200);
        }
        if (typeof data.insurerNumber === 'string' && !/^(\d{6}|\d{8})$/.test(data.insurerNumber)) {
          throw new RangeError('insurerNumber must have 6 or 8 digits');
        }
        if (REQUIRES_CARD.has(evidence)) data.shownWithCard = true;
      }
      const requeryOn =
        evidence === 'full-payment'
          ? null
          : new Date(at.getTime() + APP_POLICY.requeryAfterDays * 86_400_000).toISOString().slice(0, 10);
      const sha256 = document === undefined ? null : createHash('sha256').update(document).digest('hex');
      database.write(() => {
        database.run(
          'INSERT INTO fallback_record (id, check_id, created_at, staff_account, failure_category, evidence, data_json, requery_on, document_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          id,
          input.checkId ?? null,
          at.toISOString(),
          input.actor,
          category,
          evidence,
          JSON.stringify(data),
          requeryOn,
          sha256,
        );
        if (document !== undefined) {
          database.run(
            'INSERT INTO fallback_document (fallback_id, media_type, content) VALUES (?, ?, ?)',
            id,
            'application/pdf',
            document,
          );
        }
        if (input.checkId) {
          database.run(
            "UPDATE qualification_check SET status = 'fallback-recorded' WHERE id = ?",
            input.checkId,
          );
        }
        audit.append({
          actor: input.actor,
          action: 'fallback.recorded',
          subject: id,
          data: {
            checkId: input.checkId ?? null,
            failureCategory: category,
            evidence,
            documentSha256: sha256,
          },
        });
      });
      return {
        id,
        checkId: input.checkId ?? null,
        createdAt: at.toISOString(),
        staffAccount: input.actor,
        failureCategory: category,
        evidence,
        data,
        requeryOn,
        documentSha256: sha256,
      };
    },
    get(id) {
      const row = database.get<FallbackRow>('SELECT * FROM fallback_record WHERE id = ?', String(id));
      return row === undefined ? undefined : toRecord(row);
    },
    list(listOptions = {}) {
      const limit = Math.min(Math.max(Math.trunc(listOptions.limit ?? 100), 1), 500);
      const rows =
        listOptions.checkId === undefined
          ? database.all<FallbackRow>(
              'SELECT * FROM fallback_record ORDER BY created_at DESC, rowid DESC LIMIT ?',
              limit,
            )
          : database.all<FallbackRow>(
              'SELECT * FROM fallback_record WHERE check_id = ? ORDER BY created_at DESC LIMIT ?',
              listOptions.checkId,
              limit,
            );
      return rows.map(toRecord);
    },
    document(id) {
      const row = database.get<{ media_type: string; content: Uint8Array }>(
        'SELECT media_type, content FROM fallback_document WHERE fallback_id = ?',
        String(id),
      );
      return row === undefined
        ? undefined
        : { mediaType: row.media_type, content: new Uint8Array(row.content) };
    },
  };
}
