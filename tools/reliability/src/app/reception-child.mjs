// Child process of reception-crash.test.ts: the reception app (its public API,
// startReceptionServer) on a file database, with in-process card readers holding the desk's
// plastic person under a given PIN — the same setup as reception-fixture.ts, in plain JavaScript
// so that it runs under plain node and can be killed at any instant. Prints one JSON line
// { url, readerIds } when it serves. Arguments: <dbPath> <authPin> <readers>.
import {
  createDeskCertificateValidator,
  createSdkCardReaderFactory,
  createSimulatorDesk,
  seedDemo,
  startReceptionServer,
} from '@kakunin/reception';
import {
  createCardProfile,
  defaultKeyCacheDirectory,
  SimulatorProvider,
  TestKeyStore,
  VirtualMyNumberCard,
} from '@kakunin/simulator';
import { TestPki } from '@kakunin/simulator/pki';

const [dbPath, authPin, readerCount] = process.argv.slice(2);
const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
const desk = createSimulatorDesk();
const profile = createCardProfile('plastic', {
  seed: 'kakunin-plastic',
  pki: new TestPki({ seed: 'kakunin', keyStore }),
  keyStore,
  credentials: { authPin },
});
const provider = new SimulatorProvider({ readers: Number(readerCount), closeDisposition: 'unpower' });
const readerIds = (await provider.listReaders()).map((reader) => reader.id);
for (const readerId of readerIds) provider.insert(new VirtualMyNumberCard(profile.image), readerId);
const server = await startReceptionServer({
  port: 0,
  host: '127.0.0.1',
  dbPath,
  cardReaderFactory: createSdkCardReaderFactory(provider),
  certificateValidator: createDeskCertificateValidator(desk),
  waitForCardMs: 5000,
});
await seedDemo(server.services, desk, {
  accountId: 'admin',
  password: 'reliability-admin',
  selectDeskReader: false,
});
server.services.settings.update('admin', { readerId: readerIds[0] });
process.stdout.write(`${JSON.stringify({ url: server.url, readerIds })}\n`);
