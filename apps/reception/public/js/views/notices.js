// View: notices
import { dateLabel } from '../../codes.js';
import { api } from '../api.js';
import { h, loc, setMain, state, t } from '../core.js';
import { refreshState, renderMenu } from '../navigation.js';

// ---------- notices, security, diagnostics, simulator, audit ----------
export async function renderNotices() {
  const { notices } = await api('GET', '/api/notices');
  setMain(
    h(
      'section',
      { className: 'panel', 'data-testid': 'notices' },
      h('h1', {}, t('noticesTitle')),
      ...notices.map((notice) =>
        h(
          'article',
          {
            className: 'panel',
            'data-testid': `notice-${notice.id}`,
            'data-read': notice.read ? 'yes' : 'no',
          },
          h(
            'h2',
            {},
            loc(notice.title),
            notice.read ? null : h('span', { className: 'stand-in' }, t('unread')),
          ),
          h('p', { className: 'muted' }, dateLabel(notice.publishedAt.slice(0, 10), state.lang)),
          h('p', {}, loc(notice.body)),
          notice.read
            ? null
            : h(
                'button',
                {
                  type: 'button',
                  className: 'secondary',
                  'data-testid': `notice-read-${notice.id}`,
                  onclick: async () => {
                    await api('POST', `/api/notices/${notice.id}/read`);
                    await refreshState();
                    renderMenu();
                    renderNotices();
                  },
                },
                t('markRead'),
              ),
        ),
      ),
    ),
  );
}
