import { readFileSync } from 'node:fs';
import { type DiagnosticCheck, runDiagnostics } from '@kakunin/core/diagnostics';
import { remedyCatalog } from '@kakunin/core/remedies';
import { type CommandModule, EXIT, writeLine } from '../context.js';
import { createProvider } from '../transports.js';

const MARK: Record<DiagnosticCheck['status'], string> = {
  ok: 'OK  ',
  warning: 'WARN',
  error: 'NG  ',
  info: 'INFO',
};

/** The CLI's version from its package.json (dist/ and src/commands/ sit at different depths). */
function cliVersion(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as {
        name?: string;
        version: string;
      };
      if (manifest.name === '@kakunin/cli') return manifest.version;
    } catch {
      // try the next location
    }
  }
  return 'unknown';
}

/**
 * `kakunin doctor [--json] [--transport pcsc|sim|ble|bridge|ble-sim|bridge-sim]`: what can be checked before the first
 * read — PC/SC service, readers and drivers, Bluetooth, the Starfield Services Root CA G2 (FAQ Q9,
 * E-*-*-W-6401), proxy variables (unsupported, FAQ Q11), versions. Exit 0 unless a check failed.
 */
const command: CommandModule = {
  summary: '環境診断 / diagnostics: PC/SC, readers, Bluetooth, TLS root, proxy, versions',
  usage: 'kakunin doctor [--json] [--transport pcsc|sim|ble|bridge|ble-sim|bridge-sim]',
  options: {},
  async run({ io, values, signal }) {
    let provider: Awaited<ReturnType<typeof createProvider>> | undefined;
    let providerError: unknown;
    try {
      provider = await createProvider(values);
    } catch (error) {
      providerError = error;
    }
    try {
      const report = await runDiagnostics({
        env: io.env,
        now: new Date(),
        appVersion: cliVersion(),
        appName: 'kakunin CLI',
        readerKind: provider?.kind ?? String(values.transport ?? 'pcsc'),
        listReaders: async () => {
          if (provider === undefined) throw providerError;
          return provider.listReaders({ signal });
        },
      });
      if (values.json === true) {
        writeLine(io.stdout, JSON.stringify(report));
      } else {
        for (const check of report.checks) {
          writeLine(
            io.stdout,
            `[${MARK[check.status]}] ${check.title.ja} / ${check.title.en}: ${check.detail}`,
          );
          if (check.remedy !== undefined && (check.status === 'error' || check.status === 'warning')) {
            const remedy = remedyCatalog[check.remedy];
            writeLine(io.stdout, `       対処 / remedy: ${remedy.action.ja}`);
            writeLine(io.stdout, `                      ${remedy.action.en}`);
          }
        }
      }
      return report.status === 'error' ? EXIT.CARD : EXIT.OK;
    } finally {
      await provider?.close();
    }
  },
};
export default command;
