// View: simulator
import { api } from '../api.js';
import { h, loc, setMain, state, t } from '../core.js';

export async function renderSimulator() {
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
