/**
 * The facility's own patient records (what reception stored last time), used for reconciliation
 * and for the returning-patient oral confirmation. Lookup order: 照会番号 (reference number), then
 * insurer number + 記号 + 番号 + 枝番 (either insurer-number format), then kana name + birth date
 * (a job change keeps the person but changes every insurance field).
 *
 * @example
 * ```ts
 * const records = createPatientRecords({ database, now });
 * const stored = records.findFor(result);
 * records.upsertFromResult(result, stored?.id);
 * ```
 */
import type { QualificationResult } from '../ports/qualification-service.js';
import type { ReceptionDatabase } from '../storage/database.js';
import { type PatientRecord, SUBSTITUTE_CHARACTER } from './reconciliation.js';

interface PatientRow {
  id: number;
  reference_number: string | null;
  insurer_number: string;
  symbol: string;
  number: string;
  branch: string;
  family_class: string | null;
  name: string;
  name_kana: string | null;
  birthdate: string | null;
  sex: string | null;
  copayment_ratio: number | null;
  valid_from: string | null;
  valid_until: string | null;
  updated_at: string;
  version: number;
}

/**
 * Typed conflict: another desk changed (or created) this patient's record since this desk read it.
 * The API answers 409 `PATIENT_RECORD_CHANGED`; the UI says so and shows the record again.
 */
export class PatientRecordConflictError extends Error {
  override readonly name = 'PatientRecordConflictError';
  readonly code = 'PATIENT_RECORD_CHANGED';
  readonly recordId: number | null;
  constructor(recordId: number | null) {
    super(
      recordId === null
        ? 'another desk created this patient record meanwhile'
        : `another desk updated patient record ${recordId} meanwhile`,
    );
    this.recordId = recordId;
  }
}

const isUniqueViolation = (error: unknown): boolean => {
  const code = (error as { code?: unknown })?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'STORAGE_UNIQUE_VIOLATION';
};

const toRecord = (row: PatientRow): PatientRecord => ({
  id: row.id,
  referenceNumber: row.reference_number,
  insurerNumber: row.insurer_number,
  symbol: row.symbol,
  number: row.number,
  branch: row.branch,
  familyClass: row.family_class,
  name: row.name,
  nameKana: row.name_kana,
  birthdate: row.birthdate,
  sex: row.sex,
  copaymentRatio: row.copayment_ratio,
  validFrom: row.valid_from,
  validUntil: row.valid_until,
  updatedAt: row.updated_at,
  version: row.version,
});

export type PatientRecordInput = Omit<PatientRecord, 'id' | 'updatedAt'>;

export interface PatientRecords {
  findFor(result: QualificationResult): PatientRecord | undefined;
  get(id: number): PatientRecord | undefined;
  search(query: string): PatientRecord[];
  insert(input: PatientRecordInput): PatientRecord;
  /**
   * Writes the result into the record; keeps the stored name where the result has "●". With
   * `expectedVersion` (the version this desk compared against; null = no record then), a record
   * changed or created by another desk meanwhile throws {@link PatientRecordConflictError}.
   */
  upsertFromResult(
    result: QualificationResult,
    recordId: number | undefined,
    expectedVersion?: number | null,
  ): PatientRecord;
}

export function createPatientRecords(options: {
  database: ReceptionDatabase;
  now: () => Date;
}): PatientRecords {
  const { database, now } = options;
  const records: PatientRecords = {
    findFor(result) {
      const byReference =
        result.referenceNumber === undefined
          ? undefined
          : database.get<PatientRow>(
              'SELECT * FROM patient_record WHERE reference_number = ?',
              result.referenceNumber,
            );
      if (byReference !== undefined) return toRecord(byReference);
      const alternatives = [result.insurerNumber];
      if (result.insurerNumber.length === 6) alternatives.push(`00${result.insurerNumber}`);
      if (result.insurerNumber.length === 8 && result.insurerNumber.startsWith('00')) {
        alternatives.push(result.insurerNumber.slice(2));
      }
      for (const insurer of alternatives) {
        const row = database.get<PatientRow>(
          'SELECT * FROM patient_record WHERE insurer_number = ? AND symbol = ? AND number = ? AND branch = ?',
          insurer,
          result.insuredCardSymbol,
          result.insuredIdentificationNumber,
          result.insuredBranchNumber,
        );
        if (row !== undefined) return toRecord(row);
      }
      const byPerson = database.get<PatientRow>(
        'SELECT * FROM patient_record WHERE name_kana = ? AND birthdate = ? ORDER BY updated_at DESC LIMIT 1',
        result.nameKana,
        result.birthdate,
      );
      return byPerson === undefined ? undefined : toRecord(byPerson);
    },
    get(id) {
      const row = database.get<PatientRow>('SELECT * FROM patient_record WHERE id = ?', Math.trunc(id));
      return row === undefined ? undefined : toRecord(row);
    },
    search(query) {
      const like = `%${String(query).slice(0, 64)}%`;
      return database
        .all<PatientRow>(
          'SELECT * FROM patient_record WHERE name LIKE ? OR name_kana LIKE ? OR reference_number LIKE ? ORDER BY updated_at DESC LIMIT 20',
          like,
          like,
          like,
        )
        .map(toRecord);
    },
    insert(input) {
      let info: { lastInsertRowid: number | bigint };
      try {
        info = database.run(
          `INSERT INTO patient_record (reference_number, insurer_number, symbol, number, branch, family_class, name, name_kana,
          birthdate, sex, copayment_ratio, valid_from, valid_until, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          input.referenceNumber,
          input.insurerNumber,
          input.symbol,
          input.number,
          input.branch,
          input.familyClass,
          input.name,
          input.nameKana,
          input.birthdate,
          input.sex,
          input.copaymentRatio,
          input.validFrom,
          input.validUntil,
          now().toISOString(),
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new PatientRecordConflictError(null);
        throw error;
      }
      return records.get(Number(info.lastInsertRowid))!;
    },
    upsertFromResult(result, recordId, expectedVersion) {
      return database.write(() => {
        const stored = recordId === undefined ? undefined : records.get(recordId);
        if (expectedVersion !== undefined) {
          if (recordId !== undefined && stored === undefined) throw new PatientRecordConflictError(recordId);
          if (stored !== undefined && stored.version !== expectedVersion)
            throw new PatientRecordConflictError(stored.id);
        }
        const name =
          result.name.includes(SUBSTITUTE_CHARACTER) && stored !== undefined ? stored.name : result.name;
        const values = {
          referenceNumber: result.referenceNumber ?? stored?.referenceNumber ?? null,
          insurerNumber: result.insurerNumber,
          symbol: result.insuredCardSymbol,
          number: result.insuredIdentificationNumber,
          branch: result.insuredBranchNumber,
          familyClass: result.personalFamilyClassification,
          name,
          nameKana: result.nameKana,
          birthdate: result.birthdate,
          sex: result.sex,
          copaymentRatio: result.insuredPartialContributionRatio,
          validFrom: result.insuredCardValidDate,
          validUntil: result.insuredCardExpirationDate ?? null,
        };
        if (stored === undefined) return records.insert(values);
        const updated = database.run(
          `UPDATE patient_record SET reference_number = ?, insurer_number = ?, symbol = ?, number = ?, branch = ?, family_class = ?,
            name = ?, name_kana = ?, birthdate = ?, sex = ?, copayment_ratio = ?, valid_from = ?, valid_until = ?, updated_at = ?,
            version = version + 1 WHERE id = ? AND version = ?`,
          values.referenceNumber,
          values.insurerNumber,
          values.symbol,
          values.number,
          values.branch,
          values.familyClass,
          values.name,
          values.nameKana,
          values.birthdate,
          values.sex,
          values.copaymentRatio,
          values.validFrom,
          values.validUntil,
          now().toISOString(),
          stored.id,
          stored.version ?? 1,
        );
        if (updated.changes !== 1) throw new PatientRecordConflictError(stored.id);
        return records.get(stored.id)!;
      });
    },
  };
  return records;
}
