/**
 * The reception app started through its public API (`startReceptionServer` of
 * `@kakunin/reception`), in this process, over the SDK and the simulator: `readers` in-process
 * card readers, each holding a virtual My Number card of the desk's `plastic` person (so the
 * stand-in qualification service knows it) but with a distinctive auth PIN, and a desk only for
 * its test-PKI certificate validator. Staff accounts and registered devices on request.
 *
 * @example
 * ```ts
 * await using app = await startReceptionFixture({ dbPath, readers: 4 });
 * const client = await app.staffClient('staff1');
 * ```
 */
import {
  createDeskCertificateValidator,
  createSdkCardReaderFactory,
  createSimulatorDesk,
  type ReceptionServer,
  seedDemo,
  startReceptionServer,
} from '@kakunin/reception';
import { createCardProfile, SimulatorProvider, VirtualMyNumberCard } from '@kakunin/simulator';
import { TestPki } from '@kakunin/simulator/pki';
import { testKeyStore } from '../support/key-store.js';
import { HttpClient } from './http-client.js';

export const RECEPTION_ADMIN = { accountId: 'admin', password: 'reliability-admin' } as const;
const STAFF_PASSWORD = 'reliability-staff';
const PASSCODE = '8024';

export interface ReceptionFixture extends AsyncDisposable {
  readonly server: ReceptionServer;
  readonly provider: SimulatorProvider;
  /** Reader ids, one card in each. */
  readonly readerIds: readonly string[];
  /** A new staff account with its own registered, unlocked device. */
  staffClient(accountId: string): Promise<HttpClient>;
  close(): Promise<void>;
}

export interface ReceptionFixtureOptions {
  readonly dbPath: string;
  readonly readers?: number;
  readonly authPin: string;
}

export async function startReceptionFixture(options: ReceptionFixtureOptions): Promise<ReceptionFixture> {
  const keyStore = testKeyStore();
  const desk = createSimulatorDesk();
  // The desk's plastic person (seed "kakunin-plastic" under the "kakunin" test PKI), PIN changed.
  const profile = createCardProfile('plastic', {
    seed: 'kakunin-plastic',
    pki: new TestPki({ seed: 'kakunin', keyStore }),
    keyStore,
    credentials: { authPin: options.authPin },
  });
  const readers = options.readers ?? 1;
  const provider = new SimulatorProvider({ readers, closeDisposition: 'unpower' });
  const readerIds = (await provider.listReaders()).map((reader) => reader.id);
  for (const readerId of readerIds) provider.insert(new VirtualMyNumberCard(profile.image), readerId);
  const server = await startReceptionServer({
    port: 0,
    host: '127.0.0.1',
    dbPath: options.dbPath,
    cardReaderFactory: createSdkCardReaderFactory(provider),
    certificateValidator: createDeskCertificateValidator(desk),
    waitForCardMs: 5000,
  });
  await seedDemo(server.services, desk, { ...RECEPTION_ADMIN, selectDeskReader: false });
  server.services.settings.update(RECEPTION_ADMIN.accountId, { readerId: readerIds[0]! });
  const close = async (): Promise<void> => {
    await server.close();
    await provider.close();
    await desk.close();
  };
  return {
    server,
    provider,
    readerIds,
    async staffClient(accountId) {
      await server.services.accounts.createAccount({
        accountId,
        displayName: accountId,
        password: STAFF_PASSWORD,
      });
      const client = new HttpClient(server.url);
      const registered = await client.post('/api/device/register', {
        accountId,
        password: STAFF_PASSWORD,
        deviceName: `${accountId}-pc`,
      });
      if (registered.status !== 200)
        throw new Error(`device registration failed: ${JSON.stringify(registered.json)}`);
      const passcode = await client.post('/api/passcode/setup', { passcode: PASSCODE });
      if (passcode.status !== 200) throw new Error(`passcode setup failed: ${JSON.stringify(passcode.json)}`);
      return client;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
