// Over 600 lines: the one OQS XML file format — request and answer documents with their element-by-element writers and strict parsers side by side.
/**
 * The XmlMsg documents of the 資格確認端末's file interface (single query `OQSsiquc01req_*.xml` in
 * `req/`, answer `OQSsiquc01res_*.xml` in `res/`), written and read both ways: the adapter writes
 * requests and reads answers, the stand-in 連携アプリ reads requests and writes answers. Which
 * element names, codes and layouts are confirmed by public sources and which are inferred is listed
 * in apps/reception/README.md ("資格確認端末 file interface"); `[inferred]` below marks the latter.
 *
 * Dates are `YYYYMMDD`, times `YYYYMMDDhhmmss` (local time of the terminal, JST), the copayment
 * ratio a 3-digit percentage (`030`); the app's own types use ISO dates and a number.
 *
 * @example
 * ```ts
 * const bytes = buildNumbersRequest({ id, medicalInstitutionCode, query, encoding: 'Shift_JIS', at });
 * const answer = parseAnswer(parseXmlBytes(resBytes).root, { standIn: true });
 * ```
 */
import type {
  QualificationAnswer,
  QualificationAnswerBody,
  QualificationResult,
  SegmentOfResult,
  SpecificDiseaseCertificateInfo,
  ViewingConsent,
} from '../ports/qualification-service.js';
import type { NumbersQuery } from './numbers-query.js';
import { child, children, childText, el, opt, type XmlElement, type XmlEncoding } from './oqs-xml.js';

/** File-name prefixes (domain.md §5.3; Sotatek-ChinhVu/smart-test, YUKI-ENT/OQSDrug2). */
export const OQS_FILE = {
  requestPrefix: 'OQSsiquc01req_',
  responsePrefix: 'OQSsiquc01res_',
  extension: '.xml',
} as const;

/** OQSCD005 CharacterCodeIdentifier: `0` UTF-8, `1` Shift_JIS. */
export const CHARACTER_CODE = { 'UTF-8': '0', Shift_JIS: '1' } as const;

/** The substitute the national system prints for unrepresentable characters (domain.md §6, §10). */
export const NATIONAL_SUBSTITUTE = '●';
/**
 * Marks that stand for a lost character once the answer went through an encoder [inferred]: 〓
 * (GETA MARK, this stand-in's Shift_JIS substitute), ＿ (FULLWIDTH LOW LINE, named by the issue as
 * seen), U+FFFD (a decoder's replacement). Read as ● so reconciliation treats them alike.
 */
export const SUBSTITUTE_MARKS = ['〓', '＿', '\uFFFD'] as const;

export class OqsFormatError extends Error {
  override readonly name = 'OqsFormatError';
  readonly code = 'OQS_RESPONSE_INVALID';
}

const ID_PATTERN = /^[A-Za-z0-9]{1,40}$/;

export function requestFileName(id: string): string {
  if (!ID_PATTERN.test(id)) throw new RangeError('file identifier must be 1–40 letters or digits');
  return `${OQS_FILE.requestPrefix}${id}${OQS_FILE.extension}`;
}

export function responseFileName(id: string): string {
  if (!ID_PATTERN.test(id)) throw new RangeError('file identifier must be 1–40 letters or digits');
  return `${OQS_FILE.responsePrefix}${id}${OQS_FILE.extension}`;
}

/** The identifier part of a request/response file name, or undefined for any other name. */
export function fileIdentifier(name: string, kind: 'request' | 'response'): string | undefined {
  const prefix = kind === 'request' ? OQS_FILE.requestPrefix : OQS_FILE.responsePrefix;
  if (!name.startsWith(prefix) || !name.endsWith(OQS_FILE.extension)) return undefined;
  const id = name.slice(prefix.length, -OQS_FILE.extension.length);
  return ID_PATTERN.test(id) ? id : undefined;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `YYYYMMDD` in JST (the terminal's clock) [inferred: time zone]. */
export function oqsDate(at: Date): string {
  const jst = new Date(at.getTime() + 9 * 3600_000);
  return `${jst.getUTCFullYear()}${pad(jst.getUTCMonth() + 1)}${pad(jst.getUTCDate())}`;
}

export function oqsDateTime(at: Date): string {
  const jst = new Date(at.getTime() + 9 * 3600_000);
  return `${oqsDate(at)}${pad(jst.getUTCHours())}${pad(jst.getUTCMinutes())}${pad(jst.getUTCSeconds())}`;
}

const isoToOqs = (iso: string | undefined): string | undefined =>
  iso === undefined ? undefined : iso.replace(/-/g, '').slice(0, 8);

function oqsToIso(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{8}$/.test(value)) throw new OqsFormatError(`${field} is not YYYYMMDD: "${value}"`);
  return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
}

function oqsTimeToIso(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{14}$/.test(value)) throw new OqsFormatError(`${field} is not YYYYMMDDhhmmss: "${value}"`);
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((start, index) =>
    Number(value.slice(start, index === 0 ? 4 : start + 2)),
  ) as [number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h - 9, mi, s)).toISOString();
}

// ─── requests ────────────────────────────────────────────────────────────────

export interface CardProof {
  readonly mode: 'pin' | 'visual';
  readonly certificate: Uint8Array;
  readonly challenge?: Uint8Array;
  readonly signature?: Uint8Array;
  readonly visualStaffId?: string;
}

export interface RequestInput {
  readonly id: string;
  readonly medicalInstitutionCode: string;
  readonly at: Date;
  /** Encoding asked for the answer (CharacterCodeIdentifier). */
  readonly answerEncoding: XmlEncoding;
}

function requestHeader(input: RequestInput, referenceClassification: '1' | '2'): XmlElement {
  return el('MessageHeader', [
    el('QualificationConfirmationDate', oqsDate(input.at)),
    el('MedicalInstitutionCode', input.medicalInstitutionCode),
    el('ArbitraryFileIdentifier', input.id),
    // [inferred] that the request carries these two: the public clients show them in answers.
    el('ReferenceClassification', referenceClassification),
    el('CharacterCodeIdentifier', CHARACTER_CODE[input.answerEncoding]),
  ]);
}

/** Single query by 記号・番号 (QualificationConfirmSearchInfo, as the web API and smart-test use). */
export function numbersRequest(input: RequestInput & { readonly query: NumbersQuery }): XmlElement {
  const { query } = input;
  return el('XmlMsg', [
    requestHeader(input, '2'),
    el('MessageBody', [
      el('QualificationConfirmSearchInfo', [
        el('InsurerNumber', query.insurerNumber),
        opt('InsuredCardSymbol', query.symbol === '' ? undefined : query.symbol),
        el('InsuredIdentificationNumber', query.number),
        opt('InsuredBranchNumber', query.branch === '' ? undefined : query.branch),
        el('Birthdate', isoToOqs(query.birthDate)!),
        // Limit-certificate data needs no consent since 2024-10-07 (domain.md §7) [inferred: value].
        el('LimitApplicationCertificateRelatedConsFlg', '1'),
      ]),
    ]),
  ]);
}

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/**
 * Card query — a **kakunin extension**, not part of the public interface: on a real 資格確認端末 the
 * card is read by the 顔認証付きカードリーダー and the answer appears in `face/`. kakunin reads the
 * card itself, so it sends the auth certificate and the card's signature over a one-time challenge
 * in a `KakuninCardProof` element.
 */
export function cardRequest(input: RequestInput & { readonly proof: CardProof }): XmlElement {
  const { proof } = input;
  return el('XmlMsg', [
    requestHeader(input, '1'),
    el('MessageBody', [
      el('KakuninCardProof', [
        el('Mode', proof.mode),
        el('Certificate', base64(proof.certificate)),
        opt('Challenge', proof.challenge === undefined ? undefined : base64(proof.challenge)),
        opt('Signature', proof.signature === undefined ? undefined : base64(proof.signature)),
        opt('VisualStaffId', proof.visualStaffId),
      ]),
    ]),
  ]);
}

export type ParsedRequest =
  | {
      readonly kind: 'numbers';
      readonly id: string;
      readonly medicalInstitutionCode: string;
      readonly answerEncoding: XmlEncoding | undefined;
      readonly query: NumbersQuery;
    }
  | {
      readonly kind: 'card';
      readonly id: string;
      readonly medicalInstitutionCode: string;
      readonly answerEncoding: XmlEncoding | undefined;
      readonly proof: CardProof;
    };

const fromBase64 = (value: string | undefined): Uint8Array | undefined =>
  value === undefined ? undefined : new Uint8Array(Buffer.from(value, 'base64'));

export function parseRequest(root: XmlElement): ParsedRequest {
  if (root.name !== 'XmlMsg') throw new OqsFormatError('root element must be XmlMsg');
  const header = child(root, 'MessageHeader');
  const body = child(root, 'MessageBody');
  const id = childText(header, 'ArbitraryFileIdentifier') ?? '';
  const medicalInstitutionCode = childText(header, 'MedicalInstitutionCode') ?? '';
  const code = childText(header, 'CharacterCodeIdentifier');
  const answerEncoding = code === '1' ? 'Shift_JIS' : code === '0' ? 'UTF-8' : undefined;
  const search = child(body, 'QualificationConfirmSearchInfo');
  if (search !== undefined) {
    const birth = childText(search, 'Birthdate');
    return {
      kind: 'numbers',
      id,
      medicalInstitutionCode,
      answerEncoding,
      query: {
        insurerNumber: childText(search, 'InsurerNumber') ?? '',
        symbol: childText(search, 'InsuredCardSymbol') ?? '',
        number: childText(search, 'InsuredIdentificationNumber') ?? '',
        branch: childText(search, 'InsuredBranchNumber') ?? '',
        birthDate: oqsToIso(birth, 'Birthdate') ?? '',
      },
    };
  }
  const proof = child(body, 'KakuninCardProof');
  if (proof !== undefined) {
    const mode = childText(proof, 'Mode');
    const certificate = fromBase64(childText(proof, 'Certificate'));
    if ((mode !== 'pin' && mode !== 'visual') || certificate === undefined)
      throw new OqsFormatError('KakuninCardProof needs Mode and Certificate');
    const challenge = fromBase64(childText(proof, 'Challenge'));
    const signature = fromBase64(childText(proof, 'Signature'));
    const visualStaffId = childText(proof, 'VisualStaffId');
    return {
      kind: 'card',
      id,
      medicalInstitutionCode,
      answerEncoding,
      proof: {
        mode,
        certificate,
        ...(challenge === undefined ? {} : { challenge }),
        ...(signature === undefined ? {} : { signature }),
        ...(visualStaffId === undefined ? {} : { visualStaffId }),
      },
    };
  }
  throw new OqsFormatError('request has neither QualificationConfirmSearchInfo nor KakuninCardProof');
}

// ─── answers ─────────────────────────────────────────────────────────────────

/** Right-aligns a 6-digit insurer number in 8 columns, as one public sample shows [inferred: rule]. */
const insurerColumn = (value: string): string => value.padStart(8, ' ');

function resultElement(result: QualificationResult): XmlElement {
  const elderly = result.elderlyRecipientCertificateInfo;
  const limit = result.limitApplicationCertificateRelatedInfo;
  return el('ResultOfQualificationConfirmation', [
    el('InsuredCardClassification', result.insuredCardClassification),
    el('InsurerNumber', insurerColumn(result.insurerNumber)),
    opt('InsuredCardSymbol', result.insuredCardSymbol === '' ? undefined : result.insuredCardSymbol),
    el('InsuredIdentificationNumber', result.insuredIdentificationNumber),
    opt('InsuredBranchNumber', result.insuredBranchNumber === '' ? undefined : result.insuredBranchNumber),
    el('PersonalFamilyClassification', result.personalFamilyClassification),
    opt('InsuredName', result.insuredName),
    el('Name', result.name),
    el('NameKana', result.nameKana),
    el('Sex1', result.sex),
    el('Birthdate', isoToOqs(result.birthdate)!),
    opt('Address', result.address),
    opt('PostNumber', result.postNumber),
    el('InsuredCardValidDate', isoToOqs(result.insuredCardValidDate)!),
    opt('InsuredCardExpirationDate', isoToOqs(result.insuredCardExpirationDate)),
    el('InsuredPartialContributionRatio', String(result.insuredPartialContributionRatio).padStart(3, '0')),
    opt('PreschoolClassification', result.preschoolClassification),
    opt('ReasonOfLoss', result.reasonOfLoss),
    el('InsurerName', result.insurerName),
    elderly === undefined
      ? undefined
      : el('ElderlyRecipientCertificateInfo', [
          opt('ElderlyRecipientCertificateDate', isoToOqs(elderly.issueDate)),
          el('ElderlyRecipientValidStartDate', isoToOqs(elderly.validFrom)!),
          el('ElderlyRecipientValidEndDate', isoToOqs(elderly.validUntil)!),
          el('ElderlyRecipientContributionRatio', String(elderly.ratio).padStart(3, '0')),
        ]),
    limit === undefined
      ? undefined
      : el('LimitApplicationCertificateRelatedInfo', [
          el('LimitApplicationCertificateClassification', limit.classification),
          el('LimitApplicationCertificateClassificationFlag', limit.categoryFlag),
          opt('LimitApplicationCertificateValidStartDate', isoToOqs(limit.validFrom)),
          opt('LimitApplicationCertificateValidEndDate', isoToOqs(limit.validUntil)),
        ]),
    opt('SpecificDiseasesCertificateRelatedConsFlg', result.specificDiseasesCertificateRelatedConsFlg),
    result.specificDiseasesCertificateList === undefined
      ? undefined
      : el(
          'SpecificDiseasesCertificateList',
          result.specificDiseasesCertificateList.map((certificate) =>
            el('SpecificDiseasesCertificateInfo', [
              el('SpecificDiseasesDiseaseCategory', certificate.diseaseCategory),
              opt('SpecificDiseasesValidStartDate', isoToOqs(certificate.validFrom)),
              opt('SpecificDiseasesValidEndDate', isoToOqs(certificate.validUntil)),
              opt(
                'SpecificDiseasesSelfPay',
                certificate.selfPayLimit === undefined ? undefined : String(certificate.selfPayLimit),
              ),
            ]),
          ),
        ),
    ...VIEWING_CONSENTS.flatMap(([key, prefix]) => consentElements(prefix, result[key])),
    opt('ReferenceNumber', result.referenceNumber),
  ]);
}

/** The viewing consents of a result and their element prefix (…ConsFlg, …ConsTime, …AvailableTime). */
const VIEWING_CONSENTS = [
  ['specificHealthCheckupsInfoConsent', 'SpecificHealthCheckupsInfo'],
  ['pharmacistsInfoConsent', 'PharmacistsInfo'],
  ['diagnosisInfoConsent', 'DiagnosisInfo'],
  ['operationInfoConsent', 'OperationInfo'],
] as const satisfies readonly (readonly [keyof QualificationResult, string])[];

const CONSENT_FLAGS = ['0', '1', '2'] as const;

function consentElements(prefix: string, consent: ViewingConsent | undefined): (XmlElement | undefined)[] {
  if (consent === undefined) return [];
  const time = (iso: string | undefined) => (iso === undefined ? undefined : oqsDateTime(new Date(iso)));
  return [
    el(`${prefix}ConsFlg`, consent.flag),
    opt(`${prefix}ConsTime`, time(consent.consentedAt)),
    opt(`${prefix}AvailableTime`, time(consent.availableUntil)),
  ];
}

function parseConsent(element: XmlElement, prefix: string): ViewingConsent | undefined {
  const flag = optOneOf(childText(element, `${prefix}ConsFlg`), CONSENT_FLAGS, `${prefix}ConsFlg`);
  if (flag === undefined) return undefined;
  const consentedAt = oqsTimeToIso(childText(element, `${prefix}ConsTime`), `${prefix}ConsTime`);
  const availableUntil = oqsTimeToIso(childText(element, `${prefix}AvailableTime`), `${prefix}AvailableTime`);
  return {
    flag,
    ...(consentedAt === undefined ? {} : { consentedAt }),
    ...(availableUntil === undefined ? {} : { availableUntil }),
  };
}

/** At most this many 特定疾病 certificates per result (there are three disease categories). */
const MAX_SPECIFIC_DISEASE_CERTIFICATES = 3;

function parseSpecificDiseases(element: XmlElement): SpecificDiseaseCertificateInfo[] | undefined {
  const list = child(element, 'SpecificDiseasesCertificateList');
  if (list === undefined) return undefined;
  const items = children(list, 'SpecificDiseasesCertificateInfo');
  if (items.length > MAX_SPECIFIC_DISEASE_CERTIFICATES)
    throw new OqsFormatError(`SpecificDiseasesCertificateList has ${items.length} entries`);
  return items.map((item) => {
    const validFrom = oqsToIso(
      childText(item, 'SpecificDiseasesValidStartDate'),
      'SpecificDiseasesValidStartDate',
    );
    const validUntil = oqsToIso(
      childText(item, 'SpecificDiseasesValidEndDate'),
      'SpecificDiseasesValidEndDate',
    );
    const selfPay = childText(item, 'SpecificDiseasesSelfPay');
    if (selfPay !== undefined && !/^\d{1,7}$/.test(selfPay))
      throw new OqsFormatError(`SpecificDiseasesSelfPay is not an amount: "${selfPay}"`);
    return {
      diseaseCategory: oneOf(
        childText(item, 'SpecificDiseasesDiseaseCategory'),
        ['1', '2', '3'] as const,
        'SpecificDiseasesDiseaseCategory',
      ),
      ...(validFrom === undefined ? {} : { validFrom }),
      ...(validUntil === undefined ? {} : { validUntil }),
      ...(selfPay === undefined ? {} : { selfPayLimit: Number(selfPay) }),
    };
  });
}

export interface AnswerInput {
  readonly id: string;
  readonly medicalInstitutionCode: string;
  readonly at: Date;
  readonly encoding: XmlEncoding;
  readonly referenceClassification: '1' | '2';
  readonly segmentOfResult: SegmentOfResult;
  readonly error?: { readonly code: string; readonly message: string };
  readonly body?: QualificationAnswerBody;
}

export function answerDocument(input: AnswerInput): XmlElement {
  const body = input.body;
  return el('XmlMsg', [
    el('MessageHeader', [
      el('ProcessExecutionTime', oqsDateTime(input.at)),
      el('QualificationConfirmationDate', oqsDate(input.at)),
      el('MedicalInstitutionCode', input.medicalInstitutionCode),
      el('ArbitraryFileIdentifier', input.id),
      el('ReferenceClassification', input.referenceClassification),
      el('SegmentOfResult', input.segmentOfResult),
      opt('ErrorCode', input.error?.code),
      opt('ErrorMessage', input.error?.message),
      el('CharacterCodeIdentifier', CHARACTER_CODE[input.encoding]),
    ]),
    body === undefined
      ? undefined
      : el('MessageBody', [
          el('ProcessingResultStatus', body.processingResultStatus),
          opt('ProcessingResultCode', body.processingResultCode),
          opt('ProcessingResultMessage', body.processingResultMessage),
          opt('QualificationValidity', body.qualificationValidity),
          body.resultList.length === 0
            ? undefined
            : el(
                'ResultList',
                body.resultList.map((result) => resultElement(result)),
              ),
        ]),
  ]);
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], field: string): T {
  if (value === undefined || !(allowed as readonly string[]).includes(value))
    throw new OqsFormatError(`${field} has an unknown code "${value ?? ''}"`);
  return value as T;
}

function optOneOf<T extends string>(value: string | undefined, allowed: readonly T[], field: string) {
  return value === undefined ? undefined : oneOf(value, allowed, field);
}

function required(element: XmlElement, field: string): string {
  const value = childText(element, field);
  if (value === undefined) throw new OqsFormatError(`${field} is missing`);
  return value;
}

function ratio(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,3}$/.test(value)) throw new OqsFormatError(`${field} is not a percentage: "${value}"`);
  const parsed = Number(value);
  if (parsed > 100) throw new OqsFormatError(`${field} over 100`);
  return parsed;
}

/** Replaces substitute marks in a name by ● (see {@link SUBSTITUTE_MARKS}). */
export function normalizeSubstitutes(name: string): string {
  let out = name;
  for (const mark of SUBSTITUTE_MARKS) out = out.split(mark).join(NATIONAL_SUBSTITUTE);
  return out;
}

/** Half-width katakana runs (U+FF61–U+FF9F) to full width; other characters unchanged. */
export function fullWidthKana(text: string): string {
  return text.replace(/[\uFF61-\uFF9F]+/g, (run) => run.normalize('NFKC'));
}

function parseResult(element: XmlElement): QualificationResult {
  const name = (field: string): string | undefined => {
    const value = childText(element, field);
    return value === undefined ? undefined : normalizeSubstitutes(value);
  };
  const elderlyElement = child(element, 'ElderlyRecipientCertificateInfo');
  const limitElement = child(element, 'LimitApplicationCertificateRelatedInfo');
  const optional = <K extends string, V>(key: K, value: V | undefined) =>
    (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;
  const sex = oneOf(childText(element, 'Sex1'), ['1', '2', '3'] as const, 'Sex1');
  const elderly =
    elderlyElement === undefined
      ? undefined
      : {
          ...optional(
            'issueDate',
            oqsToIso(
              childText(elderlyElement, 'ElderlyRecipientCertificateDate'),
              'ElderlyRecipientCertificateDate',
            ),
          ),
          validFrom: oqsToIso(
            required(elderlyElement, 'ElderlyRecipientValidStartDate'),
            'ElderlyRecipientValidStartDate',
          )!,
          validUntil: oqsToIso(
            required(elderlyElement, 'ElderlyRecipientValidEndDate'),
            'ElderlyRecipientValidEndDate',
          )!,
          ratio: ratio(
            required(elderlyElement, 'ElderlyRecipientContributionRatio'),
            'ElderlyRecipientContributionRatio',
          )!,
        };
  const limit =
    limitElement === undefined
      ? undefined
      : {
          classification: oneOf(
            childText(limitElement, 'LimitApplicationCertificateClassification'),
            ['01', '02', '03'] as const,
            'LimitApplicationCertificateClassification',
          ),
          categoryFlag: oneOf(
            childText(limitElement, 'LimitApplicationCertificateClassificationFlag'),
            [
              ...['01', '02', '03', '04', '05', '06'].map((n) => `A${n}`),
              ...['01', '02', '03', '04', '05', '06', '07', '08', '09', '10'].map((n) => `B${n}`),
            ],
            'LimitApplicationCertificateClassificationFlag',
          ),
          ...optional(
            'validFrom',
            oqsToIso(
              childText(limitElement, 'LimitApplicationCertificateValidStartDate'),
              'LimitApplicationCertificateValidStartDate',
            ),
          ),
          ...optional(
            'validUntil',
            oqsToIso(
              childText(limitElement, 'LimitApplicationCertificateValidEndDate'),
              'LimitApplicationCertificateValidEndDate',
            ),
          ),
        };
  return {
    insuredCardClassification: oneOf(
      childText(element, 'InsuredCardClassification'),
      ['01', '02', '03', '04', '05', '06', '07'] as const,
      'InsuredCardClassification',
    ),
    insurerNumber: required(element, 'InsurerNumber'),
    insurerName: childText(element, 'InsurerName') ?? '',
    insuredCardSymbol: childText(element, 'InsuredCardSymbol') ?? '',
    insuredIdentificationNumber: childText(element, 'InsuredIdentificationNumber') ?? '',
    insuredBranchNumber: childText(element, 'InsuredBranchNumber') ?? '',
    personalFamilyClassification: oneOf(
      childText(element, 'PersonalFamilyClassification'),
      ['1', '2'] as const,
      'PersonalFamilyClassification',
    ),
    ...optional('insuredName', name('InsuredName')),
    name: name('Name') ?? '',
    // Half-width katakana in the real answers (onshi-result); NFKC gives the full-width form.
    nameKana: fullWidthKana(childText(element, 'NameKana') ?? ''),
    sex,
    birthdate: oqsToIso(required(element, 'Birthdate'), 'Birthdate')!,
    ...optional('address', childText(element, 'Address')),
    ...optional('postNumber', childText(element, 'PostNumber')),
    insuredCardValidDate: oqsToIso(childText(element, 'InsuredCardValidDate'), 'InsuredCardValidDate') ?? '',
    ...optional(
      'insuredCardExpirationDate',
      oqsToIso(childText(element, 'InsuredCardExpirationDate'), 'InsuredCardExpirationDate'),
    ),
    insuredPartialContributionRatio:
      ratio(childText(element, 'InsuredPartialContributionRatio'), 'InsuredPartialContributionRatio') ?? 30,
    ...optional('preschoolClassification', childText(element, 'PreschoolClassification')),
    ...optional(
      'reasonOfLoss',
      optOneOf(childText(element, 'ReasonOfLoss'), ['01', '02', '03', '99'], 'ReasonOfLoss'),
    ),
    ...optional('elderlyRecipientCertificateInfo', elderly),
    ...optional('limitApplicationCertificateRelatedInfo', limit),
    ...optional(
      'specificDiseasesCertificateRelatedConsFlg',
      optOneOf(
        childText(element, 'SpecificDiseasesCertificateRelatedConsFlg'),
        CONSENT_FLAGS,
        'SpecificDiseasesCertificateRelatedConsFlg',
      ),
    ),
    ...optional('specificDiseasesCertificateList', parseSpecificDiseases(element)),
    ...Object.fromEntries(
      VIEWING_CONSENTS.flatMap(([key, prefix]) => {
        const consent = parseConsent(element, prefix);
        return consent === undefined ? [] : [[key, consent]];
      }),
    ),
    ...optional('referenceNumber', childText(element, 'ReferenceNumber')),
  } as QualificationResult;
}

export interface ParsedAnswer {
  readonly id: string | undefined;
  readonly answer: QualificationAnswer;
}

/** Reads an answer document; unknown codes or malformed fields are an {@link OqsFormatError}. */
export function parseAnswer(root: XmlElement, options: { readonly standIn: boolean }): ParsedAnswer {
  if (root.name !== 'XmlMsg') throw new OqsFormatError('root element must be XmlMsg');
  const header = child(root, 'MessageHeader');
  if (header === undefined) throw new OqsFormatError('MessageHeader is missing');
  const body = child(root, 'MessageBody');
  const segmentOfResult = oneOf(
    childText(header, 'SegmentOfResult'),
    ['1', '2', '9'] as const,
    'SegmentOfResult',
  );
  const errorCode = childText(header, 'ErrorCode');
  const errorMessage = childText(header, 'ErrorMessage');
  const executed = oqsTimeToIso(childText(header, 'ProcessExecutionTime'), 'ProcessExecutionTime');
  const confirmation = oqsToIso(
    childText(header, 'QualificationConfirmationDate'),
    'QualificationConfirmationDate',
  );
  const answer: QualificationAnswer = {
    header: {
      processExecutionTime: executed ?? '',
      qualificationConfirmationDate: confirmation ?? '',
      medicalInstitutionCode: childText(header, 'MedicalInstitutionCode') ?? '',
      referenceClassification: oneOf(
        childText(header, 'ReferenceClassification') ?? '1',
        ['1', '2'] as const,
        'ReferenceClassification',
      ),
      segmentOfResult,
      ...(errorCode === undefined ? {} : { errorCode }),
      ...(errorMessage === undefined ? {} : { errorMessage }),
    },
    ...(body === undefined
      ? {}
      : {
          body: {
            processingResultStatus: oneOf(
              childText(body, 'ProcessingResultStatus'),
              ['1', '2'] as const,
              'ProcessingResultStatus',
            ),
            ...((code) => (code === undefined ? {} : { processingResultCode: code }))(
              childText(body, 'ProcessingResultCode'),
            ),
            ...((message) => (message === undefined ? {} : { processingResultMessage: message }))(
              childText(body, 'ProcessingResultMessage'),
            ),
            ...((validity) => (validity === undefined ? {} : { qualificationValidity: validity }))(
              optOneOf(
                childText(body, 'QualificationValidity'),
                ['1', '2', '3', '4', '5'] as const,
                'QualificationValidity',
              ),
            ),
            resultList: children(child(body, 'ResultList'), 'ResultOfQualificationConfirmation').map(
              parseResult,
            ),
          },
        }),
    standIn: options.standIn,
  };
  return { id: childText(header, 'ArbitraryFileIdentifier'), answer };
}
