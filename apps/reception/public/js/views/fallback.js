// View: fallback
import { dateLabel, dateTimeLabel, label } from '../../codes.js';
import { api } from '../api.js';
import {
  control,
  errorText,
  field,
  h,
  input,
  isChecked,
  loc,
  message,
  setMain,
  state,
  t,
  value,
} from '../core.js';
import { holderReadPanel } from './holder-read.js';

// ---------- fallbacks ----------
export async function renderFallback() {
  const context = state.fallback ?? { checkId: null, category: 1 };
  const options = await api('GET', `/api/fallback-options?category=${context.category}`);
  const status = h('div', { 'data-testid': 'fallback-status' });
  const details = h('div', { 'data-testid': 'fallback-details' });
  const categoryRadios = [1, 2, 3].map((category) =>
    h(
      'label',
      { className: 'inline' },
      h('input', {
        type: 'radio',
        name: 'category',
        value: category,
        checked: category === context.category,
        'data-testid': `category-${category}`,
        onchange: () => {
          state.fallback = { ...context, category };
          renderFallback();
        },
      }),
      loc(options.categories[category]),
    ),
  );
  const evidenceList = h(
    'ul',
    { className: 'option-list' },
    ...options.options.map((option) =>
      h(
        'li',
        {},
        h(
          'label',
          { className: 'inline' },
          h('input', {
            type: 'radio',
            name: 'evidence',
            value: option.evidence,
            disabled: !option.allowed,
            'data-testid': `evidence-${option.evidence}`,
            onchange: () => renderEvidenceForm(details, option, context, status),
          }),
          loc(option.label),
        ),
        option.refusal
          ? h(
              'div',
              { className: 'refusal', 'data-testid': `refusal-${option.evidence}` },
              loc(option.refusal),
            )
          : null,
      ),
    ),
  );
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'fallback', 'data-category': context.category },
      h('h1', {}, t('fallbackTitle')),
      h('p', {}, t('fallbackIntro')),
      h('fieldset', {}, h('legend', {}, t('failureCategory')), ...categoryRadios),
      context.category === 3 ? message('warning', t('category3Note'), 'category3-note') : null,
      h('fieldset', {}, h('legend', {}, t('evidence')), evidenceList),
      h('p', {}, t('noneShownNote')),
      h('p', { className: 'muted' }, t('smartphoneNote')),
      details,
      status,
    ),
  );
}

const sameName = (a, b) => String(a ?? '').replace(/[\s　]/g, '') === String(b ?? '').replace(/[\s　]/g, '');

/** Whether a patient record is the card holder (same name and birth date as the card just read). */
export function isCardHolder(patient, holder) {
  if (!holder) return true;
  return (
    sameName(patient.name, holder.name) && (!patient.birthdate || patient.birthdate === holder.birthdate)
  );
}

export function requiredMark() {
  return h('span', { className: 'required', 'aria-hidden': 'true' }, t('requiredMark'));
}

export function renderEvidenceForm(container, option, context, status) {
  status.replaceChildren();
  const evidence = option.evidence;
  const holder = context.holder ?? null;
  let inFlight = false;
  const submit = async (data, button) => {
    if (inFlight) return;
    inFlight = true;
    button.disabled = true;
    try {
      const record = await api('POST', '/api/fallbacks', {
        checkId: context.checkId,
        failureCategory: context.category,
        evidence,
        data,
      });
      // recorded: the form goes away (a second click cannot make a duplicate) and the choice resets
      container.replaceChildren();
      for (const radio of document.querySelectorAll('input[name="evidence"]')) {
        if (radio instanceof HTMLInputElement) radio.checked = false;
      }
      const recorded = [
        message(
          'ok',
          t('fallbackRecorded', {
            id: record.id,
            date: record.requeryOn ? dateLabel(record.requeryOn, state.lang) : t('none'),
          }),
          'fallback-recorded',
        ),
      ];
      if (record.documentSha256) {
        recorded.push(
          h(
            'p',
            {},
            h(
              'a',
              {
                href: `/api/fallbacks/${record.id}/document`,
                target: '_blank',
                rel: 'noopener',
                'data-testid': 'declaration-pdf-link',
              },
              t('openPdf'),
            ),
          ),
        );
      }
      // characters the PDF font lacks (issue 15 row 12): shown here as well as boxed on the PDF
      const unprintable = record.data?.unprintableCharacters ?? [];
      if (unprintable.length > 0) {
        recorded.push(
          message(
            'error',
            t('unprintableWarning', {
              list: unprintable
                .map((code) => String.fromCodePoint(Number.parseInt(code.slice(2), 16)))
                .join(' '),
            }),
            'unprintable-warning',
          ),
        );
      }
      status.replaceChildren(...recorded);
      status.dataset.recordId = record.id;
    } catch (error) {
      button.disabled = false;
      status.replaceChildren(message('error', errorText(error), 'fallback-error'));
    } finally {
      inFlight = false;
    }
  };
  const recordButton = (collect, validate = () => null) => {
    const button = h(
      'button',
      { type: 'button', className: 'primary', 'data-testid': 'fallback-submit' },
      t('recordFallback'),
    );
    button.addEventListener('click', () => {
      const problem = validate();
      if (problem) {
        status.replaceChildren(message('error', problem, 'fallback-error'));
        return;
      }
      submit(collect(), button);
    });
    return h('div', { className: 'actions' }, button);
  };

  if (evidence === 'oral-confirmation') {
    const results = h('div', { 'data-testid': 'patient-results' });
    let chosen = null;
    container.replaceChildren(
      h(
        'div',
        { className: 'panel' },
        holder ? h('p', { 'data-testid': 'holder-only' }, t('oralHolderOnly', { name: holder.name })) : null,
        field(
          t('patientSearch'),
          input('patientQuery', { 'data-testid': 'patient-query', value: holder?.name ?? '' }),
        ),
        h(
          'div',
          { className: 'actions' },
          h(
            'button',
            {
              type: 'button',
              className: 'secondary',
              'data-testid': 'patient-search',
              onclick: async () => {
                const found = await api(
                  'GET',
                  `/api/patients?q=${encodeURIComponent(value('patientQuery'))}`,
                );
                chosen = null;
                results.replaceChildren(
                  ...found.patients.map((patient) => {
                    const allowed = isCardHolder(patient, holder);
                    return h(
                      'label',
                      { className: `inline${allowed ? '' : ' not-allowed'}` },
                      h('input', {
                        type: 'radio',
                        name: 'patient',
                        value: patient.id,
                        disabled: !allowed,
                        'data-testid': `patient-${patient.id}`,
                        onchange: () => {
                          chosen = patient.id;
                        },
                      }),
                      `${patient.name}(${patient.nameKana ?? ''}) ${patient.birthdate ? dateLabel(patient.birthdate, state.lang) : ''} ${patient.referenceNumber ?? ''}`,
                      allowed ? null : h('span', { className: 'refusal' }, t('notCardHolder')),
                    );
                  }),
                );
              },
            },
            t('search'),
          ),
        ),
        results,
        h(
          'label',
          { className: 'inline' },
          h('input', { type: 'checkbox', id: 'noChange', 'data-testid': 'no-change' }),
          t('noChangeConfirmed'),
        ),
        recordButton(
          () => ({ patientRecordId: chosen, noChangeConfirmed: isChecked('noChange') }),
          () => (chosen === null ? t('choosePatient') : null),
        ),
      ),
    );
    return;
  }
  if (evidence === 'declaration') {
    const today = new Date().toISOString().slice(0, 10);
    const typeSelect = h(
      'select',
      { id: 'insuranceType', 'data-testid': 'decl-insuranceType' },
      h('option', { value: 'kokuho' }, t('insuranceKokuho')),
      h('option', { value: 'koki' }, t('insuranceKoki')),
      h('option', { value: 'employee' }, t('insuranceEmployee')),
      h('option', { value: 'unknown', selected: true }, t('insuranceUnknown')),
    );
    const sexSelect = h(
      'select',
      { id: 'sex', 'data-testid': 'decl-sex' },
      ...['1', '2', '3'].map((code) =>
        h('option', { value: code, selected: (holder?.sex ?? '3') === code }, label('sex', code, state.lang)),
      ),
    );
    const review = h(
      'select',
      { id: 'reviewBody', 'data-testid': 'decl-reviewBody' },
      h('option', { value: '' }, t('notChosen')),
      h('option', { value: 'shiharai-kikin' }, t('reviewKikin')),
      h('option', { value: 'kokuhoren' }, t('reviewKokuhoren')),
    );
    // [id, label, required, extra attributes]; prefilled from the card just read when known
    const fields = [
      ['name', t('fieldName'), true, { value: holder?.name ?? '' }],
      ['nameKana', t('fieldKana'), false, { value: holder?.nameKana ?? '' }],
      ['birthdate', t('fieldBirthdate'), true, { type: 'date', value: holder?.birthdate ?? '' }],
      ['address', t('address'), true, { value: holder?.address ?? '' }],
      ['phone', t('phone'), false, {}],
      ['insurerOrEmployerName', t('insurerOrEmployer'), false, { value: holder?.insurerName ?? '' }],
      [
        'insurerNumber',
        t('fieldInsurerNumber'),
        false,
        { value: holder?.insurerNumber ?? '', inputmode: 'numeric' },
      ],
      ['symbol', t('fieldSymbol'), false, { value: holder?.symbol ?? '' }],
      ['number', t('fieldNumber'), false, { value: holder?.number ?? '' }],
      ['branch', t('fieldBranch'), false, { value: holder?.branch ?? '' }],
      ['visitDate', t('visitDate'), true, { type: 'date', value: today }],
    ];
    const declField = ([id, labelText, required, extra]) =>
      h(
        'div',
        {},
        h('label', { for: id }, labelText, required ? requiredMark() : null),
        input(id, {
          'data-testid': `decl-${id}`,
          ...(required ? { required: true, 'aria-required': 'true' } : {}),
          ...extra,
        }),
      );
    container.replaceChildren(
      h(
        'div',
        { className: 'panel', 'data-testid': 'declaration-form' },
        h('h2', {}, t('declarationTitle')),
        h('p', { className: 'muted', 'data-testid': 'required-note' }, t('requiredNote')),
        holder ? h('p', { className: 'muted', 'data-testid': 'prefilled-note' }, t('prefilledNote')) : null,
        // the basic four from the card itself, only with the patient's consent and their PIN
        context.cardRead && context.checkId
          ? holderReadPanel(context, (read) => {
              // a フリガナ written for another name no longer fits the name read from the card
              const kana = control('nameKana');
              if (kana && typeof read.name === 'string' && read.name !== value('name')) kana.value = '';
              for (const id of ['name', 'birthdate', 'address', 'sex']) {
                const element = control(id);
                if (element && typeof read[id] === 'string' && read[id] !== '') element.value = read[id];
              }
            })
          : null,
        ...fields.slice(0, 3).map(declField),
        field(t('fieldSex'), sexSelect),
        ...fields.slice(3, 5).map(declField),
        field(t('insuranceType'), typeSelect),
        ...fields.slice(5).map(declField),
        field(t('reviewBody'), review),
        recordButton(
          () =>
            Object.fromEntries([
              ...fields.map(([id]) => [id, value(id)]),
              ['sex', value('sex')],
              ['insuranceType', value('insuranceType')],
              ['reviewBody', value('reviewBody')],
            ]),
          () => {
            const missing = fields.find(([id, , required]) => required && value(id).trim() === '');
            if (!missing) return null;
            document.getElementById(missing[0])?.focus();
            return t('error_rule_required', { field: missing[1] });
          },
        ),
      ),
    );
    return;
  }
  const documentFields = ['insurerNumber', 'symbol', 'number', 'branch', 'name', 'birthdate'];
  const labels = {
    insurerNumber: t('fieldInsurerNumber'),
    symbol: t('fieldSymbol'),
    number: t('fieldNumber'),
    branch: t('fieldBranch'),
    name: t('fieldName'),
    birthdate: t('fieldBirthdate'),
  };
  container.replaceChildren(
    h(
      'div',
      { className: 'panel', 'data-testid': 'document-form' },
      ...(evidence !== 'full-payment'
        ? documentFields.map((id) =>
            field(
              labels[id],
              input(`doc-${id}`, {
                'data-testid': `doc-${id}`,
                value: holder?.[id] ?? '',
                ...(id === 'birthdate' ? { type: 'date' } : {}),
              }),
            ),
          )
        : []),
      option.requiresCard
        ? h(
            'label',
            { className: 'inline' },
            h('input', { type: 'checkbox', id: 'withCard', 'data-testid': 'with-card' }),
            t('shownWithCard'),
          )
        : null,
      field(t('note'), input('doc-note', { 'data-testid': 'doc-note' })),
      recordButton(() => ({
        ...Object.fromEntries(documentFields.map((id) => [id, value(`doc-${id}`)])),
        note: value('doc-note'),
        shownWithCard: isChecked('withCard'),
      })),
    ),
  );
}

/** The patient's name as recorded with a fallback (oral confirmation, declaration or document). */
export function fallbackPatientName(record) {
  const data = record.data ?? {};
  return data.patientName ?? data.form?.name ?? data.name ?? t('nameNotRecorded');
}

export async function renderFallbackRecords() {
  const { fallbacks } = await api('GET', '/api/fallbacks');
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'fallback-records' },
      h('h1', {}, t('historyTitle')),
      h(
        'table',
        {},
        h('caption', { className: 'visually-hidden' }, t('historyTitle')),
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('recordNumber')),
          h('th', { scope: 'col' }, t('patientName')),
          h('th', { scope: 'col' }, t('failureCategory')),
          h('th', { scope: 'col' }, t('evidence')),
          h('th', { scope: 'col' }, t('recordedBy')),
          h('th', { scope: 'col' }, t('requeryOn')),
        ),
        ...fallbacks.map((record) =>
          h(
            'tr',
            { 'data-testid': `fallback-row-${record.id}` },
            h(
              'td',
              {},
              record.documentSha256
                ? h(
                    'a',
                    { href: `/api/fallbacks/${record.id}/document`, target: '_blank', rel: 'noopener' },
                    record.id,
                  )
                : record.id,
            ),
            h('td', { 'data-testid': 'fallback-patient' }, fallbackPatientName(record)),
            h('td', {}, label('failureCategory', record.failureCategory, state.lang)),
            h('td', { 'data-testid': 'fallback-evidence' }, label('evidence', record.evidence, state.lang)),
            h('td', {}, `${record.staffAccount} ${dateTimeLabel(record.createdAt, state.lang)}`),
            h('td', {}, record.requeryOn ? dateLabel(record.requeryOn, state.lang) : t('none')),
          ),
        ),
      ),
    ),
  );
}
