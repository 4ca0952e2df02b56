import { randomBytes } from 'node:crypto';
import { bytesToHex } from '@kakunin/core/transport';
import { withCard } from '../card-access.js';
import { type CommandModule, fileOperation, writeLine } from '../context.js';
import { readPin } from '../pin-input.js';
import { MAX_SMALL_INPUT_BYTES, readBoundedFile } from './bounded-read.js';

/** `kakunin check --pin-stdin [--challenge FILE] [--json] [--visual]`: the PIN-mode identity check. */
const command: CommandModule = {
  summary: '暗証番号モードの本人確認 / PIN-mode check: counter, VERIFY, sign challenge, auth certificate',
  usage: 'kakunin check [--pin-stdin] [--challenge FILE] [--json] [--visual] [--allow-last-try]',
  optionHelp: {
    '--challenge FILE': 'sign this challenge (default: 32 random bytes)',
    '--visual': '目視確認モード: certificate only, no PIN (visual check)',
    '--allow-last-try': 'allow VERIFY when only one try is left',
  },
  examples: [
    'kakunin check',
    'echo 1234 | kakunin check --pin-stdin --json',
    'kakunin check --visual --wait',
  ],
  options: {
    challenge: { type: 'string' },
    visual: { type: 'boolean' },
    'allow-last-try': { type: 'boolean' },
  },
  async run(context) {
    const challengeFile = context.values.challenge;
    const challenge =
      typeof challengeFile === 'string'
        ? await fileOperation(challengeFile, () =>
            readBoundedFile(challengeFile, { maxBytes: MAX_SMALL_INPUT_BYTES, signal: context.signal }),
          )
        : new Uint8Array(randomBytes(32));
    return withCard(context, async ({ card, readerId }) => {
      if (context.values.visual === true) {
        const { certificate, apduCount } = await card.visualCheck({ signal: context.signal });
        writeLine(
          context.io.stdout,
          JSON.stringify({
            mode: 'visual',
            reader: readerId,
            certificateBytes: certificate.length,
            apduCount,
          }),
        );
        return 0;
      }
      const pin = await readPin(context, '利用者証明用暗証番号 / auth PIN');
      const result = await card.check({
        pin,
        challenge,
        signal: context.signal,
        allowLastTry: context.values['allow-last-try'] === true,
      });
      const summary = {
        mode: 'pin',
        reader: readerId,
        triesLeftBefore: result.triesLeftBefore,
        apduCount: result.apduCount,
        timings: result.timings,
        challenge: bytesToHex(challenge),
        signature: bytesToHex(result.signature),
        certificate: bytesToHex(result.certificate),
      };
      if (context.values.json === true) writeLine(context.io.stdout, JSON.stringify(summary));
      else {
        writeLine(
          context.io.stdout,
          `本人確認OK / identity verified (APDU ${result.apduCount}, ${result.timings.total} ms)`,
        );
        writeLine(
          context.io.stdout,
          `証明書 / certificate: ${result.certificate.length} bytes, 署名 / signature: ${result.signature.length} bytes`,
        );
      }
      return 0;
    });
  },
};
export default command;
