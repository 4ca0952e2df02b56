// View part: reading the 基本4情報 (name, address, birth date, sex) from the card, with the
// patient's consent and the 券面事項入力補助用暗証番号, to pre-fill the 申立書. The server reads the
// retry counter first, refuses the last try unless confirmed, and keeps nothing; this panel sends
// one PIN at a time (a double press sends nothing more) and never keeps the PIN.
import { api } from '../api.js';
import { control, errorText, h, isChecked, loc, message, pinField, showBusy, t } from '../core.js';

let pinInFlight = false;

/**
 * The consent → PIN → prefill panel. `fill(fields)` receives { name, birthdate, address, sex }.
 * @param {{ checkId: string }} context
 * @param {(fields: Record<string, string>) => void} fill
 */
export function holderReadPanel(context, fill) {
  const panel = h('div', { className: 'panel', 'data-testid': 'holder-read' });
  const showConsent = (note = null) => {
    const consent = h('input', { type: 'checkbox', id: 'holderConsent', 'data-testid': 'holder-consent' });
    const start = h(
      'button',
      { type: 'button', className: 'secondary', 'data-testid': 'holder-read-start', disabled: true },
      t('holderReadStart'),
    );
    consent.addEventListener('change', () => {
      start.disabled = !isChecked('holderConsent');
    });
    start.addEventListener('click', async () => {
      if (!isChecked('holderConsent') || start.disabled) return;
      showBusy(start, t('holderReadWaiting'));
      try {
        const view = await api('POST', '/api/holder-reads', { checkId: context.checkId, consent: true });
        show(view);
      } catch (error) {
        showConsent(message('error', errorText(error), 'holder-read-error'));
      }
    });
    panel.replaceChildren(
      h('h3', {}, t('holderReadTitle')),
      h('p', { 'data-testid': 'holder-consent-script' }, t('holderConsentScript')),
      h('label', { className: 'inline' }, consent, t('holderConsentGiven')),
      note,
      h('div', { className: 'actions' }, start),
    );
  };

  const outcomeText = (view) => {
    if (view.code === 'PIN_INCORRECT') return t('holderPinIncorrect', { n: view.triesLeft ?? '' });
    if (view.code === 'LAST_TRY_REFUSED') return t('holderLastTryRefused');
    if (view.code === 'PIN_FORMAT') return t('pinNeedsFourDigits');
    if (view.code === 'PIN_BLOCKED') return t('holderPinBlocked');
    if (view.code === 'PIN_NOT_SET') return t('holderPinNotSet');
    if (view.guidance) return `${loc(view.guidance.title)} ${loc(view.guidance.action)}`;
    return t('holderReadFailed');
  };

  const show = (view) => {
    if (view.status === 'read') {
      fill(view.fields ?? {});
      panel.replaceChildren(message('ok', t('holderReadDone'), 'holder-read-done'));
      return;
    }
    if (view.status !== 'pin-entry') {
      panel.replaceChildren(
        message('error', outcomeText(view), 'holder-read-failed'),
        h('p', { className: 'muted' }, t('holderReadByHand')),
      );
      panel.dataset.code = view.code ?? '';
      return;
    }
    showPin(view);
  };

  const showPin = (view) => {
    const last = view.triesLeft === 1;
    const pinInput = pinField('holderPin', 'holder-pin', 'holder-tries');
    const button = h(
      'button',
      { type: 'button', className: 'primary', 'data-testid': 'holder-pin-submit', disabled: true },
      t('holderPinSubmit'),
    );
    const ready = () => /^[0-9]{4}$/.test(pinInput.value);
    pinInput.addEventListener('input', () => {
      button.disabled = pinInFlight || !ready();
    });
    const submit = async () => {
      // one PIN in flight: a second press or Enter while the card answers sends nothing
      if (pinInFlight || !ready()) return;
      pinInFlight = true;
      const bytes = new TextEncoder().encode(pinInput.value);
      pinInput.value = '';
      pinInput.disabled = true;
      showBusy(button, t('pinBusy'));
      const confirm = isChecked('holderConfirmLastTry');
      let next = view;
      try {
        next = await api(
          'POST',
          `/api/holder-reads/${view.id}/pin`,
          bytes,
          confirm ? { 'x-kakunin-confirm-last-try': 'yes' } : {},
        );
      } catch (error) {
        next = { ...view, problem: errorText(error) };
      } finally {
        bytes.fill(0);
        pinInFlight = false;
      }
      show(next);
    };
    pinInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        submit();
      }
    });
    button.addEventListener('click', submit);
    const cancel = h(
      'button',
      {
        type: 'button',
        className: 'secondary',
        'data-testid': 'holder-read-cancel',
        onclick: async () => {
          await api('POST', `/api/holder-reads/${view.id}/cancel`).catch(() => null);
          showConsent();
        },
      },
      t('holderReadCancel'),
    );
    const problem = view.problem ?? (view.code ? outcomeText(view) : null);
    panel.replaceChildren(
      h('h3', {}, t('holderReadTitle')),
      h('p', {}, t('holderPinIntro')),
      h(
        'p',
        {
          id: 'holder-tries',
          className: `tries${last ? ' last' : ''}`,
          'data-testid': 'holder-tries',
          'data-tries': view.triesLeft ?? '',
        },
        view.triesLeft === null || view.triesLeft === undefined
          ? t('triesUnknown')
          : t('triesLeft', { n: view.triesLeft }),
      ),
      problem ? message('error', problem, 'holder-pin-error') : null,
      last
        ? h(
            'label',
            { className: 'inline' },
            h('input', {
              type: 'checkbox',
              id: 'holderConfirmLastTry',
              'data-testid': 'holder-confirm-last-try',
            }),
            t('confirmLastTry'),
          )
        : null,
      h('div', {}, h('label', { for: 'holderPin' }, t('holderPinLabel')), pinInput),
      h('div', { className: 'actions' }, cancel, button),
    );
    panel.dataset.code = view.code ?? '';
    control('holderPin')?.focus();
  };

  showConsent();
  return panel;
}
