/**
 * Test helper: the whole app as `kakunin-reception` starts it (startReceptionApp), on a free port
 * with an in-memory database and the demo account's password {@link DEMO_PASSWORD}.
 *
 * @example
 * ```ts
 * await using app = await startTestApp('sim', { card: 'child' });
 * ```
 */
import {
  type ReceptionApp,
  type ReceptionAppOptions,
  startReceptionApp,
  type TransportChoice,
} from '../startup/start-reception-app.js';
import { DEMO_PASSWORD } from './test-server.js';

export function startTestApp(
  transport: TransportChoice,
  options: Partial<ReceptionAppOptions> = {},
): Promise<ReceptionApp> {
  return startReceptionApp({
    transport,
    port: 0,
    dbPath: ':memory:',
    demoPassword: DEMO_PASSWORD,
    ...options,
  });
}
