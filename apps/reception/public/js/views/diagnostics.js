// View: diagnostics
import { api } from '../api.js';
import { h, loc, setMain, state, t, tOr } from '../core.js';

export async function renderDiagnostics() {
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
            h(
              'td',
              { className: `diag-${check.status}` },
              tOr(`diagStatus_${check.status}`, 'diagStatus_info'),
            ),
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
    ),
  );
}
