import type { PinKey } from '@kakunin/core/jpki';
import { withCard } from '../card-access.js';
import { type CommandModule, UsageError, writeLine } from '../context.js';

const KEYS: ReadonlyArray<[name: string, key: PinKey, label: string]> = [
  ['auth', 'auth', '利用者証明用暗証番号 / auth PIN'],
  ['sign', 'sign', '署名用パスワード / signing password'],
  ['text', 'text', '券面事項入力補助用暗証番号 / card-info PIN'],
];

/** `kakunin pin status [--json]`: retry counters without spending a try. */
const command: CommandModule = {
  summary: '暗証番号の残り回数 / PIN retry counters (no try spent)',
  usage: 'kakunin pin status [--json]',
  options: {},
  async run(context) {
    if (context.positionals[0] !== 'status') throw new UsageError(this.usage);
    return withCard(context, async ({ card }) => {
      const result: Record<string, { triesLeft: number | null; blocked: boolean }> = {};
      for (const [name, key] of KEYS) {
        const status = await card.pinStatus(key, { signal: context.signal });
        result[name] = { triesLeft: status.triesLeft, blocked: status.blocked };
      }
      if (context.values.json === true) writeLine(context.io.stdout, JSON.stringify(result));
      else
        for (const [name, , label] of KEYS) {
          const status = result[name]!;
          writeLine(
            context.io.stdout,
            `${label}: ${status.blocked ? 'ロック中 / blocked' : `残り ${status.triesLeft ?? '?'} 回 / ${status.triesLeft ?? '?'} tries left`}`,
          );
        }
      return 0;
    });
  },
};
export default command;
