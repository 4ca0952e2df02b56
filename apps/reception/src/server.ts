/**
 * The reception server: node:http on localhost serving the web UI (public/) and a JSON API over
 * the services (SQLite storage in WAL mode, the qualification stand-in, the card port).
 *
 * @example
 * ```ts
 * import { startReceptionServer } from '@kakunin/reception';
 * const server = await startReceptionServer({ port: 0, dbPath: ':memory:', cardReaderFactory, certificateValidator });
 * console.log(server.url);
 * await server.close();
 * ```
 */
import { randomFillSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CardError, isRemedyKey, type ReaderSetup, remedyCatalog } from '@kakunin/core/transport';
import { type AccountService, createAccountService } from './accounts/account-service.js';
import { createDeviceService, type DeviceService, type DeviceState } from './accounts/device-service.js';
import { type AuditLog, createAuditLog } from './audit/audit-log.js';
import { CheckConflictError, type CheckService, createCheckService } from './checks/check-service.js';
import { createPatientRecords, type PatientRecords } from './checks/patient-records.js';
import { runDiagnostics } from './diagnostics/run-diagnostics.js';
import { DeclarationFieldError } from './fallbacks/declaration-form.js';
import { declarationPrefill } from './fallbacks/declaration-prefill.js';
import { FALLBACK_ERRORS_BY_NAME } from './fallbacks/fallback-errors.js';
import {
  allowedEvidence,
  EVIDENCE_LABELS,
  EVIDENCE_TYPES,
  FAILURE_CATEGORY_LABELS,
  REQUIRES_CARD,
  refusalReason,
} from './fallbacks/fallback-rules.js';
import {
  createFallbackService,
  FallbackRefusedError,
  type FallbackService,
} from './fallbacks/fallback-service.js';
import { cardErrorStatus } from './http/card-error-status.js';
import {
  BEYOND_LOOPBACK_WARNING,
  createHostGuard,
  defaultWarn,
  type HostGuard,
  isBeyondLoopback,
  machineHostNames,
  WILDCARD_BINDS,
} from './http/host-guard.js';
import {
  cookie,
  HttpError,
  parseCookies,
  readBody,
  readJson,
  SECURITY_HEADERS,
  sendBytes,
  sendJson,
} from './http/http-helpers.js';
import { createNoticeService, type NoticeService } from './notices/notice-service.js';
import { loadJapaneseFont } from './pdf/japanese-font.js';
import type { TrueTypeFont } from './pdf/truetype-font.js';
import type { CardReaderFactory } from './ports/card-reader.js';
import type { CertificateValidator } from './ports/certificate-validator.js';
import type { QualificationService } from './ports/qualification-service.js';
import {
  createSqliteQualificationService,
  type SqliteQualificationService,
} from './qualification/sqlite-qualification-service.js';
import { createSettingsService, type SettingsService } from './settings/settings-service.js';
import type { SimulatorDesk } from './simulator/simulator-desk.js';
import { openReceptionDatabase, type ReceptionDatabase } from './storage/database.js';
import { guidanceFor } from './troubleshooting/error-guidance.js';
import { APP_VERSION } from './version.js';

export interface ReceptionServerOptions {
  /** TCP port; 0 picks a free one (tests). */
  readonly port?: number;
  /** Interface to bind; loopback by default (the app is local). */
  readonly host?: string;
  /** SQLite file, or `:memory:`. */
  readonly dbPath: string;
  readonly cardReaderFactory: CardReaderFactory;
  readonly certificateValidator: CertificateValidator;
  /** Defaults to the SQLite stand-in (seeded with the synthetic persons). */
  readonly qualificationService?: QualificationService;
  readonly now?: () => Date;
  readonly random?: (bytes: Uint8Array) => Uint8Array;
  /** Japanese TrueType font for PDFs (default: search the usual locations). */
  readonly fontPath?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** How long to wait for a card before showing guidance (ms). */
  readonly waitForCardMs?: number;
  /** Directory of the web UI; default: the package's public/. */
  readonly publicDirectory?: string;
  /** Virtual-card desk (demo): enables the シミュレーター panel and /api/simulator/*. */
  readonly simulatorDesk?: SimulatorDesk;
  /** Host names (besides loopback and `host`) the app is served under; others are refused (421). */
  readonly allowedHosts?: readonly string[];
  /** Where start-up warnings go (default: stderr). */
  readonly warn?: (message: string) => void;
}

export interface ReceptionServices {
  readonly database: ReceptionDatabase;
  readonly audit: AuditLog;
  readonly accounts: AccountService;
  readonly devices: DeviceService;
  readonly settings: SettingsService;
  readonly notices: NoticeService;
  readonly patients: PatientRecords;
  readonly checks: CheckService;
  readonly fallbacks: FallbackService;
  readonly qualification: QualificationService;
  /** Present when the built-in stand-in is in use. */
  readonly standIn?: SqliteQualificationService;
}

export interface ReceptionServer extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  readonly services: ReceptionServices;
  close(): Promise<void>;
}

const DEVICE_COOKIE = 'kakunin_device';
const SESSION_COOKIE = 'kakunin_session';
const DEVICE_COOKIE_MAX_AGE = 400 * 24 * 3600;
const PIN_BODY_LIMIT = 16;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

interface RequestContext {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly deviceId: string | undefined;
  readonly sessionId: string | undefined;
  readonly state: DeviceState;
}

type Handler = (context: RequestContext, parameters: string[]) => Promise<void> | void;

export async function startReceptionServer(options: ReceptionServerOptions): Promise<ReceptionServer> {
  if (options === null || typeof options !== 'object')
    throw new TypeError('startReceptionServer: options must be an object');
  if (typeof options.dbPath !== 'string')
    throw new TypeError('startReceptionServer: options.dbPath must be a string');
  if (options.cardReaderFactory === undefined)
    throw new TypeError('startReceptionServer: options.cardReaderFactory is required');
  if (options.certificateValidator === undefined)
    throw new TypeError('startReceptionServer: options.certificateValidator is required');
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new RangeError('startReceptionServer: port must be 0–65535');
  const now = options.now ?? (() => new Date());
  const random = options.random ?? ((bytes: Uint8Array) => randomFillSync(bytes));
  const env = options.env ?? process.env;
  const publicDirectory = options.publicDirectory ?? fileURLToPath(new URL('../public', import.meta.url));

  const database = openReceptionDatabase({ path: options.dbPath });
  const audit = createAuditLog(database, now);
  const accounts = createAccountService({ database, audit, now });
  const devices = createDeviceService({ database, audit, now, random });
  const settings = createSettingsService({ database, audit });
  const notices = createNoticeService({ database, now });
  notices.seed();
  const patients = createPatientRecords({ database, now });
  const standIn =
    options.qualificationService === undefined
      ? createSqliteQualificationService({ database, validator: options.certificateValidator, now, random })
      : undefined;
  standIn?.seed();
  const qualification = options.qualificationService ?? standIn!;
  const readers = options.cardReaderFactory;
  const readerSetupFor = async (readerId: string): Promise<ReaderSetup> => {
    const list = await readers.listReaders({});
    return list.find((reader) => reader.id === readerId)?.setup ?? 'wired-reader';
  };
  let fontPromise: Promise<TrueTypeFont> | undefined;
  const font = (): Promise<TrueTypeFont> => {
    fontPromise ??= loadJapaneseFont({
      ...(options.fontPath === undefined ? {} : { fontPath: options.fontPath }),
      env,
    }).then((loaded) => loaded.font);
    fontPromise.catch(() => {
      fontPromise = undefined;
    });
    return fontPromise;
  };
  const checks = createCheckService({
    database,
    audit,
    readers,
    validator: options.certificateValidator,
    qualification,
    patients,
    settings,
    facilityCode: () => accounts.facility()?.code ?? '0000000000',
    now,
    random,
    readerSetupFor,
    ...(options.waitForCardMs === undefined ? {} : { waitForCardMs: options.waitForCardMs }),
  });
  const fallbacks = createFallbackService({
    database,
    audit,
    patients,
    now,
    random,
    facility: () => accounts.facility(),
    font,
  });
  const services: ReceptionServices = {
    database,
    audit,
    accounts,
    devices,
    settings,
    notices,
    patients,
    checks,
    fallbacks,
    qualification,
    ...(standIn === undefined ? {} : { standIn }),
  };

  const requireReady = (context: RequestContext): string => {
    if (context.state.stage !== 'ready' || context.state.accountId === undefined) {
      throw new HttpError(401, 'LOGIN_REQUIRED', 'unlock the app first', { stage: context.state.stage });
    }
    return context.state.accountId;
  };
  const deviceCookie = (id: string): string =>
    cookie(DEVICE_COOKIE, id, { maxAgeSeconds: DEVICE_COOKIE_MAX_AGE });
  const stateBody = (context: RequestContext, state: DeviceState = context.state) => {
    const facility = accounts.facility();
    return {
      stage: facility === undefined ? 'unconfigured' : state.stage,
      facility: facility ?? null,
      account:
        state.accountId === undefined
          ? null
          : { id: state.accountId, displayName: accounts.displayName(state.accountId) ?? state.accountId },
      deviceName: state.deviceName ?? null,
      passcodeAttemptsLeft: state.passcodeAttemptsLeft ?? null,
      unreadNotices:
        state.stage === 'ready' && state.accountId !== undefined ? notices.unreadCount(state.accountId) : 0,
      settings: settings.get(),
      standIn: standIn !== undefined,
      simulator: options.simulatorDesk !== undefined,
      qualificationLabel: qualification.label,
      readerKind: readers.kind,
      version: APP_VERSION,
      policy: {
        accountMaxFailedPasswords: 5,
        accountLockMinutes: 30,
        passcodeMaxFailures: 5,
        deviceReregistrationWaitMinutes: 60,
      },
    };
  };

  const routes: [string, RegExp, Handler][] = [];
  const route = (method: string, pattern: string, handler: Handler): void => {
    routes.push([method, new RegExp(`^${pattern.replace(/:[a-z]+/g, '([A-Za-z0-9_-]+)')}$`), handler]);
  };

  route('GET', '/api/state', (context) => sendJson(context.response, 200, stateBody(context)));

  route('POST', '/api/setup/facility', async (context) => {
    const body = await readJson(context.request);
    if (accounts.facility() !== undefined)
      throw new HttpError(409, 'ALREADY_REGISTERED', 'facility is already registered');
    await accounts.registerFacility({
      facilityCode: String(body.facilityCode ?? ''),
      facilityName: String(body.facilityName ?? ''),
      accountId: String(body.accountId ?? ''),
      displayName: String(body.displayName ?? ''),
      password: String(body.password ?? ''),
    });
    const registered = devices.register({
      accountId: String(body.accountId),
      name: String(body.deviceName ?? 'reception'),
    });
    if (!registered.ok) throw new HttpError(409, registered.code, 'device registration refused');
    devices.attachLogin(registered.deviceId, String(body.accountId));
    const state = devices.state(registered.deviceId, undefined);
    sendJson(context.response, 200, stateBody(context, state), {
      'set-cookie': deviceCookie(registered.deviceId),
    });
  });

  const loginOrThrow = async (body: Record<string, unknown>): Promise<string> => {
    const result = await accounts.login(String(body.accountId ?? ''), String(body.password ?? ''));
    if (result.ok) return result.accountId;
    const remedy = result.code === 'ACCOUNT_LOCKED' ? remedyCatalog['account.locked'] : undefined;
    throw new HttpError(result.code === 'ACCOUNT_LOCKED' ? 423 : 401, result.code, 'login failed', {
      ...('lockedUntil' in result ? { lockedUntil: result.lockedUntil } : {}),
      ...('attemptsLeft' in result && result.attemptsLeft !== undefined
        ? { attemptsLeft: result.attemptsLeft }
        : {}),
      ...(remedy === undefined
        ? {}
        : { remedy: { key: remedy.key, title: remedy.title, action: remedy.action } }),
    });
  };

  route('POST', '/api/device/register', async (context) => {
    const body = await readJson(context.request);
    const accountId = await loginOrThrow(body);
    const registered = devices.register({ accountId, name: String(body.deviceName ?? 'reception') });
    if (!registered.ok) {
      throw new HttpError(
        409,
        registered.code,
        'device registration refused',
        'retryAt' in registered ? { retryAt: registered.retryAt } : {},
      );
    }
    devices.attachLogin(registered.deviceId, accountId);
    sendJson(context.response, 200, stateBody(context, devices.state(registered.deviceId, undefined)), {
      'set-cookie': deviceCookie(registered.deviceId),
    });
  });

  route('POST', '/api/login', async (context) => {
    if (context.deviceId === undefined || context.state.stage === 'unregistered') {
      throw new HttpError(409, 'DEVICE_NOT_REGISTERED', 'register this device first');
    }
    const body = await readJson(context.request);
    const accountId = await loginOrThrow(body);
    devices.attachLogin(context.deviceId, accountId);
    sendJson(context.response, 200, stateBody(context, devices.state(context.deviceId, undefined)));
  });

  route('POST', '/api/passcode/setup', async (context) => {
    if (context.deviceId === undefined || context.state.stage !== 'passcode-setup') {
      throw new HttpError(409, 'WRONG_STAGE', 'passcode setup is not expected now', {
        stage: context.state.stage,
      });
    }
    const body = await readJson(context.request);
    const sessionId = await devices.setPasscode(context.deviceId, String(body.passcode ?? ''));
    sendJson(context.response, 200, stateBody(context, devices.state(context.deviceId, sessionId)), {
      'set-cookie': cookie(SESSION_COOKIE, sessionId),
    });
  });

  route('POST', '/api/passcode/unlock', async (context) => {
    if (context.deviceId === undefined)
      throw new HttpError(409, 'DEVICE_NOT_REGISTERED', 'register this device first');
    const body = await readJson(context.request);
    const result = await devices.unlock(context.deviceId, String(body.passcode ?? ''));
    if (!result.ok) {
      const remedy =
        result.code === 'PASSCODE_RESET_REQUIRED' ? remedyCatalog['account.passcode-reset'] : undefined;
      throw new HttpError(401, result.code, 'passcode refused', {
        ...('attemptsLeft' in result ? { attemptsLeft: result.attemptsLeft } : {}),
        ...(remedy === undefined
          ? {}
          : { remedy: { key: remedy.key, title: remedy.title, action: remedy.action } }),
        state: stateBody(context, devices.state(context.deviceId, undefined)),
      });
    }
    sendJson(context.response, 200, stateBody(context, devices.state(context.deviceId, result.sessionId)), {
      'set-cookie': cookie(SESSION_COOKIE, result.sessionId),
    });
  });

  route('POST', '/api/lock', (context) => {
    if (context.sessionId !== undefined) devices.endSession(context.sessionId);
    sendJson(context.response, 200, stateBody(context, devices.state(context.deviceId, undefined)), {
      'set-cookie': cookie(SESSION_COOKIE, '', { maxAgeSeconds: 0 }),
    });
  });

  route('POST', '/api/device/release', (context) => {
    const actor = requireReady(context);
    devices.release(context.deviceId!, actor);
    sendJson(
      context.response,
      200,
      { released: true, reregisterAfterMinutes: 60 },
      {
        'set-cookie': [
          cookie(SESSION_COOKIE, '', { maxAgeSeconds: 0 }),
          cookie(DEVICE_COOKIE, '', { maxAgeSeconds: 0 }),
        ],
      },
    );
  });

  route('GET', '/api/readers', async (context) => {
    requireReady(context);
    try {
      const list = await readers.listReaders({});
      sendJson(context.response, 200, {
        kind: readers.kind,
        readers: list,
        selected: settings.get().readerId,
      });
    } catch (error) {
      const setup = settings.get().readerSetup ?? 'wired-reader';
      sendJson(context.response, 200, {
        kind: readers.kind,
        readers: [],
        selected: settings.get().readerId,
        guidance: guidanceFor((error as { code?: string }).code ?? 'SERVICE_UNAVAILABLE', setup, {
          message: (error as Error).message,
        }),
      });
    }
  });

  route('GET', '/api/settings', (context) => {
    requireReady(context);
    sendJson(context.response, 200, settings.get());
  });
  route('PUT', '/api/settings', async (context) => {
    const actor = requireReady(context);
    const body = await readJson(context.request);
    const changes: Record<string, unknown> = {};
    for (const key of ['visualCheckAllowed', 'readerId', 'readerSetup'])
      if (key in body) changes[key] = body[key];
    sendJson(context.response, 200, settings.update(actor, changes));
  });

  route('POST', '/api/checks', async (context) => {
    const actor = requireReady(context);
    const body = await readJson(context.request);
    const readerId =
      typeof body.readerId === 'string' && body.readerId !== ''
        ? body.readerId
        : (settings.get().readerId ?? '');
    const view = await checks.start({
      actor,
      deviceId: context.deviceId!,
      readerId,
      mode: body.mode === 'visual' ? 'visual' : 'pin',
    });
    sendJson(context.response, 201, view);
  });
  route('GET', '/api/checks/:id', (context, [id]) => {
    requireReady(context);
    const view = checks.get(id!);
    if (view === undefined) throw new HttpError(404, 'CHECK_NOT_FOUND', 'no such check');
    sendJson(context.response, 200, view);
  });
  route('GET', '/api/checks/:id/declaration-prefill', (context, [id]) => {
    requireReady(context);
    const view = checks.get(id!);
    if (view === undefined) throw new HttpError(404, 'CHECK_NOT_FOUND', 'no such check');
    sendJson(context.response, 200, declarationPrefill(view));
  });
  route('POST', '/api/checks/:id/pin', async (context, [id]) => {
    requireReady(context);
    if (String(context.request.headers['content-type'] ?? '') !== 'application/octet-stream') {
      throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the PIN as application/octet-stream');
    }
    // The PIN stays bytes: never decoded to a string, logged or stored; zeroed after use.
    const raw = await readBody(context.request, PIN_BODY_LIMIT);
    const pin = new Uint8Array(raw.length);
    pin.set(raw);
    raw.fill(0);
    const confirmLastTry = context.request.headers['x-kakunin-confirm-last-try'] === 'yes';
    try {
      sendJson(context.response, 200, await checks.submitPin(id!, pin, { confirmLastTry }));
    } finally {
      pin.fill(0);
    }
  });
  route('POST', '/api/checks/:id/visual', async (context, [id]) => {
    requireReady(context);
    const body = await readJson(context.request);
    sendJson(context.response, 200, await checks.attestVisual(id!, String(body.staffId ?? '')));
  });
  route('POST', '/api/checks/:id/cancel', async (context, [id]) => {
    requireReady(context);
    const view = await checks.cancel(id!);
    if (view === undefined) throw new HttpError(404, 'CHECK_NOT_FOUND', 'no such check');
    sendJson(context.response, 200, view);
  });
  route('POST', '/api/checks/:id/apply', async (context, [id]) => {
    const actor = requireReady(context);
    const body = await readJson(context.request);
    sendJson(context.response, 200, checks.applyToRecord(id!, Number(body.resultIndex ?? 0), actor));
  });
  route('GET', '/api/check-history', (context) => {
    requireReady(context);
    const rows = database.all<Record<string, unknown>>(
      'SELECT id, started_at, finished_at, staff_account, reader_id, mode, status, error_code, remedy_key, failure_category, qualification_validity, visual_staff_id, visual_confirmed_at FROM qualification_check ORDER BY started_at DESC LIMIT 100',
    );
    sendJson(context.response, 200, { checks: rows });
  });

  route('GET', '/api/fallback-options', (context) => {
    requireReady(context);
    const category = Number(context.query.get('category') ?? '1');
    if (category !== 1 && category !== 2 && category !== 3)
      throw new HttpError(400, 'BAD_CATEGORY', 'category must be 1, 2 or 3');
    sendJson(context.response, 200, {
      category,
      categoryLabel: FAILURE_CATEGORY_LABELS[category],
      categories: FAILURE_CATEGORY_LABELS,
      options: EVIDENCE_TYPES.map((evidence) => ({
        evidence,
        label: EVIDENCE_LABELS[evidence],
        allowed: allowedEvidence(category).includes(evidence),
        requiresCard: REQUIRES_CARD.has(evidence),
        refusal: refusalReason(category, evidence) ?? null,
      })),
    });
  });
  route('POST', '/api/fallbacks', async (context) => {
    const actor = requireReady(context);
    const body = await readJson(context.request);
    const record = await fallbacks.record({
      actor,
      checkId: typeof body.checkId === 'string' && body.checkId !== '' ? body.checkId : null,
      failureCategory: Number(body.failureCategory),
      evidence: String(body.evidence ?? ''),
      data: body.data,
    });
    sendJson(context.response, 201, record);
  });
  route('GET', '/api/fallbacks', (context) => {
    requireReady(context);
    sendJson(context.response, 200, { fallbacks: fallbacks.list() });
  });
  route('GET', '/api/fallbacks/:id', (context, [id]) => {
    requireReady(context);
    const record = fallbacks.get(id!);
    if (record === undefined) throw new HttpError(404, 'FALLBACK_NOT_FOUND', 'no such fallback record');
    sendJson(context.response, 200, record);
  });
  route('GET', '/api/fallbacks/:id/document', (context, [id]) => {
    requireReady(context);
    const document = fallbacks.document(id!);
    if (document === undefined) throw new HttpError(404, 'DOCUMENT_NOT_FOUND', 'no document for this record');
    sendBytes(context.response, 200, document.mediaType, document.content, {
      'content-disposition': `inline; filename="declaration-${id}.pdf"`,
    });
  });

  route('GET', '/api/patients', (context) => {
    requireReady(context);
    sendJson(context.response, 200, { patients: patients.search(context.query.get('q') ?? '') });
  });

  route('GET', '/api/notices', (context) => {
    const actor = requireReady(context);
    sendJson(context.response, 200, { notices: notices.list(actor) });
  });
  route('POST', '/api/notices/:id/read', (context, [id]) => {
    const actor = requireReady(context);
    const noticeId = Number(id);
    if (!notices.list(actor).some((notice) => notice.id === noticeId))
      throw new HttpError(404, 'NOTICE_NOT_FOUND', 'no such notice');
    notices.markRead(actor, noticeId);
    sendJson(context.response, 200, { notices: notices.list(actor) });
  });

  route('GET', '/api/diagnostics', async (context) => {
    requireReady(context);
    const report = await runDiagnostics({
      env,
      now: now(),
      appVersion: APP_VERSION,
      readerKind: readers.kind,
      listReaders: () => readers.listReaders({}),
      database: { journalMode: database.journalMode, sqliteVersion: database.sqliteVersion },
    });
    sendJson(context.response, 200, {
      ...report,
      checks: report.checks.map((check) => ({
        ...check,
        ...(check.remedy === undefined
          ? {}
          : {
              guidance: guidanceFor('DIAGNOSTIC', settings.get().readerSetup ?? 'wired-reader', {
                remedy: check.remedy,
              }),
            }),
      })),
    });
  });

  route('GET', '/api/troubleshooting', (context) => {
    requireReady(context);
    const key = context.query.get('remedy') ?? '';
    const setup = (context.query.get('setup') ?? 'wired-reader') as ReaderSetup;
    if (!isRemedyKey(key)) throw new HttpError(400, 'BAD_REMEDY', 'unknown remedy key');
    if (!['smartphone', 'ble-reader', 'wired-reader'].includes(setup))
      throw new HttpError(400, 'BAD_SETUP', 'unknown setup');
    sendJson(context.response, 200, guidanceFor('REFERENCE', setup, { remedy: key }));
  });

  route('GET', '/api/audit', (context) => {
    requireReady(context);
    sendJson(context.response, 200, { verify: audit.verify(), events: audit.list({ limit: 100 }) });
  });

  route('GET', '/api/stand-in/persons', (context) => {
    requireReady(context);
    if (standIn === undefined) throw new HttpError(404, 'NO_STAND_IN', 'the built-in stand-in is not in use');
    sendJson(context.response, 200, { label: standIn.label, persons: standIn.listPersons() });
  });
  route('POST', '/api/stand-in/link', async (context) => {
    const actor = requireReady(context);
    if (standIn === undefined) throw new HttpError(404, 'NO_STAND_IN', 'the built-in stand-in is not in use');
    const body = await readJson(context.request);
    const readerId =
      typeof body.readerId === 'string' && body.readerId !== ''
        ? body.readerId
        : (settings.get().readerId ?? '');
    const reader = await readers.open(readerId, {});
    try {
      await reader.waitForCard({ timeoutMs: 10_000 });
      const certificate = await reader.readAuthCertificate({});
      standIn.linkCertificate(String(body.personId ?? ''), certificate);
    } finally {
      await reader.close();
    }
    audit.append({ actor, action: 'stand-in.linked', subject: String(body.personId ?? '') });
    sendJson(context.response, 200, { label: standIn.label, persons: standIn.listPersons() });
  });

  const desk = options.simulatorDesk;
  const deskState = () => ({
    readerId: desk!.readerId,
    presentation: desk!.presentation,
    profiles: desk!.profiles,
    current: desk!.current ?? null,
    plugged: desk!.plugged,
  });
  route('GET', '/api/simulator', (context) => {
    requireReady(context);
    if (desk === undefined) throw new HttpError(404, 'NO_SIMULATOR', 'no virtual-card desk');
    sendJson(context.response, 200, deskState());
  });
  route('POST', '/api/simulator/:action', async (context, [action]) => {
    const actor = requireReady(context);
    if (desk === undefined) throw new HttpError(404, 'NO_SIMULATOR', 'no virtual-card desk');
    const body = await readJson(context.request);
    const profileText = String(body.profile ?? '');
    const profile = profileText as Parameters<SimulatorDesk['insert']>[0];
    if (action === 'insert') desk.insert(profile);
    else if (action === 'remove') desk.remove();
    else if (action === 'reset') desk.reset(profileText === '' ? undefined : profile);
    else if (action === 'unplug') desk.unplug();
    else if (action === 'plug') desk.plug();
    else throw new HttpError(404, 'NOT_FOUND', 'unknown simulator action');
    audit.append({ actor, action: `simulator.${action}`, data: { profile } });
    // Through vpcd the card reaches pcscd asynchronously: answer once it is there (or why not).
    try {
      await desk.settled();
    } catch (error) {
      throw new HttpError(503, 'SIMULATOR_UNAVAILABLE', (error as Error).message);
    }
    sendJson(context.response, 200, deskState());
  });

  const serveStatic = async (context: RequestContext): Promise<boolean> => {
    if (context.request.method !== 'GET' && context.request.method !== 'HEAD') return false;
    const relative = context.path === '/' ? '/index.html' : context.path;
    const type = CONTENT_TYPES[extname(relative)];
    if (type === undefined) return false;
    const file = normalize(join(publicDirectory, relative));
    if (!file.startsWith(publicDirectory + sep)) return false;
    try {
      const body = await readFile(file);
      sendBytes(context.response, 200, type, body);
      return true;
    } catch {
      return false;
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const cookies = parseCookies(request.headers.cookie);
    const deviceId = cookies.get(DEVICE_COOKIE) || undefined;
    const sessionId = cookies.get(SESSION_COOKIE) || undefined;
    const method = request.method ?? 'GET';
    try {
      // DNS rebinding + CSRF: Host and Origin against the allow-list (http/host-guard.ts).
      if (hostGuard === undefined) throw new HttpError(503, 'STARTING', 'the server is starting');
      hostGuard.check(request);
      const context: RequestContext = {
        request,
        response,
        path: url.pathname,
        query: url.searchParams,
        deviceId,
        sessionId,
        state: devices.state(deviceId, sessionId),
      };
      for (const [routeMethod, pattern, handler] of routes) {
        if (routeMethod !== method) continue;
        const match = pattern.exec(url.pathname);
        if (match === null) continue;
        await handler(context, match.slice(1));
        return;
      }
      if (await serveStatic(context)) return;
      throw new HttpError(404, 'NOT_FOUND', 'not found');
    } catch (error) {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (error instanceof HttpError) {
        sendJson(response, error.status, {
          error: { code: error.code, message: error.message, ...error.extra },
        });
      } else if (error instanceof FallbackRefusedError) {
        sendJson(response, 422, {
          error: { code: error.code, message: error.message, reason: error.reason },
        });
      } else if (error instanceof CheckConflictError) {
        sendJson(response, error.code === 'CHECK_NOT_FOUND' ? 404 : 409, {
          error: { code: error.code, message: error.message },
        });
      } else if (CardError.isInstance(error)) {
        sendJson(response, cardErrorStatus(error.code), {
          error: { code: error.code, message: error.message, remedyKey: error.remedy ?? null },
        });
      } else if (error instanceof DeclarationFieldError) {
        sendJson(response, 400, { error: { code: error.code, message: error.message, field: error.field } });
      } else if (error instanceof TypeError || error instanceof RangeError) {
        sendJson(response, 400, { error: { code: 'BAD_REQUEST', message: error.message } });
      } else if (FALLBACK_ERRORS_BY_NAME.has((error as Error)?.name)) {
        sendJson(response, 503, {
          error: {
            code: (error as { code?: string }).code ?? 'UNAVAILABLE',
            message: (error as Error).message,
          },
        });
      } else {
        sendJson(response, 500, { error: { code: 'INTERNAL', message: 'internal error' } });
      }
    }
  };

  let hostGuard: HostGuard | undefined;
  const server = createServer((request, response) => {
    void handle(request, response);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const bindHost = options.host ?? '127.0.0.1';
  hostGuard = createHostGuard({
    bindHost,
    port: address.port,
    allowedHosts: [
      ...(options.allowedHosts ?? []),
      ...(WILDCARD_BINDS.has(bindHost) ? machineHostNames() : []),
    ],
  });
  if (isBeyondLoopback(bindHost)) (options.warn ?? defaultWarn)(BEYOND_LOOPBACK_WARNING(bindHost));
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await checks.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      database.close();
    })();
    return closing;
  };
  return {
    url: `http://${host}:${address.port}/`,
    port: address.port,
    services,
    close,
    [Symbol.asyncDispose]: close,
  };
}

export { SECURITY_HEADERS };
