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
import type { ReceptionServer } from '../server.js';
import type { SimulatorDesk } from '../simulator/simulator-desk.js';
import type { ApiClient } from './api-client.js';
import { readyClient, startTestServer } from './test-server.js';

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
  const harness = await startTestServer({
    dbPath: ':memory:',
    simulatorModule: true,
    waitForCardMs: 5_000,
    seed: true,
    ...(options.desk === undefined ? {} : { simulatorDesk: options.desk }),
  });
  const client = await readyClient(harness);
  return { desk: harness.desk, server: harness.server, client, close: harness.close };
}
