/**
 * Synthetic persons of the qualification stand-in: every result code and data edge of domain.md
 * §6/§8/§10 — valid (国保 6-digit and 被用者 8-digit insurer numbers), a 70–74 elderly recipient, a
 * dependant, "●" substituted characters, invalid, invalid-but-newer-exists (job change done), job
 * change in progress (invalid, nothing newer yet), not found (registration lag) and multiple
 * matches; a holder of a 特定疾病療養受療証 and a patient who consented to viewing medication,
 * diagnosis and health-check data (OQSCD016 flags, OQSCD013 disease categories). All names, numbers and addresses are invented.
 *
 * @example
 * ```ts
 * const person = SYNTHETIC_PERSONS.find((entry) => entry.id === 'valid-kokuho');
 * ```
 */
import type { QualificationResult, QualificationValidity } from '../ports/qualification-service.js';

export interface SyntheticPerson {
  readonly id: string;
  readonly label: { readonly ja: string; readonly en: string };
  readonly validity: QualificationValidity;
  readonly results: readonly QualificationResult[];
  /** ProcessingResultMessage to return with the answer, if any. */
  readonly message?: string;
}

const base = {
  insuredCardClassification: '01',
  insuredBranchNumber: '00',
  personalFamilyClassification: '1',
  sex: '1',
  insuredPartialContributionRatio: 30,
} as const;

/** The numbers on 試験　太郎's 資格確認書 (person `valid-kokuho`), as a by-numbers query asks them. */
export const KOKUHO_NUMBERS = {
  insurerNumber: '138057',
  symbol: 'モギ',
  number: '1234567',
  branch: '00',
  birthDate: '1980-04-01',
} as const;

export const SYNTHETIC_PERSONS: readonly SyntheticPerson[] = [
  {
    id: 'valid-kokuho',
    label: { ja: '有効(国保・保険者番号6桁)', en: 'Valid (national health insurance, 6-digit insurer)' },
    validity: '1',
    results: [
      {
        ...base,
        insurerNumber: '138057',
        insurerName: '模擬区国民健康保険',
        insuredCardSymbol: 'モギ',
        insuredIdentificationNumber: '1234567',
        name: '試験　太郎',
        nameKana: 'シケン　タロウ',
        birthdate: '1980-04-01',
        address: '東京都模擬区一丁目1番1号',
        postNumber: '100-0001',
        insuredCardValidDate: '2020-04-01',
        referenceNumber: 'P0001',
      },
    ],
  },
  {
    id: 'valid-employee',
    label: {
      ja: '有効(被用者保険・保険者番号8桁・限度区分あり)',
      en: 'Valid (employee insurance, 8-digit insurer, limit category)',
    },
    validity: '1',
    results: [
      {
        ...base,
        insurerNumber: '01130012',
        insurerName: '模擬健康保険組合',
        insuredCardSymbol: '5001',
        insuredIdentificationNumber: '42',
        sex: '2',
        name: '見本　花子',
        nameKana: 'ミホン　ハナコ',
        birthdate: '1975-11-23',
        insuredCardValidDate: '2019-10-01',
        limitApplicationCertificateRelatedInfo: {
          classification: '01',
          categoryFlag: 'B04',
          validFrom: '2026-01-01',
        },
        referenceNumber: 'P0002',
      },
    ],
  },
  {
    id: 'valid-elderly',
    label: { ja: '有効(70〜74歳・高齢受給者)', en: 'Valid (70–74, elderly recipient)' },
    validity: '1',
    results: [
      {
        ...base,
        insurerNumber: '138057',
        insurerName: '模擬区国民健康保険',
        insuredCardSymbol: 'モギ',
        insuredIdentificationNumber: '7654321',
        name: '仮名　一郎',
        nameKana: 'カメイ　イチロウ',
        birthdate: '1953-06-15',
        insuredCardValidDate: '2018-04-01',
        insuredPartialContributionRatio: 20,
        elderlyRecipientCertificateInfo: { validFrom: '2025-08-01', validUntil: '2026-07-31', ratio: 20 },
      },
    ],
  },
  {
    id: 'valid-specific-disease',
    label: { ja: '有効(特定疾病療養受療証あり)', en: 'Valid (specific disease certificate)' },
    validity: '1',
    results: [
      {
        ...base,
        insurerNumber: '138057',
        insurerName: '模擬区国民健康保険',
        insuredCardSymbol: 'モギ',
        insuredIdentificationNumber: '2223334',
        name: '透析　次子',
        nameKana: 'トウセキ　ツギコ',
        sex: '2',
        birthdate: '1962-02-14',
        insuredCardValidDate: '2015-04-01',
        // provided because the patient consented (flag 1): dialysis, ¥10,000 a month
        specificDiseasesCertificateRelatedConsFlg: '1',
        specificDiseasesCertificateList: [
          { diseaseCategory: '1', validFrom: '2024-04-01', validUntil: '2027-03-31', selfPayLimit: 10000 },
        ],
      },
    ],
  },
  {
    id: 'valid-consented',
    label: {
      ja: '有効(薬剤情報・診療情報・特定健診情報の閲覧に同意)',
      en: 'Valid (consented to viewing medication, diagnosis and health-check data)',
    },
    validity: '1',
    results: [
      {
        ...base,
        insurerNumber: '01130012',
        insurerName: '模擬健康保険組合',
        insuredCardSymbol: '5001',
        insuredIdentificationNumber: '58',
        name: '同意　三恵',
        nameKana: 'ドウイ　ミエ',
        sex: '2',
        birthdate: '1988-08-08',
        insuredCardValidDate: '2021-04-01',
        pharmacistsInfoConsent: {
          flag: '1',
          consentedAt: '2026-12-07T00:30:00.000Z',
          availableUntil: '2026-12-08T00:30:00.000Z',
        },
        diagnosisInfoConsent: {
          flag: '1',
          consentedAt: '2026-12-07T00:30:00.000Z',
          availableUntil: '2026-12-08T00:30:00.000Z',
        },
        specificHealthCheckupsInfoConsent: {
          flag: '1',
          consentedAt: '2026-12-07T00:30:00.000Z',
          availableUntil: '2026-12-08T00:30:00.000Z',
        },
        operationInfoConsent: { flag: '0' },
      },
    ],
  },
  {
    id: 'valid-dependant',
    label: { ja: '有効(被扶養者・未就学児)', en: 'Valid (dependant, preschool child)' },
    validity: '1',
    results: [
      {
        ...base,
        insurerNumber: '06139999',
        insurerName: '模擬商事健康保険組合',
        insuredCardSymbol: '12',
        insuredIdentificationNumber: '345',
        insuredBranchNumber: '02',
        personalFamilyClassification: '2',
        insuredName: '試作　健一',
        name: '試作　さくら',
        nameKana: 'シサク　サクラ',
        sex: '2',
        birthdate: '2021-02-03',
        insuredCardValidDate: '2021-02-03',
        insuredPartialContributionRatio: 20,
        preschoolClassification: '1',
      },
    ],
  },
  {
    id: 'substituted-name',
    label: { ja: '有効(氏名に「●」)', en: 'Valid (name with ● substitute)' },
    validity: '1',
    results: [
      {
        ...base,
        insurerNumber: '138057',
        insurerName: '模擬区国民健康保険',
        insuredCardSymbol: 'モギ',
        insuredIdentificationNumber: '1112223',
        name: '●田　次郎',
        nameKana: 'ヨシダ　ジロウ',
        birthdate: '1990-09-09',
        insuredCardValidDate: '2022-04-01',
        referenceNumber: 'P0005',
      },
    ],
  },
  {
    id: 'invalid',
    label: { ja: '無効(資格喪失)', en: 'Invalid (qualification lost)' },
    validity: '2',
    results: [
      {
        ...base,
        insurerNumber: '01130012',
        insurerName: '模擬健康保険組合',
        insuredCardSymbol: '5001',
        insuredIdentificationNumber: '77',
        name: '架空　三郎',
        nameKana: 'カクウ　サブロウ',
        birthdate: '1968-01-30',
        insuredCardValidDate: '2010-04-01',
        insuredCardExpirationDate: '2025-12-31',
        reasonOfLoss: '99',
      },
    ],
  },
  {
    id: 'invalid-newer-exists',
    label: {
      ja: '無効(新しい資格あり・転職済み)',
      en: 'Invalid but a newer qualification exists (job change done)',
    },
    validity: '3',
    results: [
      {
        ...base,
        insurerNumber: '06271234',
        insurerName: '新模擬健康保険組合',
        insuredCardSymbol: '88',
        insuredIdentificationNumber: '1001',
        name: '例示　四郎',
        nameKana: 'レイジ　シロウ',
        birthdate: '1985-03-03',
        insuredCardValidDate: '2026-04-01',
      },
      {
        ...base,
        insurerNumber: '01130012',
        insurerName: '模擬健康保険組合',
        insuredCardSymbol: '5001',
        insuredIdentificationNumber: '99',
        name: '例示　四郎',
        nameKana: 'レイジ　シロウ',
        birthdate: '1985-03-03',
        insuredCardValidDate: '2015-04-01',
        insuredCardExpirationDate: '2026-03-31',
        reasonOfLoss: '03',
      },
    ],
  },
  {
    id: 'job-change-in-progress',
    label: { ja: '無効(転職で加入手続き中)', en: 'Invalid (job change, new enrolment pending)' },
    validity: '2',
    message: '新しい保険者での加入手続き中の可能性があります。',
    results: [
      {
        ...base,
        insurerNumber: '138057',
        insurerName: '模擬区国民健康保険',
        insuredCardSymbol: 'モギ',
        insuredIdentificationNumber: '5550001',
        name: '試行　五月',
        nameKana: 'シコウ　サツキ',
        sex: '2',
        birthdate: '1995-05-05',
        insuredCardValidDate: '2020-04-01',
        insuredCardExpirationDate: '2026-04-30',
        reasonOfLoss: '03',
      },
    ],
  },
  {
    id: 'not-found',
    label: { ja: '該当資格なし(保険者の登録待ち)', en: 'Not found (insurer registration lag)' },
    validity: '4',
    results: [],
  },
  {
    id: 'multiple',
    label: { ja: '複数該当', en: 'Multiple matches' },
    validity: '5',
    results: [
      {
        ...base,
        insurerNumber: '138057',
        insurerName: '模擬区国民健康保険',
        insuredCardSymbol: 'モギ',
        insuredIdentificationNumber: '3330001',
        name: '重複　六郎',
        nameKana: 'ジュウフク　ロクロウ',
        birthdate: '1972-12-12',
        insuredCardValidDate: '2021-04-01',
      },
      {
        ...base,
        insurerNumber: '32130015',
        insurerName: '模擬共済組合',
        insuredCardSymbol: '40',
        insuredIdentificationNumber: '600',
        name: '重複　六郎',
        nameKana: 'ジュウフク　ロクロウ',
        birthdate: '1972-12-12',
        insuredCardValidDate: '2024-04-01',
      },
    ],
  },
];
