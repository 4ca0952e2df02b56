// kakunin reception web UI: ES modules split by view (js/views/*), one router (js/router.js), one
// API client (js/api.js), one i18n table (i18n.js) and one code table (codes.js). All data is
// inserted with textContent (never innerHTML), so nothing from the server or the card is HTML.
import { errorText, message, setMain, state } from './js/core.js';
import { registerNavigation } from './js/navigation.js';
import {
  afterUnlock,
  navigate,
  refreshState,
  render,
  renderMenu,
  VIEW_PATHS,
  viewFromLocation,
} from './js/router.js';
import { renderCheck, renderCheckState } from './js/views/check.js';

// ---------- boot ----------
registerNavigation({ afterUnlock, navigate, refreshState, render, renderCheck, renderMenu });

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
