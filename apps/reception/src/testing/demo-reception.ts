/**
 * Test helper: the reception server as the demo runs it — in-memory database, the virtual card desk
 * (its simulator module and desk certificate validator), the demo account seeded, and a client
 * that registered its device and set its passcode (stage `ready`).
 *
 * @example
 * ```ts
 * const { desk, client, close } = await startDemoReception();
 * desk.insert('plastic');
 * await client.post('/api/checks', { mode: 'pin' });
 * await close();
 * ```
 */
import { createSdkCardReaderFactory } from '../adapters/sdk-card-reader-factory.js';
import { createSimulatorModule } from '../demo/simulator-module.js';
import { type ReceptionServer, startReceptionServer } from '../server.js';
import { seedDemo } from '../simulator/demo-seed.js';
import { createDeskCertificateValidator } from '../simulator/desk-certificate-validator.js';
import { createSimulatorDesk, type SimulatorDesk } from '../simulator/simulator-desk.js';
import { ApiClient } from './api-client.js';

const DEMO_PASSWORD = 'kakunin-demo';

export interface DemoReception {
  readonly desk: SimulatorDesk;
  readonly server: ReceptionServer;
  readonly client: ApiClient;
  close(): Promise<void>;
}

/** Starts it; `desk` defaults to a fresh in-process desk (the helper closes it either way). */
export async function startDemoReception(
  options: { readonly desk?: SimulatorDesk } = {},
): Promise<DemoReception> {
  const desk = options.desk ?? createSimulatorDesk();
  const server = await startReceptionServer({
    port: 0,
    dbPath: ':memory:',
    cardReaderFactory: createSdkCardReaderFactory(desk.provider),
    certificateValidator: createDeskCertificateValidator(desk),
    modules: [createSimulatorModule(desk)],
    waitForCardMs: 5_000,
  });
  await seedDemo(server.services, desk, { accountId: 'demo', password: DEMO_PASSWORD });
  const client = new ApiClient(server.url);
  await client.post('/api/device/register', { accountId: 'demo', password: DEMO_PASSWORD, deviceName: 'pc' });
  const ready = await client.post('/api/passcode/setup', { passcode: '2468' });
  if (ready.json?.stage !== 'ready') throw new Error(`passcode setup: ${JSON.stringify(ready.json)}`);
  return {
    desk,
    server,
    client,
    async close() {
      await server.close();
      await desk.provider.close();
    },
  };
}
