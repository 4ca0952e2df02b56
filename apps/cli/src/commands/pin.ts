import type { PinKey } from '@kakunin/core/jpki';
import { CardError } from '@kakunin/core/transport';
import { withCard } from '../card-access.js';
import { type CommandContext, type CommandModule, UsageError, writeLine } from '../context.js';
import { readPin } from '../pin-input.js';

const KEYS: ReadonlyArray<[name: string, key: PinKey, label: string]> = [
  ['auth', 'auth', '利用者証明用暗証番号 / auth PIN'],
  ['sign', 'sign', '署名用パスワード / signing password'],
  ['text', 'text', '券面事項入力補助用暗証番号 / card-info PIN'],
];

/**
 * `kakunin pin change <auth|sign|text>`: the current PIN, then the new one (twice at a prompt;
 * with --pin-stdin the first line is the current PIN, the second the new one). One VERIFY with
 * every guard (counter read first, last try refused unless --allow-last-try), then CHANGE
 * REFERENCE DATA. Neither PIN is echoed, logged or kept.
 */
async function change(context: CommandContext, usage: string): Promise<number> {
  const entry = KEYS.find(([name]) => name === context.positionals[1]);
  if (entry === undefined || context.positionals.length !== 2) throw new UsageError(usage);
  const [name, key, label] = entry;
  return withCard(context, async ({ card }) => {
    const current = await readPin(context, `現在の${label}`);
    let next: Uint8Array | undefined;
    try {
      next = await readPin(context, `新しい${label}`);
      if (context.values['pin-stdin'] !== true) {
        const again = await readPin(context, `新しい${label} (確認 / again)`);
        const same = again.length === next.length && again.every((byte, index) => byte === next?.[index]);
        again.fill(0);
        if (!same) throw new UsageError('the new PINs differ; nothing was changed and no try was spent');
      }
      if (next.length === 0)
        throw new UsageError('no new PIN given (with --pin-stdin: current PIN on line 1, new PIN on line 2)');
      await card.changePin(key as 'auth' | 'sign' | 'text', current, next, {
        signal: context.signal,
        allowLastTry: context.values['allow-last-try'] === true,
      });
    } finally {
      current.fill(0);
      next?.fill(0);
    }
    if (context.values.json === true) writeLine(context.io.stdout, JSON.stringify({ changed: name }));
    else writeLine(context.io.stdout, `変更しました / changed: ${label}`);
    return 0;
  });
}

/** `kakunin pin status [--json]`: retry counters without spending a try; `pin change`. */
const command: CommandModule = {
  summary: '暗証番号の残り回数と変更 / PIN retry counters (no try spent) and PIN change',
  usage:
    'kakunin pin status [--json]\n       kakunin pin change <auth|sign|text> [--pin-stdin] [--allow-last-try] [--json]',
  options: { 'allow-last-try': { type: 'boolean' } },
  optionHelp: {
    status: 'retry counters of the auth PIN, signing password and card-info PIN (no try spent)',
    'change <auth|sign|text>': 'change a PIN: current, then new (prompted twice; --pin-stdin: two lines)',
    '--allow-last-try': 'allow VERIFY when only one try is left (otherwise refused)',
  },
  examples: [
    'kakunin pin status --json',
    'kakunin pin change auth',
    'printf "1234\\n5678\\n" | kakunin pin change auth --pin-stdin',
  ],
  async run(context) {
    if (context.positionals[0] === 'change') return change(context, this.usage);
    if (context.positionals[0] !== 'status' || context.positionals.length !== 1)
      throw new UsageError(this.usage);
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
