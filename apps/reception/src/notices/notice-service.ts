/**
 * お知らせ: notices shown after login and re-viewable from the menu (FAQ Q7: 「アプリのメニューから
 * お知らせ一覧を選択」).
 *
 * @example
 * ```ts
 * const notices = createNoticeService({ database, now });
 * notices.seed();
 * notices.list('staff01'); // [{ id, title, body, read: false }, …]
 * ```
 */
import type { ReceptionDatabase } from '../storage/database.js';

export interface Notice {
  readonly id: number;
  readonly publishedAt: string;
  readonly title: { readonly ja: string; readonly en: string };
  readonly body: { readonly ja: string; readonly en: string };
  readonly read: boolean;
}

const BUILT_IN_NOTICES = [
  {
    publishedAt: '2026-03-23T00:00:00.000Z',
    title: ['電子証明書の有効期限切れにご注意ください', 'Watch for expired card certificates'],
    body: [
      'マイナンバーカードの電子証明書は有効期限後も3か月間は保険証として利用できます。期限切れの場合は事前に保存したPDFの提示を案内してください。',
      'A card can be used as insurance card for 3 months after its certificate expired. If it has expired, ask for the PDF saved beforehand.',
    ],
  },
  {
    publishedAt: '2025-09-19T00:00:00.000Z',
    title: ['スマートフォンのマイナ保険証に対応しました', 'Smartphone マイナ保険証 supported'],
    body: [
      '読み取れない場合は、その場でマイナポータルにログインして資格情報画面を提示していただいてください。',
      'If it cannot be read, ask the patient to log in to マイナポータル on the spot and show the qualification screen.',
    ],
  },
  {
    publishedAt: '2025-05-28T00:00:00.000Z',
    title: ['エラーコード体系の変更', 'Error-code scheme changed'],
    body: [
      'サーバー接続エラーのエラーコードが変更されました(E-*-*-W-6401)。診断ページでルート証明書を確認できます。',
      'The server-connection error code changed (E-*-*-W-6401). The diagnostics page checks the root certificate.',
    ],
  },
] as const;

export interface NoticeService {
  seed(): void;
  list(accountId: string): Notice[];
  markRead(accountId: string, noticeId: number): void;
  unreadCount(accountId: string): number;
}

export function createNoticeService(options: {
  database: ReceptionDatabase;
  now: () => Date;
}): NoticeService {
  const { database, now } = options;
  const service: NoticeService = {
    seed() {
      database.write(() => {
        if ((database.get<{ count: number }>('SELECT COUNT(*) AS count FROM notice')?.count ?? 0) > 0) return;
        for (const notice of BUILT_IN_NOTICES) {
          database.run(
            'INSERT INTO notice (published_at, title_ja, title_en, body_ja, body_en) VALUES (?, ?, ?, ?, ?)',
            notice.publishedAt,
            notice.title[0],
            notice.title[1],
            notice.body[0],
            notice.body[1],
          );
        }
      });
    },
    list(accountId) {
      return database
        .all<{
          id: number;
          published_at: string;
          title_ja: string;
          title_en: string;
          body_ja: string;
          body_en: string;
          read_at: string | null;
        }>(
          'SELECT n.*, r.read_at FROM notice n LEFT JOIN notice_read r ON r.notice_id = n.id AND r.account_id = ? ORDER BY n.published_at DESC',
          accountId,
        )
        .map((row) => ({
          id: row.id,
          publishedAt: row.published_at,
          title: { ja: row.title_ja, en: row.title_en },
          body: { ja: row.body_ja, en: row.body_en },
          read: row.read_at !== null,
        }));
    },
    markRead(accountId, noticeId) {
      database.run(
        'INSERT INTO notice_read (notice_id, account_id, read_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
        Math.trunc(Number(noticeId)),
        accountId,
        now().toISOString(),
      );
    },
    unreadCount(accountId) {
      return service.list(accountId).filter((notice) => !notice.read).length;
    },
  };
  return service;
}
