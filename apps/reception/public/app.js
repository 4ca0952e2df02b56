// kakunin reception web UI: a small dependency-free single-page app. All data is inserted with
// textContent (never innerHTML), so nothing from the server or the card is interpreted as HTML.
import { dateLabel, dateTimeLabel, isCurrentResult, label, ratioLabel } from './codes.js';
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

/** Words for the form fields the server may name in a validation error. */
const FIELD_LABEL_KEYS = {
  name: 'fieldName',
  nameKana: 'fieldKana',
  birthdate: 'fieldBirthdate',
  sex: 'fieldSex',
  address: 'address',
  phone: 'phone',
  insuranceType: 'insuranceType',
  insurerOrEmployerName: 'insurerOrEmployer',
  insurerNumber: 'fieldInsurerNumber',
  symbol: 'fieldSymbol',
  number: 'fieldNumber',
  branch: 'fieldBranch',
  visitDate: 'visitDate',
  reviewBody: 'reviewBody',
  passcode: 'passcode',
  facilityCode: 'facilityCode',
  facilityName: 'facilityName',
  accountId: 'accountId',
  displayName: 'displayName',
  password: 'password',
  device: 'deviceName',
  staffId: 'staffId',
  copaymentRatio: 'fieldRatio',
  familyClass: 'fieldFamily',
  validFrom: 'fieldValidFrom',
  validUntil: 'fieldValidUntil',
  insuredCardSymbol: 'fieldSymbol',
  insuredIdentificationNumber: 'fieldNumber',
  insuredBranchNumber: 'fieldBranch',
  personalFamilyClassification: 'fieldFamily',
  insuredPartialContributionRatio: 'fieldRatio',
  insuredCardValidDate: 'fieldValidFrom',
  insuredCardExpirationDate: 'fieldValidUntil',
  referenceNumber: 'referenceNumber',
};

function fieldLabel(field) {
  const key = FIELD_LABEL_KEYS[field];
  return key ? t(key) : t('fieldOther');
}

/**
 * An API error in words: the server's code (or the field and rule of a validation error, or the
 * localized reason of a refusal) looked up in the i18n table — never the server's English message.
 */
function errorText(error) {
  const body = error?.body ?? {};
  if (body.reason && typeof body.reason === 'object') return loc(body.reason);
  if (body.code === 'BAD_REQUEST' && body.field) {
    const specific = `error_field_${body.field}`;
    if (STRINGS[state.lang][specific] ?? STRINGS.ja[specific]) return t(specific);
    return t(`error_rule_${body.rule ?? 'format'}`, { field: fieldLabel(body.field) });
  }
  const key = body.code ? `error_${body.code}` : '';
  if (key !== '' && (STRINGS[state.lang][key] ?? STRINGS.ja[key])) return t(key);
  if (error?.status === undefined) return t('errorNetwork');
  return t('errorGeneric');
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
          disabled: state.view === 'mode',
        },
        label,
        badge ? h('span', { className: 'badge', 'data-testid': 'unread-badge' }, String(badge)) : null,
      ),
    ),
    h('button', { type: 'button', 'data-testid': 'menu-lock', onclick: lock }, t('menuLock')),
  );
  const footer = document.getElementById('footer');
  const mode = sessionStorage.getItem('kakunin.mode');
  footer.replaceChildren(
    `${state.app.facility?.name ?? ''} ${state.app.facility?.code ?? ''} · ${state.app.account?.displayName ?? ''} · ${state.app.deviceName ?? ''} · ${mode ? `${t(`operationMode_${mode}`)} · ` : ''}v${state.app.version}`,
    // the demo's virtual card desk is a tool for trying the app, not part of the reception work
    state.app.simulator || state.app.standIn
      ? h(
          'a',
          {
            href: '/simulator',
            className: 'demo-link',
            'data-testid': 'menu-simulator',
            onclick: (event) => {
              event.preventDefault();
              navigate('simulator');
            },
          },
          t('menuSimulator'),
        )
      : null,
  );
}

async function refreshState() {
  state.app = await api('GET', '/api/state');
  return state.app;
}

// ---------- router: every view has a real URL (Back works, deep links work) ----------
const VIEW_PATHS = {
  check: '/check',
  notices: '/notices',
  fallbacks: '/fallbacks',
  fallback: '/fallback',
  security: '/security',
  diagnostics: '/diagnostics',
  simulator: '/simulator',
  audit: '/audit',
  mode: '/mode',
};
const PATH_VIEWS = Object.fromEntries(Object.entries(VIEW_PATHS).map(([view, path]) => [path, view]));

function viewFromLocation() {
  return PATH_VIEWS[location.pathname] ?? null;
}

function navigate(view, { replace = false } = {}) {
  stopPolling();
  state.view = view;
  const path = VIEW_PATHS[view] ?? '/check';
  if (location.pathname !== path) {
    if (replace) history.replaceState({ view }, '', path);
    else history.pushState({ view }, '', path);
  }
  render();
}

window.addEventListener('popstate', () => {
  stopPolling();
  const view = viewFromLocation() ?? 'check';
  if (view !== 'check') state.check = null;
  state.view =
    view === 'mode' && state.app?.stage === 'ready' && sessionStorage.getItem('kakunin.mode')
      ? 'check'
      : view;
  render();
});

/** After an unlock: the 動作モード選択画面 (FAQ Q13), then the view the URL asked for. */
function afterUnlock() {
  state.afterMode = viewFromLocation() ?? (state.app.unreadNotices > 0 ? 'notices' : 'check');
  if (state.afterMode === 'mode') state.afterMode = 'check';
  navigate('mode', { replace: true });
}

async function lock() {
  stopPolling();
  sessionStorage.removeItem('kakunin.mode');
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
    mode: renderModeSelect,
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
  return errorText(error);
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
  const submit = async () => {
    const passcode = value('passcode');
    if (!/^[0-9]{4,8}$/.test(passcode)) {
      status.replaceChildren(message('error', t('error_field_passcode'), 'form-error'));
      return;
    }
    if (passcode !== value('passcodeConfirm')) {
      status.replaceChildren(message('error', t('passcodeMismatch'), 'form-error'));
      document.getElementById('passcodeConfirm').value = '';
      document.getElementById('passcodeConfirm').focus();
      return;
    }
    try {
      state.app = await api('POST', '/api/passcode/setup', { passcode });
      afterUnlock();
    } catch (error) {
      status.replaceChildren(message('error', errorText(error), 'form-error'));
    }
  };
  const onEnter = (event) => {
    if (event.key === 'Enter') submit();
  };
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'passcode-setup' },
      h('h1', {}, t('passcodeSetupTitle')),
      h('p', {}, t('passcodeSetupIntro')),
      field(
        t('passcode'),
        input('passcode', { type: 'password', inputmode: 'numeric', maxlength: 8, onkeydown: onEnter }),
      ),
      field(
        t('passcodeConfirm'),
        input('passcodeConfirm', {
          type: 'password',
          inputmode: 'numeric',
          maxlength: 8,
          onkeydown: onEnter,
        }),
      ),
      h(
        'div',
        { className: 'actions' },
        h(
          'button',
          { type: 'button', className: 'primary', 'data-testid': 'passcode-setup-submit', onclick: submit },
          t('setPasscode'),
        ),
      ),
      status,
    ),
  );
  document.getElementById('passcode')?.focus();
}

/** 動作モード選択画面 (FAQ Q13): shown after each login with the passcode. */
function renderModeSelect() {
  const choose = (mode) => {
    sessionStorage.setItem('kakunin.mode', mode);
    const next = state.afterMode ?? 'check';
    state.afterMode = null;
    navigate(next, { replace: true });
  };
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'mode-select' },
      h('h1', {}, t('modeSelectTitle')),
      h('p', {}, t('modeSelectIntro')),
      h(
        'div',
        { className: 'actions' },
        h(
          'button',
          {
            type: 'button',
            className: 'primary',
            'data-testid': 'mode-reception',
            onclick: () => choose('reception'),
          },
          t('operationMode_reception'),
        ),
        h(
          'button',
          {
            type: 'button',
            className: 'secondary',
            'data-testid': 'mode-home-visit',
            onclick: () => choose('home-visit'),
          },
          t('operationMode_home-visit'),
        ),
      ),
      h('p', { className: 'muted' }, t('modeSelectNote')),
    ),
  );
}

function renderPasscode() {
  const status = h('div');
  const submit = async () => {
    try {
      state.app = await api('POST', '/api/passcode/unlock', { passcode: value('passcode') });
      afterUnlock();
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
                setMain(message('error', errorText(error), 'check-error'));
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

function renderGuidance(guidance, testId = 'guidance', { showTitle = true } = {}) {
  return h(
    'div',
    {
      className: 'panel',
      'data-testid': testId,
      'data-code': guidance.code,
      'data-remedy': guidance.remedyKey,
    },
    showTitle ? h('h2', { 'data-testid': 'guidance-title' }, loc(guidance.title)) : null,
    h('p', { 'data-testid': 'guidance-action' }, loc(guidance.action)),
    guidance.triesLeft !== undefined
      ? h('p', { className: 'tries' }, t('triesLeft', { n: guidance.triesLeft }))
      : null,
    guidance.checklist && guidance.checklist.length > 0
      ? h(
          'div',
          {},
          h('h2', {}, t('checklistTitle', { setup: setupLabel(guidance.setup) })),
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
    guidance.faqSection
      ? h(
          'p',
          { className: 'muted', 'data-testid': 'faq-reference' },
          t('faqReference', { section: guidance.faqSection }),
        )
      : null,
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

function renderPinEntry(check) {
  const triesLeft = check.pinStatus?.triesLeft;
  const last = triesLeft === 1;
  const local = h('div', { 'data-testid': 'pin-local-status', 'aria-live': 'polite' });
  const button = h(
    'button',
    { type: 'button', className: 'primary', 'data-testid': 'pin-submit', disabled: true },
    t('submitPin'),
  );
  const pinInput = input('pin', {
    type: 'password',
    inputmode: 'numeric',
    maxlength: 4,
    pattern: '[0-9]{4}',
    className: 'pin',
    'data-testid': 'pin-input',
    'aria-describedby': 'tries-left',
  });
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
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    button.replaceChildren(h('span', { className: 'spinner', 'aria-hidden': 'true' }), t('pinBusy'));
    const confirm = document.getElementById('confirm-last-try')?.checked === true;
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

function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The rows of one qualification (every code as words, dates in Japanese style). */
function resultRows(result) {
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
  ].filter(Boolean);
}

function describeResult(result) {
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
function describeNewerQualification(check) {
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
function describeMultiple(check) {
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
function reconciliationValue(field, value) {
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

function nextPatientButton(primary = true) {
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

function fallbackButton(check, category, primary = true) {
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
        state.fallback = { checkId: check.id, category: category ?? 1, holder };
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
          source: t(`revocationSource_${revocation.source}`),
          thisUpdate: revocation.thisUpdate ? dateTimeLabel(revocation.thisUpdate, state.lang) : '—',
        })
      : revocation.status === 'REVOKED'
        ? t('revocation_REVOKED', {
            reason: t(`revocationReason_${revocation.reason ?? 'unspecified'}`),
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

function renderResult(check) {
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

const sameName = (a, b) => String(a ?? '').replace(/[\s　]/g, '') === String(b ?? '').replace(/[\s　]/g, '');

/** Whether a patient record is the card holder (same name and birth date as the card just read). */
function isCardHolder(patient, holder) {
  if (!holder) return true;
  return (
    sameName(patient.name, holder.name) && (!patient.birthdate || patient.birthdate === holder.birthdate)
  );
}

function requiredMark() {
  return h('span', { className: 'required', 'aria-hidden': 'true' }, t('requiredMark'));
}

function renderEvidenceForm(container, option, context, status) {
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
      for (const radio of document.querySelectorAll('input[name="evidence"]')) radio.checked = false;
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
          () => ({ patientRecordId: chosen, noChangeConfirmed: document.getElementById('noChange').checked }),
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
        shownWithCard: document.getElementById('withCard')?.checked === true,
      })),
    ),
  );
}

/** The patient's name as recorded with a fallback (oral confirmation, declaration or document). */
function fallbackPatientName(record) {
  const data = record.data ?? {};
  return data.patientName ?? data.form?.name ?? data.name ?? t('nameNotRecorded');
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
          h('p', { className: 'muted' }, dateLabel(notice.publishedAt.slice(0, 10), state.lang)),
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
  // Releasing blocks registering another device for about an hour (FAQ Q15): ask first.
  const releaseBox = h('div', { className: 'actions' });
  const askRelease = () =>
    releaseBox.replaceChildren(
      h(
        'button',
        { type: 'button', className: 'danger', 'data-testid': 'release-device', onclick: confirmRelease },
        t('releaseDevice'),
      ),
    );
  const confirmRelease = () =>
    releaseBox.replaceChildren(
      h(
        'div',
        {
          className: 'confirm',
          role: 'alertdialog',
          'aria-labelledby': 'release-question',
          'data-testid': 'release-confirm-box',
        },
        h('p', { id: 'release-question' }, t('releaseQuestion')),
        h(
          'div',
          { className: 'actions' },
          h(
            'button',
            { type: 'button', className: 'secondary', 'data-testid': 'release-cancel', onclick: askRelease },
            t('cancel'),
          ),
          h(
            'button',
            {
              type: 'button',
              className: 'danger',
              'data-testid': 'release-confirm',
              onclick: async () => {
                await api('POST', '/api/device/release');
                state.flash = t('released');
                await refreshState();
                render();
              },
            },
            t('releaseConfirm'),
          ),
        ),
      ),
    );
  askRelease();
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
      releaseBox,
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
            h('th', { scope: 'row' }, loc(check.title)),
            h('td', { className: `diag-${check.status}` }, t(`diagStatus_${check.status}`)),
            h(
              'td',
              {},
              // the environment probe reports in English: its detail is shown on the English screen
              state.lang === 'ja' ? null : check.detail,
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
      await trustRootsPanel(),
    ),
  );
}

/** J-LIS root certificates: what is installed, and adding a root with its published fingerprint. */
async function trustRootsPanel() {
  const roots = await api('GET', '/api/trust-roots');
  const result = h('div', { 'data-testid': 'trust-root-result' });
  const add = async () => {
    result.replaceChildren();
    const fingerprint = value('trust-root-fingerprint').trim();
    try {
      const added = await api('POST', '/api/trust-roots', {
        certificate: value('trust-root-certificate'),
        ...(fingerprint === '' ? {} : { fingerprint }),
      });
      result.append(message('ok', t('trustRootAdded', { id: added.id }), 'trust-root-added'));
    } catch (error) {
      result.append(message('error', t('trustRootRefused'), 'trust-root-refused'));
    }
  };
  return h(
    'section',
    { className: 'panel', 'data-testid': 'trust-roots' },
    h('h2', {}, t('trustRootsTitle')),
    h(
      'table',
      {},
      ...roots.roots.map((root) =>
        h(
          'tr',
          { 'data-testid': `trust-root-${root.id}`, 'data-status': root.status },
          h('th', { scope: 'row' }, t(`trustRootPurpose_${root.purpose}`, { generation: root.generation })),
          h('td', {}, t(`trustRootStatus_${root.status}`)),
          h('td', {}, root.status === 'missing' && root.certificatesMayBeValid ? t('trustRootNeeded') : ''),
        ),
      ),
    ),
    field(t('trustRootCertificate'), h('textarea', { id: 'trust-root-certificate', rows: 4 })),
    field(t('trustRootFingerprint'), input('trust-root-fingerprint')),
    h(
      'div',
      { className: 'actions' },
      h('button', { type: 'button', onclick: add, 'data-testid': 'trust-root-add' }, t('trustRootAdd')),
    ),
    result,
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
        { 'data-testid': 'audit-table' },
        h('caption', { className: 'visually-hidden' }, t('auditTitle')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, t('auditSeq')),
            h('th', { scope: 'col' }, t('auditAt')),
            h('th', { scope: 'col' }, t('auditActor')),
            h('th', { scope: 'col' }, t('auditAction')),
            h('th', { scope: 'col' }, t('auditDetail')),
          ),
        ),
        h(
          'tbody',
          {},
          ...events.map((event) =>
            h(
              'tr',
              { 'data-action': event.action },
              h('td', {}, String(event.seq)),
              h('td', {}, dateTimeLabel(event.at, state.lang)),
              h('td', {}, event.actor ?? t('auditSystem')),
              h('td', {}, t(`audit_${event.action}`)),
              h('td', {}, auditDetail(event)),
            ),
          ),
        ),
      ),
    ),
  );
}

/** The detail of an audit event in words (never a PIN: none is ever logged). */
function auditDetail(event) {
  const data = event.data ?? {};
  if (event.action === 'check.pin-try')
    return t(`pinTry_${data.outcome ?? 'other'}`, { n: data.triesLeft ?? '—' });
  if (event.action === 'check.completed') return label('validity', data.qualificationValidity, state.lang);
  if (event.action === 'check.pin-incorrect') return t('triesLeft', { n: data.triesLeft ?? '—' });
  if (event.action === 'fallback.recorded' && data.evidence)
    return label('evidence', data.evidence, state.lang);
  return '';
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
// Capture protection (see styles.css): the content is hidden only while the page is hidden (another
// tab, minimised), never when the receptionist merely clicks the レセコン beside the app.
document.addEventListener('visibilitychange', () =>
  document.body.classList.toggle('obscured', document.visibilityState === 'hidden'),
);

refreshState()
  .then(() => {
    const requested = viewFromLocation();
    if (state.app.stage === 'ready' && !sessionStorage.getItem('kakunin.mode')) {
      state.afterMode = requested && requested !== 'mode' ? requested : 'check';
      state.view = 'mode';
    } else if (requested && requested !== 'mode') state.view = requested;
    else if (state.app.stage === 'ready' && state.app.unreadNotices > 0) state.view = 'notices';
    if (state.app.stage === 'ready')
      history.replaceState({ view: state.view }, '', VIEW_PATHS[state.view] ?? '/check');
    render();
  })
  .catch((error) => setMain(message('error', errorText(error), 'boot-error')));
