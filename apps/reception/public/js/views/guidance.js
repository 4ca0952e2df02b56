// Guidance panels (what to do, per reader setup) shared by the check and result views.
import { h, loc, message, t } from '../core.js';

export function setupLabel(setup) {
  return setup === 'ble-reader'
    ? t('setupBle')
    : setup === 'smartphone'
      ? t('setupSmartphone')
      : t('setupWired');
}

export function renderGuidance(guidance, testId = 'guidance', { showTitle = true } = {}) {
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
