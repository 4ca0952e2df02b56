/**
 * The reception server started through its public API over the simulator desk and the SDK
 * (byte-faithful virtual cards, real node:http on loopback), seeded with the demo facility, plus a
 * cookie-keeping client already registered and unlocked.
 *
 * @example
 * ```ts
 * await using app = await startReception();
 * const response = await app.client.get('/api/state');
 * ```
 */
import {
  createDeskCertificateValidator,
  createSdkCardReaderFactory,
  createSimulatorDesk,
  createSimulatorModule,
  type ReceptionServer,
  type ReceptionServerOptions,
  type SimulatorDesk,
  seedDemo,
  startReceptionServer,
} from '@kakunin/reception';
import { afterAll, beforeAll } from 'vitest';
import { Client } from './client.js';

export const DEMO = { accountId: 'demo', password: 'kakunin-demo', passcode: '2468' } as const;

export interface ReceptionUnderTest extends AsyncDisposable {
  readonly server: ReceptionServer;
  readonly desk: SimulatorDesk;
  /** Registered and unlocked staff client. */
  readonly client: Client;
  close(): Promise<void>;
}

export async function startReception(
  extra: Partial<Omit<ReceptionServerOptions, 'cardReaderFactory' | 'certificateValidator'>> = {},
): Promise<ReceptionUnderTest> {
  const desk = createSimulatorDesk();
  const server = await startReceptionServer({
    port: 0,
    dbPath: ':memory:',
    cardReaderFactory: createSdkCardReaderFactory(desk.provider),
    certificateValidator: createDeskCertificateValidator(desk),
    modules: [createSimulatorModule(desk)],
    waitForCardMs: 5_000,
    ...extra,
  });
  await seedDemo(server.services, desk, { accountId: DEMO.accountId, password: DEMO.password });
  // A wildcard bind is reached over loopback (0.0.0.0 is not a name the app is served under).
  const client = new Client(server.url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:'));
  const registered = await client.post('/api/device/register', {
    accountId: DEMO.accountId,
    password: DEMO.password,
    deviceName: 'security-pc',
  });
  if (registered.status !== 200) throw new Error(`register: ${JSON.stringify(registered.json)}`);
  const unlocked = await client.post('/api/passcode/setup', { passcode: DEMO.passcode });
  if (unlocked.status !== 200) throw new Error(`passcode: ${JSON.stringify(unlocked.json)}`);
  const close = async (): Promise<void> => {
    await server.close();
    await desk.close();
  };
  return { server, desk, client, close, [Symbol.asyncDispose]: close };
}

/** Polls a check until it leaves `waiting-card` / `querying`. */
export async function settle(
  client: Client,
  id: string,
  timeoutMs = 10_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await client.get(`/api/checks/${id}`);
    if (!['waiting-card', 'querying'].includes(response.json.status) || Date.now() > deadline)
      return response.json;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * One reception for the enclosing `describe` block: started before its tests, closed after them.
 * Returns the running instance's getter (call it inside tests and hooks).
 *
 * @example
 * ```ts
 * const app = useReception();
 * it('answers', async () => expect((await app().client.get('/api/state')).status).toBe(200));
 * ```
 */
export function useReception(extra: Parameters<typeof startReception>[0] = {}): () => ReceptionUnderTest {
  let app: ReceptionUnderTest | undefined;
  beforeAll(async () => {
    app = await startReception(extra);
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (app === undefined)
      throw new Error('useReception: the reception has not started (use it inside tests)');
    return app;
  };
}
