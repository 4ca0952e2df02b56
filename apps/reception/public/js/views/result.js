// View: result
import { dateLabel, dateTimeLabel, isCurrentResult, label, ratioLabel } from '../../codes.js';
import { api } from '../api.js';
import { errorText, fieldLabel, h, loc, message, setMain, state, t, tOr, today } from '../core.js';
import { render, renderCheck } from '../navigation.js';
import { renderGuidance } from './guidance.js';
import { consentAndDiseaseRows } from './result-consents.js';

/** The rows of one qualification (every code as words, dates in Japanese style). */
export function resultRows(result) {
  const lang = state.lang;
  const date = (iso) => dateLabel(iso, lang);
  const elderly = result.elderlyRecipientCertificateInfo;
  const limit = result.limitApplicationCertificateRelatedInfo;
  return [
    [
      'insurerNumber',
      t('fieldInsurerNumber'),
      `${result.insurerNumber}(${t('digits', { n: result.insurerNumber.length })})`,
    ],
    ['insurerName', t('fieldInsurerName'), result.insurerName],
    ['symbol', t('fieldSymbol'), result.insuredCardSymbol],
    ['number', t('fieldNumber'), result.insuredIdentificationNumber],
    ['branch', t('fieldBranch'), result.insuredBranchNumber],
    ['family', t('fieldFamily'), label('family', result.personalFamilyClassification, lang)],
    result.insuredName ? ['insuredName', t('fieldInsuredName'), result.insuredName] : null,
    ['name', t('fieldName'), result.name],
    ['nameKana', t('fieldKana'), result.nameKana],
    ['sex', t('fieldSex'), label('sex', result.sex, lang)],
    ['birthdate', t('fieldBirthdate'), date(result.birthdate)],
    ['ratio', t('fieldRatio'), ratioLabel(result.insuredPartialContributionRatio, lang)],
    ['validFrom', t('fieldValidFrom'), date(result.insuredCardValidDate)],
    result.insuredCardExpirationDate
      ? ['validUntil', t('fieldValidUntil'), date(result.insuredCardExpirationDate)]
      : null,
    result.reasonOfLoss
      ? ['reasonOfLoss', t('fieldReasonOfLoss'), label('reasonOfLoss', result.reasonOfLoss, lang)]
      : null,
    elderly
      ? [
          'elderly',
          t('fieldElderly'),
          `${ratioLabel(elderly.ratio, lang)}(${date(elderly.validFrom)}〜${date(elderly.validUntil)})`,
        ]
      : null,
    limit
      ? [
          'limit',
          t('fieldLimit'),
          `${label('limitClassification', limit.classification, lang)}・${label('limitCategory', limit.categoryFlag, lang)}`,
        ]
      : null,
    ['card', t('fieldCard'), label('cardClassification', result.insuredCardClassification, lang)],
    ...consentAndDiseaseRows(result),
  ].filter(Boolean);
}

export function describeResult(result) {
  const elderly = result.elderlyRecipientCertificateInfo;
  const elderlyExpired = elderly?.validUntil && elderly.validUntil < today();
  return h(
    'div',
    {},
    elderlyExpired
      ? message(
          'warning',
          t('elderlyExpired', { date: dateLabel(elderly.validUntil, state.lang) }),
          'elderly-expired',
        )
      : null,
    h(
      'table',
      { 'data-testid': 'result-table' },
      h('caption', { className: 'visually-hidden' }, t('resultTitle')),
      ...resultRows(result).map(([key, labelText, text]) =>
        h('tr', { 'data-row': key }, h('th', { scope: 'row' }, labelText), h('td', {}, text)),
      ),
    ),
  );
}

/** Validity 3: the lost and the new qualification side by side, the new one adoptable. */
export function describeNewerQualification(check) {
  const list = check.answer.body.resultList;
  const newIndex = list.findIndex((result) => isCurrentResult(result, today()));
  const oldIndex = list.findIndex((_, index) => index !== newIndex);
  const newer = list[newIndex];
  const older = list[oldIndex];
  const rowsNew = newer ? resultRows(newer) : [];
  const rowsOld = older ? resultRows(older) : [];
  const keys = [...new Set([...rowsNew.map((row) => row[0]), ...rowsOld.map((row) => row[0])])];
  const cell = (rows, key) => rows.find((row) => row[0] === key)?.[2] ?? '—';
  const labelOf = (key) => [...rowsNew, ...rowsOld].find((row) => row[0] === key)?.[1] ?? '';
  const status = h('div', { 'data-testid': 'adopt-status' });
  return h(
    'div',
    { className: 'panel', 'data-testid': 'newer-qualification' },
    h('h2', {}, t('newerTitle')),
    h('p', {}, t('newerIntro')),
    h(
      'table',
      { className: 'compare', 'data-testid': 'compare-table' },
      h('caption', { className: 'visually-hidden' }, t('newerTitle')),
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, t('item')),
        h(
          'th',
          { scope: 'col', className: 'col-new', 'data-testid': 'qualification-new' },
          t('qualificationNew'),
        ),
        h(
          'th',
          { scope: 'col', className: 'col-old', 'data-testid': 'qualification-old' },
          t('qualificationOld'),
        ),
      ),
      ...keys.map((key) =>
        h(
          'tr',
          { 'data-row': key },
          h('th', { scope: 'row' }, labelOf(key)),
          h('td', { className: 'col-new' }, cell(rowsNew, key)),
          h('td', { className: 'col-old' }, cell(rowsOld, key)),
        ),
      ),
    ),
    newer
      ? h(
          'div',
          { className: 'actions' },
          h(
            'button',
            {
              type: 'button',
              className: 'primary',
              'data-testid': 'adopt-new',
              onclick: async (event) => {
                event.currentTarget.disabled = true;
                try {
                  await api('POST', `/api/checks/${check.id}/adopt`, { resultIndex: newIndex });
                  status.replaceChildren(message('ok', t('adopted'), 'adopted'));
                } catch (error) {
                  event.currentTarget.disabled = false;
                  status.replaceChildren(message('error', errorText(error), 'adopt-error'));
                }
              },
            },
            t('adoptNew'),
          ),
        )
      : message('warning', t('newerMissing'), 'newer-missing'),
    status,
  );
}

/** Validity 5: the candidates, one to choose. */
export function describeMultiple(check) {
  const list = check.answer.body.resultList;
  const status = h('div', { 'data-testid': 'adopt-status' });
  let chosen = null;
  const adoptButton = h(
    'button',
    {
      type: 'button',
      className: 'primary',
      'data-testid': 'adopt-chosen',
      disabled: true,
      onclick: async (event) => {
        if (chosen === null) return;
        event.currentTarget.disabled = true;
        try {
          await api('POST', `/api/checks/${check.id}/adopt`, { resultIndex: chosen });
          status.replaceChildren(message('ok', t('adopted'), 'adopted'));
        } catch (error) {
          event.currentTarget.disabled = false;
          status.replaceChildren(message('error', errorText(error), 'adopt-error'));
        }
      },
    },
    t('adoptChosen'),
  );
  return h(
    'div',
    { className: 'panel', 'data-testid': 'multiple-qualifications' },
    h('h2', {}, t('multipleTitle')),
    h('p', {}, t('multipleIntro')),
    h(
      'fieldset',
      {},
      h('legend', {}, t('multipleLegend')),
      ...list.map((result, index) =>
        h(
          'div',
          { className: 'candidate', 'data-testid': `candidate-${index}` },
          h(
            'label',
            { className: 'inline candidate-label' },
            h('input', {
              type: 'radio',
              name: 'candidate',
              value: String(index),
              'data-testid': `choose-${index}`,
              onchange: () => {
                chosen = index;
                adoptButton.disabled = false;
              },
            }),
            t('candidate', { n: index + 1, insurer: result.insurerName }),
          ),
          describeResult(result),
        ),
      ),
    ),
    h('div', { className: 'actions' }, adoptButton),
    status,
  );
}

/** A stored or returned value of the reconciliation, coded values and dates as words. */
export function reconciliationValue(field, value) {
  if (value === null || value === undefined || value === '') return '';
  if (field === 'familyClass' || field === 'personalFamilyClassification')
    return label('family', value, state.lang);
  if (field === 'sex') return label('sex', value, state.lang);
  if (field === 'copaymentRatio' || field === 'insuredPartialContributionRatio')
    return ratioLabel(value, state.lang);
  if (/birthdate|validFrom|validUntil|ValidDate|ExpirationDate/.test(field))
    return dateLabel(value, state.lang);
  return String(value);
}

export function describeReconciliation(report, index, check) {
  const statusText = {
    match: t('statusMatch'),
    mismatch: t('statusMismatch'),
    substituted: t('statusSubstituted'),
    format: t('statusFormat'),
    missing: t('statusMissing'),
  };
  const summary =
    report.status === 'new'
      ? t('reconcileNew')
      : report.status === 'match'
        ? t('reconcileMatch')
        : t('reconcileDifferences');
  const status = h('div');
  return h(
    'div',
    { 'data-testid': 'reconciliation', 'data-status': report.status },
    h('h2', {}, t('reconciliation')),
    message(report.status === 'differences' ? 'warning' : 'ok', summary, 'reconciliation-summary'),
    report.status === 'new'
      ? null
      : h(
          'table',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, t('item')),
            h('th', {}, t('stored')),
            h('th', {}, t('fromResult')),
            h('th', {}, t('status')),
          ),
          ...report.fields.map((entry) =>
            h(
              'tr',
              { 'data-field': entry.field, 'data-status': entry.status },
              h('th', { scope: 'row' }, fieldLabel(entry.field)),
              h('td', {}, reconciliationValue(entry.field, entry.stored)),
              h('td', {}, reconciliationValue(entry.field, entry.result)),
              h('td', { className: `status-${entry.status}` }, statusText[entry.status] ?? entry.status),
            ),
          ),
        ),
    h(
      'div',
      { className: 'actions' },
      h(
        'button',
        {
          type: 'button',
          className: 'secondary',
          'data-testid': `apply-record-${index}`,
          onclick: async () => {
            try {
              await api('POST', `/api/checks/${check.id}/apply`, { resultIndex: index });
            } catch (error) {
              // Another desk changed this patient's record meanwhile: nothing was overwritten.
              if (error.body?.code !== 'PATIENT_RECORD_CHANGED') throw error;
              status.replaceChildren(message('error', t('recordChangedElsewhere'), 'record-conflict'));
              return;
            }
            status.replaceChildren(message('ok', t('recordUpdated'), 'record-updated'));
          },
        },
        t('applyRecord'),
      ),
    ),
    status,
  );
}

export function nextPatientButton(primary = true) {
  return h(
    'button',
    {
      type: 'button',
      className: primary ? 'primary' : 'secondary',
      'data-testid': 'new-check',
      onclick: () => {
        state.check = null;
        renderCheck();
      },
    },
    t('newCheck'),
  );
}

export function fallbackButton(check, category, primary = true) {
  return h(
    'button',
    {
      type: 'button',
      className: primary ? 'primary' : 'secondary',
      'data-testid': 'to-fallback',
      onclick: () => {
        // the person the card just read belongs to, when the national system named them
        const result = check.answer?.body?.resultList?.[0];
        // the identity always; the insurance numbers only from a current qualification (a lost one
        // must not end up in a claim)
        const current = result ? isCurrentResult(result, today()) : false;
        const holder = result
          ? {
              name: result.name,
              nameKana: result.nameKana,
              birthdate: result.birthdate,
              sex: result.sex,
              address: result.address ?? '',
              ...(current
                ? {
                    insurerNumber: result.insurerNumber,
                    insurerName: result.insurerName,
                    symbol: result.insuredCardSymbol,
                    number: result.insuredIdentificationNumber,
                    branch: result.insuredBranchNumber,
                  }
                : {}),
            }
          : null;
        state.fallback = {
          checkId: check.id,
          category: category ?? 1,
          holder,
          // the card is still at hand: its 基本4情報 can be read with consent
          cardRead: check.mode !== 'numbers' && Boolean(check.readerId),
        };
        state.check = null;
        state.view = 'fallback';
        render();
      },
    },
    t('toFallback'),
  );
}

/** Every check of the certificate validation (x509), in order, with its outcome. */
export function certificateDetails(certificate) {
  if (!certificate?.checks?.length) return null;
  const revocation = certificate.revocation;
  const revocationText = !revocation
    ? t('outcome_skip')
    : revocation.status === 'GOOD'
      ? t('revocation_GOOD', {
          source: tOr(`revocationSource_${revocation.source}`, 'revocationSource_undefined'),
          thisUpdate: revocation.thisUpdate ? dateTimeLabel(revocation.thisUpdate, state.lang) : '—',
        })
      : revocation.status === 'REVOKED'
        ? t('revocation_REVOKED', {
            reason: tOr(
              `revocationReason_${revocation.reason ?? 'unspecified'}`,
              'revocationReason_unspecified',
            ),
            date: revocation.revokedAt ? dateTimeLabel(revocation.revokedAt, state.lang) : '—',
          })
        : certificate.revocationDelegated
          ? t('revocation_DELEGATED')
          : t('revocation_UNKNOWN', { detail: state.lang === 'ja' ? '' : (revocation.detail ?? '') });
  return h(
    'details',
    {
      className: 'panel certificate-checks',
      'data-testid': 'certificate-checks',
      'data-status': certificate.status,
      open: certificate.status !== 'valid',
    },
    h(
      'summary',
      {},
      `${t('certificateChecks', { n: certificate.checks.length })}: ${t(certificate.revocationDelegated ? 'certificateStatus_revocation-delegated' : `certificateStatus_${certificate.status}`)}`,
    ),
    certificate.testHierarchy
      ? h(
          'p',
          { className: 'muted', 'data-testid': 'certificate-test-hierarchy' },
          t('certificateTestHierarchy'),
        )
      : null,
    h(
      'p',
      {
        'data-testid': 'certificate-revocation',
        'data-revocation': revocation?.status ?? 'skip',
        'data-revocation-delegated': certificate.revocationDelegated ? 'true' : 'false',
      },
      `${t('certificateRevocation')}: ${revocationText}`,
    ),
    h(
      'table',
      {},
      ...certificate.checks.map((check) =>
        h(
          'tr',
          { 'data-check': check.name, 'data-outcome': check.outcome },
          h('th', {}, t(`check_${check.name}`)),
          h('td', { className: `outcome-${check.outcome}` }, t(`outcome_${check.outcome}`)),
          // the validator's technical detail is English: shown only on the English screen
          state.lang === 'ja'
            ? null
            : h('td', { className: 'muted' }, [check.code, check.detail].filter(Boolean).join(' · ')),
        ),
      ),
    ),
  );
}

export function renderResult(check) {
  const body = check.answer?.body;
  const validity = body?.qualificationValidity ?? '';
  const banner = validity === '1' ? 'valid' : validity === '3' || validity === '5' ? 'attention' : 'invalid';
  const list = body?.resultList ?? [];
  let content;
  if (validity === '1') {
    content = list.map((result, index) =>
      h(
        'div',
        { className: 'panel' },
        describeResult(result),
        describeReconciliation(check.reconciliation[index], index, check),
      ),
    );
  } else if (validity === '3') {
    content = [describeNewerQualification(check)];
  } else if (validity === '5') {
    content = [describeMultiple(check)];
  } else {
    content = [
      ...list.map((result) =>
        h(
          'div',
          { className: 'panel', 'data-testid': 'lost-qualification' },
          h('h2', {}, t('qualificationLost')),
          describeResult(result),
        ),
      ),
      check.guidance ? renderGuidance(check.guidance) : null,
      flyerGuidance(3),
    ];
  }
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'result', 'data-validity': validity },
      h('h1', {}, t('resultTitle')),
      h(
        'div',
        { className: `status-banner ${banner}`, 'data-testid': 'result-banner' },
        label('validity', validity, state.lang),
      ),
      h(
        'p',
        {},
        h(
          'span',
          { className: 'stand-in', 'data-testid': 'stand-in-label' },
          `${t('standIn')}: ${loc(check.standInLabel)}`,
        ),
      ),
      check.visual
        ? h(
            'p',
            { 'data-testid': 'visual-record' },
            t('visualRecord', {
              staff: check.visual.staffId,
              time: dateTimeLabel(check.visual.confirmedAt, state.lang),
            }),
          )
        : null,
      check.mode === 'numbers' ? message('warning', t('numbersResultNote'), 'numbers-result-note') : null,
      body?.processingResultMessage
        ? message('warning', body.processingResultMessage, 'processing-message')
        : null,
      ...(check.warnings ?? []).map((warning) => renderGuidance(warning, 'warning')),
      check.certificate?.notAfter
        ? h(
            'p',
            { className: 'muted', 'data-testid': 'certificate-expiry' },
            `${t('certificate')}: ${t('certificateUntil', { date: dateLabel(check.certificate.notAfter.slice(0, 10), state.lang), n: check.certificate.daysUntilExpiry })}`,
          )
        : null,
      certificateDetails(check.certificate),
      ...content,
      h(
        'div',
        { className: 'actions' },
        nextPatientButton(validity === '1'),
        validity === '2' || validity === '4' ? fallbackButton(check, 3, true) : null,
        validity === '3' || validity === '5' ? fallbackButton(check, 3, false) : null,
      ),
    ),
  );
}

export function flyerGuidance(category) {
  return h(
    'div',
    { className: 'panel', 'data-testid': 'flyer-guidance', 'data-category': category },
    h('h2', {}, t('fallbackTitle')),
    h('p', {}, t('fallbackIntro')),
    category === 3 ? message('warning', t('category3Note'), 'category3-note') : null,
    h(
      'ul',
      {},
      h(
        'li',
        {},
        loc({
          ja: 'マイナポータルの資格情報画面、または保存したPDFファイル(マイナンバーカードと併せて)',
          en: 'The Mynaportal qualification screen or a saved PDF (with the card)',
        }),
      ),
      h(
        'li',
        {},
        loc({
          ja: '資格情報のお知らせ(マイナンバーカードと併せて)',
          en: 'The qualification notice (with the card)',
        }),
      ),
      h('li', {}, loc({ ja: '資格確認書', en: 'The eligibility certificate' })),
    ),
    h('p', {}, t('noneShownNote')),
    h('p', { className: 'muted' }, t('smartphoneNote')),
  );
}
