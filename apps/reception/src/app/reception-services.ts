/**
 * The composition root of the reception app: opens the database and wires every service (accounts,
 * devices, settings, notices, patients, checks, fallbacks, the qualification service or its
 * built-in stand-in, the reader directory, diagnostics) from the resolved configuration. The HTTP
 * layer receives the result; nothing here knows about HTTP.
 *
 * @example
 * ```ts
 * const services = createReceptionServices(resolveServerConfig({ dbPath: ':memory:' }), { cardReaderFactory, certificateValidator });
 * services.accounts.facility();
 * ```
 */
import { randomFillSync } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type DiagnosticsReport, runDiagnostics } from '@kakunin/core/diagnostics';
import { type AccountService, createAccountService } from '../accounts/account-service.js';
import { createDeviceService, type DeviceService } from '../accounts/device-service.js';
import { createFileAnchor, createMemoryAnchor, loadOrCreateAuditKey } from '../audit/audit-key.js';
import { type AuditLog, type AuditVerification, createAuditLog } from '../audit/audit-log.js';
import { type CheckHistory, createCheckHistory } from '../checks/check-history.js';
import { type CheckService, createCheckService } from '../checks/check-service.js';
import { createPatientRecords, type PatientRecords } from '../checks/patient-records.js';
import { createQualificationAdoption, type QualificationAdoption } from '../checks/qualification-adoption.js';
import type { ServerConfig } from '../config.js';
import { createFallbackService, type FallbackService } from '../fallbacks/fallback-service.js';
import { createHolderReadService, type HolderReadService } from '../fallbacks/holder-read-service.js';
import { createNoticeService, type NoticeService } from '../notices/notice-service.js';
import { loadJapaneseFont } from '../pdf/japanese-font.js';
import type { TrueTypeFont } from '../pdf/truetype-font.js';
import type { CardReaderFactory } from '../ports/card-reader.js';
import type { CertificateValidator } from '../ports/certificate-validator.js';
import type { QualificationService } from '../ports/qualification-service.js';
import {
  createSqliteQualificationService,
  type SqliteQualificationService,
} from '../qualification/sqlite-qualification-service.js';
import { createReaderDirectory, type ReaderDirectory } from '../readers/reader-directory.js';
import { createSettingsService, type SettingsService } from '../settings/settings-service.js';
import type { ReceptionDatabase } from '../storage/database.js';
import { markInterruptedChecks, openStorage } from '../storage/open-storage.js';
import { type Guidance, guidanceFor } from '../troubleshooting/error-guidance.js';
import { APP_VERSION } from '../version.js';

export interface ReceptionServices {
  readonly database: ReceptionDatabase;
  readonly audit: AuditLog;
  /** The audit chain check made at start (keyed chain + head anchor). */
  readonly auditAtStart: AuditVerification;
  readonly accounts: AccountService;
  readonly devices: DeviceService;
  readonly settings: SettingsService;
  readonly notices: NoticeService;
  readonly patients: PatientRecords;
  readonly checks: CheckService;
  readonly checkHistory: CheckHistory;
  /** Adopting the newer (validity 3) or the chosen (validity 5) qualification. */
  readonly adoption: QualificationAdoption;
  readonly fallbacks: FallbackService;
  /** 基本4情報 read with the patient's consent, to pre-fill the 申立書. */
  readonly holderReads: HolderReadService;
  readonly qualification: QualificationService;
  readonly readerDirectory: ReaderDirectory;
  /** The environment report of the diagnostics screen, each problem with its guidance. */
  runDiagnostics(): Promise<
    DiagnosticsReport & { checks: (DiagnosticsReport['checks'][number] & { guidance?: Guidance })[] }
  >;
  /** Present when the built-in stand-in is in use. */
  readonly standIn?: SqliteQualificationService;
}

export interface ServiceDependencies {
  readonly cardReaderFactory: CardReaderFactory;
  readonly certificateValidator: CertificateValidator;
  /** Defaults to the SQLite stand-in (seeded with the synthetic persons). */
  readonly qualificationService?: QualificationService;
  readonly now?: () => Date;
  readonly random?: (bytes: Uint8Array) => Uint8Array;
  /** This desk's name with PostgreSQL (default: the host name). */
  readonly desk?: string;
  /**
   * Where the audit key and head anchor live: default the SQLite file's directory, or `.kakunin`
   * in the working directory with PostgreSQL (created 0700).
   */
  readonly stateDirectory?: string;
  /** Audit HMAC key file (created 0600 if missing); default `audit.key` in the state directory. */
  readonly auditKeyPath?: string;
  /** Audit head anchor file; default `<database file>.audit-head` (`audit-<desk>.head` with PostgreSQL). */
  readonly auditAnchorPath?: string;
}

export function createReceptionServices(
  config: ServerConfig,
  dependencies: ServiceDependencies,
): ReceptionServices {
  if (dependencies.cardReaderFactory === undefined)
    throw new TypeError('startReceptionServer: options.cardReaderFactory is required');
  if (dependencies.certificateValidator === undefined)
    throw new TypeError('startReceptionServer: options.certificateValidator is required');
  const now = dependencies.now ?? (() => new Date());
  const random = dependencies.random ?? ((bytes: Uint8Array) => randomFillSync(bytes));
  const { env } = config;

  const database = openStorage({
    db: config.dbPath,
    ...(dependencies.desk === undefined ? {} : { desk: dependencies.desk }),
  });
  // The audit key and head anchor live outside the database (the state directory, 0700).
  const shared = database.kind === 'postgres';
  const stateDirectory =
    dependencies.stateDirectory ??
    (shared
      ? join(process.cwd(), '.kakunin')
      : config.dbPath === ':memory:'
        ? undefined
        : dirname(config.dbPath));
  if (stateDirectory !== undefined) mkdirSync(stateDirectory, { recursive: true, mode: 0o700 });
  const auditKeyPath =
    dependencies.auditKeyPath ??
    (stateDirectory === undefined ? undefined : join(stateDirectory, 'audit.key'));
  const auditAnchorPath =
    dependencies.auditAnchorPath ??
    (stateDirectory === undefined
      ? undefined
      : shared
        ? join(stateDirectory, `audit-${(database.desk ?? 'desk').replace(/[^A-Za-z0-9._-]/g, '_')}.head`)
        : `${config.dbPath}.audit-head`);
  const audit = createAuditLog(database, now, {
    ...(auditKeyPath === undefined ? {} : { key: loadOrCreateAuditKey(auditKeyPath) }),
    anchor: auditAnchorPath === undefined ? createMemoryAnchor() : createFileAnchor(auditAnchorPath),
  });
  const auditAtStart = audit.verify();
  // Checks this desk left unfinished (a crash, a kill) are marked interrupted.
  markInterruptedChecks(database, now());
  const accounts = createAccountService({ database, audit, now });
  const devices = createDeviceService({ database, audit, now, random });
  const settings = createSettingsService({ database, audit });
  const notices = createNoticeService({ database, now });
  notices.seed();
  const patients = createPatientRecords({ database, now });
  const standIn =
    dependencies.qualificationService === undefined
      ? createSqliteQualificationService({
          database,
          validator: dependencies.certificateValidator,
          now,
          random,
        })
      : undefined;
  standIn?.seed();
  const qualification = dependencies.qualificationService ?? standIn!;
  const readers = dependencies.cardReaderFactory;
  const readerDirectory = createReaderDirectory({
    readers,
    settings,
    defaultSetup: config.defaultReaderSetup,
  });
  let fontPromise: Promise<TrueTypeFont> | undefined;
  const font = (): Promise<TrueTypeFont> => {
    fontPromise ??= loadJapaneseFont({
      ...(config.fontPath === undefined ? {} : { fontPath: config.fontPath }),
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
    validator: dependencies.certificateValidator,
    qualification,
    patients,
    settings,
    facilityCode: () => accounts.facility()?.code ?? config.placeholderFacilityCode,
    now,
    random,
    readerSetupFor: (readerId) => readerDirectory.setupFor(readerId),
    ...(config.waitForCardMs === undefined ? {} : { waitForCardMs: config.waitForCardMs }),
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
  const diagnostics = async () => {
    const report = await runDiagnostics({
      env,
      now: now(),
      appVersion: APP_VERSION,
      readerKind: readers.kind,
      listReaders: () => readers.listReaders({}),
      database: { journalMode: database.journalMode, sqliteVersion: database.sqliteVersion },
    });
    const setup = settings.get().readerSetup ?? config.defaultReaderSetup;
    const chain = audit.verify();
    const auditCheck: DiagnosticsReport['checks'][number] = {
      id: 'audit-chain',
      status: chain.ok ? 'ok' : 'error',
      title: { ja: '監査ログ', en: 'Audit log' },
      detail: chain.ok
        ? `${chain.events} 件、鍵付き連鎖と先頭アンカーを確認済み`
        : `連鎖が #${chain.brokenAt} で壊れています(${chain.reason === 'truncated' ? '末尾の削除' : '改ざん'})`,
    };
    return {
      ...report,
      status: chain.ok ? report.status : 'error',
      checks: [...report.checks, auditCheck].map((check) => ({
        ...check,
        ...(check.remedy === undefined
          ? {}
          : { guidance: guidanceFor('DIAGNOSTIC', setup, { remedy: check.remedy }) }),
      })),
    };
  };
  return {
    database,
    audit,
    auditAtStart,
    accounts,
    devices,
    settings,
    notices,
    patients,
    checks,
    checkHistory: createCheckHistory(database),
    adoption: createQualificationAdoption({ checks, audit, now }),
    fallbacks,
    holderReads: createHolderReadService({
      readers,
      audit,
      random,
      checkOf: (checkId) => checks.get(checkId),
      ...(config.waitForCardMs === undefined ? {} : { waitForCardMs: config.waitForCardMs }),
    }),
    qualification,
    readerDirectory,
    runDiagnostics: diagnostics,
    ...(standIn === undefined ? {} : { standIn }),
  };
}
