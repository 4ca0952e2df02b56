import { writeFile } from 'node:fs/promises';
import { bytesToHex } from '@kakunin/core/transport';
import { withCard } from '../card-access.js';
import { type CommandModule, fileOperation, UsageError, writeLine } from '../context.js';
import { readPin } from '../pin-input.js';
import { MAX_SIGN_INPUT_BYTES, readBoundedFile } from './bounded-read.js';
import { toPem } from './cert.js';
import { signCms } from './sign-cms.js';

/**
 * `kakunin sign --key <auth|sign> --in FILE [--out FILE]`: raw PKCS#1 v1.5 signature over SHA-256(FILE);
 * with `--cms` a detached CMS SignedData (.p7s) instead.
 */
const command: CommandModule = {
  summary:
    '署名 / sign SHA-256(FILE) with the auth or sign key (PKCS#1 v1.5, verified against the certificate)',
  usage:
    'kakunin sign --key <auth|sign> --in FILE [--out FILE] [--cms [--format der|pem] [--chain]] [--pin-stdin] [--json]',
  optionHelp: {
    '--key auth|sign': 'the key: auth (利用者証明用) or sign (署名用, the signing password)',
    '--in FILE': 'the file to sign (SHA-256 of its bytes)',
    '--out FILE': 'write the raw signature here (without it: stdout, but never to a terminal)',
    '--allow-last-try': 'allow VERIFY when only one try is left',
    '--cms': 'write a detached CMS/PKCS#7 signature (.p7s, RFC 5652) that openssl cms -verify accepts',
    '--format der|pem': 'with --cms: DER (default) or PEM (-----BEGIN CMS-----)',
    '--chain': "with --cms: also carry the key's CA certificate from the card",
  },
  examples: [
    'kakunin sign --key sign --in contract.pdf --out contract.sig',
    'kakunin sign --key auth --in challenge.bin --json',
    'kakunin sign --cms --key sign --in contract.pdf --out contract.pdf.p7s',
  ],
  options: {
    key: { type: 'string' },
    in: { type: 'string' },
    out: { type: 'string' },
    'allow-last-try': { type: 'boolean' },
    cms: { type: 'boolean' },
    format: { type: 'string' },
    chain: { type: 'boolean' },
  },
  async run(context) {
    const key = context.values.key;
    const input = context.values.in;
    if ((key !== 'auth' && key !== 'sign') || typeof input !== 'string') throw new UsageError(this.usage);
    const out = context.values.out;
    const json = context.values.json === true;
    const cms = context.values.cms === true;
    const format = (context.values.format as string | undefined) ?? 'der';
    if (!cms && (context.values.format !== undefined || context.values.chain !== undefined))
      throw new UsageError('--format and --chain go with --cms');
    if (format !== 'der' && format !== 'pem') throw new UsageError('--format must be der or pem');
    // Raw signature bytes would garble a terminal: ask for --out (or a pipe, or --json).
    const binary = !cms || format === 'der';
    if (
      binary &&
      typeof out !== 'string' &&
      !json &&
      (context.io.stdout as { isTTY?: boolean }).isTTY === true
    )
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
      const signature = cms
        ? await signCms(card, key, message, { chain: context.values.chain === true, signal: context.signal })
        : await card.sign(key, message, { verify: true, signal: context.signal });
      const output = cms && format === 'pem' ? toPem(signature, 'CMS') : signature;
      if (typeof out === 'string') await fileOperation(out, () => writeFile(out, output));
      if (json)
        writeLine(
          context.io.stdout,
          JSON.stringify({
            key,
            ...(cms ? { cms: bytesToHex(signature), format } : { signature: bytesToHex(signature) }),
            ...(typeof out === 'string' ? { out } : {}),
          }),
        );
      else if (typeof out !== 'string') context.io.stdout.write(output);
      return 0;
    });
  },
};
export default command;
