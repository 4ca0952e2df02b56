// UI strings: troubleshooting guidance per reader setup and failure category (part of the one table assembled in ../i18n.js).
export const ja = {
  checklistTitle: 'ご確認ください({setup}の場合)',
  setupWired: 'PC/タブレット(Windows)+有線カードリーダー',
  setupBle: 'スマートフォン/タブレット+Bluetoothカードリーダー',
  setupSmartphone: 'スマートフォン/タブレット単体',
  category3Note:
    '転職等で新しい保険者での加入手続き中の場合などに表示されることがあります。受診の前に、ご自身の最新の資格が登録されていることをマイナポータルで確認するよう案内してください。',
  noneShownNote:
    'いずれも提示できない場合: 再診の方は口頭確認、初診の方は被保険者資格申立書を記入していただきます。',
  smartphoneNote:
    'スマホのマイナ保険証が読み取れず、実物のマイナンバーカードもお持ちでない場合は、その場でマイナポータルにログインして資格情報画面を提示していただきます。',
  faqReference: '参照: マイナ資格確認アプリ よくある質問 {section}',
};
export const en = {
  checklistTitle: 'Please check ({setup})',
  setupWired: 'PC/tablet (Windows) + wired reader',
  setupBle: 'Phone/tablet + Bluetooth reader',
  setupSmartphone: 'Phone/tablet alone',
  category3Note:
    'This can appear while enrolment with a new insurer after a job change is pending. Ask the patient to check their latest qualification in Mynaportal before visiting.',
  noneShownNote:
    'If none can be shown: returning patients are confirmed orally; first-visit patients fill in the insured-status declaration.',
  smartphoneNote:
    'If a smartphone card cannot be read and the patient has no physical card, they log in to Mynaportal on the spot and show the qualification screen.',
  faqReference: 'See: app FAQ {section}',
};
