// View: diagnostics
import { api } from '../api.js';
import { field, h, input, loc, message, setMain, state, t, tOr, value } from '../core.js';

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
    } catch {
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
