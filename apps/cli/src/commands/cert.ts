import { writeFile } from 'node:fs/promises';
import type { CertificateKind } from '@kakunin/core/jpki';
import { bytesToHex } from '@kakunin/core/transport';
import { withCard } from '../card-access.js';
import { type CommandModule, fileOperation, UsageError, writeLine } from '../context.js';
import { readPin } from '../pin-input.js';

const KINDS: Readonly<Record<string, CertificateKind>> = {
  auth: 'auth',
  'auth-ca': 'authCA',
  sign: 'sign',
  'sign-ca': 'signCA',
};

/** PEM armour (RFC 7468 §2). */
export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const base64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  return `-----BEGIN ${label}-----\n${base64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** `kakunin cert <auth|auth-ca|sign|sign-ca> [--format pem|der] [--out FILE]` */
const command: CommandModule = {
  summary: '証明書の読み出し / read a certificate',
  usage: 'kakunin cert <auth|auth-ca|sign|sign-ca> [--format pem|der] [--out FILE] [--pin-stdin] [--json]',
  optionHelp: {
    '<auth|auth-ca|sign|sign-ca>': 'which certificate (sign needs the signing password)',
    '--format pem|der': 'output encoding (default pem; der needs --out)',
    '--out FILE': 'write the certificate to FILE instead of stdout',
  },
  examples: [
    'kakunin cert auth',
    'kakunin cert sign --format der --out sign.der',
    'kakunin cert auth-ca --json',
  ],
  options: { format: { type: 'string' }, out: { type: 'string' } },
  async run(context) {
    const kind = KINDS[context.positionals[0] ?? ''];
    if (kind === undefined) throw new UsageError(this.usage);
    const format = (context.values.format as string | undefined) ?? 'pem';
    if (format !== 'pem' && format !== 'der') throw new UsageError('--format must be pem or der');
    const out = context.values.out as string | undefined;
    const json = context.values.json === true;
    if (format === 'der' && out === undefined && !json) throw new UsageError('--format der needs --out FILE');
    return withCard(context, async ({ card }) => {
      if (kind === 'sign')
        await card.verifyPin('sign', await readPin(context, '署名用パスワード / signing password'), {
          signal: context.signal,
        });
      else if (kind === 'auth') {
        const identity = await card.detect({ signal: context.signal });
        if (identity.kind === 'android')
          await card.verifyPin('auth', await readPin(context, '利用者証明用暗証番号 / auth PIN'), {
            signal: context.signal,
          });
      }
      const der = await card.readCertificate(kind, { signal: context.signal });
      const output = format === 'pem' ? toPem(der) : der;
      if (out !== undefined) await fileOperation(out, () => writeFile(out, output));
      if (json)
        writeLine(
          context.io.stdout,
          JSON.stringify({
            certificate: context.positionals[0],
            bytes: der.length,
            der: bytesToHex(der),
            pem: toPem(der),
            ...(out === undefined ? {} : { out }),
          }),
        );
      else if (out === undefined) context.io.stdout.write(output);
      return 0;
    });
  },
};
export default command;
