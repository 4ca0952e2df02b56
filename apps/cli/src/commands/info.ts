import { withCard } from '../card-access.js';
import { type CommandModule, writeLine } from '../context.js';
import { readPin } from '../pin-input.js';

const SEX_LABEL = {
  male: '男 / male',
  female: '女 / female',
  'not-applicable': '適用不能 / not applicable',
  unknown: '不明 / unknown',
} as const;

/** `kakunin info [--json]`: basic four + my number from the 券面事項入力補助AP (card-info PIN). */
const command: CommandModule = {
  summary: '基本4情報と個人番号 / basic four and my number (card-info PIN)',
  usage: 'kakunin info [--json] [--pin-stdin]',
  options: { 'allow-last-try': { type: 'boolean' } },
  optionHelp: { '--allow-last-try': 'allow VERIFY when only one try is left' },
  examples: ['kakunin info', 'echo 1234 | kakunin info --pin-stdin --json'],
  async run(context) {
    return withCard(context, async ({ card }) => {
      await card.verifyPin('text', await readPin(context, '券面事項入力補助用暗証番号 / card-info PIN'), {
        signal: context.signal,
        allowLastTry: context.values['allow-last-try'] === true,
      });
      const basic = await card.readBasicFour({ signal: context.signal });
      const myNumber = await card.readMyNumber({ signal: context.signal });
      const integrity = await card.verifyTextIntegrity({ signal: context.signal });
      if (context.values.json === true) {
        writeLine(context.io.stdout, JSON.stringify({ ...basic, myNumber, integrity: integrity.valid }));
      } else {
        writeLine(context.io.stdout, `氏名 / name: ${basic.name}`);
        writeLine(context.io.stdout, `住所 / address: ${basic.address}`);
        writeLine(context.io.stdout, `生年月日 / birth date: ${basic.birthDate}`);
        writeLine(context.io.stdout, `性別 / sex: ${SEX_LABEL[basic.sex]}`);
        writeLine(context.io.stdout, `個人番号 / my number: ${myNumber}`);
        writeLine(context.io.stdout, `真正性 / integrity: ${integrity.valid ? 'OK' : 'NG'}`);
      }
      return integrity.valid ? 0 : 6;
    });
  },
};
export default command;
