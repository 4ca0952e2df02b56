/**
 * `kakunin trust list [--json]` and `kakunin trust add FILE --fingerprint SHA256-HEX`.
 *
 * `list` shows every J-LIS root generation (2015, 2019, 2023 per purpose): compiled into
 * @kakunin/core, added on this machine, or missing (with whether its certificates may still be
 * valid). `add` installs a root an operator downloaded from J-LIS's CA page into the per-machine
 * configuration directory (`KAKUNIN_CONFIG_DIR` overrides): accepted only if it is self-signed,
 * carries J-LIS's subject, matches a known generation's serial and validity, and its SHA-256
 * equals `--fingerprint` (the value J-LIS publishes). Without `--fingerprint` the file's
 * fingerprint is shown and nothing is installed (exit 2). A refused file exits 6.
 */
import * as nodeCrypto from 'node:crypto';
import { addJpkiRoot, jpkiRootRows, loadJpkiTrustStore } from '@kakunin/core/trust-store';
import { createNodeCryptoVerifier } from '@kakunin/core/x509';
import { type CommandModule, EXIT, UsageError, writeLine } from '../context.js';
import { MAX_ROOT_FILE_BYTES, readBoundedFile } from './bounded-read.js';

const USAGE = 'kakunin trust list [--json] | kakunin trust add FILE --fingerprint SHA256-HEX';

/** `4DCF…` → `4D:CF:…` as J-LIS prints fingerprints. */
function colons(hex: string): string {
  return hex.match(/../g)?.join(':') ?? hex;
}

const command: CommandModule = {
  summary: 'J-LIS ルート証明書 / list and add the J-LIS root certificates (trust anchors)',
  usage: USAGE,
  options: { fingerprint: { type: 'string' } },
  async run({ io, values, positionals, signal }) {
    const [action, ...rest] = positionals;
    const verifier = createNodeCryptoVerifier(nodeCrypto);
    if (action === 'list' && rest.length === 0) {
      const store = await loadJpkiTrustStore({ env: io.env, verifier });
      const rows = jpkiRootRows(store, new Date());
      if (values.json === true) {
        writeLine(
          io.stdout,
          JSON.stringify({ directory: store.directory, roots: rows, refused: store.skipped }, null, 2),
        );
        return EXIT.OK;
      }
      writeLine(io.stdout, `設定ディレクトリ / configuration directory: ${store.directory}`);
      for (const row of rows) {
        const mark = row.status === 'missing' ? (row.certificatesMayBeValid ? '!' : '-') : '✓';
        writeLine(
          io.stdout,
          `${mark} ${row.id} ${row.purpose} ${row.generation} serial ${row.serial} ${row.notBefore} – ${row.notAfter}: ${row.status}${row.sha256 === null ? '' : ` SHA-256 ${colons(row.sha256)}`}`,
        );
        if (row.status === 'missing' && row.certificatesMayBeValid)
          writeLine(
            io.stdout,
            `    未登録 / missing: download ${row.file} from https://www.jpki.go.jp/ca/ and run kakunin trust add ${row.file} --fingerprint <SHA-256>`,
          );
      }
      for (const refused of store.skipped) writeLine(io.stdout, `✗ ${refused.file}: ${refused.reason}`);
      return EXIT.OK;
    }
    if (action === 'add' && rest.length === 1) {
      const file = rest[0]!;
      const fingerprint = values.fingerprint as string | undefined;
      const bytes = await readBoundedFile(file, { maxBytes: MAX_ROOT_FILE_BYTES, signal });
      const result = await addJpkiRoot(bytes, { env: io.env, verifier, fingerprint });
      if (values.json === true) writeLine(io.stdout, JSON.stringify(result, null, 2));
      if (result.ok) {
        if (values.json !== true)
          writeLine(
            io.stdout,
            result.alreadyInstalled
              ? `登録済み / already installed: ${result.id} (${result.generation})`
              : `登録しました / installed: ${result.id} (${result.purpose}, ${result.generation}) SHA-256 ${colons(result.sha256)} → ${result.file}`,
          );
        return EXIT.OK;
      }
      if (values.json !== true) {
        if (result.sha256 !== undefined) writeLine(io.stderr, `SHA-256: ${colons(result.sha256)}`);
        writeLine(io.stderr, `登録しません / refused [${result.code}]: ${result.reason}`);
        if (result.code === 'FINGERPRINT_REQUIRED')
          writeLine(
            io.stderr,
            `J-LIS の認証局ページ (https://www.jpki.go.jp/ca/) に載っている SHA-256 と比べ、一致したら: kakunin trust add ${file} --fingerprint <SHA-256>`,
          );
      }
      return result.code === 'FINGERPRINT_REQUIRED' ? EXIT.USAGE : EXIT.VALIDATION_FAILED;
    }
    throw new UsageError(USAGE);
  },
};
export default command;
