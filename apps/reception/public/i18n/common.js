// UI strings: words shared by every screen (part of the one table assembled in ../i18n.js).
export const ja = {
  error: 'エラー',
  back: '戻る',
  item: '項目',
  none: 'なし',
};
export const en = {
  error: 'Error',
  back: 'Back',
  item: 'Item',
  none: 'none',
};
