import type { PinKey } from '@kakunin/core/jpki';
import { CardError } from '@kakunin/core/transport';
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
      const result: Record<string, { triesLeft: number | null; blocked: boolean; absent?: true }> = {};
      for (const [name, key] of KEYS) {
        try {
          const status = await card.pinStatus(key, { signal: context.signal });
          result[name] = { triesLeft: status.triesLeft, blocked: status.blocked };
        } catch (error) {
          // A child's card has no signing password: report it instead of failing the whole status.
          if (!CardError.isInstance(error, 'CERT_ABSENT') && !CardError.isInstance(error, 'PIN_ABSENT'))
            throw error;
          result[name] = { triesLeft: null, blocked: false, absent: true };
        }
      }
      if (context.values.json === true) writeLine(context.io.stdout, JSON.stringify(result));
      else
        for (const [name, , label] of KEYS) {
          const status = result[name]!;
          const tries = status.triesLeft ?? '?';
          const text =
            status.absent === true
              ? 'なし / not on this card'
              : status.blocked
                ? 'ロック中 / blocked'
                : `残り ${tries} 回 / ${tries} tries left`;
          writeLine(context.io.stdout, `${label}: ${text}`);
        }
      return 0;
    });
  },
};
export default command;
