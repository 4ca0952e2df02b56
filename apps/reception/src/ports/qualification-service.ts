/**
 * The qualification service port: what the check flow asks the オンライン資格確認等システム. The
 * national system has no public sandbox; kakunin ships a SQLite stand-in
 * ({@link createSqliteQualificationService}) with synthetic persons. Field names and codes follow
 * domain.md §6 (XmlMsg MessageHeader / MessageBody / ResultOfQualificationConfirmation).
 *
 * @example
 * ```ts
 * const challenge = await service.issueChallenge();
 * const proof = await reader.checkWithPin({ pin, challenge: challenge.nonce, allowLastTry: false });
 * const answer = await service.confirm({ mode: 'pin', challengeId: challenge.id, ...proof });
 * ```
 */

/** OQSCD006 (domain.md §6). */
export const QUALIFICATION_VALIDITY = {
  VALID: '1',
  INVALID: '2',
  INVALID_NEWER_EXISTS: '3',
  NOT_FOUND: '4',
  MULTIPLE: '5',
} as const;
export type QualificationValidity = (typeof QUALIFICATION_VALIDITY)[keyof typeof QUALIFICATION_VALIDITY];

/** SegmentOfResult OQSCD003: 1 normal end, 2 processing, 9 abnormal end. */
export type SegmentOfResult = '1' | '2' | '9';

export interface ElderlyRecipientCertificateInfo {
  readonly issueDate?: string;
  readonly validFrom: string;
  readonly validUntil: string;
  readonly ratio: number;
}

export interface LimitApplicationCertificateInfo {
  /** `01` 限度額適用認定証, `02` 限度額適用・標準負担額減額認定証, `03` 標準負担額減額認定証. */
  readonly classification: '01' | '02' | '03';
  /** `A01`–`A06`, `B01`–`B10`. */
  readonly categoryFlag: string;
  readonly validFrom?: string;
  readonly validUntil?: string;
}

/** OQSCD016 consent flag: `0` 同意なし, `1` 同意あり, `2` 同意の有効期限切れ (domain.md §6). */
export type ConsentFlag = '0' | '1' | '2';

/**
 * One 特定疾病療養受療証 (SpecificDiseasesCertificateInfo), provided when the patient consented
 * (SpecificDiseasesCertificateRelatedConsFlg `1`).
 */
export interface SpecificDiseaseCertificateInfo {
  /**
   * OQSCD013: `1` 人工透析を要する慢性腎不全, `2` 血友病, `3` 抗ウイルス剤を投与している後天性免疫不全症候群.
   */
  readonly diseaseCategory: '1' | '2' | '3';
  /** YYYY-MM-DD */
  readonly validFrom?: string;
  /** YYYY-MM-DD */
  readonly validUntil?: string;
  /** Monthly self-payment limit in yen (10000, or 20000 for some dialysis patients). */
  readonly selfPayLimit?: number;
}

/**
 * The patient's consent to viewing one kind of information (…InfoConsFlg, …InfoConsTime,
 * …InfoAvailableTime): after consent the facility may view it until `availableUntil` (24 hours,
 * domain.md §7).
 */
export interface ViewingConsent {
  readonly flag: ConsentFlag;
  /** ISO 8601 instant (the OQS file carries YYYYMMDDhhmmss in Japan time). */
  readonly consentedAt?: string;
  /** ISO 8601 instant. */
  readonly availableUntil?: string;
}

/** ResultOfQualificationConfirmation (domain.md §6). */
export interface QualificationResult {
  /** `01` general … `07`. */
  readonly insuredCardClassification: string;
  /** 6 digits (国保) or 8 digits. */
  readonly insurerNumber: string;
  readonly insurerName: string;
  /** 記号 */
  readonly insuredCardSymbol: string;
  /** 番号 */
  readonly insuredIdentificationNumber: string;
  /** 枝番 */
  readonly insuredBranchNumber: string;
  /** `1` insured person, `2` dependant. */
  readonly personalFamilyClassification: '1' | '2';
  readonly insuredName?: string;
  /** May contain ● for characters the system cannot represent. */
  readonly name: string;
  readonly nameKana: string;
  /** `1` male, `2` female, `3` not set. */
  readonly sex: '1' | '2' | '3';
  /** YYYY-MM-DD */
  readonly birthdate: string;
  readonly address?: string;
  readonly postNumber?: string;
  readonly insuredCardValidDate: string;
  readonly insuredCardExpirationDate?: string;
  /** Copayment ratio in percent (30, 20, 10). */
  readonly insuredPartialContributionRatio: number;
  readonly preschoolClassification?: string;
  /** `01` death, `02` welfare, `03` other insurance acquired, `99` other. */
  readonly reasonOfLoss?: string;
  readonly elderlyRecipientCertificateInfo?: ElderlyRecipientCertificateInfo;
  readonly limitApplicationCertificateRelatedInfo?: LimitApplicationCertificateInfo;
  /** SpecificDiseasesCertificateRelatedConsFlg: consent to providing the 特定疾病療養受療証. */
  readonly specificDiseasesCertificateRelatedConsFlg?: ConsentFlag;
  /** The 特定疾病療養受療証 (present with consent `1`). */
  readonly specificDiseasesCertificateList?: readonly SpecificDiseaseCertificateInfo[];
  /** PharmacistsInfo…: 薬剤情報 viewing consent. */
  readonly pharmacistsInfoConsent?: ViewingConsent;
  /** DiagnosisInfo…: 診療情報 viewing consent. */
  readonly diagnosisInfoConsent?: ViewingConsent;
  /** SpecificHealthCheckupsInfo…: 特定健診情報 viewing consent. */
  readonly specificHealthCheckupsInfoConsent?: ViewingConsent;
  /** OperationInfo…: 手術情報 viewing consent. */
  readonly operationInfoConsent?: ViewingConsent;
  /** The facility's own patient number registered as 照会番号. */
  readonly referenceNumber?: string;
}

/** The answer's body: the processing result and the qualifications found. */
export interface QualificationAnswerBody {
  /** `1` normal, `2` error. */
  readonly processingResultStatus: '1' | '2';
  /** Set on errors, and on success with a side condition (certificate expiring soon). */
  readonly processingResultCode?: string;
  readonly processingResultMessage?: string;
  readonly qualificationValidity?: QualificationValidity;
  readonly resultList: readonly QualificationResult[];
}

export interface QualificationAnswer {
  readonly header: {
    readonly processExecutionTime: string;
    readonly qualificationConfirmationDate: string;
    readonly medicalInstitutionCode: string;
    /** `1` card. */
    readonly referenceClassification: '1' | '2';
    readonly segmentOfResult: SegmentOfResult;
    readonly errorCode?: string;
    readonly errorMessage?: string;
  };
  readonly body?: QualificationAnswerBody;
  /** Always true for the built-in service: it is a stand-in, not the national system. */
  readonly standIn: boolean;
}

export interface IssuedChallenge {
  readonly id: string;
  /** 32 random bytes the card signs. */
  readonly nonce: Uint8Array;
  readonly expiresAt: string;
}

export type ConfirmRequest =
  | {
      readonly mode: 'pin';
      readonly medicalInstitutionCode: string;
      readonly challengeId: string;
      readonly certificate: Uint8Array;
      readonly signature: Uint8Array;
    }
  | {
      /** 目視: no signature; the facility attests identity (staff id recorded by the app). */
      readonly mode: 'visual';
      readonly medicalInstitutionCode: string;
      readonly certificate: Uint8Array;
      readonly visualStaffId: string;
    };

/** Numbers printed on a 資格確認書 / old 保険証 (see qualification/numbers-query.ts). */
export interface NumbersQueryRequest {
  readonly medicalInstitutionCode: string;
  readonly insurerNumber: string;
  readonly symbol: string;
  readonly number: string;
  readonly branch: string;
  /** YYYY-MM-DD */
  readonly birthDate: string;
}

export interface QualificationService {
  /** Human-readable name shown on every result (the stand-in says so). */
  readonly label: { readonly ja: string; readonly en: string };
  issueChallenge(options?: { signal?: AbortSignal }): Promise<IssuedChallenge>;
  confirm(request: ConfirmRequest, options?: { signal?: AbortSignal }): Promise<QualificationAnswer>;
  /** Query by insurer number + 記号 + 番号 + 枝番 + birth date (ReferenceClassification `2`). */
  queryByNumbers?(
    request: NumbersQueryRequest,
    options?: { signal?: AbortSignal },
  ): Promise<QualificationAnswer>;
}
