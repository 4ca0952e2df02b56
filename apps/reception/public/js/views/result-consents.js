// View part: the 特定疾病療養受療証 and the viewing consents of a qualification result, as rows of
// words (OQSCD013 disease categories and OQSCD016 consent flags from the one code table).
import { dateLabel, dateTimeLabel, label } from '../../codes.js';
import { state, t } from '../core.js';

/** The viewing consents of a result: [row key, result field, label key]. */
const CONSENT_ROWS = [
  ['consentPharmacists', 'pharmacistsInfoConsent', 'fieldConsentPharmacists'],
  ['consentDiagnosis', 'diagnosisInfoConsent', 'fieldConsentDiagnosis'],
  ['consentHealthCheckups', 'specificHealthCheckupsInfoConsent', 'fieldConsentHealthCheckups'],
  ['consentOperation', 'operationInfoConsent', 'fieldConsentOperation'],
];

/** One viewing consent in words: 同意あり(… まで閲覧できます). */
function consentRow(consent, key, labelKey) {
  if (!consent) return null;
  const words = label('consent', consent.flag, state.lang);
  const until =
    consent.flag === '1' && consent.availableUntil
      ? t('viewableUntil', { date: dateTimeLabel(consent.availableUntil, state.lang) })
      : '';
  return [key, t(labelKey), until === '' ? words : `${words}(${until})`];
}

/** The 特定疾病療養受療証 in words: the disease, the monthly limit and the period; or why it is not shown. */
function specificDiseaseRow(result) {
  const flag = result.specificDiseasesCertificateRelatedConsFlg;
  const list = result.specificDiseasesCertificateList ?? [];
  if (flag === undefined && list.length === 0) return null;
  const lang = state.lang;
  if (list.length === 0) return ['specificDisease', t('fieldSpecificDisease'), label('consent', flag, lang)];
  const text = list
    .map((certificate) =>
      [
        label('specificDisease', certificate.diseaseCategory, lang),
        certificate.selfPayLimit === undefined
          ? null
          : t('selfPayLimit', { amount: Number(certificate.selfPayLimit).toLocaleString('ja-JP') }),
        certificate.validFrom || certificate.validUntil
          ? `${dateLabel(certificate.validFrom, lang)}〜${dateLabel(certificate.validUntil, lang)}`
          : null,
      ]
        .filter(Boolean)
        .join('・'),
    )
    .join(' / ');
  return ['specificDisease', t('fieldSpecificDisease'), text];
}

/** The 特定疾病 row and the consent rows present in a result ([key, label, text] each). */
export function consentAndDiseaseRows(result) {
  return [
    specificDiseaseRow(result),
    ...CONSENT_ROWS.map(([key, field, labelKey]) => consentRow(result[field], key, labelKey)),
  ].filter(Boolean);
}
