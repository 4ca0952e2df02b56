/**
 * Node only (node:fs, node:net, node:tls): imported as `@kakunin/core/diagnostics`.
 *
 * Pre-flight diagnostics shared by the app's 診断 page and `kakunin doctor`: what can be checked from
 * here, each with a status and the FAQ remedy when it fails.
 * - PC/SC service (pcscd socket on Linux/macOS; Windows SCardSvr cannot be probed from Node);
 * - readers (through the injected reader listing) and drivers (a reader listed = driver loaded);
 * - Bluetooth adapter state (Linux sysfs + rfkill);
 * - the TLS root "Starfield Services Root Certificate Authority - G2" trusted in Node's bundled
 *   store and the system store, and not expired (FAQ Q9, E-*-*-W-6401);
 * - the J-LIS root generations installed (compiled-in registry + `kakunin trust add`), with a
 *   warning for a missing generation whose certificates may still be valid (e.g. the 2019 roots);
 * - proxy environment variables (the official app does not support proxies, FAQ Q11);
 * - app and Node versions.
 *
 * @example
 * ```ts
 * const report = await runDiagnostics({ env: process.env, now: new Date(), appVersion: '0.1.0' });
 * for (const check of report.checks) console.log(check.id, check.status);
 * ```
 */
import { X509Certificate } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { rootCertificates } from 'node:tls';
import type { RemedyKey } from '../transport/index.js';
import { loadJpkiTrustStore } from '../trust-store/installed-jpki-roots.js';
import { generationMayStillBeValid } from '../x509/index.js';

export type DiagnosticStatus = 'ok' | 'warning' | 'error' | 'info';

export interface DiagnosticCheck {
  readonly id:
    | 'app-version'
    | 'pcsc-service'
    | 'readers'
    | 'bluetooth'
    | 'tls-root'
    | 'jpki-roots'
    | 'proxy'
    | 'database'
    | 'audit-chain';
  readonly status: DiagnosticStatus;
  readonly title: { readonly ja: string; readonly en: string };
  readonly detail: string;
  readonly remedy?: RemedyKey;
}

export interface DiagnosticsReport {
  readonly at: string;
  readonly checks: readonly DiagnosticCheck[];
  /** Worst status among the checks. */
  readonly status: DiagnosticStatus;
}

export interface DiagnosticsOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: Date;
  readonly appVersion: string;
  /** Shown with the version (default `kakunin reception`). */
  readonly appName?: string;
  readonly platform?: NodeJS.Platform;
  /** Lists readers (label + card presence); omitted when no provider is configured. */
  readonly listReaders?: () => Promise<readonly { label: string; cardPresent: boolean }[]>;
  /** Transport kind of `listReaders` (e.g. `pcsc`, `sim`). */
  readonly readerKind?: string;
  /** pcsc-lite socket; default /run/pcscd/pcscd.comm (env PCSCLITE_CSOCK_NAME overrides). */
  readonly pcscSocketPath?: string;
  /** Extra trust-store PEM bundles to search besides Node's bundled roots. */
  readonly systemCertificateFiles?: readonly string[];
  /** sysfs root, for tests. */
  readonly sysfsRoot?: string;
  /** Database facts, when the app runs the diagnostics. */
  readonly database?: { readonly journalMode: string; readonly sqliteVersion: string };
}

/** FAQ Q9: the AWS root the Windows app needs. */
export const STARFIELD_G2_COMMON_NAME = 'Starfield Services Root Certificate Authority - G2';
/** Debian/Ubuntu, Fedora/RHEL, Alpine, macOS (Homebrew) bundles. */
export const DEFAULT_SYSTEM_CERTIFICATE_FILES: readonly string[] = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/cert.pem',
];
/** Proxy variables honoured by curl, Node's undici (with env proxy) and most tools. */
export const PROXY_VARIABLES = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'ALL_PROXY',
  'all_proxy',
] as const;
const DEFAULT_PCSC_SOCKET = '/run/pcscd/pcscd.comm';
const PEM_PATTERN = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

const RANK: Record<DiagnosticStatus, number> = { info: 0, ok: 1, warning: 2, error: 3 };

/** Finds the Starfield G2 root in PEM texts; returns its expiry or undefined. */
export function findStarfieldRoot(pems: Iterable<string>): { notAfter: Date; source: string } | undefined {
  for (const pem of pems) {
    for (const block of pem.match(PEM_PATTERN) ?? []) {
      let certificate: X509Certificate;
      try {
        certificate = new X509Certificate(block);
      } catch {
        continue;
      }
      if (certificate.subject.split('\n').some((part) => part === `CN=${STARFIELD_G2_COMMON_NAME}`)) {
        return { notAfter: new Date(certificate.validTo), source: certificate.fingerprint256 };
      }
    }
  }
  return undefined;
}

function probeSocket(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const done = (result: boolean): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function pcscCheck(options: DiagnosticsOptions): Promise<DiagnosticCheck> {
  const title = { ja: 'スマートカードサービス(PC/SC)', en: 'Smart-card service (PC/SC)' };
  const platform = options.platform ?? process.platform;
  if (platform === 'win32') {
    return {
      id: 'pcsc-service',
      status: 'info',
      title,
      detail: 'Windows: SCardSvr is checked through the reader list below',
    };
  }
  const path = options.pcscSocketPath ?? options.env.PCSCLITE_CSOCK_NAME ?? DEFAULT_PCSC_SOCKET;
  const listening = await probeSocket(path);
  return listening
    ? { id: 'pcsc-service', status: 'ok', title, detail: `pcscd is listening on ${path}` }
    : {
        id: 'pcsc-service',
        status: options.readerKind === 'pcsc' ? 'error' : 'warning',
        title,
        detail: `pcscd is not reachable at ${path}`,
        remedy: 'pcsc.service',
      };
}

async function readersCheck(options: DiagnosticsOptions): Promise<DiagnosticCheck> {
  const title = { ja: 'カードリーダー', en: 'Card readers' };
  if (options.listReaders === undefined) {
    return {
      id: 'readers',
      status: 'warning',
      title,
      detail: 'no reader transport configured',
      remedy: 'reader.not-selected',
    };
  }
  try {
    const readers = await options.listReaders();
    if (readers.length === 0) {
      return {
        id: 'readers',
        status: 'error',
        title,
        detail: `${options.readerKind ?? ''}: no readers`,
        remedy: 'reader.usb-cable',
      };
    }
    const list = readers.map((reader) => `${reader.label}${reader.cardPresent ? ' [card]' : ''}`).join('; ');
    return {
      id: 'readers',
      status: 'ok',
      title,
      detail: `${options.readerKind ?? ''}: ${list} (driver loaded)`,
    };
  } catch (error) {
    const remedy = (error as { remedy?: RemedyKey }).remedy ?? 'reader.not-recognized';
    return { id: 'readers', status: 'error', title, detail: (error as Error).message, remedy };
  }
}

async function bluetoothCheck(options: DiagnosticsOptions): Promise<DiagnosticCheck> {
  const title = { ja: 'Bluetooth', en: 'Bluetooth' };
  const platform = options.platform ?? process.platform;
  if (platform !== 'linux') {
    return {
      id: 'bluetooth',
      status: 'info',
      title,
      detail: `${platform}: checked by the BLE transport when used`,
    };
  }
  const root = options.sysfsRoot ?? '/sys';
  let adapters: string[] = [];
  try {
    adapters = (await readdir(`${root}/class/bluetooth`)).filter((name) => name.startsWith('hci'));
  } catch {
    adapters = [];
  }
  if (adapters.length === 0) {
    return {
      id: 'bluetooth',
      status: 'info',
      title,
      detail: 'no Bluetooth adapter (only needed for Bluetooth readers)',
    };
  }
  let blocked = false;
  try {
    for (const entry of await readdir(`${root}/class/rfkill`)) {
      const type = (await readFile(`${root}/class/rfkill/${entry}/type`, 'utf8')).trim();
      if (type !== 'bluetooth') continue;
      const soft = (await readFile(`${root}/class/rfkill/${entry}/soft`, 'utf8')).trim();
      const hard = (await readFile(`${root}/class/rfkill/${entry}/hard`, 'utf8')).trim();
      if (soft === '1' || hard === '1') blocked = true;
    }
  } catch {
    // no rfkill: nothing blocks the adapter
  }
  return blocked
    ? {
        id: 'bluetooth',
        status: 'warning',
        title,
        detail: `${adapters.join(', ')}: blocked by rfkill (Bluetooth off)`,
        remedy: 'ble.bluetooth-off',
      }
    : { id: 'bluetooth', status: 'ok', title, detail: `${adapters.join(', ')}: available` };
}

async function tlsRootCheck(options: DiagnosticsOptions): Promise<DiagnosticCheck> {
  const title = {
    ja: 'ルート証明書 Starfield Services Root Certificate Authority - G2',
    en: `TLS root ${STARFIELD_G2_COMMON_NAME}`,
  };
  const sources: { name: string; pems: string[] }[] = [{ name: 'node', pems: [...rootCertificates] }];
  for (const file of options.systemCertificateFiles ?? DEFAULT_SYSTEM_CERTIFICATE_FILES) {
    try {
      if ((await stat(file)).isFile()) sources.push({ name: file, pems: [await readFile(file, 'utf8')] });
    } catch {
      // not present on this system
    }
  }
  const found: string[] = [];
  let expired = false;
  for (const source of sources) {
    const root = findStarfieldRoot(source.pems);
    if (root === undefined) continue;
    found.push(`${source.name} (until ${root.notAfter.toISOString().slice(0, 10)})`);
    if (root.notAfter.getTime() < options.now.getTime()) expired = true;
  }
  const system = found.filter((entry) => !entry.startsWith('node'));
  if (found.length === 0 || expired) {
    return {
      id: 'tls-root',
      status: 'error',
      title,
      detail: found.length === 0 ? 'not found in any trust store' : `expired: ${found.join('; ')}`,
      remedy: 'network.tls-root',
    };
  }
  if (system.length === 0 && (options.platform ?? process.platform) !== 'win32') {
    return {
      id: 'tls-root',
      status: 'warning',
      title,
      detail: `only in Node's bundled store: ${found.join('; ')}`,
      remedy: 'network.tls-root',
    };
  }
  return { id: 'tls-root', status: 'ok', title, detail: found.join('; ') };
}

/**
 * The J-LIS root generations this machine trusts; a warning names each missing generation whose
 * certificates may still be valid (cards issued then would fail with TRUST_ANCHOR_MISSING).
 */
async function jpkiRootsCheck(options: DiagnosticsOptions): Promise<DiagnosticCheck> {
  const title = { ja: 'マイナンバーカードのルート証明書', en: 'J-LIS root certificates (JPKI)' };
  try {
    const store = await loadJpkiTrustStore({ env: options.env });
    const installed = store.roots.map(
      (root) =>
        `${root.generation.id} (${root.generation.generation}, ${root.source === 'built-in' ? 'built-in' : 'added'}, until ${root.certificate.notAfter.toISOString().slice(0, 10)})`,
    );
    const needed = store.missing.filter((generation) => generationMayStillBeValid(generation, options.now));
    const skipped = store.skipped.map((entry) => `${entry.file}: ${entry.reason}`);
    const detail = [
      `installed: ${installed.join(', ')}`,
      ...(needed.length === 0
        ? []
        : [
            `missing: ${needed.map((generation) => `${generation.id} (${generation.generation}, serial ${generation.serial}; download ${generation.file} from https://www.jpki.go.jp/ca/ and run kakunin trust add ${generation.file} --fingerprint <SHA-256>)`).join(', ')}`,
          ]),
      ...(skipped.length === 0 ? [] : [`refused in ${store.directory}: ${skipped.join('; ')}`]),
    ].join('; ');
    return {
      id: 'jpki-roots',
      status: needed.length > 0 || skipped.length > 0 ? 'warning' : 'ok',
      title,
      detail,
      ...(needed.length > 0 ? { remedy: 'cert.trust-anchor-missing' as const } : {}),
    };
  } catch (error) {
    return { id: 'jpki-roots', status: 'error', title, detail: (error as Error).message };
  }
}

function proxyCheck(options: DiagnosticsOptions): DiagnosticCheck {
  const title = { ja: 'プロキシ設定', en: 'Proxy settings' };
  const set = PROXY_VARIABLES.filter((name) => (options.env[name] ?? '') !== '');
  return set.length === 0
    ? { id: 'proxy', status: 'ok', title, detail: 'no proxy variables set' }
    : {
        id: 'proxy',
        status: 'warning',
        title,
        detail: `set: ${set.join(', ')} — proxy connections are not supported (FAQ Q11)`,
        remedy: 'network.proxy-unsupported',
      };
}

export async function runDiagnostics(options: DiagnosticsOptions): Promise<DiagnosticsReport> {
  if (options === null || typeof options !== 'object' || !(options.now instanceof Date)) {
    throw new TypeError('runDiagnostics: options.now must be a Date');
  }
  const checks: DiagnosticCheck[] = [
    {
      id: 'app-version',
      status: 'info',
      title: { ja: 'アプリのバージョン', en: 'App version' },
      detail: `${options.appName ?? 'kakunin reception'} ${options.appVersion}, Node ${process.versions.node}, ${options.platform ?? process.platform}`,
    },
    ...(await Promise.all([
      pcscCheck(options),
      readersCheck(options),
      bluetoothCheck(options),
      tlsRootCheck(options),
      jpkiRootsCheck(options),
    ])),
    proxyCheck(options),
  ];
  if (options.database !== undefined) {
    const wal = options.database.journalMode === 'wal';
    checks.push({
      id: 'database',
      status: wal ? 'ok' : 'warning',
      title: { ja: 'データベース', en: 'Database' },
      detail: `SQLite ${options.database.sqliteVersion}, journal_mode=${options.database.journalMode}`,
    });
  }
  const status = checks.reduce<DiagnosticStatus>(
    (worst, check) => (RANK[check.status] > RANK[worst] ? check.status : worst),
    'info',
  );
  return { at: options.now.toISOString(), checks, status };
}
