// View: check
import { label } from '../../codes.js';
import { api } from '../api.js';
import {
  errorText,
  field,
  h,
  input,
  isChecked,
  loc,
  message,
  pinField,
  setMain,
  showBusy,
  state,
  stopPolling,
  t,
  value,
} from '../core.js';
import { renderGuidance, setupLabel } from './guidance.js';
import { certificateDetails, fallbackButton, renderResult } from './result.js';

// ---------- the check flow ----------
export async function renderCheck() {
  if (state.check && !['result', 'failed', 'cancelled'].includes(state.check.status))
    return renderCheckState();
  if (state.check && ['result', 'failed'].includes(state.check.status)) return renderCheckState();
  let readers = { readers: [], selected: null };
  try {
    readers = await api('GET', '/api/readers');
  } catch {
    // shown as "no readers" below
  }
  const settings = state.app.settings;
  const options = readers.readers.map((reader) =>
    h(
      'option',
      { value: reader.id, selected: reader.id === (readers.selected ?? settings.readerId) },
      reader.label,
    ),
  );
  const select = h('select', { id: 'reader', 'data-testid': 'reader-select' }, ...options);
  const visualAllowed = settings.visualCheckAllowed === true;
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'check-start' },
      h('h1', {}, t('checkTitle')),
      field(t('reader'), select),
      readers.readers.length === 0 ? message('error', t('noReaders'), 'no-readers') : null,
      readers.guidance ? renderGuidance(readers.guidance) : null,
      h(
        'fieldset',
        {},
        h('legend', {}, t('mode')),
        h(
          'label',
          { className: 'inline' },
          h('input', { type: 'radio', name: 'mode', value: 'pin', checked: true, 'data-testid': 'mode-pin' }),
          t('modePin'),
        ),
        h(
          'label',
          { className: 'inline' },
          h('input', {
            type: 'radio',
            name: 'mode',
            value: 'visual',
            disabled: !visualAllowed,
            'data-testid': 'mode-visual',
          }),
          t('modeVisual'),
        ),
        visualAllowed ? null : h('p', { className: 'muted', 'data-testid': 'visual-off' }, t('visualOff')),
      ),
      h(
        'div',
        { className: 'actions' },
        h(
          'button',
          {
            type: 'button',
            className: 'primary',
            'data-testid': 'start-reading',
            disabled: readers.readers.length === 0,
            onclick: async () => {
              const mode =
                /** @type {HTMLInputElement | null} */ (document.querySelector('input[name="mode"]:checked'))
                  ?.value ?? 'pin';
              try {
                state.check = await api('POST', '/api/checks', { readerId: value('reader'), mode });
                renderCheckState();
                poll();
              } catch (error) {
                setMain(message('error', errorText(error), 'check-error'));
              }
            },
          },
          t('startReading'),
        ),
      ),
    ),
    numbersForm(),
  );
}

/**
 * A check by the numbers on a 資格確認書 (or an old 保険証): insurer number, 記号, 番号, 枝番 and birth
 * date, answered with the same result screens as a card check (`POST /api/checks/by-numbers`).
 */
export function numbersForm() {
  const status = h('div', { 'data-testid': 'numbers-status', 'aria-live': 'polite' });
  const fields = [
    ['insurerNumber', t('fieldInsurerNumber'), true, { inputmode: 'numeric', maxlength: 8 }],
    ['symbol', t('fieldSymbol'), false, {}],
    ['number', t('fieldNumber'), true, {}],
    ['branch', t('fieldBranch'), false, { inputmode: 'numeric', maxlength: 2 }],
    ['birthDate', t('fieldBirthdate'), true, { type: 'date' }],
  ];
  const button = h(
    'button',
    { type: 'submit', className: 'primary', 'data-testid': 'numbers-submit' },
    t('numbersSubmit'),
  );
  const form = h(
    'form',
    {
      className: 'panel',
      'data-testid': 'numbers-form',
      'aria-labelledby': 'numbers-title',
      novalidate: true,
    },
    h('h2', { id: 'numbers-title' }, t('numbersTitle')),
    h('p', { className: 'muted' }, t('numbersIntro')),
    ...fields.map(([id, labelText, required, extra]) =>
      h(
        'div',
        {},
        h(
          'label',
          { for: `num-${id}` },
          labelText,
          required ? h('span', { className: 'required', 'aria-hidden': 'true' }, t('requiredMark')) : null,
        ),
        input(`num-${id}`, {
          'data-testid': `num-${id}`,
          ...(required ? { required: true, 'aria-required': 'true' } : {}),
          ...extra,
        }),
      ),
    ),
    h('div', { className: 'actions' }, button),
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    const missing = fields.find(([id, , required]) => required && value(`num-${id}`).trim() === '');
    if (missing) {
      status.replaceChildren(
        message('error', t('error_rule_required', { field: missing[1] }), 'numbers-error'),
      );
      document.getElementById(`num-${missing[0]}`)?.focus();
      return;
    }
    button.disabled = true;
    try {
      state.check = await api('POST', '/api/checks/by-numbers', {
        insurerNumber: value('num-insurerNumber').trim(),
        symbol: value('num-symbol').trim(),
        number: value('num-number').trim(),
        branch: value('num-branch').trim(),
        birthDate: value('num-birthDate'),
      });
      renderCheckState();
    } catch (error) {
      button.disabled = false;
      status.replaceChildren(message('error', errorText(error), 'numbers-error'));
    }
  });
  return form;
}

export function poll() {
  stopPolling();
  const tick = async () => {
    if (!state.check || state.view !== 'check') return;
    try {
      state.check = await api('GET', `/api/checks/${state.check.id}`);
    } catch {
      state.pollTimer = setTimeout(tick, 500);
      return;
    }
    if (['waiting-card', 'querying'].includes(state.check.status)) {
      state.pollTimer = setTimeout(tick, 150);
    } else {
      renderCheckState();
    }
  };
  state.pollTimer = setTimeout(tick, 150);
}

export function cancelButton() {
  return h(
    'button',
    {
      type: 'button',
      className: 'secondary',
      'data-testid': 'cancel-check',
      onclick: async () => {
        stopPolling();
        if (state.check) await api('POST', `/api/checks/${state.check.id}/cancel`).catch(() => null);
        state.check = null;
        renderCheck();
      },
    },
    t('cancel'),
  );
}

export function renderCheckState() {
  const check = state.check;
  if (!check) return renderCheck();
  const status = check.status;
  if (status === 'waiting-card') {
    return setMain(
      h(
        'section',
        { className: 'panel', 'data-testid': 'waiting-card' },
        h(
          'h1',
          { 'data-testid': 'waiting-text', 'data-setup': check.setup },
          h('span', { className: 'spinner', 'aria-hidden': 'true' }),
          t(`waitingCard_${check.setup}`),
        ),
        h('p', {}, t(`waitingCardHint_${check.setup}`)),
        h('p', { className: 'muted' }, setupLabel(check.setup)),
        h('div', { className: 'actions' }, cancelButton()),
      ),
    );
  }
  if (status === 'querying') {
    return setMain(
      h(
        'section',
        { className: 'panel', 'data-testid': 'querying' },
        h('h1', {}, h('span', { className: 'spinner' }), t('querying')),
      ),
    );
  }
  if (status === 'pin-entry') return renderPinEntry(check);
  if (status === 'visual-attest') return renderVisual(check);
  if (status === 'result') return renderResult(check);
  if (status === 'failed') return renderFailed(check);
  state.check = null;
  return renderCheck();
}

let pinInFlight = false;

export function renderPinEntry(check) {
  const triesLeft = check.pinStatus?.triesLeft;
  const last = triesLeft === 1;
  const local = h('div', { 'data-testid': 'pin-local-status', 'aria-live': 'polite' });
  const button = h(
    'button',
    { type: 'button', className: 'primary', 'data-testid': 'pin-submit', disabled: true },
    t('submitPin'),
  );
  const pinInput = pinField('pin', 'pin-input', 'tries-left');
  const ready = () => /^[0-9]{4}$/.test(pinInput.value);
  pinInput.addEventListener('input', () => {
    button.disabled = pinInFlight || !ready();
  });
  const submit = async () => {
    // One PIN in flight at a time: a second press (or Enter) while the card answers does nothing,
    // so a try is never spent twice and an empty PIN is never sent.
    if (pinInFlight) return;
    if (!ready()) {
      local.replaceChildren(message('warning', t('pinNeedsFourDigits'), 'pin-needs-digits'));
      return;
    }
    pinInFlight = true;
    const bytes = new TextEncoder().encode(pinInput.value);
    pinInput.value = '';
    pinInput.disabled = true;
    showBusy(button, t('pinBusy'));
    const confirm = isChecked('confirm-last-try');
    try {
      state.check = await api(
        'POST',
        `/api/checks/${check.id}/pin`,
        bytes,
        confirm ? { 'x-kakunin-confirm-last-try': 'yes' } : {},
      );
    } catch (error) {
      state.check = { ...check, pinError: errorText(error) };
    } finally {
      bytes.fill(0);
      pinInFlight = false;
    }
    renderCheckState();
    if (state.check.status === 'querying') poll();
  };
  pinInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') submit();
  });
  button.addEventListener('click', submit);
  const refused = check.guidance?.code === 'LAST_TRY_REFUSED';
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'pin-entry' },
      h('h1', {}, t('pinTitle')),
      h('p', {}, t('pinIntro')),
      h(
        'p',
        {
          id: 'tries-left',
          className: `tries${last ? ' last' : ''}`,
          'data-testid': 'tries-left',
          'data-tries': triesLeft ?? '',
        },
        triesLeft === null || triesLeft === undefined ? t('triesUnknown') : t('triesLeft', { n: triesLeft }),
      ),
      refused ? message('error', t('lastTryRefused'), 'last-try-refused') : null,
      last && !refused ? message('error', t('lastTryWarning'), 'last-try-warning') : null,
      last
        ? h(
            'label',
            { className: 'inline' },
            h('input', { type: 'checkbox', id: 'confirm-last-try', 'data-testid': 'confirm-last-try' }),
            t('confirmLastTry'),
          )
        : null,
      field(t('pin'), pinInput),
      check.pinError ? message('error', check.pinError, 'pin-error') : null,
      local,
      h('div', { className: 'actions' }, cancelButton(), button),
    ),
    check.guidance ? renderGuidance(check.guidance) : null,
  );
  pinInput.focus();
}

export function renderVisual(check) {
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'visual-attest' },
      h('h1', {}, t('visualTitle')),
      h('p', {}, t('visualIntro')),
      field(
        t('staffId'),
        input('staffId', { value: state.app.account?.id ?? '', 'data-testid': 'staff-id' }),
      ),
      h(
        'div',
        { className: 'actions' },
        h(
          'button',
          {
            type: 'button',
            className: 'primary',
            'data-testid': 'visual-submit',
            onclick: async () => {
              try {
                state.check = await api('POST', `/api/checks/${check.id}/visual`, {
                  staffId: value('staffId'),
                });
              } catch (error) {
                setMain(message('error', errorText(error), 'check-error'));
                return;
              }
              renderCheckState();
            },
          },
          t('attest'),
        ),
        cancelButton(),
      ),
    ),
  );
}

export function renderFailed(check) {
  const guidance = check.guidance;
  const category = guidance?.failureCategory;
  // When the card itself cannot be used today (②) or no qualification exists (③), reading again
  // does not help: the fallback is the next step. Equipment problems (①, or none) are retried.
  const fallbackFirst = category === 2 || category === 3;
  const retry = h(
    'button',
    {
      type: 'button',
      className: fallbackFirst ? 'secondary' : 'primary',
      'data-testid': 'retry',
      onclick: () => {
        state.check = null;
        renderCheck();
      },
    },
    t('retry'),
  );
  const fallback = fallbackButton(check, category ?? 1, fallbackFirst);
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'failed', 'data-code': guidance?.code ?? '' },
      h('h1', { 'data-testid': 'failed-title' }, guidance ? loc(guidance.title) : t('failedTitle')),
      category
        ? h(
            'p',
            { 'data-testid': 'failure-category', 'data-category': category },
            t('failureCategoryLine', { category: label('failureCategory', category, state.lang) }),
          )
        : null,
    ),
    guidance ? renderGuidance(guidance, 'guidance', { showTitle: false }) : null,
    certificateDetails(check.certificate),
    // the primary action sits on the right
    h('div', { className: 'actions' }, ...(fallbackFirst ? [retry, fallback] : [fallback, retry])),
  );
}
