// View: security
import { api } from '../api.js';
import { field, h, isChecked, message, setMain, state, t, value } from '../core.js';
import { refreshState, render } from '../navigation.js';
import { setupLabel } from './guidance.js';

export async function renderSecurity() {
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
                visualCheckAllowed: isChecked('visualCheckAllowed'),
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
