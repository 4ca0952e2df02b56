import { writeFile } from 'node:fs/promises';
import { withCard } from '../card-access.js';
import { type CommandModule, UsageError } from '../context.js';
import { readPin } from '../pin-input.js';
import { MAX_SIGN_INPUT_BYTES, readBoundedFile } from './bounded-read.js';

/** `kakunin sign --key <auth|sign> --in FILE [--out FILE]`: raw PKCS#1 v1.5 signature over SHA-256(FILE). */
const command: CommandModule = {
  summary:
    '署名 / sign SHA-256(FILE) with the auth or sign key (PKCS#1 v1.5, verified against the certificate)',
  usage: 'kakunin sign --key <auth|sign> --in FILE [--out FILE] [--pin-stdin]',
  options: {
    key: { type: 'string' },
    in: { type: 'string' },
    out: { type: 'string' },
    'allow-last-try': { type: 'boolean' },
  },
  async run(context) {
    const key = context.values.key;
    const input = context.values.in;
    if ((key !== 'auth' && key !== 'sign') || typeof input !== 'string') throw new UsageError(this.usage);
    const message = await readBoundedFile(input, { maxBytes: MAX_SIGN_INPUT_BYTES, signal: context.signal });
    return withCard(context, async ({ card }) => {
      const pin = await readPin(
        context,
        key === 'auth' ? '利用者証明用暗証番号 / auth PIN' : '署名用パスワード / signing password',
      );
      await card.verifyPin(key, pin, {
        signal: context.signal,
        allowLastTry: context.values['allow-last-try'] === true,
      });
      const signature = await card.sign(key, message, { verify: true, signal: context.signal });
      const out = context.values.out;
      if (typeof out === 'string') await writeFile(out, signature);
      else context.io.stdout.write(signature);
      return 0;
    });
  },
};
export default command;
