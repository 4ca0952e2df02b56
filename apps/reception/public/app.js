// kakunin reception web UI: a small dependency-free single-page app. All data is inserted with
// textContent (never innerHTML), so nothing from the server or the card is interpreted as HTML.
import { STRINGS } from './i18n.js';

const state = {
  lang: localStorage.getItem('kakunin.lang') === 'en' ? 'en' : 'ja',
  app: null,
  view: 'check',
  check: null,
  pollTimer: null,
  fallback: null,
};

// ---------- helpers ----------
function t(key, values = {}) {
  const text = STRINGS[state.lang][key] ?? STRINGS.ja[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}
function loc(text) {
  if (text === null || text === undefined) return '';
  return typeof text === 'string' ? text : (text[state.lang] ?? text.ja ?? '');
}
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'className') element.className = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}
function field(labelText, input) {
  return h('div', {}, h('label', { for: input.id }, labelText), input);
}
function input(id, attributes = {}) {
  return h('input', { id, name: id, type: 'text', autocomplete: 'off', ...attributes });
}
function value(id) {
  const element = document.getElementById(id);
  return element ? element.value : '';
}
function message(kind, text, testId) {
  return h(
    'div',
    { className: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-testid': testId },
    text,
  );
}
function formatTime(iso) {
  try {
    return new Date(iso).toLocaleString(state.lang === 'ja' ? 'ja-JP' : 'en-GB');
  } catch {
    return iso;
  }
}

async function api(method, path, body, headers = {}) {
  const options = { method, headers: { ...headers } };
  if (body instanceof Uint8Array) {
    options.headers['content-type'] = 'application/octet-stream';
    options.body = body;
  } else if (body !== undefined) {
    options.headers['content-type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const type = response.headers.get('content-type') ?? '';
  const json = type.includes('json') ? await response.json() : null;
  if (!response.ok) {
    const error = new Error(json?.error?.message ?? response.statusText);
    error.status = response.status;
    error.body = json?.error ?? {};
    throw error;
  }
  return json;
}

function stopPolling() {
  if (state.pollTimer !== null) clearTimeout(state.pollTimer);
  state.pollTimer = null;
}

// ---------- frame ----------
function setMain(...children) {
  const main = document.getElementById('app');
  main.replaceChildren(...children.filter((child) => child !== null && child !== undefined && child !== ''));
}

function renderMenu() {
  const menu = document.getElementById('menu');
  document.getElementById('brand-sub').textContent = t('brand');
  document.getElementById('language').textContent = t('switchLanguage');
  document.documentElement.lang = state.lang;
  if (state.app?.stage !== 'ready') {
    menu.replaceChildren();
    return;
  }
  const items = [
    ['check', t('menuCheck')],
    ['notices', t('menuNotices'), state.app.unreadNotices],
    ['fallbacks', t('menuFallbacks')],
    ['security', t('menuSecurity')],
    ['diagnostics', t('menuDiagnostics')],
    ...(state.app.simulator || state.app.standIn ? [['simulator', t('menuSimulator')]] : []),
    ['audit', t('menuAudit')],
  ];
  menu.replaceChildren(
    ...items.map(([view, label, badge]) =>
      h(
        'button',
        {
          type: 'button',
          'data-testid': `menu-${view}`,
          'aria-current': state.view === view ? 'page' : undefined,
          onclick: () => navigate(view),
        },
        label,
        badge ? h('span', { className: 'badge', 'data-testid': 'unread-badge' }, String(badge)) : null,
      ),
    ),
    h('button', { type: 'button', 'data-testid': 'menu-lock', onclick: lock }, t('menuLock')),
  );
  const footer = document.getElementById('footer');
  footer.textContent = `${state.app.facility?.name ?? ''} ${state.app.facility?.code ?? ''} · ${state.app.account?.displayName ?? ''} · ${state.app.deviceName ?? ''} · v${state.app.version}`;
}

async function refreshState() {
  state.app = await api('GET', '/api/state');
  return state.app;
}

function navigate(view) {
  stopPolling();
  state.view = view;
  render();
}

async function lock() {
  stopPolling();
  state.app = await api('POST', '/api/lock');
  render();
}

function render() {
  renderMenu();
  const stage = state.app?.stage;
  if (stage === 'unconfigured') return renderSetup();
  if (stage === 'unregistered') return renderDeviceRegistration();
  if (stage === 'system-login') return renderLogin();
  if (stage === 'passcode-setup') return renderPasscodeSetup();
  if (stage === 'passcode') return renderPasscode();
  const views = {
    check: renderCheck,
    notices: renderNotices,
    fallbacks: renderFallbackRecords,
    fallback: renderFallback,
    security: renderSecurity,
    diagnostics: renderDiagnostics,
    simulator: renderSimulator,
    audit: renderAudit,
  };
  return (views[state.view] ?? renderCheck)();
}

function loginErrorText(error) {
  const body = error.body ?? {};
  if (body.code === 'ACCOUNT_LOCKED')
    return `${t('accountLocked', { time: formatTime(body.lockedUntil) })} ${loc(body.remedy?.action)}`;
  if (body.code === 'REREGISTRATION_WAIT') return t('reregisterWait', { time: formatTime(body.retryAt) });
  if (body.code === 'DEVICE_ALREADY_REGISTERED') return t('alreadyRegistered');
  if (body.code === 'BAD_CREDENTIALS') {
    return body.attemptsLeft === undefined
      ? t('badCredentials')
      : `${t('badCredentials')} ${t('attemptsLeft', { n: body.attemptsLeft })}`;
  }
  return `${t('error')}: ${error.message}`;
}

// ---------- setup, device, login, passcode ----------
function renderSetup() {
  const status = h('div', { id: 'form-status' });
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'setup' },
      h('h1', {}, t('setupTitle')),
      h('p', {}, t('setupIntro')),
      field(t('facilityCode'), input('facilityCode', { inputmode: 'numeric', maxlength: 10 })),
      field(t('facilityName'), input('facilityName')),
      field(t('accountId'), input('accountId')),
      field(t('displayName'), input('displayName')),
      field(t('password'), input('password', { type: 'password' })),
      field(t('deviceName'), input('deviceName', { value: 'reception' })),
      h(
        'div',
        { className: 'actions' },
        h(
          'button',
          {
            type: 'button',
            className: 'primary',
            'data-testid': 'setup-submit',
            onclick: async () => {
              try {
                state.app = await api('POST', '/api/setup/facility', {
                  facilityCode: value('facilityCode'),
                  facilityName: value('facilityName'),
                  accountId: value('accountId'),
                  displayName: value('displayName'),
                  password: value('password'),
                  deviceName: value('deviceName'),
                });
                render();
              } catch (error) {
                status.replaceChildren(message('error', loginErrorText(error), 'form-error'));
              }
            },
          },
          t('register'),
        ),
      ),
      status,
    ),
  );
}

function credentialsForm(title, intro, testId, buttonText, submit, withDevice) {
  const status = h('div', { id: 'form-status' });
  const submitForm = async () => {
    try {
      await submit(status);
    } catch (error) {
      status.replaceChildren(message('error', loginErrorText(error), 'form-error'));
    }
  };
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': testId },
      h('h1', {}, title),
      intro ? h('p', {}, intro) : null,
      state.flash ? message('warning', state.flash, 'flash') : null,
      field(t('accountId'), input('accountId')),
      field(
        t('password'),
        input('password', { type: 'password', onkeydown: (event) => event.key === 'Enter' && submitForm() }),
      ),
      withDevice ? field(t('deviceName'), input('deviceName', { value: 'reception' })) : null,
      h(
        'div',
        { className: 'actions' },
        h(
          'button',
          { type: 'button', className: 'primary', 'data-testid': 'login-submit', onclick: submitForm },
          buttonText,
        ),
      ),
      status,
    ),
  );
  state.flash = null;
}

function renderDeviceRegistration() {
  credentialsForm(
    t('deviceTitle'),
    t('deviceIntro'),
    'device-registration',
    t('register'),
    async () => {
      state.app = await api('POST', '/api/device/register', {
        accountId: value('accountId'),
        password: value('password'),
        deviceName: value('deviceName'),
      });
      render();
    },
    true,
  );
}

function renderLogin() {
  credentialsForm(
    t('loginTitle'),
    null,
    'system-login',
    t('login'),
    async () => {
      state.app = await api('POST', '/api/login', {
        accountId: value('accountId'),
        password: value('password'),
      });
      render();
    },
    false,
  );
}

function renderPasscodeSetup() {
  const status = h('div');
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'passcode-setup' },
      h('h1', {}, t('passcodeSetupTitle')),
      h('p', {}, t('passcodeSetupIntro')),
      field(t('passcode'), input('passcode', { type: 'password', inputmode: 'numeric', maxlength: 8 })),
      h(
        'div',
        { className: 'actions' },
        h(
          'button',
          {
            type: 'button',
            className: 'primary',
            'data-testid': 'passcode-setup-submit',
            onclick: async () => {
              try {
                state.app = await api('POST', '/api/passcode/setup', { passcode: value('passcode') });
                state.view = state.app.unreadNotices > 0 ? 'notices' : 'check';
                render();
              } catch (error) {
                status.replaceChildren(message('error', `${t('error')}: ${error.message}`, 'form-error'));
              }
            },
          },
          t('setPasscode'),
        ),
      ),
      status,
    ),
  );
}

function renderPasscode() {
  const status = h('div');
  const submit = async () => {
    try {
      state.app = await api('POST', '/api/passcode/unlock', { passcode: value('passcode') });
      state.view = 'check';
      render();
    } catch (error) {
      if (error.body?.code === 'PASSCODE_RESET_REQUIRED') {
        state.app = error.body.state ?? (await refreshState());
        state.flash = t('passcodeReset');
        render();
        return;
      }
      const attempts = error.body?.attemptsLeft;
      status.replaceChildren(message('error', t('passcodeWrong', { n: attempts ?? '?' }), 'form-error'));
      document.getElementById('passcode').value = '';
    }
  };
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'passcode' },
      h('h1', {}, t('passcodeTitle')),
      h(
        'p',
        { className: 'muted' },
        `${state.app.account?.displayName ?? ''} · ${state.app.deviceName ?? ''}`,
      ),
      field(
        t('passcode'),
        input('passcode', {
          type: 'password',
          inputmode: 'numeric',
          maxlength: 8,
          onkeydown: (event) => event.key === 'Enter' && submit(),
        }),
      ),
      h(
        'div',
        { className: 'actions' },
        h(
          'button',
          { type: 'button', className: 'primary', 'data-testid': 'passcode-submit', onclick: submit },
          t('unlock'),
        ),
      ),
      status,
    ),
  );
}

// ---------- the check flow ----------
async function renderCheck() {
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
              const mode = document.querySelector('input[name="mode"]:checked')?.value ?? 'pin';
              try {
                state.check = await api('POST', '/api/checks', { readerId: value('reader'), mode });
                renderCheckState();
                poll();
              } catch (error) {
                setMain(message('error', `${t('error')}: ${error.message}`, 'check-error'));
              }
            },
          },
          t('startReading'),
        ),
      ),
    ),
  );
}

function poll() {
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

function setupLabel(setup) {
  return setup === 'ble-reader'
    ? t('setupBle')
    : setup === 'smartphone'
      ? t('setupSmartphone')
      : t('setupWired');
}

function renderGuidance(guidance, testId = 'guidance') {
  return h(
    'div',
    {
      className: 'panel',
      'data-testid': testId,
      'data-code': guidance.code,
      'data-remedy': guidance.remedyKey,
    },
    h('h2', { 'data-testid': 'guidance-title' }, loc(guidance.title)),
    h('p', { 'data-testid': 'guidance-action' }, loc(guidance.action)),
    guidance.triesLeft !== undefined
      ? h('p', { className: 'tries' }, t('triesLeft', { n: guidance.triesLeft }))
      : null,
    guidance.checklist && guidance.checklist.length > 0
      ? h(
          'div',
          {},
          h('h2', {}, `${t('checklistTitle')} — ${setupLabel(guidance.setup)}`),
          h(
            'ol',
            { className: 'checklist', 'data-testid': 'checklist', 'data-setup': guidance.setup },
            ...guidance.checklist.map((item) =>
              h(
                'li',
                {
                  className: item.focus ? 'focus' : '',
                  'data-item': item.id,
                  'data-focus': item.focus ? 'yes' : 'no',
                },
                loc(item),
              ),
            ),
          ),
        )
      : null,
    guidance.fallback ? message('warning', loc(guidance.fallback), 'guidance-fallback') : null,
    h('p', { className: 'muted' }, `${guidance.code} · ${guidance.source}`),
  );
}

function cancelButton() {
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

function renderCheckState() {
  const check = state.check;
  if (!check) return renderCheck();
  const status = check.status;
  if (status === 'waiting-card') {
    return setMain(
      h(
        'section',
        { className: 'panel', 'data-testid': 'waiting-card' },
        h('h1', {}, h('span', { className: 'spinner' }), t('waitingCard')),
        h('p', {}, t('waitingCardHint')),
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

function renderPinEntry(check) {
  const triesLeft = check.pinStatus?.triesLeft;
  const last = triesLeft === 1;
  const submit = async () => {
    const pinInput = document.getElementById('pin');
    const bytes = new TextEncoder().encode(pinInput.value);
    pinInput.value = '';
    const confirm = document.getElementById('confirm-last-try')?.checked === true;
    try {
      state.check = await api(
        'POST',
        `/api/checks/${check.id}/pin`,
        bytes,
        confirm ? { 'x-kakunin-confirm-last-try': 'yes' } : {},
      );
    } catch (error) {
      state.check = {
        ...check,
        guidance: {
          code: error.body?.code ?? 'ERROR',
          title: { ja: error.message, en: error.message },
          action: '',
          checklist: [],
          source: '',
        },
      };
    } finally {
      bytes.fill(0);
    }
    renderCheckState();
    if (state.check.status === 'querying') poll();
  };
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'pin-entry' },
      h('h1', {}, t('pinTitle')),
      h('p', {}, t('pinIntro')),
      h(
        'p',
        {
          className: `tries${last ? ' last' : ''}`,
          'data-testid': 'tries-left',
          'data-tries': triesLeft ?? '',
        },
        triesLeft === null || triesLeft === undefined ? t('triesUnknown') : t('triesLeft', { n: triesLeft }),
      ),
      last ? message('error', t('lastTryWarning'), 'last-try-warning') : null,
      last
        ? h(
            'label',
            { className: 'inline' },
            h('input', { type: 'checkbox', id: 'confirm-last-try', 'data-testid': 'confirm-last-try' }),
            t('confirmLastTry'),
          )
        : null,
      field(
        t('pin'),
        input('pin', {
          type: 'password',
          inputmode: 'numeric',
          maxlength: 4,
          className: 'pin',
          'data-testid': 'pin-input',
          onkeydown: (event) => event.key === 'Enter' && submit(),
        }),
      ),
      h(
        'div',
        { className: 'actions' },
        h(
          'button',
          { type: 'button', className: 'primary', 'data-testid': 'pin-submit', onclick: submit },
          t('submitPin'),
        ),
        cancelButton(),
      ),
    ),
    check.guidance ? renderGuidance(check.guidance) : null,
  );
  document.getElementById('pin')?.focus();
}

function renderVisual(check) {
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
                setMain(message('error', `${t('error')}: ${error.message}`, 'check-error'));
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

function describeResult(result) {
  const rows = [
    [t('fieldInsurerNumber'), `${result.insurerNumber}(${result.insurerNumber.length}桁)`],
    [t('fieldInsurerName'), result.insurerName],
    [t('fieldSymbol'), result.insuredCardSymbol],
    [t('fieldNumber'), result.insuredIdentificationNumber],
    [t('fieldBranch'), result.insuredBranchNumber],
    [t('fieldFamily'), result.personalFamilyClassification === '2' ? t('familyDependant') : t('familySelf')],
    result.insuredName ? [t('fieldInsuredName'), result.insuredName] : null,
    [t('fieldName'), result.name],
    [t('fieldKana'), result.nameKana],
    [
      t('fieldSex'),
      result.sex === '1' ? t('sexMale') : result.sex === '2' ? t('sexFemale') : t('sexUnknown'),
    ],
    [t('fieldBirthdate'), result.birthdate],
    [t('fieldRatio'), `${result.insuredPartialContributionRatio / 10}割`],
    [t('fieldValidFrom'), result.insuredCardValidDate],
    result.insuredCardExpirationDate ? [t('fieldValidUntil'), result.insuredCardExpirationDate] : null,
    result.reasonOfLoss ? [t('fieldReasonOfLoss'), result.reasonOfLoss] : null,
    result.elderlyRecipientCertificateInfo
      ? [
          t('fieldElderly'),
          `${result.elderlyRecipientCertificateInfo.ratio / 10}割 (${result.elderlyRecipientCertificateInfo.validFrom}〜${result.elderlyRecipientCertificateInfo.validUntil})`,
        ]
      : null,
    result.limitApplicationCertificateRelatedInfo
      ? [
          t('fieldLimit'),
          `${result.limitApplicationCertificateRelatedInfo.classification} / ${result.limitApplicationCertificateRelatedInfo.categoryFlag}`,
        ]
      : null,
    [t('fieldCard'), result.insuredCardClassification],
  ].filter(Boolean);
  return h(
    'table',
    { 'data-testid': 'result-table' },
    ...rows.map(([label, text]) => h('tr', {}, h('th', {}, label), h('td', {}, text))),
  );
}

function describeReconciliation(report, index, check) {
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
            h('th', {}, ''),
            h('th', {}, t('stored')),
            h('th', {}, t('fromResult')),
            h('th', {}, t('status')),
          ),
          ...report.fields.map((entry) =>
            h(
              'tr',
              { 'data-field': entry.field, 'data-status': entry.status },
              h('td', {}, entry.field),
              h('td', {}, entry.stored ?? ''),
              h('td', {}, entry.result ?? ''),
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
            await api('POST', `/api/checks/${check.id}/apply`, { resultIndex: index });
            status.replaceChildren(message('ok', t('recordUpdated'), 'record-updated'));
          },
        },
        t('applyRecord'),
      ),
    ),
    status,
  );
}

function nextPatientButton() {
  return h(
    'button',
    {
      type: 'button',
      className: 'primary',
      'data-testid': 'new-check',
      onclick: () => {
        state.check = null;
        renderCheck();
      },
    },
    t('newCheck'),
  );
}

function fallbackButton(check, category) {
  return h(
    'button',
    {
      type: 'button',
      className: 'danger',
      'data-testid': 'to-fallback',
      onclick: () => {
        state.fallback = { checkId: check.id, category: category ?? 1 };
        state.check = null;
        state.view = 'fallback';
        render();
      },
    },
    t('toFallback'),
  );
}

/** Every check of the certificate validation (x509), in order, with its outcome. */
function certificateDetails(certificate) {
  if (!certificate?.checks?.length) return null;
  const revocation = certificate.revocation;
  const revocationText = !revocation
    ? t('outcome_skip')
    : revocation.status === 'GOOD'
      ? t('revocation_GOOD', {
          source: revocation.source,
          thisUpdate: revocation.thisUpdate ? formatTime(revocation.thisUpdate) : '-',
        })
      : revocation.status === 'REVOKED'
        ? t('revocation_REVOKED', {
            reason: revocation.reason ?? '-',
            date: revocation.revokedAt ? formatTime(revocation.revokedAt) : '-',
          })
        : certificate.revocationDelegated
          ? t('revocation_DELEGATED')
          : t('revocation_UNKNOWN', { detail: revocation.detail ?? '' });
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
          h('td', { className: 'muted' }, [check.code, check.detail].filter(Boolean).join(' · ')),
        ),
      ),
    ),
  );
}

function renderResult(check) {
  const body = check.answer?.body;
  const validity = body?.qualificationValidity ?? '';
  const banner = validity === '1' ? 'valid' : validity === '5' ? 'attention' : 'invalid';
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'result', 'data-validity': validity },
      h('h1', {}, t('resultTitle')),
      h(
        'div',
        { className: `status-banner ${banner}`, 'data-testid': 'result-banner' },
        t(`validity${validity}`),
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
            `目視: ${check.visual.staffId} · ${formatTime(check.visual.confirmedAt)}`,
          )
        : null,
      body?.processingResultMessage
        ? message('warning', body.processingResultMessage, 'processing-message')
        : null,
      ...(check.warnings ?? []).map((warning) => renderGuidance(warning, 'warning')),
      check.certificate?.notAfter
        ? h(
            'p',
            { className: 'muted', 'data-testid': 'certificate-expiry' },
            `${t('certificate')}: ${t('certificateUntil', { date: check.certificate.notAfter.slice(0, 10), n: check.certificate.daysUntilExpiry })}`,
          )
        : null,
      certificateDetails(check.certificate),
      ...(body?.resultList ?? []).map((result, index) =>
        h(
          'div',
          { className: 'panel' },
          describeResult(result),
          validity === '1' ? describeReconciliation(check.reconciliation[index], index, check) : null,
        ),
      ),
      check.guidance
        ? h(
            'div',
            {},
            renderGuidance(check.guidance),
            validity === '2' || validity === '3' || validity === '4' ? flyerGuidance(3) : null,
          )
        : null,
      h(
        'div',
        { className: 'actions' },
        nextPatientButton(),
        check.guidance ? fallbackButton(check, check.guidance.failureCategory ?? 3) : null,
      ),
    ),
  );
}

function flyerGuidance(category) {
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

function renderFailed(check) {
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'failed', 'data-code': check.guidance?.code ?? '' },
      h('h1', {}, t('failedTitle')),
      check.guidance?.failureCategory
        ? h(
            'p',
            { 'data-testid': 'failure-category' },
            `${t('failureCategory')}: ${['', '①', '②', '③'][check.guidance.failureCategory]}`,
          )
        : null,
    ),
    check.guidance ? renderGuidance(check.guidance) : null,
    certificateDetails(check.certificate),
    h(
      'div',
      { className: 'actions' },
      h(
        'button',
        {
          type: 'button',
          className: 'primary',
          'data-testid': 'retry',
          onclick: () => {
            state.check = null;
            renderCheck();
          },
        },
        t('retry'),
      ),
      fallbackButton(check, check.guidance?.failureCategory ?? 1),
    ),
  );
}

// ---------- fallbacks ----------
async function renderFallback() {
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

function renderEvidenceForm(container, option, context, status) {
  status.replaceChildren();
  const evidence = option.evidence;
  const submit = async (data) => {
    try {
      const record = await api('POST', '/api/fallbacks', {
        checkId: context.checkId,
        failureCategory: context.category,
        evidence,
        data,
      });
      const recorded = [
        message(
          'ok',
          t('fallbackRecorded', { id: record.id, date: record.requeryOn ?? '-' }),
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
      status.replaceChildren(...recorded);
      status.dataset.recordId = record.id;
    } catch (error) {
      status.replaceChildren(
        message('error', `${loc(error.body?.reason) || error.message}`, 'fallback-error'),
      );
    }
  };
  const recordButton = (collect) =>
    h(
      'div',
      { className: 'actions' },
      h(
        'button',
        {
          type: 'button',
          className: 'primary',
          'data-testid': 'fallback-submit',
          onclick: () => submit(collect()),
        },
        t('recordFallback'),
      ),
    );

  if (evidence === 'oral-confirmation') {
    const results = h('div', { 'data-testid': 'patient-results' });
    let chosen = null;
    container.replaceChildren(
      h(
        'div',
        { className: 'panel' },
        field(t('patientSearch'), input('patientQuery', { 'data-testid': 'patient-query' })),
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
                results.replaceChildren(
                  ...found.patients.map((patient) =>
                    h(
                      'label',
                      { className: 'inline' },
                      h('input', {
                        type: 'radio',
                        name: 'patient',
                        value: patient.id,
                        'data-testid': `patient-${patient.id}`,
                        onchange: () => {
                          chosen = patient.id;
                        },
                      }),
                      `${patient.name}(${patient.nameKana ?? ''}) ${patient.insurerNumber} ${patient.referenceNumber ?? ''}`,
                    ),
                  ),
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
        recordButton(() => ({
          patientRecordId: chosen,
          noChangeConfirmed: document.getElementById('noChange').checked,
        })),
      ),
    );
    return;
  }
  if (evidence === 'declaration') {
    const today = new Date().toISOString().slice(0, 10);
    const typeSelect = h(
      'select',
      { id: 'insuranceType', 'data-testid': 'decl-insuranceType' },
      h('option', { value: 'kokuho' }, '国民健康保険'),
      h('option', { value: 'koki' }, '後期高齢者医療'),
      h('option', { value: 'employee' }, '被用者保険(健保組合・協会けんぽ・共済等)'),
      h('option', { value: 'unknown', selected: true }, 'わからない'),
    );
    const sexSelect = h(
      'select',
      { id: 'sex', 'data-testid': 'decl-sex' },
      h('option', { value: '1' }, t('sexMale')),
      h('option', { value: '2' }, t('sexFemale')),
      h('option', { value: '3', selected: true }, t('sexUnknown')),
    );
    const review = h(
      'select',
      { id: 'reviewBody', 'data-testid': 'decl-reviewBody' },
      h('option', { value: '' }, '-'),
      h('option', { value: 'shiharai-kikin' }, t('reviewKikin')),
      h('option', { value: 'kokuhoren' }, t('reviewKokuhoren')),
    );
    const fields = [
      ['name', t('fieldName')],
      ['nameKana', t('fieldKana')],
      ['birthdate', t('fieldBirthdate'), { type: 'date' }],
      ['address', t('address')],
      ['phone', t('phone')],
      ['insurerOrEmployerName', t('insurerOrEmployer')],
      ['insurerNumber', t('fieldInsurerNumber')],
      ['symbol', t('fieldSymbol')],
      ['number', t('fieldNumber')],
      ['branch', t('fieldBranch')],
      ['visitDate', t('visitDate'), { type: 'date', value: today }],
    ];
    container.replaceChildren(
      h(
        'div',
        { className: 'panel', 'data-testid': 'declaration-form' },
        h('h2', {}, t('declarationTitle')),
        ...fields
          .slice(0, 3)
          .map(([id, label, extra]) =>
            field(label, input(id, { 'data-testid': `decl-${id}`, ...(extra ?? {}) })),
          ),
        field(t('fieldSex'), sexSelect),
        ...fields.slice(3, 5).map(([id, label]) => field(label, input(id, { 'data-testid': `decl-${id}` }))),
        field(t('insuranceType'), typeSelect),
        ...fields
          .slice(5)
          .map(([id, label, extra]) =>
            field(label, input(id, { 'data-testid': `decl-${id}`, ...(extra ?? {}) })),
          ),
        field(t('reviewBody'), review),
        recordButton(() =>
          Object.fromEntries([
            ...fields.map(([id]) => [id, value(id)]),
            ['sex', value('sex')],
            ['insuranceType', value('insuranceType')],
            ['reviewBody', value('reviewBody')],
          ]),
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
        ? documentFields.map((id) => field(labels[id], input(`doc-${id}`, { 'data-testid': `doc-${id}` })))
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
        shownWithCard: document.getElementById('withCard')?.checked === true,
      })),
    ),
  );
}

async function renderFallbackRecords() {
  const { fallbacks } = await api('GET', '/api/fallbacks');
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'fallback-records' },
      h('h1', {}, t('historyTitle')),
      h(
        'table',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'ID'),
          h('th', {}, t('failureCategory')),
          h('th', {}, t('evidence')),
          h('th', {}, 'staff'),
          h('th', {}, 're-query'),
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
            h('td', {}, ['', '①', '②', '③'][record.failureCategory]),
            h('td', {}, record.evidence),
            h('td', {}, `${record.staffAccount} ${formatTime(record.createdAt)}`),
            h('td', {}, record.requeryOn ?? '-'),
          ),
        ),
      ),
    ),
  );
}

// ---------- notices, security, diagnostics, simulator, audit ----------
async function renderNotices() {
  const { notices } = await api('GET', '/api/notices');
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'notices' },
      h('h1', {}, t('noticesTitle')),
      ...notices.map((notice) =>
        h(
          'article',
          {
            className: 'panel',
            'data-testid': `notice-${notice.id}`,
            'data-read': notice.read ? 'yes' : 'no',
          },
          h(
            'h2',
            {},
            loc(notice.title),
            notice.read ? null : h('span', { className: 'stand-in' }, t('unread')),
          ),
          h('p', { className: 'muted' }, notice.publishedAt.slice(0, 10)),
          h('p', {}, loc(notice.body)),
          notice.read
            ? null
            : h(
                'button',
                {
                  type: 'button',
                  className: 'secondary',
                  'data-testid': `notice-read-${notice.id}`,
                  onclick: async () => {
                    await api('POST', `/api/notices/${notice.id}/read`);
                    await refreshState();
                    renderMenu();
                    renderNotices();
                  },
                },
                t('markRead'),
              ),
        ),
      ),
    ),
  );
}

async function renderSecurity() {
  const settings = await api('GET', '/api/settings');
  const readers = await api('GET', '/api/readers').catch(() => ({ readers: [] }));
  const status = h('div');
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'security' },
      h('h1', {}, t('securityTitle')),
      h(
        'label',
        { className: 'inline' },
        h('input', {
          type: 'checkbox',
          id: 'visualCheckAllowed',
          checked: settings.visualCheckAllowed,
          'data-testid': 'visual-slider',
        }),
        t('visualSlider'),
      ),
      h('p', { className: 'muted' }, t('visualSliderNote')),
      field(
        t('readerSetting'),
        h(
          'select',
          { id: 'readerId', 'data-testid': 'reader-setting' },
          h('option', { value: '' }, '-'),
          ...readers.readers.map((reader) =>
            h('option', { value: reader.id, selected: reader.id === settings.readerId }, reader.label),
          ),
        ),
      ),
      field(
        t('readerSetup'),
        h(
          'select',
          { id: 'readerSetup', 'data-testid': 'reader-setup' },
          h('option', { value: '' }, t('setupAuto')),
          ...['wired-reader', 'ble-reader', 'smartphone'].map((setup) =>
            h('option', { value: setup, selected: settings.readerSetup === setup }, setupLabel(setup)),
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
            className: 'primary',
            'data-testid': 'security-save',
            onclick: async () => {
              await api('PUT', '/api/settings', {
                visualCheckAllowed: document.getElementById('visualCheckAllowed').checked,
                readerId: value('readerId') || null,
                readerSetup: value('readerSetup') || null,
              });
              await refreshState();
              status.replaceChildren(message('ok', t('saved'), 'saved'));
            },
          },
          t('save'),
        ),
      ),
      status,
      h('h2', {}, t('releaseDevice')),
      h('p', {}, t('releaseNote')),
      h(
        'div',
        { className: 'actions' },
        h(
          'button',
          {
            type: 'button',
            className: 'danger',
            'data-testid': 'release-device',
            onclick: async () => {
              await api('POST', '/api/device/release');
              state.flash = t('released');
              await refreshState();
              render();
            },
          },
          t('releaseDevice'),
        ),
      ),
      h('p', { className: 'muted' }, t('screenNote')),
    ),
  );
}

async function renderDiagnostics() {
  setMain(h('section', { className: 'panel' }, h('span', { className: 'spinner' })));
  const report = await api('GET', '/api/diagnostics');
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'diagnostics', 'data-status': report.status },
      h('h1', {}, t('diagnosticsTitle')),
      h(
        'table',
        {},
        ...report.checks.map((check) =>
          h(
            'tr',
            { 'data-testid': `diag-${check.id}`, 'data-status': check.status },
            h('th', {}, loc(check.title)),
            h('td', { className: `diag-${check.status}` }, check.status.toUpperCase()),
            h(
              'td',
              {},
              check.detail,
              check.guidance ? h('div', { className: 'muted' }, loc(check.guidance.action)) : null,
            ),
          ),
        ),
      ),
      h(
        'div',
        { className: 'actions' },
        h(
          'button',
          { type: 'button', className: 'secondary', onclick: renderDiagnostics },
          t('runDiagnostics'),
        ),
      ),
    ),
  );
}

async function renderSimulator() {
  const desk = state.app.simulator ? await api('GET', '/api/simulator') : null;
  const persons = state.app.standIn ? await api('GET', '/api/stand-in/persons') : null;
  const deskAction = async (action, profile) => {
    await api('POST', `/api/simulator/${action}`, { profile });
    renderSimulator();
  };
  setMain(
    desk
      ? h(
          'section',
          { className: 'panel', 'data-testid': 'simulator' },
          h('h1', {}, t('simulatorTitle')),
          h('p', {}, t('simulatorIntro')),
          h(
            'p',
            { 'data-testid': 'simulator-current' },
            desk.plugged ? t('currentCard', { card: desk.current ?? t('noCard') }) : t('readerUnplugged'),
          ),
          h(
            'p',
            {
              className: 'muted',
              'data-testid': 'simulator-presentation',
              'data-presentation': desk.presentation,
            },
            `${t('cardReader')}: ${desk.readerId} — ${t(`presentation_${desk.presentation}`)}`,
          ),
          h(
            'div',
            { className: 'actions' },
            ...desk.profiles.map((profile) =>
              h(
                'button',
                {
                  type: 'button',
                  className: 'secondary',
                  'data-testid': `insert-${profile}`,
                  onclick: () => deskAction('insert', profile),
                },
                `${t('insertCard')}: ${profile}`,
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
                'data-testid': 'remove-card',
                onclick: () => deskAction('remove'),
              },
              t('removeCard'),
            ),
            h(
              'button',
              {
                type: 'button',
                className: 'secondary',
                'data-testid': 'reset-card',
                onclick: () => deskAction('reset', desk.current ?? ''),
              },
              t('resetCard'),
            ),
            desk.plugged
              ? h(
                  'button',
                  {
                    type: 'button',
                    className: 'danger',
                    'data-testid': 'unplug-reader',
                    onclick: () => deskAction('unplug'),
                  },
                  t('unplugReader'),
                )
              : h(
                  'button',
                  {
                    type: 'button',
                    className: 'secondary',
                    'data-testid': 'plug-reader',
                    onclick: () => deskAction('plug'),
                  },
                  t('plugReader'),
                ),
          ),
        )
      : '',
    persons
      ? h(
          'section',
          { className: 'panel', 'data-testid': 'stand-in' },
          h('h1', {}, t('standInTitle')),
          h('p', {}, t('standInIntro')),
          h(
            'table',
            {},
            ...persons.persons.map((person) =>
              h(
                'tr',
                {},
                h('td', {}, loc(person.label)),
                h('td', {}, `QualificationValidity ${person.validity}`),
                h(
                  'td',
                  {},
                  h(
                    'button',
                    {
                      type: 'button',
                      className: 'secondary',
                      'data-testid': `link-${person.id}`,
                      onclick: async () => {
                        await api('POST', '/api/stand-in/link', { personId: person.id });
                        renderSimulator();
                      },
                    },
                    t('link'),
                  ),
                ),
              ),
            ),
          ),
        )
      : '',
  );
}

async function renderAudit() {
  const { verify, events } = await api('GET', '/api/audit');
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'audit' },
      h('h1', {}, t('auditTitle')),
      verify.ok
        ? message('ok', t('auditOk', { n: verify.events }), 'audit-ok')
        : message('error', t('auditBroken', { n: verify.brokenAt }), 'audit-broken'),
      h(
        'table',
        {},
        ...events.map((event) =>
          h(
            'tr',
            {},
            h('td', {}, String(event.seq)),
            h('td', {}, formatTime(event.at)),
            h('td', {}, event.actor ?? ''),
            h('td', {}, event.action),
            h('td', {}, event.subject ?? ''),
            h('td', { className: 'muted' }, event.hash.slice(0, 12)),
          ),
        ),
      ),
    ),
  );
}

// ---------- boot ----------
document.getElementById('language').addEventListener('click', () => {
  state.lang = state.lang === 'ja' ? 'en' : 'ja';
  localStorage.setItem('kakunin.lang', state.lang);
  if (state.view === 'check' && state.check) {
    renderMenu();
    renderCheckState();
  } else render();
});
// Best-effort capture hindrance: blur sensitive content while the window is in the background.
const obscure = (on) => document.body.classList.toggle('obscured', on);
window.addEventListener('blur', () => obscure(true));
window.addEventListener('focus', () => obscure(false));
document.addEventListener('visibilitychange', () => obscure(document.visibilityState === 'hidden'));

refreshState()
  .then(() => {
    if (state.app.stage === 'ready' && state.app.unreadNotices > 0) state.view = 'notices';
    render();
  })
  .catch((error) => setMain(message('error', `${t('error')}: ${error.message}`, 'boot-error')));
