// View: session
import { api } from '../api.js';
import {
  control,
  errorText,
  field,
  formatTime,
  h,
  input,
  loc,
  message,
  setMain,
  state,
  t,
  value,
} from '../core.js';
import { afterUnlock, navigate, refreshState, render } from '../navigation.js';

export function loginErrorText(error) {
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
export function renderSetup() {
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
      field(t('deviceName'), input('deviceName', { value: '受付端末' })),
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

export function credentialsForm(title, intro, testId, buttonText, submit, withDevice) {
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
      withDevice ? field(t('deviceName'), input('deviceName', { value: '受付端末' })) : null,
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

export function renderDeviceRegistration() {
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

export function renderLogin() {
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

export function renderPasscodeSetup() {
  const status = h('div');
  const submit = async () => {
    const passcode = value('passcode');
    if (!/^[0-9]{4,8}$/.test(passcode)) {
      status.replaceChildren(message('error', t('error_field_passcode'), 'form-error'));
      return;
    }
    if (passcode !== value('passcodeConfirm')) {
      status.replaceChildren(message('error', t('passcodeMismatch'), 'form-error'));
      control('passcodeConfirm').value = '';
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
export function renderModeSelect() {
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

export function renderPasscode() {
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
      control('passcode').value = '';
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
