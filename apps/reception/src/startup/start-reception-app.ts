/**
 * Wires and starts the reception app the way `kakunin-reception` runs it:
 *
 * - `transport: 'auto'` (default): the virtual card desk through **real pcscd + vpcd**
 *   ({@link ensurePcscd} starts pcscd when it is not running and we may), read back with
 *   `@kakunin/transport-pcsc`; if that path cannot run, the desk's in-process card, with the
 *   reason in {@link ReceptionApp.transport}`.notice`;
 * - `transport: 'sim'`: the desk's in-process card;
 * - `transport: 'pcsc'`: real PC/SC readers only (no desk, no test anchors).
 *
 * Certificates are validated with `@kakunin/core/x509` against the J-LIS roots found at run time
 * ({@link findJpkiRoots}); the simulator's test hierarchy is opted in (as test anchors, with the
 * desk's CRLs) only while the desk is in use.
 *
 * @example
 * ```ts
 * const app = await startReceptionApp({ transport: 'auto', port: 0, dbPath: ':memory:', demoPassword: 'kakunin-demo' });
 * console.log(app.server.url, app.transport.active); // http://127.0.0.1:…/ vpcd
 * await app.close();
 * ```
 */
import { randomFillSync } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TransportProvider } from '@kakunin/core/transport';
import { createPcscProvider } from '@kakunin/transport-pcsc';
import { createSdkCardReaderFactory } from '../adapters/sdk-card-reader-factory.js';
import { createJpkiCertificateValidator } from '../certificates/jpki-certificate-validator.js';
import type { JpkiTrustAnchors } from '../certificates/jpki-trust-anchors.js';
import { createSimulatorModule } from '../demo/simulator-module.js';
import { type EnsurePcscdOptions, ensurePcscd, type PcscdService } from '../pcsc/pcscd-service.js';
import {
  createFileQualificationService,
  type FileQualificationService,
} from '../qualification/file-qualification-service.js';
import type { XmlEncoding } from '../qualification/oqs-xml.js';
import { type ReceptionServer, startReceptionServer } from '../server.js';
import { DEMO_CARD_LINKS, seedDemo } from '../simulator/demo-seed.js';
import { createDeskCertificateValidator } from '../simulator/desk-certificate-validator.js';
import { createSimulatorDesk, type DeskCard, type SimulatorDesk } from '../simulator/simulator-desk.js';
import { createVpcdCardPresenter } from '../simulator/vpcd-card-presenter.js';
import { findJpkiRoots } from './find-jpki-roots.js';
import { type OqsStandInProcess, startOqsStandInProcess } from './oqs-standin-process.js';

export type TransportChoice = 'auto' | 'sim' | 'pcsc';

/**
 * Where qualification queries go: the built-in SQLite stand-in (default), or a 資格確認端末's
 * file interface in `directory` (`req/` + `res/`); `standIn: true` also starts kakunin's stand-in
 * 連携アプリ on that folder (demo), with the virtual cards' 保険証利用登録 links.
 */
export type QualificationChoice =
  | { readonly kind: 'built-in' }
  | {
      readonly kind: 'file';
      readonly directory: string;
      readonly encoding?: XmlEncoding;
      readonly standIn?: boolean;
      readonly timeoutMs?: number;
    };

/** Parses `builtin`, `file:<dir>` or `file-standin:<dir>` (the `--qualification` option). */
export function parseQualificationChoice(value: string, encoding?: XmlEncoding): QualificationChoice {
  if (value === 'builtin' || value === 'built-in') return { kind: 'built-in' };
  const match = /^(file|file-standin):(.+)$/.exec(value);
  if (match === null) throw new RangeError('qualification must be builtin, file:<dir> or file-standin:<dir>');
  return {
    kind: 'file',
    directory: match[2]!,
    standIn: match[1] === 'file-standin',
    ...(encoding === undefined ? {} : { encoding }),
  };
}

export interface ReceptionAppOptions {
  readonly transport?: TransportChoice;
  readonly port?: number;
  readonly host?: string;
  /** Further names the app is served under (Host allow-list, SECURITY.md). */
  readonly allowedHosts?: readonly string[];
  /** SQLite file, `:memory:`, or a `postgres://` URL shared by several desks. */
  readonly dbPath: string;
  /** This desk's name with PostgreSQL (default: the host name). */
  readonly desk?: string;
  /** Where the audit key and head anchor live (see ReceptionServerOptions.stateDirectory). */
  readonly stateDirectory?: string;
  /** Card in the desk's reader at start (default `plastic`). */
  readonly card?: DeskCard;
  /** Password of the demo account `demo`. */
  readonly demoPassword: string;
  /** J-LIS root directory (default: KAKUNIN_JPKI_ROOTS, else ../shared/data/jpki-roots if present). */
  readonly trustRoots?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Options of the pcscd step (auto mode). */
  readonly pcscd?: EnsurePcscdOptions;
  /** How long the card may take to appear in pcscd through vpcd, ms (default 15 000). */
  readonly vpcdTimeoutMs?: number;
  /** Test key cache of the desk (default os.tmpdir()/kakunin-simulator-keys). */
  readonly keyCacheDirectory?: string;
  /** How long a check waits for a card, ms. */
  readonly waitForCardMs?: number;
  /** Qualification service (default: the built-in stand-in). */
  readonly qualification?: QualificationChoice;
}

export interface ReceptionAppTransport {
  readonly requested: TransportChoice;
  /** `vpcd`: desk through pcscd/vpcd; `in-process`: desk in-process; `pcsc`: real readers. */
  readonly active: 'vpcd' | 'in-process' | 'pcsc';
  /** The desk's reader, when the desk is in use. */
  readonly readerId: string | undefined;
  /** Whether this app started pcscd (and stops it on close). */
  readonly startedPcscd: boolean;
  /** pid of the pcscd this app started (for an exit hook that must kill it synchronously). */
  readonly pcscdPid: number | undefined;
  /** Why `auto` fell back to the in-process card. */
  readonly notice: string | undefined;
}

export interface ReceptionApp extends AsyncDisposable {
  readonly server: ReceptionServer;
  readonly desk: SimulatorDesk | undefined;
  readonly transport: ReceptionAppTransport;
  readonly trust: JpkiTrustAnchors | undefined;
  /** The file-interface adapter, when `qualification.kind` is `file`. */
  readonly fileInterface: FileQualificationService | undefined;
  /** pid of the stand-in 連携アプリ this app started (`file-standin`), stopped on close. */
  readonly oqsStandInPid: number | undefined;
  /** Stops the server, the desk / PC/SC provider and a pcscd this app started. Idempotent. */
  close(): Promise<void>;
}

const TRANSPORTS: readonly TransportChoice[] = ['auto', 'sim', 'pcsc'];
/**
 * Extended-length APDUs when the reader says it carries them (PC/SC Part 10 dwMaxAPDUDataSize;
 * vpcd reports 64 KiB), short APDUs otherwise.
 */
const PCSC_OPTIONS = { connect: { extendedLength: 'detect' as const } };

/** Rejects with `message` when `promise` takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The desk on pcscd + vpcd, or the reason it cannot run. */
async function deskThroughVpcd(
  options: ReceptionAppOptions,
  card: DeskCard,
): Promise<{ desk: SimulatorDesk; pcscd: PcscdService } | { reason: string }> {
  const pcscd = await ensurePcscd(options.pcscd);
  if (!pcscd.available) return { reason: pcscd.reason ?? 'pcscd is unavailable' };
  let desk: SimulatorDesk | undefined;
  try {
    const presenter = createVpcdCardPresenter({ provider: createPcscProvider(PCSC_OPTIONS), slot: 0 });
    desk = createSimulatorDesk({
      presenter,
      ...(options.keyCacheDirectory === undefined ? {} : { keyCacheDirectory: options.keyCacheDirectory }),
    });
    desk.insert(card);
    const timeoutMs = options.vpcdTimeoutMs ?? 15_000;
    await within(desk.settled(), timeoutMs, `the virtual card did not reach pcscd within ${timeoutMs} ms`);
    const reader = (await desk.provider.listReaders()).find((entry) => entry.id === desk!.readerId);
    if (reader === undefined) throw new Error(`pcscd does not list the vpcd reader "${desk.readerId}"`);
    return { desk, pcscd };
  } catch (error) {
    await desk?.close().catch(() => undefined);
    await pcscd.close();
    return { reason: `pcscd/vpcd path failed: ${(error as Error).message}` };
  }
}

/**
 * Starts the app (see the module comment).
 *
 * @example
 * ```ts
 * await using app = await startReceptionApp({ transport: 'sim', dbPath: ':memory:', demoPassword: 'p' });
 * ```
 */
export async function startReceptionApp(options: ReceptionAppOptions): Promise<ReceptionApp> {
  if (options === null || typeof options !== 'object')
    throw new TypeError('startReceptionApp: options must be an object');
  const requested = options.transport ?? 'auto';
  if (!TRANSPORTS.includes(requested))
    throw new RangeError(`startReceptionApp: transport must be one of ${TRANSPORTS.join(', ')}`);
  if (typeof options.demoPassword !== 'string' || options.demoPassword.length === 0)
    throw new TypeError('startReceptionApp: demoPassword must be a non-empty string');
  const card = options.card ?? 'plastic';
  const env = options.env ?? process.env;
  const trust = await findJpkiRoots({
    ...(options.trustRoots === undefined ? {} : { directory: options.trustRoots }),
    env,
  });
  const trustAnchors = trust?.anchors ?? [];

  let desk: SimulatorDesk | undefined;
  let pcscd: PcscdService | undefined;
  let notice: string | undefined;
  let active: ReceptionAppTransport['active'];
  let provider: TransportProvider;
  if (requested === 'auto') {
    const attempt = await deskThroughVpcd(options, card);
    if ('desk' in attempt) {
      desk = attempt.desk;
      pcscd = attempt.pcscd;
    } else notice = attempt.reason;
  }
  // The desk also exists in pcsc mode, only to seed the demo's 保険証利用登録 links.
  desk ??= createSimulatorDesk(
    options.keyCacheDirectory === undefined ? {} : { keyCacheDirectory: options.keyCacheDirectory },
  );
  if (requested === 'pcsc') {
    provider = createPcscProvider(PCSC_OPTIONS);
    active = 'pcsc';
  } else {
    if (desk.presentation === 'in-process') desk.insert(card);
    provider = desk.provider;
    active = desk.presentation === 'vpcd' ? 'vpcd' : 'in-process';
  }
  const useDesk = active !== 'pcsc';
  const certificateValidator = useDesk
    ? createDeskCertificateValidator(desk, { trustAnchors })
    : // Real cards: JPKI CRLs go only to J-LIS-approved verifiers; the qualification service checks revocation.
      createJpkiCertificateValidator({ trustAnchors, revocation: 'delegated' });

  let server: ReceptionServer;
  let fileInterface: FileQualificationService | undefined;
  let standInProcess: OqsStandInProcess | undefined;
  try {
    const choice = options.qualification ?? { kind: 'built-in' };
    if (choice.kind === 'file') {
      if (choice.standIn === true) {
        for (const folder of ['req', 'res']) await mkdir(join(choice.directory, folder), { recursive: true });
        const linksFile = join(choice.directory, 'kakunin-standin-links.json');
        const links = Object.entries(DEMO_CARD_LINKS).map(([profile, personId]) => ({
          personId,
          certificate: Buffer.from(desk.authCertificate(profile as DeskCard)).toString('base64'),
        }));
        await writeFile(linksFile, JSON.stringify(links));
        standInProcess = await startOqsStandInProcess({
          directory: choice.directory,
          linksFile,
          ...(choice.encoding === undefined ? {} : { encoding: choice.encoding }),
        });
      }
      fileInterface = createFileQualificationService({
        directory: choice.directory,
        validator: certificateValidator,
        now: () => new Date(),
        random: (bytes) => randomFillSync(bytes),
        standIn: choice.standIn === true,
        ...(choice.encoding === undefined ? {} : { encoding: choice.encoding }),
        ...(choice.timeoutMs === undefined ? {} : { timeoutMs: choice.timeoutMs }),
      });
    }
    server = await startReceptionServer({
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.allowedHosts === undefined ? {} : { allowedHosts: options.allowedHosts }),
      dbPath: options.dbPath,
      ...(options.desk === undefined ? {} : { desk: options.desk }),
      ...(options.stateDirectory === undefined ? {} : { stateDirectory: options.stateDirectory }),
      cardReaderFactory: createSdkCardReaderFactory(provider),
      certificateValidator,
      env,
      ...(useDesk ? { modules: [createSimulatorModule(desk)] } : {}),
      ...(options.waitForCardMs === undefined ? {} : { waitForCardMs: options.waitForCardMs }),
      ...(fileInterface === undefined ? {} : { qualificationService: fileInterface }),
    });
    await seedDemo(server.services, desk, {
      accountId: 'demo',
      password: options.demoPassword,
      selectDeskReader: useDesk,
    });
  } catch (error) {
    await standInProcess?.close();
    await desk.close().catch(() => undefined);
    if (!useDesk) await provider.close().catch(() => undefined);
    await pcscd?.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        await server.close();
      } finally {
        try {
          await desk.close();
          if (!useDesk) await provider.close();
        } finally {
          await pcscd?.close();
          await standInProcess?.close();
        }
      }
    })();
    return closing;
  };
  return {
    server,
    desk: useDesk ? desk : undefined,
    transport: {
      requested,
      active,
      readerId: useDesk ? desk.readerId : undefined,
      startedPcscd: pcscd?.started ?? false,
      pcscdPid: pcscd?.started === true ? pcscd.pid : undefined,
      notice,
    },
    trust,
    fileInterface,
    oqsStandInPid: standInProcess?.pid,
    close,
    [Symbol.asyncDispose]: close,
  };
}
