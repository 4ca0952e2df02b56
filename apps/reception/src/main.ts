/**
 * `kakunin-reception`: starts the reception app and prints its URL. The default needs no hardware:
 * a virtual card desk (the simulator's in-process card) and the built-in qualification stand-in.
 *
 *   kakunin-reception [--port 8780] [--host 127.0.0.1] [--db .kakunin/reception.db]
 *                     [--transport sim|pcsc] [--demo-password PASSWORD] [--card plastic]
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import type { TransportProvider } from '@kakunin/core/transport';
import { createSdkCardReaderFactory } from './adapters/sdk-card-reader-factory.js';
import { startReceptionServer } from './server.js';
import { seedDemo } from './simulator/demo-seed.js';
import { createDeskCertificateValidator } from './simulator/desk-certificate-validator.js';
import { createSimulatorDesk } from './simulator/simulator-desk.js';

const DEFAULT_PORT = 8780;
const DEMO_ACCOUNT = 'demo';

export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      transport: { type: 'string' },
      'demo-password': { type: 'string' },
      card: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(
      'usage: kakunin-reception [--port N] [--host H] [--db PATH] [--transport sim|pcsc] [--demo-password P] [--card PROFILE]\n',
    );
    return 0;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  const dbPath = values.db ?? '.kakunin/reception.db';
  if (dbPath !== ':memory:') mkdirSync(dirname(dbPath), { recursive: true });
  const transport = values.transport ?? 'sim';
  const desk = createSimulatorDesk();
  desk.insert((values.card ?? 'plastic') as Parameters<typeof desk.insert>[0]);
  let provider: TransportProvider = desk.provider;
  if (transport === 'pcsc') {
    // Real readers through PC/SC (vpcd presents the simulator as a reader when running).
    const moduleName = '@kakunin/transport-pcsc';
    const pcsc = (await import(moduleName)) as { PcscProvider: new () => TransportProvider };
    provider = new pcsc.PcscProvider();
  } else if (transport !== 'sim') {
    process.stderr.write(`unknown --transport ${transport}; use sim|pcsc\n`);
    return 2;
  }
  const server = await startReceptionServer({
    port,
    ...(values.host === undefined ? {} : { host: values.host }),
    dbPath,
    cardReaderFactory: createSdkCardReaderFactory(provider),
    certificateValidator: createDeskCertificateValidator(desk),
    ...(transport === 'sim' ? { simulatorDesk: desk } : {}),
  });
  const password = values['demo-password'] ?? process.env.KAKUNIN_DEMO_PASSWORD ?? 'kakunin-demo';
  await seedDemo(server.services, desk, { accountId: DEMO_ACCOUNT, password });
  process.stdout.write(`kakunin reception: ${server.url}\n`);
  process.stdout.write(
    `  demo account: ${DEMO_ACCOUNT} / ${values['demo-password'] === undefined && process.env.KAKUNIN_DEMO_PASSWORD === undefined ? password : '(as given)'}\n`,
  );
  process.stdout.write(
    `  card reader: ${transport === 'sim' ? 'virtual card desk (simulator)' : transport}\n`,
  );
  process.stdout.write('  qualification: built-in stand-in (not the national system)\n');
  const stop = async (): Promise<void> => {
    await server.close();
    await provider.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return 0;
}
