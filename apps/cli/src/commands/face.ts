import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withCard } from '../card-access.js';
import { type CommandModule, fileOperation, UsageError, writeLine } from '../context.js';
import { readPin } from '../pin-input.js';

/** `kakunin face --out DIR [--with a|b]`: card-face AP images and fields via 照合番号A or B. */
const command: CommandModule = {
  summary: '券面事項確認AP / card-face images and fields (照合番号A or B on stdin)',
  usage: 'kakunin face --out DIR [--with a|b] [--pin-stdin] [--json]',
  options: { out: { type: 'string' }, with: { type: 'string' } },
  optionHelp: {
    '--out DIR': 'write name.png, address.png, photo.jp2 and fields.json into DIR',
    '--with a|b': '照合番号A (my number) or B (birth date + expiry year + security code; default)',
  },
  examples: ['kakunin face --out face/', 'kakunin face --out face/ --with a --json'],
  async run(context) {
    const out = context.values.out;
    const which = (context.values.with as string | undefined) ?? 'b';
    if (typeof out !== 'string' || (which !== 'a' && which !== 'b')) throw new UsageError(this.usage);
    return withCard(context, async ({ card }) => {
      const key = which === 'a' ? 'faceA' : 'faceB';
      await card.verifyPin(
        key,
        await readPin(
          context,
          which === 'a'
            ? '照合番号A (個人番号12桁)'
            : '照合番号B (生年月日6桁+有効期限年4桁+セキュリティコード4桁)',
        ),
        { signal: context.signal },
      );
      const face = await card.readCardFace({ signal: context.signal });
      const fields = { birthDate: face.birthDate, sex: face.sex, expiry: face.expiry ?? null };
      await fileOperation(out, async () => {
        await mkdir(out, { recursive: true });
        await writeFile(join(out, 'name.png'), face.nameImage);
        await writeFile(join(out, 'address.png'), face.addressImage);
        await writeFile(join(out, 'photo.jp2'), face.photo);
        if (face.securityCodeImage !== undefined)
          await writeFile(join(out, 'security-code.png'), face.securityCodeImage);
        await writeFile(join(out, 'fields.json'), `${JSON.stringify(fields, null, 2)}\n`);
      });
      if (context.values.json === true) writeLine(context.io.stdout, JSON.stringify({ out, ...fields }));
      else
        writeLine(
          context.io.stdout,
          `書き出し / written: ${out} (name.png, address.png, photo.jp2, fields.json)`,
        );
      return 0;
    });
  },
};
export default command;
