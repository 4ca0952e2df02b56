// View: audit
import { dateTimeLabel, label } from '../../codes.js';
import { api } from '../api.js';
import { h, message, setMain, state, t, tOr } from '../core.js';

export async function renderAudit() {
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
              h('td', {}, tOr(`audit_${event.action}`, 'auditOtherAction')),
              h('td', {}, auditDetail(event)),
            ),
          ),
        ),
      ),
    ),
  );
}

/** The detail of an audit event in words (never a PIN: none is ever logged). */
export function auditDetail(event) {
  const data = event.data ?? {};
  if (event.action === 'check.pin-try')
    return tOr(`pinTry_${data.outcome ?? 'other'}`, 'pinTry_other', { n: data.triesLeft ?? '—' });
  if (event.action === 'check.completed') return label('validity', data.qualificationValidity, state.lang);
  if (event.action === 'check.pin-incorrect') return t('triesLeft', { n: data.triesLeft ?? '—' });
  if (event.action === 'fallback.recorded' && data.evidence)
    return label('evidence', data.evidence, state.lang);
  return '';
}
