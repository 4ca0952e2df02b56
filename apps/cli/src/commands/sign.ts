import { writeFile } from 'node:fs/promises';
import { bytesToHex } from '@kakunin/core/transport';
import { withCard } from '../card-access.js';
import { type CommandModule, fileOperation, UsageError, writeLine } from '../context.js';
import { readPin } from '../pin-input.js';
import { MAX_SIGN_INPUT_BYTES, readBoundedFile } from './bounded-read.js';

/** `kakunin sign --key <auth|sign> --in FILE [--out FILE]`: raw PKCS#1 v1.5 signature over SHA-256(FILE). */
const command: CommandModule = {
  summary:
    '署名 / sign SHA-256(FILE) with the auth or sign key (PKCS#1 v1.5, verified against the certificate)',
  usage: 'kakunin sign --key <auth|sign> --in FILE [--out FILE] [--pin-stdin] [--json]',
  optionHelp: {
    '--key auth|sign': 'the key: auth (利用者証明用) or sign (署名用, the signing password)',
    '--in FILE': 'the file to sign (SHA-256 of its bytes)',
    '--out FILE': 'write the raw signature here (without it: stdout, but never to a terminal)',
    '--allow-last-try': 'allow VERIFY when only one try is left',
  },
  examples: [
    'kakunin sign --key sign --in contract.pdf --out contract.sig',
    'kakunin sign --key auth --in challenge.bin --json',
  ],
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
    const out = context.values.out;
    const json = context.values.json === true;
    // Raw signature bytes would garble a terminal: ask for --out (or a pipe, or --json).
    if (typeof out !== 'string' && !json && (context.io.stdout as { isTTY?: boolean }).isTTY === true)
      throw new UsageError('the signature is binary: use --out FILE, --json, or redirect stdout');
    const message = await fileOperation(input, () =>
      readBoundedFile(input, { maxBytes: MAX_SIGN_INPUT_BYTES, signal: context.signal }),
    );
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
      if (typeof out === 'string') await fileOperation(out, () => writeFile(out, signature));
      if (json)
        writeLine(
          context.io.stdout,
          JSON.stringify({
            key,
            signature: bytesToHex(signature),
            ...(typeof out === 'string' ? { out } : {}),
          }),
        );
      else if (typeof out !== 'string') context.io.stdout.write(signature);
      return 0;
    });
  },
};
export default command;
