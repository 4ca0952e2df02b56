/**
 * Test helper: a reception server on a free port over the in-process virtual card desk, with its
 * database in a fresh temporary directory (or the path given), optionally seeded with the demo
 * account; {@link readyClient} is a browser-like API client that registered the desk and unlocked it.
 *
 * @example
 * ```ts
 * await using harness = await startTestServer({ seed: true });
 * const client = await readyClient(harness);
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSdkCardReaderFactory } from '../adapters/sdk-card-reader-factory.js';
import { createSimulatorModule } from '../demo/simulator-module.js';
import type { CertificateValidator } from '../ports/certificate-validator.js';
import { type ReceptionServer, type ReceptionServerOptions, startReceptionServer } from '../server.js';
import { seedDemo } from '../simulator/demo-seed.js';
import { createDeskCertificateValidator } from '../simulator/desk-certificate-validator.js';
import { createSimulatorDesk, type DeskCard, type SimulatorDesk } from '../simulator/simulator-desk.js';
import { ApiClient, type ApiResponse, settleCheck } from './api-client.js';

/** The demo account's password ({@link startTestServer} `seed: true`). */
export const DEMO_PASSWORD = 'kakunin-demo';
/** A PIN or passcode as the bytes the API takes. */
export const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

export interface TestServer extends AsyncDisposable {
  readonly server: ReceptionServer;
  readonly desk: SimulatorDesk;
  readonly directory: string;
  readonly dbPath: string;
  close(): Promise<void>;
}

export interface TestServerOptions
  extends Partial<Omit<ReceptionServerOptions, 'cardReaderFactory' | 'certificateValidator'>> {
  readonly keepDirectory?: boolean;
  /** The certificate validator for this desk (default: the desk's test PKI, revocation from its CRL). */
  readonly validator?: (desk: SimulatorDesk) => CertificateValidator;
  /** The desk to serve (default: a new one); closed with the server. */
  readonly simulatorDesk?: SimulatorDesk;
  /** Give the server its own empty configuration directory (`KAKUNIN_CONFIG_DIR`: added trust roots). */
  readonly configDirectory?: boolean;
  /** Serve the simulator module (the demo's card controls) for this desk. */
  readonly simulatorModule?: boolean;
  /** Seed the demo facility, account (`demo` / {@link DEMO_PASSWORD}) and stand-in persons. */
  readonly seed?: boolean;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'kakunin-test-'));
  const dbPath = options.dbPath ?? join(directory, 'reception.db');
  const desk = options.simulatorDesk ?? createSimulatorDesk();
  const {
    keepDirectory,
    validator,
    seed,
    simulatorModule,
    configDirectory,
    simulatorDesk,
    ...serverOptions
  } = options;
  const server = await startReceptionServer({
    port: 0,
    ...serverOptions,
    dbPath,
    cardReaderFactory: createSdkCardReaderFactory(desk.provider),
    certificateValidator: (validator ?? createDeskCertificateValidator)(desk),
    ...(simulatorModule === true ? { modules: [createSimulatorModule(desk)] } : {}),
    ...(configDirectory === true
      ? {
          env: {
            ...(options.env ?? process.env),
            KAKUNIN_CONFIG_DIR: mkdtempSync(join(directory, 'config-')),
          },
        }
      : {}),
  });
  if (seed === true) await seedDemo(server.services, desk, { accountId: 'demo', password: DEMO_PASSWORD });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await server.close();
      await desk.provider.close();
      if (keepDirectory !== true) rmSync(directory, { recursive: true, force: true });
    })();
    return closing;
  };
  return { server, desk, directory, dbPath, close, [Symbol.asyncDispose]: close };
}

/**
 * A browser-like client that registered this desk for `accountId` (created with {@link DEMO_PASSWORD}
 * unless it exists) and set up its passcode `2468`: ready for checks. Throws if a step is refused.
 */
export async function readyClient(
  harness: Pick<TestServer, 'server'>,
  accountId = 'demo',
): Promise<ApiClient> {
  const { services, url } = harness.server;
  if (accountId !== 'demo' && services.accounts.displayName(accountId) === undefined) {
    await services.accounts.createAccount({ accountId, displayName: accountId, password: DEMO_PASSWORD });
  }
  return registeredClient(url, accountId);
}

/** A client that registered the desk at `url` for an existing `accountId` ({@link DEMO_PASSWORD}) and unlocked it. */
export async function registeredClient(url: string, accountId = 'demo'): Promise<ApiClient> {
  const client = new ApiClient(url);
  const registered = await client.post('/api/device/register', {
    accountId,
    password: DEMO_PASSWORD,
    deviceName: 'pc',
  });
  if (registered.status !== 200 || registered.json.stage !== 'passcode-setup')
    throw new Error(`device registration refused: ${registered.status} ${JSON.stringify(registered.json)}`);
  const unlocked = await client.post('/api/passcode/setup', { passcode: '2468' });
  if (unlocked.json.stage !== 'ready')
    throw new Error(`passcode setup refused: ${unlocked.status} ${JSON.stringify(unlocked.json)}`);
  return client;
}

/**
 * Puts a fresh `card` in the desk's reader, starts a `mode` check and waits until it settles (PIN
 * screen, 目視 attestation, result or failure); returns that check's view.
 */
export async function settledCheck(
  harness: Pick<TestServer, 'desk'>,
  client: ApiClient,
  card: DeskCard = 'plastic',
  mode: 'pin' | 'visual' = 'pin',
): Promise<ApiResponse['json']> {
  harness.desk.reset(card);
  harness.desk.insert(card);
  const started = await client.post('/api/checks', { mode, readerId: harness.desk.readerId });
  if (started.status !== 201) throw new Error(`check not started: ${started.status}`);
  return (await settleCheck(client, started.json.id)).json;
}

/**
 * A PIN-mode check with a fresh `card` up to the PIN screen; returns that check's view (`id`,
 * `pinStatus`). Throws if the check does not get there.
 */
export async function checkAtPinEntry(
  harness: Pick<TestServer, 'desk'>,
  client: ApiClient,
  card: DeskCard = 'plastic',
): Promise<ApiResponse['json']> {
  const ready = await settledCheck(harness, client, card);
  if (ready.status !== 'pin-entry') throw new Error(`check at ${ready.status}, not pin-entry`);
  return ready;
}

/**
 * First run on an empty database: sets up the facility with its first account (`owner`) from a new
 * browser-like client, which is then registered as that account's device. Throws if refused.
 */
export async function setupFacility(harness: Pick<TestServer, 'server'>): Promise<ApiClient> {
  const client = new ApiClient(harness.server.url);
  const response = await client.post('/api/setup/facility', {
    facilityCode: '1312345678',
    facilityName: '模擬クリニック',
    accountId: 'owner',
    displayName: 'owner',
    password: 'owner-password',
    deviceName: 'pc',
  });
  if (response.status !== 200) throw new Error(`facility setup refused: ${response.status}`);
  return client;
}
