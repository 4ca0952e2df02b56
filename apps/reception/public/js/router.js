import { api } from './api.js';
import { h, state, stopPolling, t } from './core.js';
import { renderAudit } from './views/audit.js';
import { renderCheck } from './views/check.js';
import { renderDiagnostics } from './views/diagnostics.js';
import { renderFallback, renderFallbackRecords } from './views/fallback.js';
import { renderNotices } from './views/notices.js';
import { renderSecurity } from './views/security.js';
import {
  renderDeviceRegistration,
  renderLogin,
  renderModeSelect,
  renderPasscode,
  renderPasscodeSetup,
  renderSetup,
} from './views/session.js';
import { renderSimulator } from './views/simulator.js';

export function renderMenu() {
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

export async function refreshState() {
  state.app = await api('GET', '/api/state');
  return state.app;
}

// ---------- router: every view has a real URL (Back works, deep links work) ----------
export const VIEW_PATHS = {
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

export const PATH_VIEWS = Object.fromEntries(Object.entries(VIEW_PATHS).map(([view, path]) => [path, view]));

export function viewFromLocation() {
  return PATH_VIEWS[location.pathname] ?? null;
}

export function navigate(view, { replace = false } = {}) {
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
export function afterUnlock() {
  state.afterMode = viewFromLocation() ?? (state.app.unreadNotices > 0 ? 'notices' : 'check');
  if (state.afterMode === 'mode') state.afterMode = 'check';
  navigate('mode', { replace: true });
}

export async function lock() {
  stopPolling();
  sessionStorage.removeItem('kakunin.mode');
  state.app = await api('POST', '/api/lock');
  render();
}

export function render() {
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
