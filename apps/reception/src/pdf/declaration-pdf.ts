/**
 * Renders a 被保険者資格申立書 as a printable one-page A4 PDF: the patient's declaration, a signature
 * line, and a facility section with the claim to make (不詳 codes when identifiers are unknown).
 *
 * @example
 * ```ts
 * const bytes = renderDeclarationPdf({ form, claim, facility, createdAt: new Date(), font });
 * ```
 */
import {
  type DeclarationClaim,
  type DeclarationForm,
  INSURANCE_TYPE_LABELS,
  INSURANCE_TYPES,
} from '../fallbacks/declaration-form.js';
import { formatJapaneseDate, formatJapaneseTimestamp } from './japanese-date.js';
import { A4_HEIGHT, A4_WIDTH, createPdfDocument } from './pdf-document.js';
import type { TrueTypeFont } from './truetype-font.js';

const MARGIN = 56;
const ROW_HEIGHT = 30;
const LABEL_WIDTH = 150;
const SEX_LABELS = { '1': '男', '2': '女', '3': '未記入' } as const;

export interface DeclarationPdfInput {
  readonly form: DeclarationForm;
  readonly claim: DeclarationClaim;
  readonly facility: { readonly code: string; readonly name: string };
  readonly recordId: string;
  readonly createdAt: Date;
  readonly font: TrueTypeFont;
}

/** Text fields of the form the patient wrote (what the font must cover). */
function formTexts(form: DeclarationForm): string[] {
  return [
    form.name,
    form.nameKana,
    form.address,
    form.phone,
    form.insurerOrEmployerName,
    form.symbol,
    form.number,
    form.branch,
  ];
}

/**
 * Characters of the form the font has no glyph for, as `U+XXXX` (e.g. emoji, or a rare 人名用 kanji
 * the installed font lacks). The PDF prints a visible warning listing them; the record keeps them.
 */
export function unprintableCharacters(form: DeclarationForm, font: TrueTypeFont): string[] {
  const missing = new Set<string>();
  for (const text of formTexts(form))
    for (const character of text) {
      const codePoint = character.codePointAt(0)!;
      if (/\s/u.test(character)) continue;
      if (font.glyphForCodePoint(codePoint) === 0)
        missing.add(`U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`);
    }
  return [...missing];
}

function wrap(text: string, maxWidth: number, measure: (value: string) => number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const character of text) {
    if (measure(current + character) > maxWidth && current.length > 0) {
      lines.push(current);
      current = character;
    } else current += character;
  }
  if (current.length > 0) lines.push(current);
  return lines;
}

export function renderDeclarationPdf(input: DeclarationPdfInput): Uint8Array {
  const { form, claim, facility } = input;
  const document = createPdfDocument({ font: input.font, title: '被保険者資格申立書' });
  const page = document.addPage();
  let y = A4_HEIGHT - MARGIN;
  const title = '被保険者資格申立書';
  page.text((A4_WIDTH - page.textWidth(title, 20)) / 2, y - 20, 20, title);
  y -= 44;
  page.text(
    MARGIN,
    y,
    9,
    `記入日 ${formatJapaneseDate(form.visitDate)}    医療機関 ${facility.name}(医療機関コード ${facility.code})`,
  );
  y -= 16;
  const unprintable = unprintableCharacters(form, input.font);
  if (unprintable.length > 0) {
    const warning = `【注意】次の文字はフォントにないため印字されていません。該当箇所を手書きで補ってください: ${unprintable.join(' ')}`;
    const lines = wrap(warning, A4_WIDTH - 2 * MARGIN - 16, (value) => page.textWidth(value, 10));
    const height = 10 + lines.length * 14;
    page.rect(MARGIN, y - height, A4_WIDTH - 2 * MARGIN, height, 2);
    lines.forEach((line, index) => {
      page.text(MARGIN + 8, y - 15 - index * 14, 10, line);
    });
    y -= height + 10;
  }
  const intro =
    'マイナ保険証等で資格を確認できなかったため、加入している医療保険について以下のとおり申し立てます。分かる範囲でご記入ください。';
  for (const line of wrap(intro, A4_WIDTH - 2 * MARGIN, (value) => page.textWidth(value, 9.5))) {
    page.text(MARGIN, y, 9.5, line);
    y -= 14;
  }
  y -= 6;
  const insuranceChoices = INSURANCE_TYPES.map(
    (type) => `${form.insuranceType === type ? '■' : '□'} ${INSURANCE_TYPE_LABELS[type].ja}`,
  ).join('  ');
  const rows: [string, string][] = [
    ['氏名 ※', form.name],
    ['フリガナ', form.nameKana],
    ['生年月日 ※', formatJapaneseDate(form.birthdate)],
    ['性別', SEX_LABELS[form.sex]],
    ['住所 ※', form.address],
    ['連絡先(電話番号)', form.phone],
    ['加入している保険の種類', insuranceChoices],
    ['保険者名または勤務先名', form.insurerOrEmployerName],
    ['保険者番号', form.insurerNumber],
    ['記号・番号・枝番', [form.symbol, form.number, form.branch].filter((part) => part !== '').join(' ・ ')],
  ];
  const tableTop = y;
  for (const [label, value] of rows) {
    const lines = wrap(value, A4_WIDTH - 2 * MARGIN - LABEL_WIDTH - 16, (text) => page.textWidth(text, 10));
    const height = Math.max(ROW_HEIGHT, 12 + lines.length * 14);
    page.rect(MARGIN, y - height, LABEL_WIDTH, height);
    page.rect(MARGIN + LABEL_WIDTH, y - height, A4_WIDTH - 2 * MARGIN - LABEL_WIDTH, height);
    page.text(MARGIN + 8, y - 19, 10, label);
    lines.forEach((line, index) => {
      page.text(MARGIN + LABEL_WIDTH + 8, y - 19 - index * 14, 10, line);
    });
    y -= height;
  }
  void tableTop;
  y -= 14;
  page.text(MARGIN, y, 8.5, '※は必ずご記入ください(必須項目)。');
  y -= 18;
  page.text(MARGIN, y, 10, '上記のとおり相違ありません。');
  y -= 30;
  page.text(MARGIN, y, 10, '申立者署名');
  page.line(MARGIN + 70, y - 4, A4_WIDTH - MARGIN, y - 4);
  y -= 40;

  page.text(MARGIN, y, 11, '医療機関記入欄');
  y -= 8;
  const boxTop = y;
  const claimLines = [
    `記録番号: ${input.recordId}`,
    `請求区分: ${claim.unknownIdentifiers ? '不詳(保険者番号・被保険者番号が不明)' : '申立内容による請求'}`,
    `請求用 保険者番号: ${claim.insurerNumber}    被保険者番号: ${claim.insuredNumber}`,
    `審査支払機関: ${claim.reviewBody === 'shiharai-kikin' ? '社会保険診療報酬支払基金' : claim.reviewBody === 'kokuhoren' ? '国民健康保険団体連合会' : '未選択(医療機関が選択)'}`,
    ...(claim.remarks === ''
      ? []
      : wrap(`摘要欄: ${claim.remarks}`, A4_WIDTH - 2 * MARGIN - 16, (text) => page.textWidth(text, 9.5))),
    'この申立書は支払いが確定するまで医療機関で保管してください。',
  ];
  y -= 18;
  for (const line of claimLines) {
    page.text(MARGIN + 8, y, 9.5, line);
    y -= 15;
  }
  page.rect(MARGIN, y + 4, A4_WIDTH - 2 * MARGIN, boxTop - y - 4);
  page.text(
    MARGIN,
    MARGIN - 20,
    7.5,
    `作成 ${formatJapaneseTimestamp(input.createdAt)}  kakunin reception(参考実装・様式は公開情報からの推定)`,
  );
  return document.finish(input.createdAt);
}
